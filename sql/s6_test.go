package sql_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kaa-uppfoljning/kaa/pipeline/config"
	"github.com/kaa-uppfoljning/kaa/pipeline/report"
	"github.com/kaa-uppfoljning/kaa/pipeline/table"
)

const (
	s6DelCols = "file_id, kommunkod, person, fodelsedatum, kon, inskriven, utskriven, sysvidavslut"
	s6KaaCols = "file_id, kommunkod, person, fodelsedatum, kon, aktualiserad, avaktualiserad, kontaktstatus"
)

// s6Fixture loads the participants and KAA periods of kommun 2281 used by
// the S6 tests (month M = 2021-02, as_of 2021-03-31), worked by hand:
//
//	row  kön born        Inskriven   Utskriven   SysVidAvslut  in M (Feb 2021)
//	n1   K   2003-05-01  2021-02-01  –                         nya (first day), aktiv; MG1 (17)
//	n2   M   1999-01-01  2021-02-28  –                         nya (last day), aktiv; MG2 (22)
//	n3   M   2003-01-01  2021-03-01  –                         after M: nowhere
//	a1   M   2003-01-01  2020-06-01  2021-02-28  ARBETE        avslutad (last day); MG1
//	a2   K   2002-01-01  2020-06-01  2021-02-01  (blank)       avslutad (first day), OKAND; MG1
//	a3   M   1995-01-01  2020-06-01  2021-03-01  KOMVUX        aktiv (exit after M); UTANFÖR (25)
//	a4   K   2003-01-01  2020-01-01  2021-01-31  ARBETE        exited before M; MG1
//	a5   –   2003-01-01  2020-01-01  –                         aktiv; kön unknown → X; MG1
//	a6   M   2003-01-01  2020-01-01  2021-05-01                aktiv (exit after as_of is unknown); MG1
func s6Fixture(f *fixture, file, kommun string) {
	row := func(p, kon, born, in, ut, sys string) string {
		q := func(s string) string {
			if s == "" {
				return "null"
			}
			return "'" + s + "'"
		}
		return "('" + file + "', '" + kommun + "', '" + p + "', '" + born + "', " + q(kon) + ", '" + in + "', " + q(ut) + ", " + q(sys) + ")"
	}
	f.add("deltagare", s6DelCols,
		row("n1", "K", "2003-05-01", "2021-02-01", "", ""),
		row("n2", "M", "1999-01-01", "2021-02-28", "", ""),
		row("n3", "M", "2003-01-01", "2021-03-01", "", ""),
		row("a1", "M", "2003-01-01", "2020-06-01", "2021-02-28", "ARBETE"),
		row("a2", "K", "2002-01-01", "2020-06-01", "2021-02-01", ""),
		row("a3", "M", "1995-01-01", "2020-06-01", "2021-03-01", "KOMVUX"),
		row("a4", "K", "2003-01-01", "2020-01-01", "2021-01-31", "ARBETE"),
		row("a5", "", "2003-01-01", "2020-01-01", "", ""),
		row("a6", "M", "2003-01-01", "2020-01-01", "2021-05-01", "ARBETE"),
	)
	// KAA periods. Aktuell during M: Aktualiserad <= 2021-02-28 and no
	// Avaktualiserad or one after 2021-02-01. MG1: 16–19 on 2021-02-28.
	//   n1  aktuell, 17, NADD;                participant in M (new in M)
	//   k2  ended on 2021-02-01: not aktuell
	//   a2  ended on 2021-02-02: aktuell, 19, EJ_NADD; participant in M (exited on its first day)
	//   a4  aktualiserad on 2021-02-28: aktuell, 18, SAKNAR; exited 2021-01-31: not a participant in M
	//   k5  aktualiserad 2021-03-01: not aktuell
	//   n3  two periods in M: the latest (2021-02-15, NADD) gives the status; joins after M: no
	//   k7  turns 20 on 2021-02-28: aktuell, not MG1
	//   k8  19 on 2021-02-28 (born 2001-03-01): MG1, blank Kontaktstatus
	//   k9  15: aktuell, not MG1
	// MG1 aktuella: n1 NADD, a2 EJ_NADD, a4 SAKNAR, n3 NADD, k8 blank = 5.
	// Aktuella: n1, a2, a4, n3, k7, k8, k9 = 7; participants in M: n1, a2.
	kaa := func(p, born, akt, avakt, ks string) string {
		q := func(s string) string {
			if s == "" {
				return "null"
			}
			return "'" + s + "'"
		}
		return "('k" + file + "', '" + kommun + "', '" + p + "', '" + born + "', 'K', '" + akt + "', " + q(avakt) + ", " + q(ks) + ")"
	}
	f.add("kaa_individer", s6KaaCols,
		kaa("n1", "2003-05-01", "2020-09-01", "", "NADD"),
		kaa("k2", "2003-01-01", "2020-09-01", "2021-02-01", "NADD"),
		kaa("a2", "2002-01-01", "2020-09-01", "2021-02-02", "EJ_NADD"),
		kaa("a4", "2003-01-01", "2021-02-28", "", "SAKNAR_KONTAKTUPPGIFTER"),
		kaa("k5", "2003-01-01", "2021-03-01", "", "NADD"),
		kaa("n3", "2003-01-01", "2020-01-01", "2021-02-10", "EJ_NADD"),
		kaa("n3", "2003-01-01", "2021-02-15", "", "NADD"),
		kaa("k7", "2001-02-28", "2020-09-01", "", "EJ_NADD"),
		kaa("k8", "2001-03-01", "2020-09-01", "", ""),
		kaa("k9", "2005-03-01", "2020-09-01", "", "NADD"),
	)
}

// TestS6Month pins s6_manad (each measure by alla, kön incl. X and målgrupp
// at entry, month edges, closed-list zeros), s6_utfall (month and
// cumulative, blank SysVidAvslut → OKAND), s6_nyckeltal and s6_trend.
func TestS6Month(t *testing.T) {
	f := newFixture(t)
	s6Fixture(f, "1", "2281")
	m := mustDate("2021-02-01")
	f.build("2021-03-31", config.Overrides{"s6.month": m})

	// nya: n1 (K, MG1), n2 (M, MG2). avslutade: a1 (M, MG1), a2 (K, MG1).
	// aktiva: n1 K MG1, n2 M MG2, a3 M UTANFÖR, a5 X MG1, a6 M MG1.
	// totalt: all but n3 = 8; K n1 a2 a4; M n2 a1 a3 a6; X a5;
	// MG1 n1 a1 a2 a4 a5 a6; MG2 n2.
	kaaWantTable(t, f.table("s6_manad", "2281"),
		"nya;alla;2", "nya;K;1", "nya;M;1", "nya;X;0", "nya;MG1;1", "nya;MG2;1",
		"avslutade;alla;2", "avslutade;K;1", "avslutade;M;1", "avslutade;X;0", "avslutade;MG1;2", "avslutade;MG2;0",
		"aktiva;alla;5", "aktiva;K;1", "aktiva;M;3", "aktiva;X;1", "aktiva;MG1;3", "aktiva;MG2;1",
		"totalt;alla;8", "totalt;K;3", "totalt;M;4", "totalt;X;1", "totalt;MG1;6", "totalt;MG2;1",
	)
	// manad: a1 ARBETE, a2 blank → OKAND. totalt (exited by 2021-02-28): a1, a2, a4.
	// a3 (KOMVUX) exits after M; a6's exit is after as_of.
	kaaWantTable(t, f.table("s6_utfall", "2281"),
		"manad;ARBETE;1", "manad;OKAND;1",
		"totalt;ARBETE;2", "totalt;OKAND;1",
	)
	// andel_man 4/8 vs 0.6; andel_kvinnor 3/8 vs 0.4 (X a5 is in the
	// denominator); kontaktstatus 2/5, 1/5, 1/5 (k8's blank status only in
	// the denominator); participants 2/7.
	kaaWantTable(t, f.table("s6_nyckeltal", "2281"),
		"andel_man;0.5;0.6",
		"andel_kvinnor;0.375;0.4",
		"kontaktstatus_nadd;0.4;",
		"kontaktstatus_ej_nadd;0.2;",
		"kontaktstatus_saknar_kontaktuppgifter;0.2;",
		"andel_aktuella_kaa_deltagare;0.2857;",
	)
	// 2020-03..2021-02. a4, a5, a6 from 2020-01; a1, a2, a3 join 2020-06;
	// a4 exits 2021-01-31; in 2021-02 n1, n2 join and a1, a2 exit.
	kaaWantTable(t, f.table("s6_trend", "2281"),
		"2020-03;0;0;3", "2020-04;0;0;3", "2020-05;0;0;3",
		"2020-06;3;0;6", "2020-07;0;0;6", "2020-08;0;0;6",
		"2020-09;0;0;6", "2020-10;0;0;6", "2020-11;0;0;6",
		"2020-12;0;0;6", "2021-01;0;1;5", "2021-02;2;2;5",
	)
}

// TestS6Empty pins the shape of an empty month: every closed-list row with
// 0, blank shares, the targets still given, utfall with no rows, and a
// trend of twelve zero months across a year boundary (M = 2021-01, the
// default month for as_of 2021-02-15).
func TestS6Empty(t *testing.T) {
	f := newFixture(t)
	f.add("deltagare", "person, fodelsedatum, kon, inskriven", "('z', '2003-01-01', 'M', '2021-02-10')")
	tm := 0.55
	f.build("2021-02-15", config.Overrides{"s6.target_men": tm})
	kaaWantTable(t, f.table("s6_manad", "2281"),
		"nya;alla;0", "nya;K;0", "nya;M;0", "nya;X;0", "nya;MG1;0", "nya;MG2;0",
		"avslutade;alla;0", "avslutade;K;0", "avslutade;M;0", "avslutade;X;0", "avslutade;MG1;0", "avslutade;MG2;0",
		"aktiva;alla;0", "aktiva;K;0", "aktiva;M;0", "aktiva;X;0", "aktiva;MG1;0", "aktiva;MG2;0",
		"totalt;alla;0", "totalt;K;0", "totalt;M;0", "totalt;X;0", "totalt;MG1;0", "totalt;MG2;0",
	)
	kaaWantTable(t, f.table("s6_utfall", "2281"))
	kaaWantTable(t, f.table("s6_nyckeltal", "2281"),
		"andel_man;;0.55",
		"andel_kvinnor;;0.45",
		"kontaktstatus_nadd;;",
		"kontaktstatus_ej_nadd;;",
		"kontaktstatus_saknar_kontaktuppgifter;;",
		"andel_aktuella_kaa_deltagare;;",
	)
	kaaWantTable(t, f.table("s6_trend", "2281"),
		"2020-02;0;0;0", "2020-03;0;0;0", "2020-04;0;0;0", "2020-05;0;0;0",
		"2020-06;0;0;0", "2020-07;0;0;0", "2020-08;0;0;0", "2020-09;0;0;0",
		"2020-10;0;0;0", "2020-11;0;0;0", "2020-12;0;0;0", "2021-01;0;0;0",
	)
}

// TestS6Region pins the region as the sum of two kommuner: the same
// fixture in 2281 and, with one more new K participant who is aktuell in
// KAA (MG1, NADD), in 0180. The same pseudonyms in both kommuner are
// different persons (kommunkod, person).
func TestS6Region(t *testing.T) {
	f := newFixture(t)
	s6Fixture(f, "1", "2281")
	s6Fixture(f, "2", "0180")
	f.add("deltagare", s6DelCols, "('2', '0180', 'e1', '2003-01-01', 'K', '2021-02-10', null, null)")
	f.add("kaa_individer", s6KaaCols, "('k2', '0180', 'e1', '2003-01-01', 'K', '2021-01-10', null, 'NADD')")
	m := mustDate("2021-02-01")
	f.build("2021-03-31", config.Overrides{"s6.month": m})

	// 0180 = 2281 plus e1 (nya, aktiv, totalt; K, MG1); region = sum.
	kaaWantTable(t, f.table("s6_manad", "0180"),
		"nya;alla;3", "nya;K;2", "nya;M;1", "nya;X;0", "nya;MG1;2", "nya;MG2;1",
		"avslutade;alla;2", "avslutade;K;1", "avslutade;M;1", "avslutade;X;0", "avslutade;MG1;2", "avslutade;MG2;0",
		"aktiva;alla;6", "aktiva;K;2", "aktiva;M;3", "aktiva;X;1", "aktiva;MG1;4", "aktiva;MG2;1",
		"totalt;alla;9", "totalt;K;4", "totalt;M;4", "totalt;X;1", "totalt;MG1;7", "totalt;MG2;1",
	)
	kaaWantTable(t, f.table("s6_manad", "region"),
		"nya;alla;5", "nya;K;3", "nya;M;2", "nya;X;0", "nya;MG1;3", "nya;MG2;2",
		"avslutade;alla;4", "avslutade;K;2", "avslutade;M;2", "avslutade;X;0", "avslutade;MG1;4", "avslutade;MG2;0",
		"aktiva;alla;11", "aktiva;K;3", "aktiva;M;6", "aktiva;X;2", "aktiva;MG1;7", "aktiva;MG2;2",
		"totalt;alla;17", "totalt;K;7", "totalt;M;8", "totalt;X;2", "totalt;MG1;13", "totalt;MG2;2",
	)
	kaaWantTable(t, f.table("s6_utfall", "region"),
		"manad;ARBETE;2", "manad;OKAND;2",
		"totalt;ARBETE;4", "totalt;OKAND;2",
	)
	// 0180: men 4/9, women 4/9; MG1 aktuella 6 (NADD n1, n3, e1 = 3);
	// aktuella 8, participants n1, a2, e1 = 3.
	kaaWantTable(t, f.table("s6_nyckeltal", "0180"),
		"andel_man;0.4444;0.6",
		"andel_kvinnor;0.4444;0.4",
		"kontaktstatus_nadd;0.5;",
		"kontaktstatus_ej_nadd;0.1667;",
		"kontaktstatus_saknar_kontaktuppgifter;0.1667;",
		"andel_aktuella_kaa_deltagare;0.375;",
	)
	// Region: men 8/17, women 7/17; MG1 aktuella 5 + 6 = 11: NADD 5, EJ_NADD 2,
	// SAKNAR 2; aktuella 15, participants 5.
	kaaWantTable(t, f.table("s6_nyckeltal", "region"),
		"andel_man;0.4706;0.6",
		"andel_kvinnor;0.4118;0.4",
		"kontaktstatus_nadd;0.4545;",
		"kontaktstatus_ej_nadd;0.1818;",
		"kontaktstatus_saknar_kontaktuppgifter;0.1818;",
		"andel_aktuella_kaa_deltagare;0.3333;",
	)
	kaaWantTable(t, f.table("s6_trend", "region"),
		"2020-03;0;0;6", "2020-04;0;0;6", "2020-05;0;0;6",
		"2020-06;6;0;12", "2020-07;0;0;12", "2020-08;0;0;12",
		"2020-09;0;0;12", "2020-10;0;0;12", "2020-11;0;0;12",
		"2020-12;0;0;12", "2021-01;0;2;10", "2021-02;5;4;11",
	)
}

// TestS2S6Render renders the S2 and S6 pages from fixture tables: with and
// without method-note data, suppressed (below 5) and not, and for a scope
// whose tables are empty or all blank, so that no template refers to a
// missing table or column and no chart fails on suppressed or missing cells.
func TestS2S6Render(t *testing.T) {
	f := newFixture(t)
	s6Fixture(f, "1", "2281")
	f.add("deltagare", s6DelCols, "('3', '0180', 'z', '2003-01-01', 'K', '2021-03-10', null, null)")
	f.add("kaa_sysselsattning", "file_id, kommunkod, person, fodelsedatum, kon, datum, sysselsattning",
		"('o1', '2281', 'a1', '2003-01-01', 'M', '2020-09-01', 'KOMVUX')",
		"('o1', '2281', 'a4', '2003-01-01', 'K', '2020-09-01', 'ARBETE')")
	m := mustDate("2021-02-01")
	f.build("2021-03-31", config.Overrides{"s6.month": m})
	pages := []report.Page{
		{Name: "s2", Title: "Måluppfyllelse för projektdeltagare", Template: "s2.html.tmpl"},
		{Name: "s6", Title: "Månadsstatistik ESF", Template: "s6.html.tmpl"},
	}
	names := []string{"s2_delmal", "s2_studieform", "s2_ej_uppfyllt_sysselsattning", "s2_migration",
		"s6_manad", "s6_utfall", "s6_nyckeltal", "s6_trend"}
	notes := map[string]any{
		"s2": map[string]any{"goal1": 0.5, "goal2": 0.5, "suppress_below": 5,
			"kvalitet": []report.Fact{{Label: "Inlästa rader", Value: 12}}},
		"s6": map[string]any{"month": "2021-02", "target_men": 0.6, "suppress_below": 5},
	}
	for _, scope := range []string{"2281", "0180", "region"} {
		for _, below := range []int{0, 5} {
			for _, n := range []map[string]any{nil, notes} {
				tables := map[string]table.Table{}
				for _, name := range names {
					tables[name] = f.table(name, scope).Suppress(below)
				}
				dir := t.TempDir()
				site := report.Site{Scope: scope, AsOf: mustDate("2021-03-31"), Pages: pages, Tables: tables, Notes: n}
				if err := report.Render(dir, site); err != nil {
					t.Fatalf("scope %s, suppress %d, notes %v: %v", scope, below, n != nil, err)
				}
				for _, p := range []string{"s2.html", "s6.html"} {
					b, err := os.ReadFile(filepath.Join(dir, p))
					if err != nil {
						t.Fatal(err)
					}
					if !strings.Contains(string(b), "Metod") {
						t.Errorf("%s/%s: no method section", scope, p)
					}
				}
			}
		}
	}
}
