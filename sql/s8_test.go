package sql_test

import (
	"strings"
	"testing"

	"github.com/kaa-uppfoljning/kaa/pipeline/config"
	"github.com/kaa-uppfoljning/kaa/pipeline/table"
	"github.com/kaa-uppfoljning/kaa/pipeline/warehouse"
	kaasql "github.com/kaa-uppfoljning/kaa/sql"
)

// s8GruusFixture: GRUUS events of kommun 2281 (skola "Skola A", program
// NA unless said otherwise) and a few of kommun 0680, as of 2023-03-31.
//
//	p3006  AVBROTT 2019-06-30                        → 2018/19 (last day)
//	p0107  AVBROTT 2019-07-01                        → 2019/20 (first day)
//	w0     AVBROTT 2019-09-01, ATERTAGET same day    → counted (0 days)      IMIND
//	w59    AVBROTT 2019-09-01, ATERTAGET 2019-10-30  → withdrawn (59 days)
//	w60    AVBROTT 2019-09-01, ATERTAGET 2019-10-31  → withdrawn (60 days)
//	w61    AVBROTT 2019-09-01, ATERTAGET 2019-11-01  → counted (61 days)     program blank
//	fore   ATERTAGET 2019-08-31, AVBROTT 2019-09-01  → counted (before)      skola blank, IMSPR
//	tva    AVBROTT 2019-09-10 and 2020-02-01 (Skola B, IMIND) → counted once, the first;
//	       AVBROTT 2020-08-01                        → counted in 2020/21
//	forst  AVBROTT 2019-10-01 withdrawn (ATERTAGET 2019-10-15), AVBROTT 2019-12-01 (Skola B, EK) counted
//	nasta  AVBROTT 2020-06-20, ATERTAGET 2020-07-10  → withdrawn, in 2019/20
//	q      AVBROTT 2020-09-01                        → 2020/21
//	bef    BEFARAT_AVBROTT 2019-09-05 and 2019-11-05 → 2 befarade in 2019/20; 2020-09-05 → 1 in 2020/21
//	bef2   BEFARAT_AVBROTT 2021-09-01                → 2021/22 (a läsår with befarade only)
//	r      ATERTAGET 2022-09-01                      → no row for 2022/23
//	sen    AVBROTT 2023-04-01                        → after as_of: not used
//	y2k    AVBROTT 1999-12-01                        → 1999/00
func s8GruusFixture(t *testing.T) *fixture {
	f := newFixture(t)
	ev := func(person, handelse, datum, skola, program string) string {
		q := func(s string) string {
			if s == "" {
				return "null"
			}
			return "'" + s + "'"
		}
		return "('g2281', '2281', " + q(person) + ", '2003-01-01', 'M', " + q(skola) + ", " + q(program) + ", " + q(handelse) + ", " + q(datum) + ")"
	}
	const A, B = "Skola A", "Skola B"
	f.add("gruus", "file_id, kommunkod, person, fodelsedatum, kon, skola, program, handelse, handelsedatum",
		ev("p3006", "AVBROTT", "2019-06-30", A, "NA"),
		ev("p0107", "AVBROTT", "2019-07-01", A, "NA"),
		ev("w0", "AVBROTT", "2019-09-01", A, "IMIND"),
		ev("w0", "ATERTAGET", "2019-09-01", A, "IMIND"),
		ev("w59", "AVBROTT", "2019-09-01", A, "NA"),
		ev("w59", "ATERTAGET", "2019-10-30", A, "NA"),
		ev("w60", "AVBROTT", "2019-09-01", A, "NA"),
		ev("w60", "ATERTAGET", "2019-10-31", A, "NA"),
		ev("w61", "AVBROTT", "2019-09-01", A, ""),
		ev("w61", "ATERTAGET", "2019-11-01", A, ""),
		ev("fore", "ATERTAGET", "2019-08-31", "", "IMSPR"),
		ev("fore", "AVBROTT", "2019-09-01", "", "IMSPR"),
		ev("tva", "AVBROTT", "2019-09-10", A, "NA"),
		ev("tva", "AVBROTT", "2020-02-01", B, "IMIND"),
		ev("tva", "AVBROTT", "2020-08-01", A, "NA"),
		ev("forst", "AVBROTT", "2019-10-01", A, "NA"),
		ev("forst", "ATERTAGET", "2019-10-15", A, "NA"),
		ev("forst", "AVBROTT", "2019-12-01", B, "EK"),
		ev("nasta", "AVBROTT", "2020-06-20", A, "NA"),
		ev("nasta", "ATERTAGET", "2020-07-10", A, "NA"),
		ev("q", "AVBROTT", "2020-09-01", A, "NA"),
		ev("bef", "BEFARAT_AVBROTT", "2019-09-05", A, "NA"),
		ev("bef", "BEFARAT_AVBROTT", "2019-11-05", A, "NA"),
		ev("bef", "BEFARAT_AVBROTT", "2020-09-05", A, "NA"),
		ev("bef2", "BEFARAT_AVBROTT", "2021-09-01", A, "NA"),
		ev("r", "ATERTAGET", "2022-09-01", A, "NA"),
		ev("sen", "AVBROTT", "2023-04-01", A, "NA"),
		ev("y2k", "AVBROTT", "1999-12-01", A, "NA"),
		// reported again in a second file: the same event counts once
		"('g2281b', '2281', 'p0107', '2003-01-01', 'M', 'Skola A', 'NA', 'AVBROTT', '2019-07-01')",
		// 0680: the same pseudonym is another person in the region
		"('g0680', '0680', 'p0107', '2003-01-01', 'M', 'Skola C', 'NA', 'AVBROTT', '2019-08-01')",
	)
	// Aktualiserad dates for the chain (2281):
	//   p3006  2019-07-05: 5 days
	//   p0107  2019-07-31: 30 days
	//   w0     2019-10-02: 31 days
	//   w61    2019-11-30: 90 days
	//   fore   2019-08-01 (before: ignored) and 2019-12-01: 91 days
	//   tva    2019-09-10: 0 days (same day); 2020-08-04: 3 days for 2020/21
	//   forst  2019-10-05 (before the counted avbrott: ignored), 2023-05-01 (after as_of): not aktualiserad
	//   q      2020-09-11: 10 days
	// 0680's p0107 has no period in 0680 (only in 2281): not aktualiserad.
	f.add("kaa_individer", "file_id, kommunkod, person, fodelsedatum, kon, aktualiserad, avaktualiserad",
		"('k2281', '2281', 'p3006', '2003-01-01', 'M', '2019-07-05', null)",
		"('k2281', '2281', 'p0107', '2003-01-01', 'M', '2019-07-31', null)",
		"('k2281', '2281', 'w0', '2003-01-01', 'M', '2019-10-02', null)",
		"('k2281', '2281', 'w61', '2003-01-01', 'M', '2019-11-30', null)",
		"('k2281', '2281', 'fore', '2003-01-01', 'M', '2019-08-01', '2019-08-20')",
		"('k2281', '2281', 'fore', '2003-01-01', 'M', '2019-12-01', null)",
		"('k2281', '2281', 'tva', '2003-01-01', 'M', '2019-09-10', '2020-06-01')",
		"('k2281', '2281', 'tva', '2003-01-01', 'M', '2020-08-04', null)",
		"('k2281', '2281', 'forst', '2003-01-01', 'M', '2019-10-05', '2019-11-01')",
		"('k2281', '2281', 'forst', '2003-01-01', 'M', '2023-05-01', null)",
		"('k2281', '2281', 'q', '2003-01-01', 'M', '2020-09-11', null)",
	)
	f.build("2023-03-31", config.Overrides{})
	return f
}

// TestS8AvbrottLasar pins the läsår boundary (30 June / 1 July), the
// 1–60-day withdrawal window (0, 59, 60, 61 days, ATERTAGET before),
// once per person and läsår, återtagna in the läsår of the AVBROTT,
// befarade as events, the rows that occur and their order.
func TestS8AvbrottLasar(t *testing.T) {
	f := s8GruusFixture(t)
	l := f.table("s8_avbrott_lasar", "2281")
	// 2019/20 avbrott: p0107, w0, w61, fore, tva, forst = 6;
	// återtagna: w59, w60, forst's first, nasta = 4; befarade: 2.
	want := map[string][3]string{
		"1999/00": {"0", "1", "0"},
		"2018/19": {"0", "1", "0"},
		"2019/20": {"2", "6", "4"},
		"2020/21": {"1", "2", "0"}, // tva (again), q
		"2021/22": {"1", "0", "0"},
	}
	for lasar, w := range want {
		wantCell(t, l, "befarade", w[0], lasar)
		wantCell(t, l, "avbrott", w[1], lasar)
		wantCell(t, l, "atertagna", w[2], lasar)
	}
	if len(l.Rows) != 5 || l.Rows[0][0] != "1999/00" || l.Rows[4][0] != "2021/22" {
		t.Errorf("want the 5 läsår that occur, sorted (none for ATERTAGET only or after as_of):\n%s", dump(l))
	}
	for _, c := range []string{"befarade", "avbrott", "atertagna"} {
		if l.Columns[l.Col(c)].Role != table.Count {
			t.Errorf("%s is not annotated as a count", c)
		}
	}
	// Region: 0680's p0107 is another person: 2019/20 avbrott 7.
	r := f.table("s8_avbrott_lasar", "region")
	wantCell(t, r, "avbrott", "7", "2019/20")
	wantCell(t, r, "atertagna", "4", "2019/20")
	wantCell(t, r, "befarade", "2", "2019/20")
	k := f.table("s8_avbrott_lasar", "0680")
	if len(k.Rows) != 1 {
		t.Errorf("0680 has one läsår:\n%s", dump(k))
	}
	wantCell(t, k, "avbrott", "1", "2019/20")
}

// TestS8AvbrottSkola pins skola/programtyp of the counted event (not a
// later or a withdrawn one), OKÄNT and INGET for blanks, the programtyp
// closed list per school and the order (OKÄNT last within a läsår).
func TestS8AvbrottSkola(t *testing.T) {
	f := s8GruusFixture(t)
	s := f.table("s8_avbrott_skola", "2281")
	// 2019/20: Skola A: NATIONELLT p0107 tva = 2, INTRODUKTION w0 = 1, INGET w61 = 1;
	// Skola B: NATIONELLT forst = 1 (tva's later IMIND event there is not counted);
	// OKÄNT: INTRODUKTION fore = 1.
	cells := map[[3]string]string{
		{"2019/20", "Skola A", "NATIONELLT"}:   "2",
		{"2019/20", "Skola A", "INTRODUKTION"}: "1",
		{"2019/20", "Skola A", "INGET"}:        "1",
		{"2019/20", "Skola B", "NATIONELLT"}:   "1",
		{"2019/20", "Skola B", "INTRODUKTION"}: "0",
		{"2019/20", "Skola B", "INGET"}:        "0",
		{"2019/20", "OKÄNT", "INTRODUKTION"}:   "1",
		{"2019/20", "OKÄNT", "NATIONELLT"}:     "0",
		{"2020/21", "Skola A", "NATIONELLT"}:   "2",
		{"2018/19", "Skola A", "NATIONELLT"}:   "1",
	}
	for k, want := range cells {
		wantCell(t, s, "avbrott", want, k[0], k[1], k[2])
	}
	// 1999/00, 2018/19, 2019/20 ×3 schools, 2020/21: 6 (läsår, skola) × 3 programtyper.
	if len(s.Rows) != 18 {
		t.Errorf("want 18 rows:\n%s", dump(s))
	}
	rowText := func(i int) string {
		return s.Rows[i][0].(string) + " " + s.Rows[i][1].(string) + " " + s.Rows[i][2].(string)
	}
	if rowText(0) != "1999/00 Skola A NATIONELLT" || rowText(6) != "2019/20 Skola A NATIONELLT" ||
		rowText(8) != "2019/20 Skola A INGET" || rowText(9) != "2019/20 Skola B NATIONELLT" || rowText(12) != "2019/20 OKÄNT NATIONELLT" {
		t.Errorf("rows not ordered by läsår, skola (OKÄNT last), programtyp:\n%s", dump(s))
	}
	r := f.table("s8_avbrott_skola", "region")
	wantCell(t, r, "avbrott", "1", "2019/20", "Skola C", "NATIONELLT")
	wantCell(t, r, "avbrott", "2", "2019/20", "Skola A", "NATIONELLT")
}

// TestS8Kedja pins the chain: first Aktualiserad on or after the counted
// avbrott (earlier periods and periods after as_of ignored), 30/31 and
// 90/91 days, same day = 0, cumulative inom_90, the median (odd and an
// even count giving x.5).
func TestS8Kedja(t *testing.T) {
	f := s8GruusFixture(t)
	k := f.table("s8_kedja", "2281")
	// 2019/20: p0107 30, w0 31, w61 90, fore 91, tva 0, forst none.
	// inom_30: p0107, tva = 2; inom_90: + w0, w61 = 4; ej: forst = 1;
	// median of 0, 30, 31, 90, 91 = 31.
	wantCell(t, k, "avbrott", "6", "2019/20")
	wantCell(t, k, "aktualiserade_inom_30", "2", "2019/20")
	wantCell(t, k, "aktualiserade_inom_90", "4", "2019/20")
	wantCell(t, k, "ej_aktualiserade", "1", "2019/20")
	wantCell(t, k, "median_dagar", "31", "2019/20")
	// 2020/21: tva 3, q 10 → median 6.5.
	wantCell(t, k, "avbrott", "2", "2020/21")
	wantCell(t, k, "aktualiserade_inom_30", "2", "2020/21")
	wantCell(t, k, "median_dagar", "6.5", "2020/21")
	// 1999/00: y2k never aktualiserad → median blank.
	wantCell(t, k, "ej_aktualiserade", "1", "1999/00")
	wantCell(t, k, "median_dagar", "", "1999/00")
	wantCell(t, k, "median_dagar", "5", "2018/19")
	if len(k.Rows) != 4 {
		t.Errorf("want one row per läsår with a counted avbrott (not 2021/22):\n%s", dump(k))
	}
	if c := k.Columns[k.Col("median_dagar")]; c.Kind != table.Float || c.Role == table.Count {
		t.Errorf("median_dagar must be a plain double: %+v", c)
	}
	// Region: 0680's p0107 has no period in 0680 → ej; 7 avbrott, 2 ej; median unchanged.
	r := f.table("s8_kedja", "region")
	wantCell(t, r, "avbrott", "7", "2019/20")
	wantCell(t, r, "ej_aktualiserade", "2", "2019/20")
	wantCell(t, r, "median_dagar", "31", "2019/20")
}

// s8IdentFixture: the Extens check as of 2021-03-31.
//
// 2281, latest extract 2021-03-29 (2021-03-01 is older, 2021-04-05 after as_of):
//
//	e1  18, N/N, aktuell                         → bada
//	e2  born 2001-03-30: 19 on the date, N/N     → saknas (INTE_I_REGISTRET)
//	e3  born 2001-03-29: 20 on the date, aktuell → i registret ej i extens (ALDER)
//	e4  born 2005-03-29: 16 on the date, blank Inskriven/Examen; avaktualiserad on the date → saknas (AVAKTUALISERAD)
//	e5  born 2005-03-30: 15                      → neither
//	e6  18, Inskriven=J, aktuell                 → i registret ej i extens (INSKRIVEN)
//	e7  18, Examen=J, not aktuell                → neither
//	e8  18, N/N, aktualiserad 2021-03-30         → saknas (AKTUALISERAD_SENARE)
//	e9  18, N/N, avaktualiserad 2021-03-30       → bada
//	o1  only in the older extract, aktuell       → i registret ej i extens (INTE_I_UTTAGET)
//	r1  22, not in Extens, aktualiserad on the date → i registret ej i extens
//	x1  only in the extract after as_of          → neither
//
// omfattas e1 e2 e4 e8 e9 = 5; aktuella e1 e3 e6 e9 o1 r1 = 6; bada 2;
// saknas 3; i registret ej i extens 4.
//
// 1480, latest extract 2021-03-15: y1 omfattas and aktuell → bada; y2
// aktualiserad 2021-03-20 (after 1480's date) → neither. 1,1,1,0,0.
// 0680: no extens extract; z1 aktuell → every row 0.
func s8IdentFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.add("extens", "file_id, kommunkod, person, fodelsedatum, kon, extract_date, inskriven, examen",
		"('x0301', '2281', 'o1', '2003-06-01', 'K', '2021-03-01', false, false)",
		"('x0301', '2281', 'e2', '2001-03-30', 'K', '2021-03-01', false, false)",
		"('x0329', '2281', 'e1', '2002-06-01', 'K', '2021-03-29', false, false)",
		"('x0329', '2281', 'e2', '2001-03-30', 'K', '2021-03-29', false, false)",
		"('x0329', '2281', 'e3', '2001-03-29', 'K', '2021-03-29', false, false)",
		"('x0329', '2281', 'e4', '2005-03-29', 'K', '2021-03-29', null, null)",
		"('x0329', '2281', 'e5', '2005-03-30', 'K', '2021-03-29', false, false)",
		"('x0329', '2281', 'e6', '2002-06-01', 'K', '2021-03-29', true, false)",
		"('x0329', '2281', 'e7', '2002-06-01', 'K', '2021-03-29', false, true)",
		"('x0329', '2281', 'e8', '2002-06-01', 'K', '2021-03-29', false, false)",
		"('x0329', '2281', 'e9', '2002-06-01', 'K', '2021-03-29', false, false)",
		"('x0405', '2281', 'x1', '2002-06-01', 'K', '2021-04-05', false, false)",
		"('x0405', '2281', 'o1', '2003-06-01', 'K', '2021-04-05', false, false)",
		"('x1480', '1480', 'y1', '2002-06-01', 'K', '2021-03-15', false, false)",
	)
	f.add("kaa_individer", "file_id, kommunkod, person, fodelsedatum, kon, aktualiserad, avaktualiserad, registreringsorsak",
		"('k2281', '2281', 'e1', '2002-06-01', 'K', '2020-01-01', null, 'AVBROTT_NP')",
		"('k2281', '2281', 'e3', '2001-03-29', 'K', '2020-01-01', null, null)",
		"('k2281', '2281', 'e4', '2005-03-29', 'K', '2020-01-01', '2021-03-29', null)",
		"('k2281', '2281', 'e6', '2002-06-01', 'K', '2020-01-01', null, null)",
		"('k2281', '2281', 'e7', '2002-06-01', 'K', '2020-01-01', '2021-01-01', null)",
		"('k2281', '2281', 'e8', '2002-06-01', 'K', '2021-03-30', null, null)",
		"('k2281', '2281', 'e9', '2002-06-01', 'K', '2020-01-01', '2021-03-30', null)",
		"('k2281', '2281', 'o1', '2003-06-01', 'K', '2020-01-01', null, null)",
		"('k2281', '2281', 'r1', '1998-06-01', 'K', '2021-03-29', null, 'GYMNASIEINTYG')",
		"('k1480', '1480', 'y1', '2002-06-01', 'K', '2021-01-01', null, null)",
		"('k1480', '1480', 'y2', '2002-06-01', 'K', '2021-03-20', null, null)",
		"('k0680', '0680', 'z1', '2002-06-01', 'K', '2021-01-01', null, null)",
	)
	f.build("2021-03-31", config.Overrides{})
	return f
}

// TestS8Identifiering pins the five rows, the latest extract ≤ as_of per
// kommun, ages 16–19 on its date (birthdays), blank Inskriven/Examen as N,
// aktuell on the date (Aktualiserad/Avaktualiserad on the date), a kommun
// without extract, the region sum and the two staff lists.
func TestS8Identifiering(t *testing.T) {
	f := s8IdentFixture(t)
	check := func(scope string, want [5]string) {
		t.Helper()
		id := f.table("s8_identifiering", scope)
		names := []string{"omfattas_enligt_extens", "aktuella_i_registret", "bada", "saknas_i_registret", "i_registret_ej_i_extens"}
		if len(id.Rows) != 5 {
			t.Fatalf("%s: want 5 rows:\n%s", scope, dump(id))
		}
		for i, n := range names {
			if id.Rows[i][0] != n {
				t.Errorf("%s: row %d is %v, want %s", scope, i, id.Rows[i][0], n)
			}
			wantCell(t, id, "antal", want[i], n)
		}
	}
	check("2281", [5]string{"5", "6", "2", "3", "4"})
	check("1480", [5]string{"1", "1", "1", "0", "0"})
	check("0680", [5]string{"0", "0", "0", "0", "0"})
	check("region", [5]string{"6", "7", "3", "3", "4"})

	s := f.table("staff_s8_saknas_i_registret", "2281")
	if len(s.Rows) != 3 {
		t.Errorf("want e2, e4, e8:\n%s", dump(s))
	}
	wantCell(t, s, "orsak", "INTE_I_REGISTRET", "2281", "e2")
	wantCell(t, s, "alder", "19", "2281", "e2")
	wantCell(t, s, "extract_date", "2021-03-29", "2281", "e2")
	wantCell(t, s, "orsak", "AVAKTUALISERAD", "2281", "e4")
	wantCell(t, s, "senast_avaktualiserad", "2021-03-29", "2281", "e4")
	wantCell(t, s, "orsak", "AKTUALISERAD_SENARE", "2281", "e8")
	wantCell(t, s, "nasta_aktualiserad", "2021-03-30", "2281", "e8")

	r := f.table("staff_s8_i_registret_ej_i_extens", "2281")
	if len(r.Rows) != 4 {
		t.Errorf("want e3, e6, o1, r1:\n%s", dump(r))
	}
	wantCell(t, r, "orsak", "ALDER", "2281", "e3")
	wantCell(t, r, "alder", "20", "2281", "e3")
	wantCell(t, r, "orsak", "INSKRIVEN", "2281", "e6")
	wantCell(t, r, "orsak", "INTE_I_UTTAGET", "2281", "o1")
	wantCell(t, r, "orsak", "INTE_I_UTTAGET", "2281", "r1")
	wantCell(t, r, "registreringsorsak", "GYMNASIEINTYG", "2281", "r1")
	wantCell(t, r, "aktualiserad", "2021-03-29", "2281", "r1")
	if rr := f.table("staff_s8_i_registret_ej_i_extens", "0680"); len(rr.Rows) != 0 {
		t.Errorf("0680 has no extract: no list\n%s", dump(rr))
	}
	if rr := f.table("staff_s8_i_registret_ej_i_extens", "region"); len(rr.Rows) != 4 {
		t.Errorf("region: want 4 rows\n%s", dump(rr))
	}
}

// TestS8Page renders reports/s8.html.tmpl from the fixture's tables, for
// a kommun with events and for one with none (empty tables).
func TestS8Page(t *testing.T) {
	names := []string{"s8_avbrott_lasar", "s8_avbrott_skola", "s8_kedja", "s8_identifiering"}
	f := s8GruusFixture(t)
	html := s58Render(t, f, "s8", "2281", map[string]any{"suppress_below": 5}, names...)
	for _, want := range []string{"2019/20", `data-table="s8_kedja"`, "i_registret_ej_i_extens", "OKÄNT"} {
		if !strings.Contains(html, want) {
			t.Errorf("s8 page lacks %q", want)
		}
	}
	e := s8IdentFixture(t)
	s58Render(t, e, "s8", "0680", map[string]any{}, names...)
}

// TestS8ExtractFromCatalog: S8 reads, per kommun, the files of its latest
// extract on or before as_of as the file catalog names them (2281:
// x0329, not x0405 after as_of; 1480: x1480), and the check
// extens_fil_loaded stops a run whose catalog and rows disagree on them.
func TestS8ExtractFromCatalog(t *testing.T) {
	f := s8IdentFixture(t)
	got := map[string]string{}
	rows, err := f.w.Query(f.ctx, "select kommunkod, file_id || ' ' || strftime(extract_date, '%Y-%m-%d') || ' ' || loaded from int_s8_uttag")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			t.Fatal(err)
		}
		got[k] = v
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["2281"] != "x0329 2021-03-29 9" || got["1480"] != "x1480 2021-03-15 1" {
		t.Errorf("int_s8_uttag: %v", got)
	}
	checks, err := warehouse.Checks(kaasql.FS)
	if err != nil {
		t.Fatal(err)
	}
	failing := func() warehouse.Check {
		t.Helper()
		out, err := f.w.RunChecks(f.ctx, checks)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range out {
			if c.Name == "extens_fil_loaded" {
				return c
			}
		}
		t.Fatal("no check extens_fil_loaded")
		return warehouse.Check{}
	}
	if c := failing(); c.Failing != 0 || c.Severity != "error" {
		t.Errorf("catalog and rows agree: %+v", c)
	}
	// a row of the extract S8 reads gone behind the catalog's back
	if err := f.w.Exec(f.ctx, "delete from raw_extens where file_id = 'x0329' and person = 'e9'"); err != nil {
		t.Fatal(err)
	}
	c := failing()
	if c.Failing != 1 || len(c.Examples) != 1 || c.Examples[0] != "path=x0329, loaded=9, rader=8" {
		t.Errorf("want x0329 failing with loaded=9, rader=8: %+v", c)
	}
}
