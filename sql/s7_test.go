package sql_test

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/config"
	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
	"github.com/kaa-uppfoljning/kaa/pipeline/report"
	"github.com/kaa-uppfoljning/kaa/pipeline/table"
)

// s7Kontroller is the closed list of S7 checks in the table's order, with
// each check's level.
var s7Kontroller = []struct{ kontroll, niva string }{
	{"ingen_under_oppen_atgard", "rod"},
	{"atgard_utan_sysselsattning", "rod"},
	{"avslutad_atgard_utan_grund", "rod"},
	{"avslutad_atgard_utan_sysefter", "rod"},
	{"sysefter_lika_atgard", "rod"},
	{"sensysreg_bakat", "rod"},
	{"saknar_sensysreg", "gul"},
	{"atgard_utanfor_aktuell_period", "gul"},
	{"aktuell_utan_sysselsattning", "gul"},
	{"atgard_utan_slutdatum", "gron"},
}

// sqlText quotes s as a SQL literal; "" is null.
func sqlText(s string) string {
	if s == "" {
		return "null"
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

const (
	s7PeriodCols = "kommunkod, person, fodelsedatum, kon, aktualiserad, avaktualiserad, sensysreg, coach"
	s7ObsCols    = "kommunkod, person, fodelsedatum, kon, datum, sysselsattning"
	s7AtgCols    = "kommunkod, person, fodelsedatum, kon, atgard, start, slut, grundatgslut, sysefter"
)

// s7Period is a kaa_individer row of kommun 2281; "" = blank.
func s7Period(person, akt, avakt, sensys string) string {
	return s7PeriodK("2281", person, akt, avakt, sensys)
}

func s7PeriodK(kommun, person, akt, avakt, sensys string) string {
	return "(" + strings.Join([]string{sqlText(kommun), sqlText(person), "'2003-01-01'", "'M'", sqlText(akt), sqlText(avakt), sqlText(sensys), "'AB'"}, ", ") + ")"
}

// s7Obs is a kaa_sysselsattning row of kommun 2281.
func s7Obs(person, datum, kod string) string { return s7ObsK("2281", person, datum, kod) }

func s7ObsK(kommun, person, datum, kod string) string {
	return "(" + strings.Join([]string{sqlText(kommun), sqlText(person), "'2003-01-01'", "'M'", sqlText(datum), sqlText(kod)}, ", ") + ")"
}

// s7Atg is a kaa_atgarder row of kommun 2281; "" = blank.
func s7Atg(person, atgard, start, slut, grund, sysefter string) string {
	return s7AtgK("2281", person, atgard, start, slut, grund, sysefter)
}

func s7AtgK(kommun, person, atgard, start, slut, grund, sysefter string) string {
	return "(" + strings.Join([]string{sqlText(kommun), sqlText(person), "'2003-01-01'", "'M'", sqlText(atgard), sqlText(start), sqlText(slut), sqlText(grund), sqlText(sysefter)}, ", ") + ")"
}

// s7Persons reads the staff list of a scope: for each check the sorted,
// distinct persons (as kommunkod:person when withKommun), and the number of
// rows (findings) per check.
func s7Persons(t *testing.T, f *fixture, scope string, withKommun bool) (map[string][]string, map[string]int) {
	t.Helper()
	tb := f.table("staff_s7_personer", scope)
	for _, c := range []string{"kontroll", "niva", "person", "kommunkod", "coach", "atgard", "start", "slut", "aktualiserad", "avaktualiserad", "datum", "uppgift"} {
		if tb.Col(c) < 0 {
			t.Fatalf("staff_s7_personer: no column %s\n%s", c, dump(tb))
		}
	}
	if tb.Columns[0].Name != "kontroll" || tb.Columns[1].Name != "niva" || tb.Columns[2].Name != "person" {
		t.Errorf("staff_s7_personer columns start %s, %s, %s; want kontroll, niva, person", tb.Columns[0].Name, tb.Columns[1].Name, tb.Columns[2].Name)
	}
	seen := map[string]map[string]bool{}
	rows := map[string]int{}
	for _, r := range tb.Rows {
		row := texts(r)
		k, p := row[tb.Col("kontroll")], row[tb.Col("person")]
		if withKommun {
			p = row[tb.Col("kommunkod")] + ":" + p
		}
		if seen[k] == nil {
			seen[k] = map[string]bool{}
		}
		seen[k][p] = true
		rows[k]++
	}
	out := map[string][]string{}
	for k, ps := range seen {
		for p := range ps {
			out[k] = append(out[k], p)
		}
		sort.Strings(out[k])
	}
	return out, rows
}

// s7Check asserts that every check fires for exactly the persons of want
// (a check not in want: nobody), both in the staff list and as the count
// in s7_kontroller, and that s7_kontroller has the ten checks in order with
// their levels.
func s7Check(t *testing.T, f *fixture, scope, label string, want map[string][]string) {
	t.Helper()
	got, _ := s7Persons(t, f, scope, scope == "region")
	tb := f.table("s7_kontroller", scope)
	if len(tb.Columns) != 3 || tb.Columns[0].Name != "kontroll" || tb.Columns[1].Name != "niva" || tb.Columns[2].Name != "antal_personer" {
		t.Fatalf("%s: s7_kontroller columns, want kontroll;niva;antal_personer:\n%s", label, dump(tb))
	}
	if tb.Columns[2].Role != table.Count {
		t.Errorf("%s: antal_personer is not annotated as a count", label)
	}
	if len(tb.Rows) != len(s7Kontroller) {
		t.Fatalf("%s: s7_kontroller has %d rows, want %d:\n%s", label, len(tb.Rows), len(s7Kontroller), dump(tb))
	}
	for i, k := range s7Kontroller {
		row := texts(tb.Rows[i])
		if row[0] != k.kontroll || row[1] != k.niva {
			t.Errorf("%s: row %d is %s/%s, want %s/%s", label, i+1, row[0], row[1], k.kontroll, k.niva)
		}
		w := append([]string(nil), want[k.kontroll]...)
		sort.Strings(w)
		g := got[k.kontroll]
		if len(w) != len(g) || (len(w) > 0 && !reflect.DeepEqual(w, g)) {
			t.Errorf("%s: %s fires for %v, want %v", label, k.kontroll, g, w)
		}
		if n := strings.TrimSpace(row[2]); n != strconv.Itoa(len(w)) {
			t.Errorf("%s: %s antal_personer %s, want %d", label, k.kontroll, n, len(w))
		}
	}
	known := map[string]bool{}
	for _, c := range s7Kontroller {
		known[c.kontroll] = true
	}
	for k := range got {
		if !known[k] {
			t.Errorf("%s: staff list has unknown check %q", label, k)
		}
	}
	for k := range want {
		if !known[k] {
			t.Fatalf("%s: test expects unknown check %q", label, k)
		}
	}
}

// TestS7RedChecks pins the blocking checks (and the green one) on one
// register, as of 2021-03-31 (half-year 2021-01-01..2021-06-30). Every
// person has an open period from 2020-09-01 with SenSysReg GYMNASIE and an
// observation on 2021-02-01 (so the yellow checks stay silent) unless said
// otherwise; ended åtgärder have GrundAtgSlut and SysEfter unless said
// otherwise.
func TestS7RedChecks(t *testing.T) {
	f := newFixture(t)
	base := []string{
		"ingen_oppen", "ingen_slutdag", "ingen_dagen_efter", "utan_sys", "sys_startdag", "sys_slutdag",
		"oppen_utan_sys", "slut_efter_asof", "utan_grund", "utan_sysefter", "lika",
	}
	var periods, obs []string
	for _, p := range base {
		periods = append(periods, s7Period(p, "2020-09-01", "", "GYMNASIE"))
		obs = append(obs, s7Obs(p, "2021-02-01", "ARBETSSOKANDE"))
	}
	// SenSysReg: earlier period closed, later one open (and aktuell in the half-year).
	two := func(p, first, second string) {
		periods = append(periods, s7Period(p, "2019-09-01", "2020-03-01", first), s7Period(p, "2020-09-01", "", second))
		obs = append(obs, s7Obs(p, "2021-02-01", "ARBETSSOKANDE"))
	}
	two("bakat", "GYMNASIE", "SFI")            // 2 → 1: fires
	two("bakat_ingen", "KOMVUX", "INGEN")      // 2 → 0: fires
	two("samma_niva", "GYMNASIE", "KOMVUX")    // 2 → 2: silent
	two("sfi_ovriga", "OVRIGA_STUDIER", "SFI") // 1 → 1: silent
	two("uppat", "INGEN", "GYMNASIE")          // 0 → 2: silent
	// GYMNASIE, then blank: a blank is skipped, not level 0 (the open blank period is saknar_sensysreg)
	two("blank_efter", "GYMNASIE", "")
	periods = append(periods,
		// GYMNASIE, blank (skipped; closed before the half-year, so no saknar_sensysreg), SFI: fires
		s7Period("bakat_over_blank", "2019-01-01", "2019-06-01", "GYMNASIE"),
		s7Period("bakat_over_blank", "2019-09-01", "2020-02-01", ""),
		s7Period("bakat_over_blank", "2020-09-01", "", "SFI"),
		// GYMNASIE, SFI, GYMNASIE: the middle one went backwards: fires
		s7Period("bakat_tillbaka", "2018-09-01", "2019-03-01", "GYMNASIE"),
		s7Period("bakat_tillbaka", "2019-09-01", "2020-03-01", "SFI"),
		s7Period("bakat_tillbaka", "2020-09-01", "", "GYMNASIE"),
	)
	obs = append(obs, s7Obs("bakat_over_blank", "2021-02-01", "ARBETSSOKANDE"), s7Obs("bakat_tillbaka", "2021-02-01", "ARBETSSOKANDE"))

	obs = append(obs,
		s7Obs("ingen_oppen", "2021-03-01", "INGEN"),         // inside an open åtgärd: fires
		s7Obs("ingen_slutdag", "2020-11-30", "INGEN"),       // on the åtgärd's Slut day: fires
		s7Obs("ingen_dagen_efter", "2020-10-15", "PRAKTIK"), // inside (so the åtgärd has an observation)
		s7Obs("ingen_dagen_efter", "2020-12-01", "INGEN"),   // the day after Slut: silent
		s7Obs("ingen_dagen_efter", "2020-09-30", "INGEN"),   // the day before Start: silent
		s7Obs("utan_sys", "2020-09-30", "ARBETSSOKANDE"),    // the day before Start
		s7Obs("utan_sys", "2020-11-01", "ARBETE"),           // the day after Slut: still no observation inside
		s7Obs("sys_startdag", "2020-10-01", "ARBETSSOKANDE"),
		s7Obs("sys_slutdag", "2020-10-31", "ARBETSSOKANDE"),
		s7Obs("slut_efter_asof", "2021-04-05", "INGEN"), // after as_of: not used
		s7Obs("utan_grund", "2020-10-15", "ARBETSSOKANDE"),
		s7Obs("utan_grund", "2020-12-15", "ARBETSSOKANDE"),
		s7Obs("utan_sysefter", "2020-10-15", "ARBETSSOKANDE"),
		s7Obs("lika", "2020-10-15", "ARBETSSOKANDE"),
	)
	f.add("kaa_individer", s7PeriodCols, periods...)
	f.add("kaa_sysselsattning", s7ObsCols, obs...)
	f.add("kaa_atgarder", s7AtgCols,
		s7Atg("ingen_oppen", "PRAKTIK", "2021-01-10", "", "", ""),
		s7Atg("ingen_slutdag", "AMT", "2020-10-01", "2020-11-30", "SLUTFORD", "ARBETSSOKANDE"),
		s7Atg("ingen_dagen_efter", "AMT", "2020-10-01", "2020-11-30", "SLUTFORD", "ARBETSSOKANDE"),
		s7Atg("utan_sys", "PRAKTIK", "2020-10-01", "2020-10-31", "SLUTFORD", "ARBETE"),
		s7Atg("sys_startdag", "PRAKTIK", "2020-10-01", "2020-10-31", "SLUTFORD", "ARBETE"),
		s7Atg("sys_slutdag", "PRAKTIK", "2020-10-01", "2020-10-31", "SLUTFORD", "ARBETE"),
		// open from 2021-03-01; its only observation (2021-02-01) is before Start
		s7Atg("oppen_utan_sys", "I_KRAFT", "2021-03-01", "", "", ""),
		// ends after as_of: still open on as_of, so neither its blank GrundAtgSlut nor its SysEfter = Atgard counts
		s7Atg("slut_efter_asof", "AMT", "2021-02-01", "2021-04-30", "", "AMT"),
		// two ended åtgärder without GrundAtgSlut: one person
		s7Atg("utan_grund", "AMT", "2020-10-01", "2020-11-30", "", "ARBETE"),
		s7Atg("utan_grund", "PRAKTIK", "2020-12-01", "2020-12-31", "", "ARBETE"),
		s7Atg("utan_sysefter", "AMT", "2020-10-01", "2020-11-30", "SLUTFORD", ""),
		s7Atg("lika", "AMT", "2020-10-01", "2020-11-30", "SLUTFORD", "AMT"),
	)
	f.build("2021-03-31", config.Overrides{})

	s7Check(t, f, "2281", "red", map[string][]string{
		"ingen_under_oppen_atgard":      {"ingen_oppen", "ingen_slutdag"},
		"atgard_utan_sysselsattning":    {"utan_sys", "oppen_utan_sys"},
		"avslutad_atgard_utan_grund":    {"utan_grund"},
		"avslutad_atgard_utan_sysefter": {"utan_sysefter"},
		"sysefter_lika_atgard":          {"lika"},
		"sensysreg_bakat":               {"bakat", "bakat_ingen", "bakat_over_blank", "bakat_tillbaka"},
		"saknar_sensysreg":              {"blank_efter"},
		"atgard_utan_slutdatum":         {"ingen_oppen", "oppen_utan_sys", "slut_efter_asof"},
	})

	// The staff list has one row per finding, with its details.
	_, rows := s7Persons(t, f, "2281", false)
	if rows["avslutad_atgard_utan_grund"] != 2 {
		t.Errorf("utan_grund: %d staff rows, want 2 (one per åtgärd)", rows["avslutad_atgard_utan_grund"])
	}
	st := f.table("staff_s7_personer", "2281")
	r := lookup(t, st, "sensysreg_bakat", "rod", "bakat_tillbaka")
	if got := col(t, st, r, "uppgift"); got != "GYMNASIE → SFI" {
		t.Errorf("bakat_tillbaka uppgift %q, want GYMNASIE → SFI", got)
	}
	if got := col(t, st, r, "aktualiserad") + "/" + col(t, st, r, "datum"); got != "2019-09-01/2018-09-01" {
		t.Errorf("bakat_tillbaka aktualiserad/datum %s, want the later period 2019-09-01 and the earlier 2018-09-01", got)
	}
	r = lookup(t, st, "ingen_under_oppen_atgard", "rod", "ingen_slutdag")
	if got := col(t, st, r, "atgard") + " " + col(t, st, r, "start") + " " + col(t, st, r, "slut") + " " + col(t, st, r, "datum") + " " + col(t, st, r, "coach"); got != "AMT 2020-10-01 2020-11-30 2020-11-30 AB" {
		t.Errorf("ingen_slutdag details %q", got)
	}
}

// TestS7HalfYear pins the yellow checks and the half-year: the same
// register as of 2021-06-30 (half-year 2021-01-01..06-30) and as of
// 2021-09-30 (2021-07-01..12-31).
func TestS7HalfYear(t *testing.T) {
	f := newFixture(t)
	f.add("kaa_individer", s7PeriodCols,
		s7Period("obs_30juni", "2021-01-01", "", "GYMNASIE"),
		s7Period("obs_1juli", "2021-01-01", "", "GYMNASIE"),
		// Avaktualiserad on 1 July: as of 06-30 still open; in H2 not aktuell any day
		s7Period("avakt_1juli", "2021-01-01", "2021-07-01", ""),
		// Avaktualiserad on 2 July: aktuell on 1 July
		s7Period("avakt_2juli", "2021-01-01", "2021-07-02", ""),
		// blank SenSysReg only in a period that ended before both half-years
		s7Period("gammal_blank", "2020-01-01", "2020-06-01", ""),
		s7Period("gammal_blank", "2021-02-01", "", "GYMNASIE"),
		s7Period("ingen_obs", "2021-01-01", "", "GYMNASIE"),
		s7Period("atg_inne", "2021-01-01", "2021-05-31", "GYMNASIE"),
		s7Period("atg_fore", "2021-01-02", "2021-05-31", "GYMNASIE"),
		s7Period("atg_efter", "2021-01-01", "2021-05-31", "GYMNASIE"),
		s7Period("atg_oppen", "2021-01-01", "2021-05-31", "GYMNASIE"),
		s7Period("atg_tva_perioder", "2021-01-01", "2021-02-15", "GYMNASIE"),
		s7Period("atg_tva_perioder", "2021-02-15", "", "GYMNASIE"),
	)
	f.add("kaa_sysselsattning", s7ObsCols,
		s7Obs("obs_30juni", "2021-06-30", "ARBETE"),
		s7Obs("obs_1juli", "2021-05-01", "ARBETE"),
		s7Obs("obs_1juli", "2021-07-01", "ARBETE"),
		s7Obs("avakt_1juli", "2021-03-01", "ARBETE"),
		s7Obs("avakt_2juli", "2021-03-01", "ARBETE"),
		s7Obs("gammal_blank", "2021-03-01", "ARBETE"),
		s7Obs("gammal_blank", "2021-08-01", "ARBETE"),
		s7Obs("atg_inne", "2021-02-01", "PRAKTIK"),
		s7Obs("atg_fore", "2021-02-01", "PRAKTIK"),
		s7Obs("atg_efter", "2021-03-01", "PRAKTIK"),
		s7Obs("atg_oppen", "2021-03-01", "AMT"),
		s7Obs("atg_utan_period", "2021-02-15", "PRAKTIK"),
		s7Obs("atg_tva_perioder", "2021-02-10", "PRAKTIK"),
		s7Obs("atg_tva_perioder", "2021-08-01", "ARBETE"),
	)
	f.add("kaa_atgarder", s7AtgCols,
		// exactly the period (Start = Aktualiserad, Slut = Avaktualiserad): inside
		s7Atg("atg_inne", "PRAKTIK", "2021-01-01", "2021-05-31", "SLUTFORD", "ARBETE"),
		// starts the day before the period
		s7Atg("atg_fore", "PRAKTIK", "2021-01-01", "2021-03-01", "SLUTFORD", "ARBETE"),
		// ends the day after the period
		s7Atg("atg_efter", "PRAKTIK", "2021-02-01", "2021-06-01", "SLUTFORD", "ARBETE"),
		// still open after the period ended
		s7Atg("atg_oppen", "AMT", "2021-02-01", "", "", ""),
		// no period at all
		s7Atg("atg_utan_period", "PRAKTIK", "2021-02-01", "2021-03-01", "SLUTFORD", "ARBETE"),
		// spans two adjacent periods: not inside one
		s7Atg("atg_tva_perioder", "PRAKTIK", "2021-02-01", "2021-03-01", "SLUTFORD", "ARBETE"),
	)
	utanfor := []string{"atg_fore", "atg_efter", "atg_oppen", "atg_utan_period", "atg_tva_perioder"}

	f.build("2021-06-30", config.Overrides{})
	s7Check(t, f, "2281", "as of 2021-06-30", map[string][]string{
		"saknar_sensysreg":              {"avakt_1juli", "avakt_2juli"},
		"atgard_utanfor_aktuell_period": utanfor,
		"aktuell_utan_sysselsattning":   {"ingen_obs"},
		"atgard_utan_slutdatum":         {"atg_oppen"},
	})
	s7HalfYear(t, f, "2021-01-01", "2021-06-30")

	// As of 1 July: the new half-year has just begun. Avaktualiserad
	// 2021-07-01 is now known (so avakt_1juli is not aktuell in it);
	// observations after as_of (gammal_blank's and atg_tva_perioder's
	// 2021-08-01) are not used yet.
	f.build("2021-07-01", config.Overrides{})
	s7HalfYear(t, f, "2021-07-01", "2021-12-31")
	s7Check(t, f, "2281", "as of 2021-07-01", map[string][]string{
		"saknar_sensysreg":              {"avakt_2juli"},
		"atgard_utanfor_aktuell_period": utanfor,
		"aktuell_utan_sysselsattning":   {"obs_30juni", "avakt_2juli", "ingen_obs", "gammal_blank", "atg_tva_perioder"},
		"atgard_utan_slutdatum":         {"atg_oppen"},
	})

	f.build("2021-09-30", config.Overrides{})
	s7Check(t, f, "2281", "as of 2021-09-30", map[string][]string{
		"saknar_sensysreg":              {"avakt_2juli"},
		"atgard_utanfor_aktuell_period": utanfor,
		// obs_30juni: its observation is the day before the half-year
		"aktuell_utan_sysselsattning": {"obs_30juni", "avakt_2juli", "ingen_obs"},
		"atgard_utan_slutdatum":       {"atg_oppen"},
	})
	s7HalfYear(t, f, "2021-07-01", "2021-12-31")
	st := f.table("staff_s7_personer", "2281")
	r := lookup(t, st, "aktuell_utan_sysselsattning", "gul", "obs_30juni")
	if got := col(t, st, r, "datum"); got != "2021-06-30" {
		t.Errorf("obs_30juni datum %q, want the latest observation 2021-06-30", got)
	}
}

// s7HalfYear asserts the half-year of the last build.
func s7HalfYear(t *testing.T, f *fixture, wantFrom, wantTo string) {
	t.Helper()
	var from, to time.Time
	if err := f.w.QueryRow(f.ctx, "select p_from, p_to from int_s7_halvar", nil, &from, &to); err != nil {
		t.Fatal(err)
	}
	if got := from.Format("2006-01-02") + ".." + to.Format("2006-01-02"); got != wantFrom+".."+wantTo {
		t.Errorf("half-year %s, want %s..%s", got, wantFrom, wantTo)
	}
}

// TestS7Region pins region = sum of the kommuner: the same pseudonym in two
// kommuner is two persons; a person with two open åtgärder counts once.
func TestS7Region(t *testing.T) {
	f := newFixture(t)
	f.add("kaa_individer", s7PeriodCols,
		s7PeriodK("2281", "p1", "2020-09-01", "", "GYMNASIE"),
		s7PeriodK("2281", "p2", "2020-09-01", "", "GYMNASIE"), // no observation: aktuell_utan_sysselsattning
		s7PeriodK("2262", "p1", "2020-09-01", "", ""),         // blank SenSysReg
	)
	f.add("kaa_sysselsattning", s7ObsCols,
		s7ObsK("2281", "p1", "2021-01-15", "AMT"),
		s7ObsK("2281", "p1", "2021-02-15", "PRAKTIK"),
		s7ObsK("2262", "p1", "2021-01-15", "AMT"),
	)
	f.add("kaa_atgarder", s7AtgCols,
		s7AtgK("2281", "p1", "AMT", "2021-01-01", "", "", ""),
		s7AtgK("2281", "p1", "PRAKTIK", "2021-02-01", "", "", ""),
		s7AtgK("2262", "p1", "AMT", "2021-01-01", "", "", ""),
	)
	f.build("2021-03-31", config.Overrides{})
	s7Check(t, f, "2281", "2281", map[string][]string{
		"aktuell_utan_sysselsattning": {"p2"},
		"atgard_utan_slutdatum":       {"p1"},
	})
	s7Check(t, f, "2262", "2262", map[string][]string{
		"saknar_sensysreg":      {"p1"},
		"atgard_utan_slutdatum": {"p1"},
	})
	s7Check(t, f, "region", "region", map[string][]string{
		"saknar_sensysreg":            {"2262:p1"},
		"aktuell_utan_sysselsattning": {"2281:p2"},
		"atgard_utan_slutdatum":       {"2262:p1", "2281:p1"},
	})
}

// TestS7StudienivaCoversCodes pins that every SenSysReg code of the
// contract has a study level, so that no period is silently skipped by
// sensysreg_bakat.
func TestS7StudienivaCoversCodes(t *testing.T) {
	f := newFixture(t)
	f.build("2021-03-31", config.Overrides{})
	for _, kod := range append(contract.CodesIn("STUDIER"), "INGEN") {
		var n int64
		if err := f.w.QueryRow(f.ctx, "select count(*) from int_s7_studieniva where kod = ?", []any{kod}, &n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("SenSysReg code %s: %d rows in int_s7_studieniva, want 1", kod, n)
		}
	}
}

// TestS7Page renders the S7 page from a built table: the template's
// tables, chart and method notes work with the real columns.
func TestS7Page(t *testing.T) {
	f := newFixture(t)
	f.add("kaa_individer", s7PeriodCols, s7Period("p1", "2020-09-01", "", ""))
	f.build("2021-03-31", config.Overrides{})
	tb := f.table("s7_kontroller", "2281")
	dir := t.TempDir()
	asOf := mustDate("2021-03-31")
	err := report.Render(dir, report.Site{
		Scope:  "2281",
		AsOf:   asOf,
		Pages:  []report.Page{{Name: "s7", Title: "Registerkontroller inför SCB", Template: "s7.html.tmpl"}},
		Tables: map[string]table.Table{"s7_kontroller": tb},
		Notes:  map[string]any{"s7": map[string]any{"as_of": asOf, "suppress_below": 5}},
	})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "s7.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{"2021-01-01 – 2021-06-30", "Metod", "sensysreg_bakat", "atgard_utan_slutdatum", `data-kaa-chart="s7_kontroller"`, "Röda – stoppar exporten"} {
		if !strings.Contains(page, want) {
			t.Errorf("s7.html lacks %q", want)
		}
	}
}
