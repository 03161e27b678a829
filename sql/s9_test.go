package sql_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kaa-uppfoljning/kaa/pipeline/config"
)

// s9Build builds with the S1 window 2019-07-01..2020-06-30, cutoff
// 2020-12-31, as of 2021-03-31, and no small-count suppression.
func s9Build(f *fixture) {
	f.t.Helper()
	from, to, cutoff := mustDate("2019-07-01"), mustDate("2020-06-30"), mustDate("2020-12-31")
	zero := 0
	f.build("2021-03-31", config.Overrides{"s1.from": from, "s1.to": to, "s1.cutoff": cutoff, "suppress_below": zero})
}

// s9Person adds one S1 cohort person of kommun k (aktualiserad 2019-09-01,
// in the window) with the given birth date, kön and registreringsorsak, and
// the evidence for the status at the cutoff: STUDIER and ARBETE by a
// sysselsättning observation, EXAMEN by an extens Examen=J, KVAR_I_KAA by an
// open period, INGEN_UPPGIFT by a period closed before the cutoff.
func s9Person(f *fixture, k, id, born, kon, orsak, status string) {
	f.t.Helper()
	avakt := "null"
	if status == "INGEN_UPPGIFT" {
		avakt = "'2020-03-01'"
	}
	f.add("kaa_individer", "file_id, kommunkod, person, fodelsedatum, kon, aktualiserad, avaktualiserad, registreringsorsak",
		fmt.Sprintf("('kaa_individer_%s', '%s', '%s', '%s', '%s', '2019-09-01', %s, %s)", k, k, id, born, kon, avakt, orsak))
	if status == "KVAR_I_KAA" {
		return
	}
	code := map[string]string{"STUDIER": "KOMVUX", "EXAMEN": "ARBETE", "ARBETE": "ARBETE", "INGEN_UPPGIFT": "INGEN"}[status]
	f.add("kaa_sysselsattning", "file_id, kommunkod, person, fodelsedatum, kon, datum, sysselsattning",
		fmt.Sprintf("('kaa_sysselsattning_%s', '%s', '%s', '%s', '%s', '2020-11-01', '%s')", k, k, id, born, kon, code))
	if status == "EXAMEN" {
		f.add("extens", "file_id, kommunkod, person, fodelsedatum, kon, extract_date, examen",
			fmt.Sprintf("('extens_%s', '%s', '%s', '%s', '%s', '2020-12-28', true)", k, k, id, born, kon))
	}
}

// TestS9Utfall pins S9 on ten persons worked out by hand:
//
//	id   kön ålder orsak        status         område  studier
//	p1   K   16    AVBROTT_IM   STUDIER        A       ja
//	p2   K   16    AVBROTT_IM   EXAMEN         A       ja
//	p3   K   17    –            STUDIER        A       ja
//	p4   K   17    –            ARBETE         B
//	p5   M   17    –            STUDIER        B       ja   (turns 17 on the day)
//	p6   M   18    –            ARBETE         B
//	p7   M   18    –            KVAR_I_KAA     C
//	p8   M   18    –            INGEN_UPPGIFT  C
//	p9   M   16    –            ARBETE         C            (turns 17 the day after)
//	p10  M   18    –            KVAR_I_KAA     –  (OKÄNT)
//
// kon: K 3 of 4 study, M 1 of 6; n = 10, s = 4; expected (study, not):
// K 1.6, 2.4; M 2.4, 3.6; chi2 = 1.96·(1/1.6 + 2/2.4 + 1/3.6) = 3.4028,
// df 1, p = erfc(√(chi2/2)) = 0.0651.
// alder: 16 2 of 3, 17 2 of 3, 18 0 of 4 (19 and ÖVRIGA empty, not in the
// test); expected 16 and 17 1.2, 1.8; 18 1.6, 2.4; chi2 = 2·(0.64/1.2 +
// 0.64/1.8) + 2.56/1.6 + 2.56/2.4 = 40/9 = 4.4444, df 2, p = e^(−20/9) =
// 0.1084; the smallest expected count is 1.2 (the page warns).
// Wilson: 18 0 of 4 → 0–0.4899; AVBROTT_IM 2 of 2 → 0.3424–1.
func TestS9Utfall(t *testing.T) {
	f := newFixture(t)
	for _, p := range [][]string{
		{"p1", "2003-01-01", "K", "'AVBROTT_IM'", "STUDIER"},
		{"p2", "2003-01-01", "K", "'AVBROTT_IM'", "EXAMEN"},
		{"p3", "2002-01-01", "K", "null", "STUDIER"},
		{"p4", "2002-01-01", "K", "null", "ARBETE"},
		{"p5", "2002-09-01", "M", "null", "STUDIER"},
		{"p6", "2001-01-01", "M", "null", "ARBETE"},
		{"p7", "2001-01-01", "M", "null", "KVAR_I_KAA"},
		{"p8", "2001-01-01", "M", "null", "INGEN_UPPGIFT"},
		{"p9", "2002-09-02", "M", "null", "ARBETE"},
		{"p10", "2001-01-01", "M", "null", "KVAR_I_KAA"},
	} {
		s9Person(f, "2281", p[0], p[1], p[2], p[3], p[4])
	}
	// outside the window: not in S9
	f.add("kaa_individer", "file_id, person, fodelsedatum, kon, aktualiserad", "('kaa_individer_2281', 'sen', '2003-01-01', 'K', '2020-07-01')")
	pnr := map[string]string{"p1": "85230", "p2": "85230", "p3": "85230", "p4": "85231", "p5": "85231", "p6": "85231", "p7": "85232", "p8": "85232", "p9": "85232", "sen": "85230"}
	var rows []string
	for id, p := range pnr {
		rows = append(rows, fmt.Sprintf("('extens_2281_2020-06-01', '%s', '2003-01-01', 'M', '2020-06-01', '%s', 'Skolan')", id, p))
	}
	f.add("extens", "file_id, person, fodelsedatum, kon, extract_date, postnummer, grundskola", rows...)
	f.add("omraden", "postnummer, omrade", "('85230', 'A')", "('85231', 'B')", "('85232', 'C')")
	f.add("omradesstatistik", "omrade, ar, befolkning0_19, andelforgymnasial, medianinkomst, ohalsotal",
		"('A', 2020, 100, 10, 200, 5)", "('B', 2020, 100, 20, 210, 5)", "('C', 2020, 100, 30, null, 5)",
		"('D', 2020, 100, 40, 220, 5)") // D: no person, not in the correlation
	f.add("grundskolor", "skola, huvudman, ar, sistaarselever", "('Skolan', 'KOMMUNAL', 2020, 40)")
	s9Build(f)

	ut := f.table("s9_utfall", "2281")
	wantCols := "faktor;varde;antal;studier;arbete;andel_studier;andel_lag;andel_hog;andel_arbete;"
	if got := strings.SplitN(dump(ut), "\n", 2)[0]; got != wantCols {
		t.Errorf("columns %s, want %s", got, wantCols)
	}
	var order []string
	for _, r := range ut.Rows {
		order = append(order, texts(r)[0]+":"+texts(r)[1])
	}
	wantOrder := "kon:K kon:M alder:16 alder:17 alder:18 alder:19 alder:ÖVRIGA " +
		"registreringsorsak:AVBROTT_IM registreringsorsak:AVBROTT_NP registreringsorsak:GYMNASIEINTYG registreringsorsak:STUDIEBEVIS registreringsorsak:EJ_PABORJAT registreringsorsak:OKAND " +
		"huvudman:KOMMUNAL huvudman:FRISTAENDE huvudman:EXTERN huvudman:OKÄNT " +
		"programtyp:NATIONELLT programtyp:INTRODUKTION programtyp:INGET " +
		"grundskola:Skolan grundskola:OKÄNT omrade:A omrade:B omrade:C omrade:OKÄNT"
	if got := strings.Join(order, " "); got != wantOrder {
		t.Errorf("rows\n got %s\nwant %s", got, wantOrder)
	}
	for _, c := range []struct {
		key  []string
		want map[string]string
	}{
		{[]string{"kon", "K"}, map[string]string{"antal": "4", "studier": "3", "arbete": "1", "andel_studier": "0.75", "andel_lag": "0.3006", "andel_hog": "0.9544", "andel_arbete": "0.25"}},
		{[]string{"kon", "M"}, map[string]string{"antal": "6", "studier": "1", "arbete": "2", "andel_studier": "0.1667", "andel_lag": "0.0301", "andel_hog": "0.5635"}},
		{[]string{"alder", "16"}, map[string]string{"antal": "3", "studier": "2"}},
		{[]string{"alder", "17"}, map[string]string{"antal": "3", "studier": "2"}},
		// k = 0: the interval runs from 0
		{[]string{"alder", "18"}, map[string]string{"antal": "4", "studier": "0", "andel_studier": "0", "andel_lag": "0", "andel_hog": "0.4899"}},
		// antal 0: shares and interval blank
		{[]string{"alder", "19"}, map[string]string{"antal": "0", "andel_studier": "", "andel_lag": "", "andel_hog": "", "andel_arbete": ""}},
		// k = n: the interval runs to 1
		{[]string{"registreringsorsak", "AVBROTT_IM"}, map[string]string{"antal": "2", "studier": "2", "andel_studier": "1", "andel_lag": "0.3424", "andel_hog": "1"}},
		{[]string{"registreringsorsak", "OKAND"}, map[string]string{"antal": "8", "studier": "2"}},
		{[]string{"huvudman", "KOMMUNAL"}, map[string]string{"antal": "9"}},
		{[]string{"huvudman", "OKÄNT"}, map[string]string{"antal": "1"}},
		{[]string{"programtyp", "INGET"}, map[string]string{"antal": "10"}},
		{[]string{"omrade", "A"}, map[string]string{"antal": "3", "studier": "3"}},
		{[]string{"omrade", "C"}, map[string]string{"antal": "3", "studier": "0", "arbete": "1"}},
		{[]string{"omrade", "OKÄNT"}, map[string]string{"antal": "1"}},
	} {
		for col, want := range c.want {
			wantCell(t, ut, col, want, c.key...)
		}
	}

	te := f.table("s9_test", "2281")
	if got := strings.SplitN(dump(te), "\n", 2)[0]; got != "faktor;n;frihetsgrader;chi2;p;" {
		t.Errorf("s9_test columns %s", got)
	}
	for _, c := range []struct{ faktor, n, df, chi2, p string }{
		{"kon", "10", "1", "3.4028", "0.0651"},
		{"alder", "10", "2", "4.4444", "0.1084"},
		// AVBROTT_IM 2 of 2, OKAND 2 of 8 (the other orsaker empty): expected
		// 0.8, 1.2; 3.2, 4.8; every deviation 1.2: chi2 = 1.44·(1/0.8 + 1/1.2 +
		// 1/3.2 + 1/4.8) = 3.75, p = erfc(√1.875) = 0.0528
		{"registreringsorsak", "10", "1", "3.75", "0.0528"},
		// one value only (all INGET, all KOMMUNAL but p10): no test where k < 2
		{"programtyp", "10", "", "", ""},
		// A 3 of 3, B 1 of 3, C 0 of 3, OKÄNT 0 of 1: expected 1.2, 1.8 (A, B,
		// C) and 0.4, 0.6: chi2 = 4.5 + 0.0556 + 2 + 0.6667 = 65/9 = 7.2222,
		// df 3, p = erfc(√(x/2)) + √(2x/π)·e^(−x/2) = 0.0651
		{"omrade", "10", "3", "7.2222", "0.0651"},
	} {
		row := lookup(t, te, c.faktor)
		got := fmt.Sprint(col(t, te, row, "n"), " ", col(t, te, row, "frihetsgrader"), " ", col(t, te, row, "chi2"), " ", col(t, te, row, "p"))
		want := fmt.Sprint(c.n, " ", c.df, " ", c.chi2, " ", c.p)
		if got != want {
			t.Errorf("s9_test %s: n df chi2 p = %s, want %s\n%s", c.faktor, got, want, dump(te))
		}
	}
	if len(te.Rows) != 7 || texts(te.Rows[6])[0] != "omrade" {
		t.Errorf("s9_test: want the seven factors in order\n%s", dump(te))
	}

	// Correlation with the områden's share to studies: A 1, B 1/3, C 0.
	// AndelForgymnasial 10, 20, 30: deviations (−10, 0, 10) and (5/9, −1/9,
	// −4/9): r = −10 / (√200 · √(42/81)) = −0.9820; ranks reversed:
	// Spearman −1. Medianinkomst given for two områden with persons only (n 2):
	// blank. Ohalsotal the same in all: blank.
	of := f.table("s9_omradesfaktorer", "2281")
	if got := strings.SplitN(dump(of), "\n", 2)[0]; got != "faktor;n;pearson;spearman;" {
		t.Errorf("s9_omradesfaktorer columns %s", got)
	}
	for faktor, want := range map[string]string{
		"AndelForgymnasial":      "3 -0.982 -1",
		"AndelOppetArbetslosa":   "0  ",
		"AndelEkonomisktBistand": "0  ",
		"Medianinkomst":          "2  ",
		"Ohalsotal":              "3  ",
		"SjalvskattadHalsa":      "0  ",
	} {
		row := lookup(t, of, faktor)
		if got := col(t, of, row, "n") + " " + col(t, of, row, "pearson") + " " + col(t, of, row, "spearman"); got != want {
			t.Errorf("s9_omradesfaktorer %s: %q, want %q", faktor, got, want)
		}
	}
}

// TestS9IntervalAndUndefinedTest: 7 of 18 has the interval 0.2031–0.6138;
// a kommun where nobody studies has a test with degrees of freedom but no
// chi2 or p (an expected count is 0); the region adds the kommuner up.
func TestS9IntervalAndUndefinedTest(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < 18; i++ {
		status := "ARBETE"
		if i < 7 {
			status = "STUDIER"
		}
		s9Person(f, "2281", fmt.Sprintf("m%d", i), "2002-01-01", "M", "null", status)
	}
	s9Person(f, "2262", "x1", "2002-01-01", "K", "null", "ARBETE")
	s9Person(f, "2262", "x2", "2002-01-01", "M", "null", "KVAR_I_KAA")
	s9Build(f)

	ut := f.table("s9_utfall", "2281")
	wantCell(t, ut, "andel_lag", "0.2031", "kon", "M")
	wantCell(t, ut, "andel_hog", "0.6138", "kon", "M")
	wantCell(t, ut, "andel_studier", "0.3889", "kon", "M")
	wantCell(t, ut, "andel_lag", "", "kon", "K")
	te := f.table("s9_test", "2281")
	wantCell(t, te, "frihetsgrader", "", "kon") // only M has persons
	wantCell(t, te, "n", "18", "kon")

	te = f.table("s9_test", "2262")
	wantCell(t, te, "frihetsgrader", "1", "kon")
	wantCell(t, te, "chi2", "", "kon")
	wantCell(t, te, "p", "", "kon")

	// region: K 0 of 1, M 7 of 19; expected K 0.35, 0.65; M 6.65, 12.35:
	// chi2 = 0.35²·(1/0.35 + 1/0.65 + 1/6.65 + 1/12.35) = 0.5668, df 1,
	// p = erfc(√(chi2/2)) = 0.4515.
	re := f.table("s9_utfall", "region")
	wantCell(t, re, "antal", "19", "kon", "M")
	wantCell(t, re, "studier", "7", "kon", "M")
	te = f.table("s9_test", "region")
	wantCell(t, te, "chi2", "0.5668", "kon")
	wantCell(t, te, "p", "0.4515", "kon")
}
