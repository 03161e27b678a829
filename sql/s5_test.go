package sql_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/config"
	"github.com/kaa-uppfoljning/kaa/pipeline/report"
	"github.com/kaa-uppfoljning/kaa/pipeline/table"
)

// s5Build builds the fixture with the S5 window 2020-02-01..2020-02-29 and
// kaa_date 2020-03-09, as of 2020-03-31.
func s5Build(f *fixture) {
	from, to, kaa := mustDate("2020-02-01"), mustDate("2020-02-29"), mustDate("2020-03-09")
	f.build("2020-03-31", config.Overrides{"s5.from": from, "s5.to": to, "s5.kaa_date": kaa})
}

// s5Fixture: kommun 2281 with the registrations below, and kommun 0680 with
// one registration and one aktuell person (for the region).
//
// 2281, in the window (200 minutes, 7 registrations):
//
//	2020-02-01 DELTAGARKONTAKT  30 K  16   (first day of the window)
//	2020-02-29 DELTAGARKONTAKT  20 M  19   (last day of the window)
//	2020-02-10 ADMINISTRATION   45 –  22   (blank kön → X; 22–24)
//	2020-02-10 ADMINISTRATION   15 K  –    (blank age: not in s5_alder; övriga)
//	2020-02-17 SAMVERKANSPART   10 M  25   (övriga)
//	2020-02-17 DELTAGARKONTAKT  40 M  17
//	2020-02-25 ADMINISTRATION   40 X  18
//
// and outside it 2020-01-31 and 2020-03-01 (100 minutes each).
func s5Fixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.add("tidsstudie", "file_id, kommunkod, datum, kategori, minuter, kon, alder",
		"('t2281', '2281', '2020-01-31', 'DELTAGARKONTAKT', 100, 'K', 17)",
		"('t2281', '2281', '2020-03-01', 'DELTAGARKONTAKT', 100, 'K', 17)",
		"('t2281', '2281', '2020-02-01', 'DELTAGARKONTAKT', 30, 'K', 16)",
		"('t2281', '2281', '2020-02-29', 'DELTAGARKONTAKT', 20, 'M', 19)",
		"('t2281', '2281', '2020-02-10', 'ADMINISTRATION', 45, null, 22)",
		"('t2281', '2281', '2020-02-10', 'ADMINISTRATION', 15, 'K', null)",
		"('t2281', '2281', '2020-02-17', 'SAMVERKANSPART', 10, 'M', 25)",
		"('t2281', '2281', '2020-02-17', 'DELTAGARKONTAKT', 40, 'M', 17)",
		"('t2281', '2281', '2020-02-25', 'ADMINISTRATION', 40, 'X', 18)",
		"('t0680', '0680', '2020-02-05', 'DELTAGARKONTAKT', 50, 'K', 16)",
	)
	// Persons aktuella for KAA on 2020-03-09 (2281):
	//   a  born 2003-03-09: 17 that very day; aktualiserad on the date → aktuell, 17
	//   b  born 2003-03-10: still 16; avaktualiserad the day after → aktuell, 16
	//   c  avaktualiserad on the date → not aktuell
	//   d  aktualiserad the day after → not aktuell
	//   e  19, an old closed period and an open one → aktuell once, 19
	//   f  born 2000-03-09: 20 on the date → aktuell but outside 16–19
	//   h  17, open period
	// 16: 1, 17: 2, 18: 0, 19: 1 — 4 aktuella aged 16–19.
	f.add("kaa_individer", "file_id, kommunkod, person, fodelsedatum, kon, aktualiserad, avaktualiserad",
		"('k2281', '2281', 'a', '2003-03-09', 'K', '2020-03-09', null)",
		"('k2281', '2281', 'b', '2003-03-10', 'M', '2019-01-01', '2020-03-10')",
		"('k2281', '2281', 'c', '2001-01-01', 'M', '2019-01-01', '2020-03-09')",
		"('k2281', '2281', 'd', '2001-01-01', 'M', '2020-03-10', null)",
		"('k2281', '2281', 'e', '2001-01-01', 'K', '2018-01-01', '2018-06-01')",
		"('k2281', '2281', 'e', '2001-01-01', 'K', '2019-09-01', null)",
		"('k2281', '2281', 'f', '2000-03-09', 'K', '2019-09-01', null)",
		"('k2281', '2281', 'h', '2002-06-15', 'M', '2019-09-01', null)",
		// the same pseudonym in another kommun is another person in the region
		"('k0680', '0680', 'h', '2002-06-15', 'M', '2019-09-01', null)",
	)
	s5Build(f)
	return f
}

// TestS5Kategori pins the window edges, minutes and registrations per
// kategori, the closed list (0 for the unused kategori) and the shares of
// all minutes.
func TestS5Kategori(t *testing.T) {
	f := s5Fixture(t)
	k := f.table("s5_kategori", "2281")
	// DELTAGARKONTAKT 30+20+40 = 90 of 200; ADMINISTRATION 45+15+40 = 100; SAMVERKANSPART 10.
	wantCell(t, k, "minuter", "90", "DELTAGARKONTAKT")
	wantCell(t, k, "registreringar", "3", "DELTAGARKONTAKT")
	wantCell(t, k, "andel", "0.45", "DELTAGARKONTAKT")
	wantCell(t, k, "minuter", "100", "ADMINISTRATION")
	wantCell(t, k, "registreringar", "3", "ADMINISTRATION")
	wantCell(t, k, "andel", "0.5", "ADMINISTRATION")
	wantCell(t, k, "minuter", "10", "SAMVERKANSPART")
	wantCell(t, k, "andel", "0.05", "SAMVERKANSPART")
	wantCell(t, k, "minuter", "0", "DELTAGARE_OCH_SAMVERKANSPART")
	wantCell(t, k, "registreringar", "0", "DELTAGARE_OCH_SAMVERKANSPART")
	wantCell(t, k, "andel", "0", "DELTAGARE_OCH_SAMVERKANSPART")
	if len(k.Rows) != 4 || k.Rows[0][0] != "DELTAGARKONTAKT" || k.Rows[3][0] != "DELTAGARE_OCH_SAMVERKANSPART" {
		t.Errorf("kategorier not the closed list in the spec's order:\n%s", dump(k))
	}
	if k.Columns[1].Kind != table.Int || k.Columns[1].Role == table.Count || k.Columns[2].Role == table.Count {
		t.Errorf("minuter and registreringar must be whole numbers, not suppressed person counts: %+v", k.Columns)
	}
	// Region: 0680 adds 50 minutes of DELTAGARKONTAKT: 140 of 250.
	r := f.table("s5_kategori", "region")
	wantCell(t, r, "minuter", "140", "DELTAGARKONTAKT")
	wantCell(t, r, "registreringar", "4", "DELTAGARKONTAKT")
	wantCell(t, r, "andel", "0.56", "DELTAGARKONTAKT")
	wantCell(t, r, "andel", "0.4", "ADMINISTRATION")
}

// TestS5Kon pins K/M/X with blank kön counted as X.
func TestS5Kon(t *testing.T) {
	f := s5Fixture(t)
	k := f.table("s5_kon", "2281")
	// K 30+15 = 45, M 20+10+40 = 70, X 45 (blank) + 40 = 85; of 200.
	wantCell(t, k, "minuter", "45", "K")
	wantCell(t, k, "andel", "0.225", "K")
	wantCell(t, k, "minuter", "70", "M")
	wantCell(t, k, "andel", "0.35", "M")
	wantCell(t, k, "minuter", "85", "X")
	wantCell(t, k, "andel", "0.425", "X")
	if len(k.Rows) != 3 {
		t.Errorf("want K, M, X only:\n%s", dump(k))
	}
}

// TestS5Alder pins the ages as they occur, blank age left out, and the
// share of all minutes (blank age included in the denominator).
func TestS5Alder(t *testing.T) {
	f := s5Fixture(t)
	a := f.table("s5_alder", "2281")
	// 16: 30, 17: 40, 18: 40, 19: 20, 22: 45, 25: 10 (blank age: 15) — of 200.
	want := map[string][2]string{
		"16": {"30", "0.15"}, "17": {"40", "0.2"}, "18": {"40", "0.2"},
		"19": {"20", "0.1"}, "22": {"45", "0.225"}, "25": {"10", "0.05"},
	}
	for age, w := range want {
		wantCell(t, a, "minuter", w[0], age)
		wantCell(t, a, "andel", w[1], age)
	}
	if len(a.Rows) != 6 {
		t.Errorf("want 6 ages (no row for blank age, none for ages not occurring):\n%s", dump(a))
	}
	r := f.table("s5_alder", "region")
	wantCell(t, r, "minuter", "80", "16")
	wantCell(t, r, "andel", "0.32", "16") // 80 of 250
}

// TestS5KategoriKonAlder pins the full grid and the åldersgrupp edges.
func TestS5KategoriKonAlder(t *testing.T) {
	f := s5Fixture(t)
	g := f.table("s5_kategori_kon_alder", "2281")
	if len(g.Rows) != 4*3*5 {
		t.Fatalf("want the full grid of 60 rows, got %d\n%s", len(g.Rows), dump(g))
	}
	cells := map[[3]string]string{
		{"DELTAGARKONTAKT", "K", "16–17"}:              "30",
		{"DELTAGARKONTAKT", "M", "16–17"}:              "40",
		{"DELTAGARKONTAKT", "M", "18–19"}:              "20",
		{"ADMINISTRATION", "X", "22–24"}:               "45", // blank kön
		{"ADMINISTRATION", "K", "övriga"}:              "15", // blank age
		{"ADMINISTRATION", "X", "18–19"}:               "40",
		{"SAMVERKANSPART", "M", "övriga"}:              "10", // 25
		{"SAMVERKANSPART", "M", "22–24"}:               "0",
		{"DELTAGARKONTAKT", "K", "övriga"}:             "0", // the 17-year-olds outside the window
		{"DELTAGARE_OCH_SAMVERKANSPART", "X", "20–21"}: "0",
	}
	for k, want := range cells {
		wantCell(t, g, "minuter", want, k[0], k[1], k[2])
	}
	total := int64(0)
	for _, r := range g.Rows {
		total += r[g.Col("minuter")].(int64)
	}
	if total != 200 {
		t.Errorf("grid sums to %d minutes, want 200", total)
	}
	if g.Rows[0][0] != "DELTAGARKONTAKT" || g.Rows[0][1] != "K" || g.Rows[0][2] != "16–17" ||
		g.Rows[4][2] != "övriga" || g.Rows[5][1] != "M" {
		t.Errorf("grid not in the spec's order:\n%s", dump(g))
	}
}

// TestS5JamforelseKaa pins the 16–19 comparison: minutes and aktuella
// persons on kaa_date (edges: birthday on the date, Aktualiserad on the
// date, Avaktualiserad on the date and the day after), the two
// denominators and a region of two kommuner.
func TestS5JamforelseKaa(t *testing.T) {
	f := s5Fixture(t)
	j := f.table("s5_jamforelse_kaa", "2281")
	// minutes 16: 30, 17: 40, 18: 40, 19: 20 → of 130; aktuella 16: b, 17: a h, 19: e → of 4.
	want := map[string][4]string{
		"16": {"30", "0.2308", "1", "0.25"},
		"17": {"40", "0.3077", "2", "0.5"},
		"18": {"40", "0.3077", "0", "0"},
		"19": {"20", "0.1538", "1", "0.25"},
	}
	for age, w := range want {
		wantCell(t, j, "minuter", w[0], age)
		wantCell(t, j, "andel_minuter", w[1], age)
		wantCell(t, j, "antal_kaa", w[2], age)
		wantCell(t, j, "andel_kaa", w[3], age)
	}
	if len(j.Rows) != 4 {
		t.Errorf("want ages 16–19 exactly:\n%s", dump(j))
	}
	if j.Columns[j.Col("antal_kaa")].Role != table.Count || j.Columns[j.Col("minuter")].Role == table.Count {
		t.Errorf("antal_kaa is a person count, minuter is not: %+v", j.Columns)
	}
	// Region: minutes 16: 80 of 180; aktuella 17: a, h, h@0680 = 3 of 5.
	r := f.table("s5_jamforelse_kaa", "region")
	wantCell(t, r, "minuter", "80", "16")
	wantCell(t, r, "andel_minuter", "0.4444", "16")
	wantCell(t, r, "antal_kaa", "3", "17")
	wantCell(t, r, "andel_kaa", "0.6", "17")
	// 0680 alone: 50 minutes all at 16; one aktuell, aged 17.
	k := f.table("s5_jamforelse_kaa", "0680")
	wantCell(t, k, "andel_minuter", "1", "16")
	wantCell(t, k, "andel_minuter", "0", "17")
	wantCell(t, k, "andel_kaa", "1", "17")
}

// TestS5Empty: a kommun with no registrations in the window still gets
// every closed-list row, with 0 minutes and blank shares, and no ages.
func TestS5Empty(t *testing.T) {
	f := newFixture(t)
	f.add("tidsstudie", "datum, kategori, minuter, kon, alder",
		"('2020-01-15', 'DELTAGARKONTAKT', 60, 'K', 17)") // before the window
	f.add("kaa_individer", "person, fodelsedatum, kon, aktualiserad",
		"('a', '2004-02-29', 'K', '2019-01-01')") // 16 on 2020-03-09
	s5Build(f)
	k := f.table("s5_kategori", "2281")
	wantCell(t, k, "minuter", "0", "DELTAGARKONTAKT")
	wantCell(t, k, "andel", "", "DELTAGARKONTAKT")
	if len(k.Rows) != 4 {
		t.Errorf("want 4 kategorier:\n%s", dump(k))
	}
	kon := f.table("s5_kon", "2281")
	wantCell(t, kon, "andel", "", "X")
	if a := f.table("s5_alder", "2281"); len(a.Rows) != 0 {
		t.Errorf("no ages occur, want no rows:\n%s", dump(a))
	}
	if g := f.table("s5_kategori_kon_alder", "2281"); len(g.Rows) != 60 {
		t.Errorf("want the full grid, got %d rows", len(g.Rows))
	}
	j := f.table("s5_jamforelse_kaa", "2281")
	wantCell(t, j, "andel_minuter", "", "16")
	wantCell(t, j, "antal_kaa", "1", "16")
	wantCell(t, j, "andel_kaa", "1", "16")
}

// TestS5LeapBirthday: a person born 29 February 2004 is still 16 on
// 28 February 2021 (a common year) and 17 on 1 March 2021 (completed years).
func TestS5LeapBirthday(t *testing.T) {
	for _, c := range []struct{ date, age string }{{"2021-02-28", "16"}, {"2021-03-01", "17"}} {
		f := newFixture(t)
		f.add("kaa_individer", "person, fodelsedatum, kon, aktualiserad",
			"('p', '2004-02-29', 'K', '2019-01-01')")
		from, to, kaa := mustDate("2021-02-01"), mustDate("2021-02-27"), mustDate(c.date)
		f.build("2021-03-31", config.Overrides{"s5.from": from, "s5.to": to, "s5.kaa_date": kaa})
		j := f.table("s5_jamforelse_kaa", "2281")
		if got := col(t, j, lookup(t, j, c.age), "antal_kaa"); got != "1" {
			t.Errorf("kaa_date %s: aged %s = %s, want 1\n%s", c.date, c.age, got, dump(j))
		}
	}
}

// s58Render renders one study page of a scope from the fixture's tables
// (suppressed below 5, as published) and returns the HTML: the page's
// template must bind to the tables and columns the SQL makes.
func s58Render(t *testing.T, f *fixture, page, scope string, notes map[string]any, tables ...string) string {
	t.Helper()
	site := report.Site{
		Scope: scope, AsOf: time.Date(2023, 3, 31, 0, 0, 0, 0, time.UTC),
		Pages:  []report.Page{{Name: page, Title: page, Template: page + ".html.tmpl"}},
		Tables: map[string]table.Table{},
		Notes:  map[string]any{page: notes},
	}
	for _, n := range tables {
		site.Tables[n] = f.table(n, scope).Suppress(5)
	}
	dir := t.TempDir()
	if err := report.Render(dir, site); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, page+".html"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestS5Page renders reports/s5.html.tmpl from the fixture's tables, for a
// kommun and for a scope with no registrations.
func TestS5Page(t *testing.T) {
	f := s5Fixture(t)
	notes := map[string]any{"from": mustDate("2020-02-01"), "to": mustDate("2020-02-29"), "kaa_date": mustDate("2020-03-09"), "suppress_below": 5}
	names := []string{"s5_kategori", "s5_kon", "s5_alder", "s5_kategori_kon_alder", "s5_jamforelse_kaa"}
	html := s58Render(t, f, "s5", "2281", notes, names...)
	for _, want := range []string{"2020-03-09", `data-table="s5_kategori"`, `data-table="s5_kon"`, `data-table="s5_alder"`, `data-table="s5_kategori_kon_alder"`, `data-table="s5_jamforelse_kaa"`} {
		if !strings.Contains(html, want) {
			t.Errorf("s5 page lacks %q", want)
		}
	}
	e := newFixture(t)
	e.add("kaa_individer", "person, fodelsedatum, kon, aktualiserad", "('a', '2004-01-01', 'K', '2019-01-01')")
	s5Build(e)
	s58Render(t, e, "s5", "2281", map[string]any{}, names...)
}
