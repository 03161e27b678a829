package sql_test

import (
	"strings"
	"testing"

	"github.com/kaa-uppfoljning/kaa/pipeline/config"
	"github.com/kaa-uppfoljning/kaa/pipeline/table"
)

// kaaWantTable compares a whole study table of one scope (as dump prints
// it: header, then rows in the writers' order) with want, given as lines
// without the header; so every row, zero and order is pinned.
func kaaWantTable(t *testing.T, tb table.Table, want ...string) {
	t.Helper()
	got := dump(tb)
	lines := strings.SplitN(got, "\n", 2)
	body := strings.TrimSuffix(lines[1], "\n")
	exp := strings.Join(want, "\n")
	if body != exp {
		t.Errorf("%s (%s):\ngot\n%s\nwant\n%s", tb.Name, lines[0], body, exp)
	}
}

// s2Deltagare is a deltagare row: person, birth date, inskriven and utskriven
// ("" for none). Kön is K for everyone (S2 does not use it).
func s2Deltagare(person, born, in, ut string) string {
	u := "null"
	if ut != "" {
		u = "'" + ut + "'"
	}
	return "('" + person + "', '" + born + "', 'K', '" + in + "', " + u + ")"
}

// s2Obs is a kaa_sysselsattning row.
func s2Obs(person, born, datum, kod string) string {
	return "('" + person + "', '" + born + "', 'K', '" + datum + "', '" + kod + "')"
}

const (
	s2DelCols = "person, fodelsedatum, kon, inskriven, utskriven"
	s2ObsCols = "person, fodelsedatum, kon, datum, sysselsattning"
)

// TestS2Delmal1Window pins delmål 1 for MG1 at entry: the window
// [Inskriven, Utskriven + 1 year] inclusive at both ends, mature exits
// (Utskriven + 1 year <= as_of, equality included), andel = mal gives J,
// delmål 2 with no MG2 participants (antal 0: andel blank, mal_uppnatt N),
// the studieform (first study code; same date: alphabetical) and the latest
// sysselsättning of those who did not meet it (same date: study over work
// over other; none: OKAND).
func TestS2Delmal1Window(t *testing.T) {
	f := newFixture(t)
	const b = "2002-01-01" // 17 at entry, 17–19 at exit: MG1 at entry and at exit
	f.add("deltagare", s2DelCols,
		s2Deltagare("a_fore", b, "2019-06-01", "2019-12-01"),    // study one day before Inskriven: not met
		s2Deltagare("a_start", b, "2019-06-01", "2019-12-01"),   // study on Inskriven: met (KOMVUX)
		s2Deltagare("a_slut", b, "2019-06-01", "2019-12-01"),    // study on Utskriven + 1 year: met (FOLKHOGSKOLA)
		s2Deltagare("a_efter", b, "2019-06-01", "2019-12-01"),   // study one day after: not met
		s2Deltagare("a_arbete", b, "2019-06-01", "2019-12-01"),  // work only: not met
		s2Deltagare("a_ingen", b, "2019-06-01", "2019-12-01"),   // no observation: not met
		s2Deltagare("a_tie", b, "2019-06-01", "2019-12-01"),     // SFI and KOMVUX on the same first date: KOMVUX
		s2Deltagare("a_kant", b, "2020-01-01", "2020-03-31"),    // + 1 year = as_of: mature; not met
		s2Deltagare("a_omogen", b, "2020-01-01", "2020-04-01"),  // + 1 year after as_of: not mature; met
		s2Deltagare("a_omogen2", b, "2020-01-01", "2021-03-01"), // not mature; study on as_of: met
		s2Deltagare("a_aktiv", b, "2020-01-01", ""),             // not exited
		s2Deltagare("a_sent_ut", b, "2020-01-01", "2021-05-01"), // exit after as_of: not exited
		s2Deltagare("a_sent_in", b, "2021-04-01", ""),           // registered after as_of: not a participant
	)
	f.add("kaa_sysselsattning", s2ObsCols,
		s2Obs("a_fore", b, "2019-05-31", "GYMNASIE"),
		s2Obs("a_start", b, "2019-06-01", "KOMVUX"),
		s2Obs("a_slut", b, "2019-08-01", "ARBETE"),
		s2Obs("a_slut", b, "2020-12-01", "FOLKHOGSKOLA"),
		s2Obs("a_efter", b, "2020-12-02", "SFI"),
		s2Obs("a_arbete", b, "2019-07-01", "SJUK"),
		s2Obs("a_arbete", b, "2019-07-01", "ARBETE"), // same date: work wins over other
		s2Obs("a_tie", b, "2019-09-01", "SFI"),
		s2Obs("a_tie", b, "2019-09-01", "KOMVUX"),
		s2Obs("a_tie", b, "2019-10-01", "GYMNASIE"),
		s2Obs("a_omogen", b, "2020-11-01", "GYMNASIE"),
		s2Obs("a_omogen2", b, "2021-03-31", "FOLKHOGSKOLA"),
		s2Obs("a_aktiv", b, "2020-02-01", "GYMNASIE"),
		s2Obs("a_sent_ut", b, "2020-02-01", "GYMNASIE"),
		s2Obs("a_sent_in", b, "2021-03-01", "GYMNASIE"),
	)
	f.build("2021-03-31", config.Overrides{})

	// Mature MG1-at-entry exits: a_fore N, a_start J, a_slut J, a_efter N,
	// a_arbete N, a_ingen N, a_tie J, a_kant N → 3/8.
	// All exits: + a_omogen J, a_omogen2 J → 5/10 = 0.5 = mal → J.
	// At exit everyone is 17–19 (a_omogen2 is 19 on 2021-03-01): same 5/10.
	// No MG2 at all: delmål 2 rows 0/0, andel and interval blank, mal_uppnatt N.
	// andel_lag, andel_hog: Wilson, e.g. 3 of 8: centre 4.920730/11.841459 =
	// 0.415551, half-width 1.959964·√(15/8 + 0.960365)/11.841459 = 0.278707.
	kaaWantTable(t, f.table("s2_delmal", "2281"),
		"1;inskrivning_mogna;3;8;0.375;0.1368;0.6943;0.5;N",
		"1;inskrivning_alla;5;10;0.5;0.2366;0.7634;0.5;J",
		"1;utskrivning;5;10;0.5;0.2366;0.7634;0.5;J",
		"2;inskrivning;0;0;;;;0.5;N",
		"2;utskrivning;0;0;;;;0.5;N",
	)
	// Met it (all exits): a_start KOMVUX, a_tie KOMVUX (KOMVUX < SFI on the
	// same date), a_slut FOLKHOGSKOLA (the earlier ARBETE is no study code),
	// a_omogen GYMNASIE, a_omogen2 FOLKHOGSKOLA.
	kaaWantTable(t, f.table("s2_studieform", "2281"),
		"FOLKHOGSKOLA;2",
		"GYMNASIE;1",
		"KOMVUX;2",
	)
	// Not met: a_fore GYMNASIE (its only, pre-window, observation),
	// a_efter SFI, a_arbete ARBETE (over SJUK), a_ingen and a_kant OKAND.
	kaaWantTable(t, f.table("s2_ej_uppfyllt_sysselsattning", "2281"),
		"ARBETE;1",
		"GYMNASIE;1",
		"OKAND;2",
		"SFI;1",
	)
	kaaWantTable(t, f.table("s2_migration", "2281"),
		"avslutade_mg1_vid_inskrivning;10",
		"migrerade;0",
		"migrerade_uppfyllt_delmal1;0",
	)
}

// TestS2Delmal2 pins delmål 2: AnvisadStodinsats=J, or a study or work code
// in [Inskriven, Utskriven] (both ends inclusive; the delmål-1 extra year
// does not apply; PRAKTIK is neither), for MG2 at entry and MG2 at exit.
func TestS2Delmal2(t *testing.T) {
	f := newFixture(t)
	const b = "1998-01-01" // 21 at entry and exit: MG2
	in, ut := "2019-03-01", "2019-09-01"
	f.add("deltagare", s2DelCols+", anvisadstodinsats",
		"('b_anvisad', '"+b+"', 'M', '"+in+"', '"+ut+"', true)",      // met: referred
		"('b_arbete_slut', '"+b+"', 'M', '"+in+"', '"+ut+"', false)", // work on Utskriven: met
		"('b_studie_start', '"+b+"', 'M', '"+in+"', '"+ut+"', null)", // study on Inskriven: met
		"('b_efter', '"+b+"', 'M', '"+in+"', '"+ut+"', false)",       // work the day after Utskriven: not met
		"('b_fore', '"+b+"', 'M', '"+in+"', '"+ut+"', false)",        // work the day before Inskriven: not met
		"('b_praktik', '"+b+"', 'M', '"+in+"', '"+ut+"', false)",     // PRAKTIK: not met
		"('b_nej', '"+b+"', 'M', '"+in+"', '"+ut+"', false)",         // nothing: not met
		// 24 at entry (MG2), 25 at exit (UTANFÖR): in the entry base only; met by work.
		"('d_25', '1994-06-01', 'M', '"+in+"', '"+ut+"', false)",
		// 19 at entry (MG1), 20 at exit (MG2): in the exit base only; not met.
		"('c_migr', '2000-01-15', 'M', '2019-06-01', '2020-01-15', false)",
		// referred, but not exited by as_of (exit after it): in no base.
		"('b_aktiv', '"+b+"', 'M', '"+in+"', '2021-06-01', true)",
	)
	f.add("kaa_sysselsattning", s2ObsCols,
		s2Obs("b_arbete_slut", b, ut, "ARBETE"),
		s2Obs("b_studie_start", b, in, "KOMVUX"),
		s2Obs("b_efter", b, "2019-09-02", "ARBETE"),
		s2Obs("b_fore", b, "2019-02-28", "ARBETE"),
		s2Obs("b_praktik", b, "2019-05-01", "PRAKTIK"),
		s2Obs("d_25", "1994-06-01", "2019-04-01", "ARBETE"),
		s2Obs("b_aktiv", b, "2019-04-01", "ARBETE"),
	)
	g2 := 0.4
	f.build("2021-03-31", config.Overrides{"s2.goal2": g2})

	// Entry base (MG2 at entry, exited): 7 b_ + d_25 = 8; met: b_anvisad,
	// b_arbete_slut, b_studie_start, d_25 = 4 → 0.5 ≥ 0.4: J.
	// Exit base (MG2 at exit): 7 b_ + c_migr = 8; met: 3 → 0.375 < 0.4: N.
	// Delmål 1: c_migr is MG1 at entry (mature, no study): 0/1; MG1 at exit: none.
	kaaWantTable(t, f.table("s2_delmal", "2281"),
		"1;inskrivning_mogna;0;1;0;0;0.7935;0.5;N",
		"1;inskrivning_alla;0;1;0;0;0.7935;0.5;N",
		"1;utskrivning;0;0;;;;0.5;N",
		"2;inskrivning;4;8;0.5;0.2152;0.7848;0.4;J",
		"2;utskrivning;3;8;0.375;0.1368;0.6943;0.4;N",
	)
	kaaWantTable(t, f.table("s2_migration", "2281"),
		"avslutade_mg1_vid_inskrivning;1",
		"migrerade;1",
		"migrerade_uppfyllt_delmal1;0",
	)
	kaaWantTable(t, f.table("s2_studieform", "2281"))
	kaaWantTable(t, f.table("s2_ej_uppfyllt_sysselsattning", "2281"), "OKAND;1")
}

// TestS2MalgruppAge pins målgrupp from completed years on the entry and exit
// dates (birthday on the date counts, 29 February births), migration, and
// Utskriven 29 February + 1 year = 28 February.
func TestS2MalgruppAge(t *testing.T) {
	f := newFixture(t)
	f.add("deltagare", s2DelCols,
		// 19 at entry; turns 20 on the exit date → MG2 at exit: migrated; met delmål 1.
		s2Deltagare("m_20", "2000-01-15", "2019-06-01", "2020-01-15"),
		// birthday the day after exit → 19, MG1 at exit: not migrated; met.
		s2Deltagare("m_19", "2000-01-16", "2019-06-01", "2020-01-15"),
		// migrated, not met.
		s2Deltagare("m_21", "2000-01-01", "2019-06-01", "2020-03-01"),
		// born 29 Feb 2004: 15 on 2020-02-28 (UTANFÖR at entry), 16 at exit (MG1): exit base only; met.
		s2Deltagare("young", "2004-02-29", "2020-02-28", "2020-06-01"),
		// 16 on 2020-02-29: MG1 at entry and exit; not met.
		s2Deltagare("young2", "2004-02-29", "2020-02-29", "2020-06-01"),
		// 25 at entry: in no base.
		s2Deltagare("old", "1994-06-01", "2019-06-01", "2020-01-01"),
		// exit on 29 Feb 2020: one year later is 2021-02-28 (the window's last day).
		s2Deltagare("leap_in", "2002-01-01", "2019-06-01", "2020-02-29"),
		s2Deltagare("leap_out", "2002-01-01", "2019-06-01", "2020-02-29"),
	)
	f.add("kaa_sysselsattning", s2ObsCols,
		s2Obs("m_20", "2000-01-15", "2020-06-01", "GYMNASIE"),
		s2Obs("m_19", "2000-01-16", "2019-07-01", "KOMVUX"),
		s2Obs("young", "2004-02-29", "2020-03-01", "KOMVUX"),
		s2Obs("old", "1994-06-01", "2019-07-01", "KOMVUX"),
		s2Obs("leap_in", "2002-01-01", "2021-02-28", "SFI"),
		s2Obs("leap_out", "2002-01-01", "2021-03-01", "FOLKHOGSKOLA"),
	)
	f.build("2021-09-30", config.Overrides{})

	// MG1 at entry, exited (all mature by 2021-09-30): m_20 J, m_19 J, m_21 N,
	// young2 N, leap_in J, leap_out N → 3/6.
	// MG1 at exit: m_19 J, young J, young2 N, leap_in J, leap_out N → 3/5.
	// MG2 at exit: m_20, m_21; delmål 2 needs study/work in [Inskriven, Utskriven]:
	// m_20's study is after the exit → 0/2.
	kaaWantTable(t, f.table("s2_delmal", "2281"),
		"1;inskrivning_mogna;3;6;0.5;0.1876;0.8124;0.5;J",
		"1;inskrivning_alla;3;6;0.5;0.1876;0.8124;0.5;J",
		"1;utskrivning;3;5;0.6;0.2307;0.8824;0.5;J",
		"2;inskrivning;0;0;;;;0.5;N",
		"2;utskrivning;0;2;0;0;0.6576;0.5;N",
	)
	kaaWantTable(t, f.table("s2_migration", "2281"),
		"avslutade_mg1_vid_inskrivning;6",
		"migrerade;2",
		"migrerade_uppfyllt_delmal1;1",
	)
	kaaWantTable(t, f.table("s2_studieform", "2281"), "GYMNASIE;1", "KOMVUX;1", "SFI;1")
	// m_21, young2: no observation; leap_out: its observation just after the window.
	kaaWantTable(t, f.table("s2_ej_uppfyllt_sysselsattning", "2281"), "FOLKHOGSKOLA;1", "OKAND;2")
}

// TestS2Region pins the region as the sum of two kommuner (a person is
// (kommunkod, person): the same pseudonym in both kommuner counts in each),
// each row of deltagare as one participation (a person with two exited
// participations counts twice), and the goal threshold from the config.
func TestS2Region(t *testing.T) {
	f := newFixture(t)
	const b = "2002-01-01"
	// one file per kommun and kind, as in a real run
	cols := "file_id, kommunkod, " + s2DelCols
	f.add("deltagare", cols,
		// 2281: p twice (both met: one study observation inside both windows), q not met.
		"('x1', '2281', 'p', '"+b+"', 'K', '2019-06-01', '2019-08-01')",
		"('x1', '2281', 'p', '"+b+"', 'K', '2019-09-01', '2019-12-01')",
		"('x1', '2281', 'q', '"+b+"', 'K', '2019-06-01', '2019-12-01')",
		// 0180: p (met by its own 0180 observation only), r migrated (born 2000-01-01).
		"('x2', '0180', 'p', '"+b+"', 'K', '2019-06-01', '2019-12-01')",
		"('x2', '0180', 'r', '2000-01-01', 'K', '2019-06-01', '2020-02-01')",
	)
	f.add("kaa_sysselsattning", "file_id, kommunkod, "+s2ObsCols,
		"('y1', '2281', 'p', '"+b+"', 'K', '2019-10-01', 'GYMNASIE')",
		"('y1', '2281', 'q', '"+b+"', 'K', '2020-06-01', 'ARBETE')",
		"('y2', '0180', 'p', '"+b+"', 'K', '2020-01-01', 'SFI')",
		"('y2', '0180', 'r', '2000-01-01', 'K', '2020-03-01', 'ARBETE')",
	)
	g1 := 0.6
	f.build("2021-03-31", config.Overrides{"s2.goal1": g1})

	// 2281: 2/3 MG1 exits met (p twice), mal 0.6 → J. 0180: p met, r not → 1/2 → N;
	// r is MG2 at exit (20 on 2020-02-01), work after its exit → delmål 2 0/1.
	kaaWantTable(t, f.table("s2_delmal", "2281"),
		"1;inskrivning_mogna;2;3;0.6667;0.2077;0.9385;0.6;J",
		"1;inskrivning_alla;2;3;0.6667;0.2077;0.9385;0.6;J",
		"1;utskrivning;2;3;0.6667;0.2077;0.9385;0.6;J",
		"2;inskrivning;0;0;;;;0.5;N",
		"2;utskrivning;0;0;;;;0.5;N",
	)
	kaaWantTable(t, f.table("s2_delmal", "0180"),
		"1;inskrivning_mogna;1;2;0.5;0.0945;0.9055;0.6;N",
		"1;inskrivning_alla;1;2;0.5;0.0945;0.9055;0.6;N",
		"1;utskrivning;1;1;1;0.2065;1;0.6;J",
		"2;inskrivning;0;0;;;;0.5;N",
		"2;utskrivning;0;1;0;0;0.7935;0.5;N",
	)
	// Region: sums of the counts, shares recomputed: 3/5 = 0.6 = mal → J.
	kaaWantTable(t, f.table("s2_delmal", "region"),
		"1;inskrivning_mogna;3;5;0.6;0.2307;0.8824;0.6;J",
		"1;inskrivning_alla;3;5;0.6;0.2307;0.8824;0.6;J",
		"1;utskrivning;3;4;0.75;0.3006;0.9544;0.6;J",
		"2;inskrivning;0;0;;;;0.5;N",
		"2;utskrivning;0;1;0;0;0.7935;0.5;N",
	)
	kaaWantTable(t, f.table("s2_studieform", "2281"), "GYMNASIE;2")
	kaaWantTable(t, f.table("s2_studieform", "0180"), "SFI;1")
	kaaWantTable(t, f.table("s2_studieform", "region"), "GYMNASIE;2", "SFI;1")
	kaaWantTable(t, f.table("s2_ej_uppfyllt_sysselsattning", "region"), "ARBETE;2")
	kaaWantTable(t, f.table("s2_migration", "2281"),
		"avslutade_mg1_vid_inskrivning;3", "migrerade;0", "migrerade_uppfyllt_delmal1;0")
	kaaWantTable(t, f.table("s2_migration", "0180"),
		"avslutade_mg1_vid_inskrivning;2", "migrerade;1", "migrerade_uppfyllt_delmal1;0")
	kaaWantTable(t, f.table("s2_migration", "region"),
		"avslutade_mg1_vid_inskrivning;5", "migrerade;1", "migrerade_uppfyllt_delmal1;0")
}
