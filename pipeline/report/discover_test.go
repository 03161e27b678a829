package report

import (
	"testing"
	"testing/fstest"

	"github.com/kaa-uppfoljning/kaa/reports"
)

// TestPagesFromTemplates: the study pages come from the templates, s<N>
// by N and then the others, each with the title its template carries.
func TestPagesFromTemplates(t *testing.T) {
	ps, err := Pages(reports.FS)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.Name)
	}
	want := []string{"s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "region"}
	if len(got) != len(want) {
		t.Fatalf("pages %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("pages %q, want %q", got, want)
		}
	}
	if ps[0].Title != "Uppföljning av aktualiserade för KAA" || ps[0].Template != "s1.html.tmpl" || ps[0].RegionOnly {
		t.Errorf("s1: %+v", ps[0])
	}
	if last := ps[len(ps)-1]; !last.RegionOnly || last.Title != "Jämförelse mellan kommuner" {
		t.Errorf("region: %+v", last)
	}

	bad := fstest.MapFS{"s11.html.tmpl": {Data: []byte("{{- /*\n  S11 no title\n*/ -}}\n")}}
	if _, err := Pages(bad); err == nil || err.Error() != `reports/s11.html.tmpl: the leading comment does not start with "title: <the page's title>"` {
		t.Errorf("a template without a title: %v", err)
	}
}
