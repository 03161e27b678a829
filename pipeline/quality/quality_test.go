package quality

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func file(path string, read, loaded, rejected, excluded int64) File {
	kommun, _, _ := strings.Cut(path, "/")
	return File{Path: path, Abs: "inputs/" + path, Kommun: kommun, Kind: "kaa_individer", Role: RoleUsed,
		Read: read, Loaded: loaded, Rejected: rejected, Excluded: excluded}
}

// TestCheck: a used file with rows but none loaded, or rejecting more than
// the share, fails; exactly the share passes; superseded and empty files
// are not judged; 1 turns both gates off; a part whose rows all repeat an
// earlier part, or a file of skyddade personer only, is not broken.
func TestCheck(t *testing.T) {
	superseded := file("2281/kaa_individer_2021-01-31.csv", 10, 0, 10, 0)
	superseded.Role = RoleSuperseded
	repeated := file("2281/kaa_sysselsattning_del2.csv", 5, 5, 0, 0)
	repeated.Role, repeated.Duplicates = RolePart, 5
	files := []File{
		file("2281/z_none_loaded.csv", 4, 0, 4, 0),
		file("2281/a_share.csv", 100, 97, 3, 0),
		file("2281/b_at_share.csv", 100, 98, 2, 0),
		file("2281/c_header_only.csv", 0, 0, 0, 0),
		file("2281/d_all_skyddade.csv", 2, 0, 0, 2),
		superseded, repeated,
	}
	got := Check(files, 0.02)
	var names []string
	for _, f := range got {
		names = append(names, f.File.Path+" "+f.Gate)
	}
	want := []string{
		"2281/a_share.csv " + GateRejectShare,
		"2281/z_none_loaded.csv " + GateRowsLoaded,
	}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("got  %q\nwant %q", names, want)
	}
	if got := Check(files, GateOff); got != nil {
		t.Errorf("max_reject_share 1: %v", got)
	}
	if got := Check(files, 0.5); len(got) != 1 || got[0].File.Path != "2281/z_none_loaded.csv" {
		t.Errorf("max_reject_share 0.5: %v, want the file that loaded nothing", got)
	}
	mixed := file("2281/m.csv", 3, 0, 1, 2) // the rows not excluded were all rejected
	if got := Check([]File{mixed}, 0.5); len(got) != 1 || got[0].Gate != GateRowsLoaded {
		t.Errorf("one row rejected, two excluded: %v", got)
	}
}

// TestGateError: the message names each file with its counts, its three
// most frequent rules, where the rejected rows are and how to lift the
// gate.
func TestGateError(t *testing.T) {
	f := file("2281/kaa_individer.csv", 1099, 0, 1099, 0)
	f.Rules = []Rule{{"Registreringsorsak", "unknown code", 1000}, {"Aktualiserad", "bad date", 90}, {"Personnummer", "bad check digit", 8}, {"", "wrong number of fields", 1}}
	g := file("2281/kaa_sysselsattning.csv", 100, 90, 10, 0)
	g.Rules = []Rule{{"Datum", "bad date", 10}}
	e := &GateError{Failures: Check([]File{f, g}, 0.02), MaxShare: 0.02, Rejects: "kaa.duckdb.rejects.csv"}
	msg := e.Error()
	for _, want := range []string{
		"data-quality gates failed; nothing was published and the study tables are unchanged (the files read stay cached in the database):\n",
		"inputs/2281/kaa_individer.csv: read 1099, loaded 0, rejected 1099: no row could be loaded; most frequent: Registreringsorsak: unknown code (1000), Aktualiserad: bad date (90), Personnummer: bad check digit (8) and 1 more rule\n",
		"inputs/2281/kaa_sysselsattning.csv: read 100, loaded 90, rejected 10: 10.0% of the rows rejected, more than max_reject_share 0.02; most frequent: Datum: bad date (10)\n",
		"every rejected row, with file, line, rule and field: kaa.duckdb.rejects.csv\n",
		"--max-reject-share (config max_reject_share; 1 turns the gate off)",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}

// TestStaleExtracts: per kommun, the newest extract on or before the
// report date may be at most 45 days older than it; later extracts do not
// count; a kommun without extens is not judged.
func TestStaleExtracts(t *testing.T) {
	ex := func(path, date string) File {
		f := file(path, 1, 1, 0, 0)
		f.Kind, f.ExtractDate = "extens", day(date)
		return f
	}
	files := []File{
		ex("2281/extens_2021-02-14.csv", "2021-02-14"), // 45 days before
		ex("2262/extens_2021-02-13.csv", "2021-02-13"), // 46 days before
		ex("2262/extens_2021-04-05.csv", "2021-04-05"), // after the report date
		ex("2280/extens_2021-04-05.csv", "2021-04-05"),
		file("0180/kaa_individer.csv", 1, 1, 0, 0),
	}
	got := StaleExtracts(files, day("2021-03-31"))
	want := []Stale{
		{Kommun: "2262", Path: "2262/extens_2021-02-13.csv", Date: day("2021-02-13"), Days: 46},
		{Kommun: "2280"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if m := got[0].Message(day("2021-03-31")); m != "2262: the newest extens extract, 2262/extens_2021-02-13.csv, is 46 days older than the report date 2021-03-31 (more than 45): figures from Extens may be out of date" {
		t.Errorf("message %q", m)
	}
}

// TestShrunkExtracts: per kommun, the newest used extract on or before the
// report date is compared with the one dated before it: less than half its
// rows (none at all too) is warned of; half exactly is not, nor a shrink
// from fewer than 20 rows, a superseded file or an extract after the report
// date.
func TestShrunkExtracts(t *testing.T) {
	ex := func(path, date string, loaded int64) File {
		f := file(path, loaded, loaded, 0, 0)
		f.Kind, f.ExtractDate = "extens", day(date)
		return f
	}
	later := ex("2281/extens_2021-04-05.csv", "2021-04-05", 1000)
	files := []File{
		ex("2281/extens_2021-03-29.csv", "2021-03-29", 99),
		ex("2281/extens_2021-03-22.csv", "2021-03-22", 200),
		later,
		ex("2262/extens_2021-03-29.csv", "2021-03-29", 50), // half exactly
		ex("2262/extens_2021-03-22.csv", "2021-03-22", 100),
		ex("2280/extens_2021-03-29.csv", "2021-03-29", 0), // header only
		ex("2280/extens_2021-03-22.csv", "2021-03-22", 20),
		ex("0180/extens_2021-03-29.csv", "2021-03-29", 1), // too few to judge
		ex("0180/extens_2021-03-22.csv", "2021-03-22", 19),
		ex("1402/extens_2021-03-29.csv", "2021-03-29", 900),
	}
	got := ShrunkExtracts(files, day("2021-03-31"))
	want := []Shrunk{
		{Kommun: "2280", Path: "2280/extens_2021-03-29.csv", PrevPath: "2280/extens_2021-03-22.csv", Loaded: 0, PrevLoaded: 20},
		{Kommun: "2281", Path: "2281/extens_2021-03-29.csv", PrevPath: "2281/extens_2021-03-22.csv", Loaded: 99, PrevLoaded: 200},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
	if m := got[1].Message(); m != "2281: the newest extens extract, 2281/extens_2021-03-29.csv, loaded 99 rows, less than half of the 200 of 2281/extens_2021-03-22.csv before it: a partial export? The figures from its date count only its rows" {
		t.Errorf("message %q", m)
	}
	later.Role = RoleSuperseded
	if got := ShrunkExtracts(append(files[:2:2], later), day("2021-04-30")); len(got) != 1 || got[0].Path != "2281/extens_2021-03-29.csv" {
		t.Errorf("a superseded later extract: %+v", got)
	}
}

// TestRejectLine: one line with the total, the files (most rejects first,
// at most three) and where the list is; nothing without rejects.
func TestRejectLine(t *testing.T) {
	files := []File{
		file("2281/a.csv", 10, 9, 1, 0), file("2281/b.csv", 10, 7, 3, 0),
		file("2281/c.csv", 10, 8, 2, 0), file("2281/d.csv", 10, 9, 1, 0), file("2281/e.csv", 10, 10, 0, 0),
	}
	want := "7 rows rejected in 4 files (2281/b.csv 3, 2281/c.csv 2, 2281/a.csv 1, 1 more); every row with file, line and rule: out/rejects.csv"
	if got := RejectLine(files, "out/rejects.csv"); got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if got := RejectLine(files[:1], "x"); got != "1 row rejected in 1 file (2281/a.csv 1); every row with file, line and rule: x" {
		t.Errorf("one reject: %q", got)
	}
	if got := RejectLine(files[4:], "x"); got != "" {
		t.Errorf("no rejects: %q", got)
	}
}

// TestSummarize: per kommun the files by role and the rows of the used
// files as the run counts them (rows repeated across parts are excluded),
// adding up; the gates' outcomes.
func TestSummarize(t *testing.T) {
	p1 := file("2281/kaa_sysselsattning_del1.csv", 10, 9, 1, 0)
	p1.Role = RolePart
	p2 := file("2281/kaa_sysselsattning_del2.csv", 5, 5, 0, 0)
	p2.Role, p2.Duplicates = RolePart, 2
	old := file("2281/kaa_individer_2021-01-31.csv", 7, 7, 0, 0)
	old.Role = RoleSuperseded
	ex := file("2281/extens_2020-01-06.csv", 20, 18, 0, 2)
	ex.Kind, ex.ExtractDate = "extens", day("2020-01-06")
	files := []File{p1, p2, old, ex, file("2262/kaa_individer.csv", 3, 3, 0, 0)}
	got := Summarize([]string{"2281", "2262"}, map[string][]string{"2281": {"README.md"}}, files, 0.02, day("2021-03-31"), nil)
	if len(got) != 2 {
		t.Fatalf("%d summaries", len(got))
	}
	s := got[0]
	if s.Kommun != "2281" || s.Used != 1 || s.Parts != 2 || s.Superseded != 1 || !reflect.DeepEqual(s.Skipped, []string{"README.md"}) {
		t.Errorf("files: %+v", s)
	}
	if s.Read != 35 || s.Loaded != 30 || s.Rejected != 1 || s.Excluded != 4 || s.Read != s.Loaded+s.Rejected+s.Excluded {
		t.Errorf("rows: read %d loaded %d rejected %d excluded %d", s.Read, s.Loaded, s.Rejected, s.Excluded)
	}
	outcomes := func(s Summary) string {
		var o []string
		for _, g := range s.Gates {
			o = append(o, g.Name+"="+g.Outcome)
		}
		return strings.Join(o, " ")
	}
	if o := outcomes(s); o != "rows_loaded=passed reject_share=passed extens_recent=warning" {
		t.Errorf("2281 gates: %s", o)
	}
	if o := outcomes(got[1]); o != "rows_loaded=passed reject_share=passed extens_recent=no data" {
		t.Errorf("2262 gates: %s", o)
	}
	off := Summarize([]string{"2262"}, nil, files, 1, day("2021-03-31"), nil)
	if o := outcomes(off[0]); o != "rows_loaded=off reject_share=off extens_recent=no data" {
		t.Errorf("gates off: %s", o)
	}
	bad := file("2262/kaa_individer.csv", 3, 0, 3, 0)
	failed := Summarize([]string{"2262"}, nil, []File{bad}, 0.02, day("2021-03-31"), Check([]File{bad}, 0.02))
	if o := outcomes(failed[0]); o != "rows_loaded=failed reject_share=passed extens_recent=no data" {
		t.Errorf("a failure: %s", o)
	}
}
