package sql_test

import (
	"testing"

	"github.com/kaa-uppfoljning/kaa/pipeline/config"
)

// TestS1StatusPrecedence pins each S1 status and the order in which they
// win: one person per rule, cutoff 2020-12-31, window 2019-07-01..2020-06-30.
func TestS1StatusPrecedence(t *testing.T) {
	f := newFixture(t)
	p := func(id string) string {
		return "('" + id + "', '2003-01-01', 'M', '2019-09-01', null, null, 'AVBROTT_NP')"
	}
	f.add("kaa_individer", "person, fodelsedatum, kon, aktualiserad, avaktualiserad, avaktualiseringsorsak, registreringsorsak",
		p("examen_extens"), p("studier"), p("arbete"), p("kvar"), p("ingen"),
		// avaktualiserad EXAMEN after the cutoff: not EXAMEN; closed after cutoff → still aktuell at cutoff
		"('examen_sent', '2003-01-01', 'K', '2019-09-01', '2021-01-15', 'EXAMEN', null)",
		// two periods in the window: counted once, first date's orsak
		"('tva', '2003-01-01', 'K', '2019-08-01', '2019-12-01', 'FLYTTAT', 'GYMNASIEINTYG')",
		"('tva', '2003-01-01', 'K', '2020-02-01', null, null, 'STUDIEBEVIS')",
		// outside the window
		"('fore', '2003-01-01', 'K', '2019-06-30', null, null, null)",
		"('efter', '2003-01-01', 'K', '2020-07-01', null, null, null)",
	)
	f.add("kaa_individer", "person, fodelsedatum, kon, aktualiserad, avaktualiserad, avaktualiseringsorsak",
		"('examen_register_2', '2003-01-01', 'M', '2019-09-01', '2020-05-01', 'EXAMEN')")
	f.add("extens", "person, fodelsedatum, kon, extract_date, examen",
		"('examen_extens', '2003-01-01', 'M', '2020-12-28', true)",
		"('studier', '2003-01-01', 'M', '2021-01-04', true)") // after cutoff: not EXAMEN
	f.add("kaa_sysselsattning", "person, fodelsedatum, kon, datum, sysselsattning, forsorjning",
		"('examen_extens', '2003-01-01', 'M', '2020-06-01', 'ARBETE', 'LON')",
		"('studier', '2003-01-01', 'M', '2020-10-01', 'ARBETE', 'LON')",
		"('studier', '2003-01-01', 'M', '2020-11-01', 'ARBETE', 'LON')",
		"('studier', '2003-01-01', 'M', '2020-11-01', 'KOMVUX', 'CSN')", // same date: study wins
		"('arbete', '2003-01-01', 'M', '2020-11-01', 'SJUK', 'FK')",
		"('arbete', '2003-01-01', 'M', '2020-11-01', 'ARBETE', 'LON')", // same date: work wins over other
		"('arbete', '2003-01-01', 'M', '2021-01-10', 'KOMVUX', 'CSN')", // after cutoff
		"('kvar', '2003-01-01', 'M', '2020-12-01', 'ARBETSSOKANDE', 'AF')",
		"('ingen', '2003-01-01', 'M', '2020-03-01', 'INGEN', null)",
	)
	// "ingen" left KAA before the cutoff.
	if err := f.w.Exec(f.ctx, `update raw_kaa_individer set avaktualiserad = '2020-09-01', avaktualiseringsorsak = 'FLYTTAT' where person = 'ingen'`); err != nil {
		t.Fatal(err)
	}
	from, to, cutoff := mustDate("2019-07-01"), mustDate("2020-06-30"), mustDate("2020-12-31")
	f.build("2021-03-31", config.Overrides{"s1.from": from, "s1.to": to, "s1.cutoff": cutoff})

	st := f.table("s1_status", "2281")
	want := map[string]string{"EXAMEN": "2", "STUDIER": "1", "ARBETE": "1", "KVAR_I_KAA": "3", "INGEN_UPPGIFT": "1"}
	// KVAR_I_KAA: kvar, examen_sent (closed after cutoff), tva (second period open).
	for status, n := range want {
		if got := col(t, st, lookup(t, st, status), "antal"); got != n {
			t.Errorf("s1_status %s: antal %s, want %s\n%s", status, got, n, dump(st))
		}
	}
	if got := col(t, st, lookup(t, st, "EXAMEN"), "andel"); got != "0.25" {
		t.Errorf("EXAMEN andel %s, want 2/8", got)
	}
	if st.Rows[0][0] != "EXAMEN" || st.Rows[4][0] != "INGEN_UPPGIFT" {
		t.Errorf("statuses not in the spec's order:\n%s", dump(st))
	}

	ro := f.table("s1_registreringsorsak", "2281")
	if got := col(t, ro, lookup(t, ro, "GYMNASIEINTYG"), "antal"); got != "1" {
		t.Errorf("tva's first period's orsak: GYMNASIEINTYG antal %s, want 1\n%s", got, dump(ro))
	}
	if got := col(t, ro, lookup(t, ro, "OKAND"), "antal"); got != "2" {
		t.Errorf("OKAND antal %s, want 2 (examen_sent, examen_register_2)\n%s", got, dump(ro))
	}

	fo := f.table("s1_forsorjning", "2281")
	// not studying/working: 2 EXAMEN + 3 KVAR + 1 INGEN = 6; examen_extens LON, kvar AF, ingen OKAND (null), the rest OKAND (no observation)
	if got := col(t, fo, lookup(t, fo, "LON"), "antal"); got != "1" {
		t.Errorf("LON antal %s, want 1\n%s", got, dump(fo))
	}
	if got := col(t, fo, lookup(t, fo, "OKAND"), "antal"); got != "4" {
		t.Errorf("OKAND antal %s, want 4\n%s", got, dump(fo))
	}
	sk := f.table("s1_status_kon", "2281")
	if got := col(t, sk, lookup(t, sk, "KVAR_I_KAA", "K"), "antal"); got != "2" {
		t.Errorf("KVAR_I_KAA K antal %s, want 2\n%s", got, dump(sk))
	}
	if got := col(t, sk, lookup(t, sk, "KVAR_I_KAA", "K"), "andel"); got != "1" {
		t.Errorf("KVAR_I_KAA K andel %s, want 1 (2 of 2 women)\n%s", got, dump(sk))
	}
}
