package run

import (
	"slices"
	"testing"
)

// TestColumnEffectsCoverContract: every optional contract column says what
// its absence changes, and names only real pages.
func TestColumnEffectsCoverContract(t *testing.T) {
	known := append(pageNames(), "*", "s9", "s10")
	opt := optionalColumns()
	for _, c := range opt {
		e, ok := columnEffects[c]
		if !ok {
			t.Errorf("%s: no entry in columnEffects", c)
			continue
		}
		if (len(e.pages) == 0) != (e.text == "") {
			t.Errorf("%s: pages %q with text %q", c, e.pages, e.text)
		}
		for _, p := range e.pages {
			if !slices.Contains(known, p) {
				t.Errorf("%s: unknown page %q", c, p)
			}
		}
	}
	for c := range columnEffects {
		if !slices.Contains(opt, c) {
			t.Errorf("columnEffects[%q] is not an optional contract column", c)
		}
	}
}
