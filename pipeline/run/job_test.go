package run

import (
	"strings"
	"testing"

	"github.com/kaa-uppfoljning/kaa/pipeline/warehouse"
	kaasql "github.com/kaa-uppfoljning/kaa/sql"
)

// TestPageMembershipDeclared: every study table and staff list belongs to
// exactly one page, the one its template declares — for today's models
// the page its name starts with (s6_manad, staff_s6_x → s6; region_x →
// region), the rule the declarations replaced.
func TestPageMembershipDeclared(t *testing.T) {
	models, err := warehouse.Models(kaasql.FS)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range models {
		if m.Layer != "studies" && m.Layer != "staff" {
			if inPages(m, pageNames()) {
				t.Errorf("%s (%s) belongs to a page", m.Name, m.Layer)
			}
			continue
		}
		n++
		var in []string
		for _, p := range pageNames() {
			if inPages(m, []string{p}) {
				in = append(in, p)
			}
		}
		var byName []string
		for _, p := range pageNames() {
			if strings.HasPrefix(strings.TrimPrefix(m.Name, "staff_"), p+"_") {
				byName = append(byName, p)
			}
		}
		if len(in) != 1 || len(byName) != 1 || in[0] != byName[0] {
			t.Errorf("%s (%s): declared by pages %q, by its name %q", m.Name, m.Layer, in, byName)
		}
	}
	if n == 0 {
		t.Error("no study tables or staff lists")
	}
	for _, p := range pages {
		for _, name := range append(append([]string{}, p.Tables...), p.Staff...) {
			if _, ok := model(models, name); !ok {
				t.Errorf("reports/%s declares %s: no such model", p.Template, name)
			}
		}
	}
}
