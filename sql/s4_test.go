package sql_test

import (
	"fmt"
	"strings"
	"testing"
)

// s4Extens is an extens row of kommun 2281 (file extens) with the school
// columns; a value "null" is SQL NULL, anything else a string.
func s4Extens(id, date, grundskola, gymnasieskola, program string) string {
	q := func(s string) string {
		if s == "null" {
			return s
		}
		return "'" + s + "'"
	}
	return fmt.Sprintf("('%s', '2003-01-01', 'M', '%s', %s, %s, %s)", id, date, q(grundskola), q(gymnasieskola), q(program))
}

// TestS4Skolor pins the grundskola of each person (latest extens row on or
// before s1_to, no fallback to earlier rows, later rows ignored; skolalias
// to the current name, matched trimmed and case-insensitively; OKÄNT for
// blank or no row; EXTERN for a school not in the year's grundskolor), the
// school year (largest Ar ≤ 2020), the rows and figures of s4_grundskolor,
// and the closed lists huvudman and programtyp.
func TestS4Skolor(t *testing.T) {
	f := newFixture(t)
	s34Cohort(f, "2281", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "p10")
	f.add("extens", "person, fodelsedatum, kon, extract_date, grundskola, gymnasieskola, program",
		s4Extens("p1", "2020-03-01", "Nacksta", "Hedbergska", "NA"),        // alias → Höglundaskolan
		s4Extens("p2", "2020-03-01", " nacksta ", "hedbergska ", "IMA"),    // alias, other case and spaces
		s4Extens("p3", "2020-03-01", "höglundaskolan", "Västermalm", "im"), // the current name in lower case
		s4Extens("p4", "2020-03-01", "Heliås Sidsjön", "null", "null"),     // alias → Sidsjö
		s4Extens("p5", "2020-03-01", "Sidsjö", "Västermalm", "IMV"),
		s4Extens("p5", "2020-06-30", "null", "Hedbergska", "EK"),                  // latest (on s1_to): blank school → OKÄNT
		s4Extens("p6", "2020-03-01", "Stockholmsskolan", "Åkerö gymnasium", "TE"), // another kommun's → EXTERN
		s4Extens("p7", "2020-03-01", "Gamla skolan", "Hedbergska", "null"),        // only in the 2019 list → EXTERN
		s4Extens("p8", "2020-07-01", "Höglundaskolan", "Hedbergska", "NA"),        // after s1_to only → OKÄNT
		s4Extens("p9", "2020-05-01", "Bergsåkersskolan", "Västermalm", "SA"),
		s4Extens("p9", "2020-07-01", "Sidsjö", "Annat gymnasium", "IMV"), // after s1_to: ignored
		s4Extens("p10", "2020-03-01", "Nyskolan", "null", "IMV"),         // school with a blank huvudman
	)
	f.add("skolalias", "alias, skola",
		"('Nacksta', 'Höglundaskolan')", "('Heliås Sidsjön', 'Sidsjö')")
	f.add("grundskolor", "skola, huvudman, ar, sistaarselever",
		"('Gamla skolan', 'KOMMUNAL', 2019, 50)",
		"('Höglundaskolan', 'KOMMUNAL', 2019, 70)",
		"('Framtidsskolan', 'KOMMUNAL', 2021, 50)",
		"('Höglundaskolan', 'KOMMUNAL', 2020, 40)",
		"('Sidsjö', 'FRISTAENDE', 2020, 20)",
		"('Bergsåkersskolan', 'KOMMUNAL', 2020, 40)",
		"('Nyskolan', null, 2020, null)",
	)
	s34Build(f)

	g := f.table("s4_grundskolor", "2281")
	if got := strings.SplitN(dump(g), "\n", 2)[0]; got != "grundskola;huvudman;antal;andel_kohort;sistaarselever;andel_sistaarselever;representation;" {
		t.Errorf("columns %s", got)
	}
	if got, want := s34Order(t, g.Rows), "Bergsåkersskolan|Höglundaskolan|Nyskolan|Sidsjö|EXTERN|OKÄNT"; got != want {
		t.Errorf("rows %s, want %s\n%s", got, want, dump(g))
	}
	// cohort 10; Sistaarselever 2020: 40+20+40 = 100 (Nyskolan blank).
	for key, want := range map[string]map[string]string{
		// p1, p2 (alias Nacksta), p3: 3/10 over 40/100
		"Höglundaskolan": {"huvudman": "KOMMUNAL", "antal": "3", "andel_kohort": "0.3", "sistaarselever": "40", "andel_sistaarselever": "0.4", "representation": "0.75"},
		// p4 (alias Heliås Sidsjön): 1/10 over 20/100
		"Sidsjö": {"huvudman": "FRISTAENDE", "antal": "1", "andel_kohort": "0.1", "andel_sistaarselever": "0.2", "representation": "0.5"},
		// p9 (its later row ignored)
		"Bergsåkersskolan": {"antal": "1", "andel_sistaarselever": "0.4", "representation": "0.25"},
		// p10: huvudman and figures blank as given
		"Nyskolan": {"huvudman": "", "antal": "1", "andel_kohort": "0.1", "sistaarselever": "", "andel_sistaarselever": "", "representation": ""},
		// p6, p7
		"EXTERN": {"huvudman": "EXTERN", "antal": "2", "andel_kohort": "0.2", "sistaarselever": "", "andel_sistaarselever": "", "representation": ""},
		// p5 (latest row blank), p8 (no row on or before s1_to)
		"OKÄNT": {"huvudman": "OKÄNT", "antal": "2", "andel_kohort": "0.2", "sistaarselever": "", "andel_sistaarselever": "", "representation": ""},
	} {
		s34Expect(t, f, "s4_grundskolor", "2281", []string{key}, want)
	}

	// representation is suppressed with its row's count: Sidsjö has 1 person.
	sup := f.protect(5)["2281"]["s4_grundskolor"]
	if got := col(t, sup, lookup(t, sup, "Sidsjö"), "representation"); got != "<5" {
		t.Errorf("Sidsjö representation with suppression at 5: %q, want <5", got)
	}
	if got := col(t, sup, lookup(t, sup, "Sidsjö"), "andel_sistaarselever"); got == "<5" || got == "x" {
		t.Errorf("Sidsjö andel_sistaarselever with suppression at 5: %q (a reference figure, never hidden)", got)
	}

	h := f.table("s4_huvudman", "2281")
	if got := s34Order(t, h.Rows); got != "KOMMUNAL|FRISTAENDE|EXTERN|OKÄNT" {
		t.Errorf("huvudman rows %s\n%s", got, dump(h))
	}
	// KOMMUNAL p1 p2 p3 p9; FRISTAENDE p4; EXTERN p6 p7; OKÄNT p5 p8 and p10 (blank huvudman)
	for hm, n := range map[string]string{"KOMMUNAL": "4", "FRISTAENDE": "1", "EXTERN": "2", "OKÄNT": "3"} {
		s34Expect(t, f, "s4_huvudman", "2281", []string{hm}, map[string]string{"antal": n})
	}
	s34Expect(t, f, "s4_huvudman", "2281", []string{"OKÄNT"}, map[string]string{"andel": "0.3"})

	gy := f.table("s4_gymnasieskolor", "2281")
	// Hedbergska p1, p2 ("hedbergska "), p5, p7; Västermalm p3, p9; Åkerö p6; INGEN p4, p8, p10
	if got, want := s34Order(t, gy.Rows), "Hedbergska|Västermalm|Åkerö gymnasium|INGEN"; got != want {
		t.Errorf("gymnasieskolor %s, want %s\n%s", got, want, dump(gy))
	}
	for sk, want := range map[string][2]string{"Hedbergska": {"4", "0.4"}, "Västermalm": {"2", "0.2"}, "Åkerö gymnasium": {"1", "0.1"}, "INGEN": {"3", "0.3"}} {
		s34Expect(t, f, "s4_gymnasieskolor", "2281", []string{sk}, map[string]string{"antal": want[0], "andel": want[1]})
	}

	pt := f.table("s4_programtyp", "2281")
	if got := s34Order(t, pt.Rows); got != "NATIONELLT|INTRODUKTION|INGET" {
		t.Errorf("programtyp rows %s\n%s", got, dump(pt))
	}
	// NATIONELLT p1 NA, p5 EK (latest row), p6 TE, p9 SA; INTRODUKTION p2 IMA,
	// p3 im, p10 IMV; INGET p4 (blank), p7 (blank), p8 (no row)
	for ty, want := range map[string][2]string{"NATIONELLT": {"4", "0.4"}, "INTRODUKTION": {"3", "0.3"}, "INGET": {"3", "0.3"}} {
		s34Expect(t, f, "s4_programtyp", "2281", []string{ty}, map[string]string{"antal": want[0], "andel": want[1]})
	}
}

// TestS4Tom: a cohort with no extens rows and no school lists still shows
// EXTERN and OKÄNT, every huvudman and programtyp, and INGEN.
func TestS4Tom(t *testing.T) {
	f := newFixture(t)
	s34Cohort(f, "2281", "p1")
	s34Build(f)
	if got := s34Order(t, f.table("s4_grundskolor", "2281").Rows); got != "EXTERN|OKÄNT" {
		t.Errorf("grundskolor rows %s", got)
	}
	s34Expect(t, f, "s4_grundskolor", "2281", []string{"OKÄNT"}, map[string]string{"antal": "1", "andel_kohort": "1"})
	s34Expect(t, f, "s4_grundskolor", "2281", []string{"EXTERN"}, map[string]string{"antal": "0", "andel_kohort": "0"})
	s34Expect(t, f, "s4_huvudman", "2281", []string{"KOMMUNAL"}, map[string]string{"antal": "0", "andel": "0"})
	s34Expect(t, f, "s4_gymnasieskolor", "2281", []string{"INGEN"}, map[string]string{"antal": "1", "andel": "1"})
	s34Expect(t, f, "s4_programtyp", "2281", []string{"INGET"}, map[string]string{"antal": "1"})
	s34Expect(t, f, "s4_programtyp", "2281", []string{"NATIONELLT"}, map[string]string{"antal": "0", "andel": "0"})
}

// TestS4Region pins the region: two kommuner with a school of the same
// name (labelled with the kommunkod), each kommun's own school year,
// skolalias and grundskolor (a school of the other kommun is EXTERN),
// counts summed, shares over the region's totals, and one row per
// gymnasieskola name across kommuner.
func TestS4Region(t *testing.T) {
	f := newFixture(t)
	s34Cohort(f, "2281", "a1", "a2")
	s34Cohort(f, "2262", "b1", "b2", "b3")
	ext := func(k, id, grund, gym string) string {
		return fmt.Sprintf("('extens_%s', '%s', '%s', '2003-01-01', 'M', '2020-03-01', '%s', %s)", k, k, id, grund, gym)
	}
	f.add("extens", "file_id, kommunkod, person, fodelsedatum, kon, extract_date, grundskola, gymnasieskola",
		ext("2281", "a1", "Centralskolan", "'Hedbergska'"),
		ext("2281", "a2", "Skogsskolan", "'Hedbergska'"), // only 2262 has it → EXTERN
		ext("2262", "b1", "Centralskolan", "'Hedbergska'"),
		ext("2262", "b2", "Centralen", "null"), // an alias of 2281 only → EXTERN
	) // b3: no row → OKÄNT
	f.add("skolalias", "file_id, kommunkod, alias, skola", "('alias_2281', '2281', 'Centralen', 'Centralskolan')")
	f.add("grundskolor", "file_id, kommunkod, skola, huvudman, ar, sistaarselever",
		"('gs_2281', '2281', 'Centralskolan', 'KOMMUNAL', 2020, 30)",
		"('gs_2262', '2262', 'Centralskolan', 'FRISTAENDE', 2018, 10)", // 2262's year: 2018
		"('gs_2262', '2262', 'Skogsskolan', 'KOMMUNAL', 2018, 10)",
		"('gs_2262', '2262', 'Centralskolan', 'FRISTAENDE', 2021, 999)",
	)
	s34Build(f)

	g := f.table("s4_grundskolor", "region")
	if got, want := s34Order(t, g.Rows), "2262 Centralskolan|2262 Skogsskolan|2281 Centralskolan|EXTERN|OKÄNT"; got != want {
		t.Errorf("region rows %s, want %s\n%s", got, want, dump(g))
	}
	// region cohort 5; Sistaarselever 30+10+10 = 50
	for key, want := range map[string]map[string]string{
		"2281 Centralskolan": {"huvudman": "KOMMUNAL", "antal": "1", "andel_kohort": "0.2", "andel_sistaarselever": "0.6", "representation": "0.3333"},
		"2262 Centralskolan": {"huvudman": "FRISTAENDE", "antal": "1", "andel_sistaarselever": "0.2", "representation": "1"},
		"2262 Skogsskolan":   {"antal": "0", "andel_sistaarselever": "0.2", "representation": "0"},
		"EXTERN":             {"antal": "2", "andel_kohort": "0.4"},
		"OKÄNT":              {"antal": "1", "andel_kohort": "0.2"},
	} {
		s34Expect(t, f, "s4_grundskolor", "region", []string{key}, want)
	}
	// 2262 alone: cohort 3, Sistaarselever 20
	s34Expect(t, f, "s4_grundskolor", "2262", []string{"Centralskolan"}, map[string]string{"antal": "1", "andel_kohort": "0.3333", "andel_sistaarselever": "0.5", "representation": "0.6667"})
	s34Expect(t, f, "s4_grundskolor", "2262", []string{"EXTERN"}, map[string]string{"antal": "1"})
	s34Expect(t, f, "s4_grundskolor", "2281", []string{"EXTERN"}, map[string]string{"antal": "1"})
	for hm, n := range map[string]string{"KOMMUNAL": "1", "FRISTAENDE": "1", "EXTERN": "2", "OKÄNT": "1"} {
		s34Expect(t, f, "s4_huvudman", "region", []string{hm}, map[string]string{"antal": n})
	}
	gy := f.table("s4_gymnasieskolor", "region")
	if got := s34Order(t, gy.Rows); got != "Hedbergska|INGEN" {
		t.Errorf("region gymnasieskolor %s\n%s", got, dump(gy))
	}
	s34Expect(t, f, "s4_gymnasieskolor", "region", []string{"Hedbergska"}, map[string]string{"antal": "3", "andel": "0.6"})
	s34Expect(t, f, "s4_gymnasieskolor", "region", []string{"INGEN"}, map[string]string{"antal": "2"})
	s34Expect(t, f, "s4_programtyp", "region", []string{"INGET"}, map[string]string{"antal": "5"})
}
