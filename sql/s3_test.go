package sql_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/kaa-uppfoljning/kaa/pipeline/config"
)

// s34Cohort adds S1 cohort persons (aktualiserad 2019-09-01) of kommun k with
// their own file ids, so that two kommuner never share a file.
func s34Cohort(f *fixture, k string, ids ...string) {
	f.t.Helper()
	var rows []string
	for _, id := range ids {
		rows = append(rows, fmt.Sprintf("('kaa_individer_%s', '%s', '%s', '2003-01-01', 'M', '2019-09-01')", k, k, id))
	}
	f.add("kaa_individer", "file_id, kommunkod, person, fodelsedatum, kon, aktualiserad", rows...)
}

// s34Build builds with the S1 window 2019-07-01..2020-06-30 (so the
// statistics year is 2020), cutoff 2020-12-31, as of 2021-03-31, and no
// small-count suppression.
func s34Build(f *fixture) {
	f.t.Helper()
	from, to, cutoff := mustDate("2019-07-01"), mustDate("2020-06-30"), mustDate("2020-12-31")
	zero := 0
	f.build("2021-03-31", config.Overrides{"s1.from": from, "s1.to": to, "s1.cutoff": cutoff, "suppress_below": zero})
}

// s34Order returns the first column of every row of a table, joined by "|".
func s34Order(t *testing.T, rows [][]any) string {
	t.Helper()
	var out []string
	for _, r := range rows {
		out = append(out, texts(r)[0])
	}
	return strings.Join(out, "|")
}

// s34Expect compares named columns of the row with the given key.
func s34Expect(t *testing.T, f *fixture, table, scope string, key []string, want map[string]string) {
	t.Helper()
	tb := f.table(table, scope)
	row := lookup(t, tb, key...)
	for c, w := range want {
		if got := col(t, tb, row, c); got != w {
			t.Errorf("%s %s %v: %s = %q, want %q\n%s", table, scope, key, c, got, w, dump(tb))
		}
	}
}

// TestS3Omraden pins each person's område (latest extract on or before
// s1_to wins, later extracts ignored, blank or unmapped postnummer and
// områden without statistics in the year → OKÄNT), the statistics year
// (the largest Ar ≤ 2020), the rows (every område of that year, 0 where
// none, in Swedish alphabetical order, OKÄNT last) and the figures.
func TestS3Omraden(t *testing.T) {
	f := newFixture(t)
	s34Cohort(f, "2281", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10")
	f.add("kaa_individer", "person, fodelsedatum, kon, aktualiserad",
		"('utanfor', '2003-01-01', 'M', '2020-07-01')") // aktualiserad after s1_to: not in the cohort
	e := func(id, date, pnr string) string {
		return fmt.Sprintf("('%s', '2003-01-01', 'M', '%s', %s)", id, date, pnr)
	}
	f.add("extens", "person, fodelsedatum, kon, extract_date, postnummer",
		e("p1", "2020-05-01", "'85230'"),
		e("p1", "2020-06-30", "' 85231 '"), // on s1_to: the latest that counts → Centrum
		e("p1", "2020-07-01", "'85230'"),   // after s1_to: ignored
		e("p2", "2020-06-01", "'85230'"),   // Bergsåker
		e("p3", "2020-03-01", "'85230'"),   // Bergsåker
		e("p4", "2020-03-01", "'85231'"),   // Centrum
		e("p5", "2020-03-01", "'85234'"),   // 'centrum ' in omraden: matched case-insensitively → Centrum
		e("p6", "2020-03-01", "'85233'"),   // Gammalt: only in the 2019 statistics → OKÄNT
		e("p7", "2020-03-01", "'99999'"),   // not in omraden → OKÄNT
		e("p8", "2020-08-01", "'85230'"),   // only after s1_to → OKÄNT
		e("p9", "2020-02-01", "'85232'"),
		e("p9", "2020-03-01", "null"),     // latest extract has no postnummer → OKÄNT (no fallback)
		e("p10", "2020-03-01", "'85232'"), // Nacksta
		e("utanfor", "2020-03-01", "'85232'"),
	)
	f.add("omraden", "postnummer, omrade",
		"('85230', 'Bergsåker')", "('85231', 'Centrum')", "('85232', 'Nacksta')",
		"('85233', 'Gammalt')", "('85234', 'centrum ')", "('85235', 'Framtid')")
	s := func(omrade string, ar int, bef, forgym string) string {
		return fmt.Sprintf("('%s', %d, %s, %s)", omrade, ar, bef, forgym)
	}
	f.add("omradesstatistik", "omrade, ar, befolkning0_19, andelforgymnasial",
		s("Gammalt", 2019, "500", "1"), // an older year: not used
		s("Framtid", 2021, "500", "1"), // after the year of s1_to: not used
		s("Bergsåker", 2020, "200", "12.5"),
		s("Centrum", 2020, "600", "null"),
		s("Nacksta", 2020, "200", "30"),
		s("Alnö", 2020, "null", "8"),
		s("Östermalm", 2020, "0", "null"),
		s("Åkroken", 2020, "null", "null"),
		s("Ängen", 2020, "null", "null"),
	)
	s34Build(f)

	tb := f.table("s3_omraden", "2281")
	wantCols := "omrade;antal;andel_kohort;befolkning_0_19;andel_befolkning_0_19;representation;andelforgymnasial;andeloppetarbetslosa;andelekonomisktbistand;medianinkomst;ohalsotal;sjalvskattadhalsa;"
	if got := strings.SplitN(dump(tb), "\n", 2)[0]; got != wantCols {
		t.Errorf("columns %s, want %s", got, wantCols)
	}
	// Swedish order: Å before Ä before Ö, all after Z; OKÄNT last.
	if got, want := s34Order(t, tb.Rows), "Alnö|Bergsåker|Centrum|Nacksta|Åkroken|Ängen|Östermalm|OKÄNT"; got != want {
		t.Errorf("rows %s, want %s\n%s", got, want, dump(tb))
	}
	// cohort 10; population 200+600+200+0 = 1000 (blank ones not summed).
	for key, want := range map[string]map[string]string{
		// 2/10 over 200/1000 = 1
		"Bergsåker": {"antal": "2", "andel_kohort": "0.2", "befolkning_0_19": "200", "andel_befolkning_0_19": "0.2", "representation": "1", "andelforgymnasial": "12.5"},
		// p1, p4, p5: 3/10 over 600/1000 = 0.5; factor blank
		"Centrum": {"antal": "3", "andel_kohort": "0.3", "andel_befolkning_0_19": "0.6", "representation": "0.5", "andelforgymnasial": ""},
		// 1/10 over 200/1000
		"Nacksta": {"antal": "1", "andel_kohort": "0.1", "representation": "0.5", "andelforgymnasial": "30"},
		// no persons: 0; blank population → blank share and representation
		"Alnö": {"antal": "0", "andel_kohort": "0", "befolkning_0_19": "", "andel_befolkning_0_19": "", "representation": "", "andelforgymnasial": "8"},
		// population 0 → share 0, representation blank (division by 0)
		"Östermalm": {"antal": "0", "andel_befolkning_0_19": "0", "representation": ""},
		// p6, p7, p8, p9
		"OKÄNT": {"antal": "4", "andel_kohort": "0.4", "befolkning_0_19": "", "andel_befolkning_0_19": "", "representation": "", "andelforgymnasial": ""},
	} {
		s34Expect(t, f, "s3_omraden", "2281", []string{key}, want)
	}
	// representation is suppressed with its row's count (it would give the
	// count back with the population figures): Nacksta has 1 person.
	sup := f.protect(5)["2281"]["s3_omraden"]
	if got := col(t, sup, lookup(t, sup, "Nacksta"), "representation"); got != "<5" {
		t.Errorf("Nacksta representation with suppression at 5: %q, want <5", got)
	}
	if got := col(t, sup, lookup(t, sup, "Nacksta"), "befolkning_0_19"); got != "200" {
		t.Errorf("Nacksta befolkning_0_19 with suppression at 5: %q, want 200 (not a person count)", got)
	}
	if got := col(t, sup, lookup(t, sup, "Nacksta"), "andel_befolkning_0_19"); got != "0.2" {
		t.Errorf("Nacksta andel_befolkning_0_19 with suppression at 5: %q, want 0.2 (a reference figure, never hidden)", got)
	}
	if strings.Contains(dump(tb), "Gammalt") || strings.Contains(dump(tb), "Framtid") {
		t.Errorf("områden of other years listed:\n%s", dump(tb))
	}
	if ok := f.table("s3_omraden", "region"); len(ok.Rows) != 0 {
		t.Errorf("a one-kommun run has no region rows:\n%s", dump(ok))
	}
}

// TestS3OkantAlways: with no persons in any område and no statistics, the
// table still has its OKÄNT row.
func TestS3OkantAlways(t *testing.T) {
	f := newFixture(t)
	s34Cohort(f, "2281", "p1")
	f.add("omradesstatistik", "omrade, ar, befolkning0_19", "('Framtid', 2021, 10)") // no year ≤ 2020
	s34Build(f)
	tb := f.table("s3_omraden", "2281")
	if got := s34Order(t, tb.Rows); got != "OKÄNT" {
		t.Fatalf("rows %s, want OKÄNT only\n%s", got, dump(tb))
	}
	s34Expect(t, f, "s3_omraden", "2281", []string{"OKÄNT"}, map[string]string{"antal": "1", "andel_kohort": "1"})
	kt := f.table("s3_korrelation", "2281")
	if got := s34Order(t, kt.Rows); got != "AndelForgymnasial|AndelOppetArbetslosa|AndelEkonomisktBistand|Medianinkomst|Ohalsotal|SjalvskattadHalsa" {
		t.Errorf("factors %s\n%s", got, dump(kt))
	}
	s34Expect(t, f, "s3_korrelation", "2281", []string{"Medianinkomst"}, map[string]string{"n": "0", "pearson": "", "spearman": ""})
}

// TestS3Korrelation pins Pearson and Spearman (average ranks for ties) on
// five områden worked out by hand, n without the områden whose factor is
// blank, and the blanks for n < 3 and zero variance.
//
// Each område has Befolkning0_19 100 (of 500, share 0.2) and the cohort of
// 10 is spread A 1, B 2, C 2, D 4, E 1, so representation = antal/10/0.2 =
// antal/2: y = A 0.5, B 1, C 1, D 2, E 0.5; ranks of y with ties averaged:
// A 1.5, B 3.5, C 3.5, D 5, E 1.5 (mean 3; deviations -1.5 .5 .5 2 -1.5,
// sum of squares 9). An område F with population blank has no
// representation and is left out of every n.
func TestS3Korrelation(t *testing.T) {
	f := newFixture(t)
	var ids []string
	var ext []string
	add := func(omrade, pnr string, n int) {
		for i := 0; i < n; i++ {
			id := fmt.Sprintf("%s%d", omrade, i)
			ids = append(ids, id)
			ext = append(ext, fmt.Sprintf("('%s', '2003-01-01', 'M', '2020-03-01', '%s')", id, pnr))
		}
	}
	add("A", "10001", 1)
	add("B", "10002", 2)
	add("C", "10003", 2)
	add("D", "10004", 4)
	add("E", "10005", 1)
	s34Cohort(f, "2281", ids...)
	f.add("extens", "person, fodelsedatum, kon, extract_date, postnummer", ext...)
	f.add("omraden", "postnummer, omrade",
		"('10001', 'A')", "('10002', 'B')", "('10003', 'C')", "('10004', 'D')", "('10005', 'E')", "('10006', 'F')")
	f.add("omradesstatistik", "omrade, ar, befolkning0_19, andelforgymnasial, andeloppetarbetslosa, andelekonomisktbistand, medianinkomst, ohalsotal, sjalvskattadhalsa",
		//      forgym arbl  ekbi  medinkomst ohalsa  halsa
		"('A', 2020, 100, 10,   1,    5,    1,         30,     null)",
		"('B', 2020, 100, 20,   null, 5,    2,         10,     null)",
		"('C', 2020, 100, 30,   null, 5,    3,         20,     null)",
		"('D', 2020, 100, 40,   2,    5,    4,         20,     null)",
		"('E', 2020, 100, null, null, 5,    5,         40,     null)",
		"('F', 2020, null, 99,  3,    7,    99,        99,     1)",
	)
	s34Build(f)

	kt := f.table("s3_korrelation", "2281")
	if got := strings.SplitN(dump(kt), "\n", 2)[0]; got != "faktor;n;pearson;spearman;" {
		t.Errorf("columns %s", got)
	}
	if got := s34Order(t, kt.Rows); got != "AndelForgymnasial|AndelOppetArbetslosa|AndelEkonomisktBistand|Medianinkomst|Ohalsotal|SjalvskattadHalsa" {
		t.Errorf("factors not in the input's order: %s", got)
	}
	for faktor, want := range map[string]map[string]string{
		// x = 1..5 (mean 3, deviations -2 -1 0 1 2, squares 10); y mean 1,
		// deviations -.5 0 0 1 -.5, squares 1.5: Σ = 1+0+0+1-1 = 1,
		// r = 1/√15 = 0.2582. Ranks of x = x: Σ = 3-.5+0+2-3 = 1.5,
		// ρ = 1.5/√(10·9) = 0.1581 (with min ranks 1,3,3,5,1 it would be 0.1890).
		"Medianinkomst": {"n": "5", "pearson": "0.2582", "spearman": "0.1581"},
		// x = 30 10 20 20 40 (mean 24, deviations 6 -14 -4 -4 16, squares 520):
		// Σ = -3+0+0-4-8 = -15, r = -15/√(520·1.5) = -0.5371. Ranks of x with
		// the tie 20,20 averaged: 4 1 2.5 2.5 5 (deviations 1 -2 -.5 -.5 2,
		// squares 9.5): Σ = -1.5-1-.25-1-3 = -6.75, ρ = -6.75/√(9.5·9) = -0.73.
		"Ohalsotal": {"n": "5", "pearson": "-0.5371", "spearman": "-0.73"},
		// E blank (and F without representation): n = 4 over A–D, x 10 20 30 40,
		// y .5 1 1 2 (mean 1.125): r = 22.5/√(500·1.1875) = 0.9234; ranks x
		// 1 2 3 4, y 1 2.5 2.5 4: ρ = 4.5/√(5·4.5) = 0.9487.
		"AndelForgymnasial": {"n": "4", "pearson": "0.9234", "spearman": "0.9487"},
		// given for A and D only: n = 2 < 3 → blank
		"AndelOppetArbetslosa": {"n": "2", "pearson": "", "spearman": ""},
		// the same value everywhere: zero variance → blank
		"AndelEkonomisktBistand": {"n": "5", "pearson": "", "spearman": ""},
		// given only where representation is not defined
		"SjalvskattadHalsa": {"n": "0", "pearson": "", "spearman": ""},
	} {
		row := lookup(t, kt, faktor)
		for c, w := range want {
			if got := col(t, kt, row, c); got != w {
				t.Errorf("%s %s = %q, want %q\n%s", faktor, c, got, w, dump(kt))
			}
		}
	}
}

// TestS3Region pins the region: two kommuner with an område of the same
// name (labelled with the kommunkod), each kommun's own statistics year and
// omraden, counts summed and shares over the region's totals.
func TestS3Region(t *testing.T) {
	f := newFixture(t)
	s34Cohort(f, "2281", "a1", "a2", "a3")
	s34Cohort(f, "2262", "b1", "b2", "a1") // a1 also in 2262: another person in the region
	ext := func(k, id, pnr string) string {
		return fmt.Sprintf("('extens_%s', '%s', '%s', '2003-01-01', 'M', '2020-03-01', '%s')", k, k, id, pnr)
	}
	f.add("extens", "file_id, kommunkod, person, fodelsedatum, kon, extract_date, postnummer",
		ext("2281", "a1", "85231"), // Centrum 2281
		ext("2281", "a2", "85231"), // Centrum 2281
		ext("2281", "a3", "86100"), // only 2262 maps 86100 → OKÄNT
		ext("2262", "b1", "86100"), // Centrum 2262
		ext("2262", "b2", "86101"), // Skogen 2262
		ext("2262", "a1", "85231"), // 2262 does not map 85231 → OKÄNT
	)
	f.add("omraden", "file_id, kommunkod, postnummer, omrade",
		"('omraden_2281', '2281', '85231', 'Centrum')",
		"('omraden_2262', '2262', '86100', 'Centrum')",
		"('omraden_2262', '2262', '86101', 'Skogen')")
	f.add("omradesstatistik", "file_id, kommunkod, omrade, ar, befolkning0_19",
		"('stat_2281', '2281', 'Centrum', 2020, 300)",
		"('stat_2281', '2281', 'Skogen', 2019, 999)",  // 2281's year is 2020: not listed
		"('stat_2262', '2262', 'Centrum', 2018, 100)", // 2262's latest year ≤ 2020 is 2018
		"('stat_2262', '2262', 'Skogen', 2018, 100)",
		"('stat_2262', '2262', 'Centrum', 2021, 555)",
	)
	s34Build(f)

	tb := f.table("s3_omraden", "region")
	if got, want := s34Order(t, tb.Rows), "2262 Centrum|2262 Skogen|2281 Centrum|OKÄNT"; got != want {
		t.Errorf("region rows %s, want %s\n%s", got, want, dump(tb))
	}
	// region cohort 6, population 300+100+100 = 500.
	s34Expect(t, f, "s3_omraden", "region", []string{"2281 Centrum"}, map[string]string{
		"antal": "2", "andel_kohort": "0.3333", "befolkning_0_19": "300", "andel_befolkning_0_19": "0.6", "representation": "0.5556"}) // (2/6)/(3/5) = 5/9
	s34Expect(t, f, "s3_omraden", "region", []string{"2262 Centrum"}, map[string]string{
		"antal": "1", "andel_kohort": "0.1667", "andel_befolkning_0_19": "0.2", "representation": "0.8333"}) // (1/6)/(1/5)
	s34Expect(t, f, "s3_omraden", "region", []string{"OKÄNT"}, map[string]string{"antal": "2", "andel_kohort": "0.3333"})
	// each kommun on its own
	if got, want := s34Order(t, f.table("s3_omraden", "2281").Rows), "Centrum|OKÄNT"; got != want {
		t.Errorf("2281 rows %s, want %s", got, want)
	}
	s34Expect(t, f, "s3_omraden", "2281", []string{"Centrum"}, map[string]string{"antal": "2", "andel_kohort": "0.6667", "representation": "0.6667"})
	s34Expect(t, f, "s3_omraden", "2262", []string{"Centrum"}, map[string]string{"antal": "1", "andel_befolkning_0_19": "0.5", "representation": "0.6667"})
	s34Expect(t, f, "s3_omraden", "2262", []string{"OKÄNT"}, map[string]string{"antal": "1"})
	if n := len(f.table("s3_korrelation", "region").Rows); n != 6 {
		t.Errorf("region korrelation has %d rows, want 6", n)
	}
}

// TestS3S4PopulationAvslutade pins population = "avslutade_deltagare": the
// participants with Utskriven on or before the report date, each person
// once, placed by their latest extens row dated on or before their last
// Utskriven; a participant still in the project and the S1 cohort are not
// in it. S3 and S4 choose their population each by their own key, and S9
// keeps the S1 cohort whatever they choose.
func TestS3S4PopulationAvslutade(t *testing.T) {
	f := newFixture(t)
	s34Cohort(f, "2281", "k1", "k2") // the S1 cohort: not participants
	d := func(id, in, ut string) string {
		return fmt.Sprintf("('%s', '2003-01-01', 'M', '%s', %s)", id, in, ut)
	}
	f.add("deltagare", "person, fodelsedatum, kon, inskriven, utskriven",
		d("a1", "2019-01-10", "'2019-06-30'"),
		d("a1", "2020-01-10", "'2020-09-30'"), // a second participation: placed at the last exit
		d("a2", "2019-03-01", "'2020-02-01'"),
		d("aktiv", "2020-01-01", "null"),       // still in the project
		d("sen", "2020-01-01", "'2021-05-01'"), // exit after the report date: not yet known
	)
	e := func(id, date, pnr, skola string) string {
		return fmt.Sprintf("('%s', '2003-01-01', 'M', '%s', '%s', '%s')", id, date, pnr, skola)
	}
	f.add("extens", "person, fodelsedatum, kon, extract_date, postnummer, grundskola",
		e("a1", "2019-06-01", "85230", "Skola A"),
		e("a1", "2020-09-28", "85231", "Skola B"), // latest on or before 2020-09-30 → Centrum, Skola B
		e("a1", "2020-10-05", "85230", "Skola A"), // after the exit: ignored
		e("a2", "2020-01-27", "85230", "Skola A"), // → Bergsåker, Skola A
		e("aktiv", "2020-01-27", "85231", "Skola B"),
		e("k1", "2020-01-27", "85231", "Skola B"),
		e("k2", "2020-01-27", "85231", "Skola B"),
	)
	f.add("omraden", "postnummer, omrade", "('85230', 'Bergsåker')", "('85231', 'Centrum')")
	f.add("omradesstatistik", "omrade, ar, befolkning0_19", "('Bergsåker', 2020, 100)", "('Centrum', 2020, 300)")
	f.add("grundskolor", "skola, huvudman, ar, sistaarselever",
		"('Skola A', 'KOMMUNAL', 2020, 50)", "('Skola B', 'FRISTAENDE', 2020, 50)")
	from, to, cutoff := mustDate("2019-07-01"), mustDate("2020-06-30"), mustDate("2020-12-31")
	zero := 0
	build := func(s3, s4 string) {
		f.build("2021-03-31", config.Overrides{"s1.from": from, "s1.to": to, "s1.cutoff": cutoff, "suppress_below": zero,
			"s3.population": s3, "s4.population": s4})
	}

	build("avslutade_deltagare", "kohort")
	s34Expect(t, f, "s3_omraden", "2281", []string{"Bergsåker"}, map[string]string{"antal": "1", "andel_kohort": "0.5", "representation": "2"})
	s34Expect(t, f, "s3_omraden", "2281", []string{"Centrum"}, map[string]string{"antal": "1", "andel_kohort": "0.5"})
	s34Expect(t, f, "s3_omraden", "2281", []string{"OKÄNT"}, map[string]string{"antal": "0"})
	// S4 keeps the cohort: k1, k2 at Skola B
	s34Expect(t, f, "s4_huvudman", "2281", []string{"FRISTAENDE"}, map[string]string{"antal": "2", "andel": "1"})
	// S9 keeps the cohort too
	s34Expect(t, f, "s9_utfall", "2281", []string{"omrade", "Centrum"}, map[string]string{"antal": "2"})

	build("kohort", "avslutade_deltagare")
	s34Expect(t, f, "s3_omraden", "2281", []string{"Centrum"}, map[string]string{"antal": "2", "andel_kohort": "1"})
	s34Expect(t, f, "s4_huvudman", "2281", []string{"KOMMUNAL"}, map[string]string{"antal": "1", "andel": "0.5"})
	s34Expect(t, f, "s4_huvudman", "2281", []string{"FRISTAENDE"}, map[string]string{"antal": "1", "andel": "0.5"})
	s34Expect(t, f, "s4_grundskolor", "2281", []string{"Skola B"}, map[string]string{"antal": "1"})
}

// TestS3KorrelationZeroIsZero: a correlation that is exactly 0 is published
// as 0, not as the floating-point residue of the order DuckDB happened to
// add the rows in (-9.6e-17 for these values, which a page would show as
// "-0"), and the same bits come out of every build.
func TestS3KorrelationZeroIsZero(t *testing.T) {
	var first []any
	for run := 0; run < 3; run++ {
		f := newFixture(t)
		var ids, ext []string
		// cohort counts 2, 1, 2 over equal populations: representation
		// y = c, c/2, c; medianinkomst x = 1, 2, 3. Deviations of x -1 0 1,
		// of y c/6 -c/3 c/6: Σ = -c/6 + 0 + c/6 = 0, so r = 0 exactly; the
		// ranks (y ties averaged: 2.5 1 2.5) give ρ = 0 as well.
		for i, n := range []int{2, 1, 2} {
			for j := 0; j < n; j++ {
				id := fmt.Sprintf("P%d%d", i, j)
				ids = append(ids, id)
				ext = append(ext, fmt.Sprintf("('%s', '2003-01-01', 'M', '2020-03-01', '1000%d')", id, i))
			}
		}
		s34Cohort(f, "2281", ids...)
		f.add("extens", "person, fodelsedatum, kon, extract_date, postnummer", ext...)
		f.add("omraden", "postnummer, omrade", "('10000', 'A')", "('10001', 'B')", "('10002', 'C')")
		f.add("omradesstatistik", "omrade, ar, befolkning0_19, medianinkomst",
			"('A', 2020, 100, 1)", "('B', 2020, 100, 2)", "('C', 2020, 100, 3)")
		s34Build(f)
		kt := f.table("s3_korrelation", "2281")
		var row []any
		for _, r := range kt.Rows {
			if texts(r)[0] == "Medianinkomst" {
				row = r
			}
		}
		for _, c := range []string{"pearson", "spearman"} {
			v, ok := row[kt.Col(c)].(float64)
			if !ok || v != 0 || math.Signbit(v) {
				t.Fatalf("run %d: Medianinkomst %s = %#v, want exactly +0\n%s", run, c, row[kt.Col(c)], dump(kt))
			}
		}
		if first == nil {
			first = row
		} else if fmt.Sprintf("%#v", row) != fmt.Sprintf("%#v", first) {
			t.Errorf("run %d gave %#v, the first %#v", run, row, first)
		}
	}
}
