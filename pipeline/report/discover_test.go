package report

import (
	"io/fs"
	"slices"
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
	// every template but the layout, index and whole report is a page
	files, err := fs.Glob(reports.FS, "*.html.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(files)-3 {
		t.Fatalf("pages %q from the templates %q", got, files)
	}
	// the studies by N, then the others by name (a study added later goes
	// among them by its number)
	want := []string{"s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "region"}
	var known []string
	for _, g := range got {
		if slices.Contains(want, g) {
			known = append(known, g)
		}
	}
	if !slices.Equal(known, want) {
		t.Fatalf("pages %q, want %q in that order", got, want)
	}
	for i := 1; i < len(got); i++ {
		a, aok := studyNumber(got[i-1])
		b, bok := studyNumber(got[i])
		if bok && (!aok || a >= b) || !aok && !bok && got[i-1] >= got[i] {
			t.Fatalf("pages %q: %s before %s", got, got[i-1], got[i])
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

// TestPageDeclarations: a page's own labels and missing-column notes come
// from its template's leading comment, and a label declared twice is an
// error naming the template.
func TestPageDeclarations(t *testing.T) {
	if h := Header("s10_utfall", "kohort"); h != "Kohort (halvår)" {
		t.Errorf("s10_utfall.kohort heading %q", h)
	}
	if v := ValueLabel("s10_utfall", "kohort", "2019H2", nil, nil); v != "2019 jul–dec" {
		t.Errorf("s10_utfall.kohort 2019H2 shown as %q", v)
	}
	if l, ok := CodeLabel("s9_test", "faktor", "omrade"); !ok || l != "Bostadsområde" {
		t.Errorf("s9_test.faktor omrade: %q %v", l, ok)
	}
	if !percentColumns["s2_delmal.mal"] || unitOf("s6_manad", "antal") != "deltaganden" {
		t.Errorf("s2_delmal.mal percent %v, s6_manad.antal unit %q", percentColumns["s2_delmal.mal"], unitOf("s6_manad", "antal"))
	}
	ps, err := Pages(reports.FS)
	if err != nil {
		t.Fatal(err)
	}
	var s4 []Missing
	for _, p := range ps {
		if p.Name == "s4" {
			s4 = p.Missing
		}
	}
	if len(s4) == 0 || s4[0] != (Missing{Column: "extens.Grundskola", Text: "skola räknas som OKÄNT"}) {
		t.Errorf("s4 missing %+v", s4)
	}

	twice := fstest.MapFS{"s11.html.tmpl": {Data: []byte("{{- /*\n  title: S11\n  heading s1_status.antal: Personer\n  heading s1_status.antal: Antal\n*/ -}}\n")}}
	tp, err := Pages(twice)
	if err != nil {
		t.Fatal(err)
	}
	saved := headers
	headers = map[string]string{}
	defer func() { headers = saved }()
	if err := declareLabels(tp); err == nil || err.Error() != "reports/s11.html.tmpl: heading s1_status.antal: declared twice" {
		t.Errorf("a heading declared twice: %v", err)
	}
}
