package demo

import (
	"slices"
	"testing"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
)

// TestVendorKindsAreTheContracts: the vendor shapes are keyed by the
// contract's kinds, one for each, and rename and rewrite the contract's
// columns of their kind (or the personal-data columns the demo adds).
func TestVendorKindsAreTheContracts(t *testing.T) {
	personal := []string{"Fornamn", "Efternamn", "Adress", "Telefon"}
	for _, k := range contract.Kinds() {
		vk, ok := vendorKinds[k.Name]
		if !ok {
			t.Errorf("%s: no vendor shape", k.Name)
			continue
		}
		for h := range vk.headers {
			if !slices.Contains(k.Names(), h) && !slices.Contains(personal, h) {
				t.Errorf("%s: vendor header for %s, not a column of the kind", k.Name, h)
			}
		}
		for h := range vk.values {
			if !slices.Contains(k.Names(), h) {
				t.Errorf("%s: vendor values for %s, not a column of the kind", k.Name, h)
			}
		}
	}
	for name := range vendorKinds {
		if _, ok := contract.Lookup(name); !ok {
			t.Errorf("vendor shape for %s, not a kind of the contract", name)
		}
	}
}
