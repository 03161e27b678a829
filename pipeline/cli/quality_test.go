package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kaa-uppfoljning/kaa/pipeline/manifest"
)

// copyDemo copies the built-in demo's inputs into dir/inputs and returns
// that folder.
func copyDemo(t *testing.T, dir string) string {
	t.Helper()
	in := filepath.Join(dir, "inputs")
	copyInputs(t, filepath.Join(repoRoot(t), "fixtures", "inputs"), in)
	return in
}

// runAt runs kaa run on inputs with the demo's config, the database and
// out folder under dir.
func runAt(t *testing.T, inputs, dir string, extra ...string) result {
	t.Helper()
	args := append([]string{"run", "--inputs", inputs, "--config", filepath.Join(repoRoot(t), "fixtures", "demo.toml"),
		"--db", filepath.Join(dir, "kaa.duckdb"), "--out", filepath.Join(dir, "out"), "--key-file", writeKey(t, dir)}, extra...)
	return kaa(t, args...)
}

// csvLines splits a file's lines; the header stays first.
func csvLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// reorder rewrites ';'-separated lines with their fields in the order of
// idx (the demo's files have no quoted fields).
func reorder(lines []string, idx ...int) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		f := strings.Split(l, ";")
		var g []string
		for _, j := range idx {
			g = append(g, f[j])
		}
		out[i] = strings.Join(g, ";")
	}
	return out
}

func writeLines(t *testing.T, path string, lines []string) {
	t.Helper()
	write(t, path, strings.Join(lines, "\n")+"\n")
}

// TestPartsGiveTheSameTables: the demo's KAA register exported in parts —
// kaa_sysselsattning in two parts with the columns in another order and
// 100 rows in both (some of them written with the other personnummer and
// date forms), kaa_individer in two parts without Telefon in the second —
// gives exactly the study tables of the same rows in one file (the golden
// tables); the manifest lists the parts with the repeated rows excluded
// once, every count adding up, and the method notes name the parts.
func TestPartsGiveTheSameTables(t *testing.T) {
	dir := t.TempDir()
	in := copyDemo(t, dir)
	k := filepath.Join(in, "2281")

	sys := csvLines(t, filepath.Join(k, "kaa_sysselsattning.csv")) // Personnummer;Datum;Sysselsattning;Forsorjning
	head, rows := sys[0], sys[1:]
	writeLines(t, filepath.Join(k, "kaa_sysselsattning_del1.csv"), append([]string{head}, rows[:3300]...))
	second := reorder(append([]string{head}, rows[3200:]...), 3, 2, 0, 1) // Forsorjning;Sysselsattning;Personnummer;Datum
	for i := 1; i <= 50; i++ {                                            // the repeated rows, in other forms
		f := strings.Split(second[i], ";")
		f[2] = strings.Replace(f[2], "-", "", 1) // YYYYMMDDNNNN
		f[3] = strings.ReplaceAll(f[3], "-", "") // YYYYMMDD
		second[i] = strings.Join(f, ";")
	}
	writeLines(t, filepath.Join(k, "kaa_sysselsattning_del2.csv"), second)

	ind := csvLines(t, filepath.Join(k, "kaa_individer.csv")) // …;Coach;Telefon
	writeLines(t, filepath.Join(k, "kaa_individer_a.csv"), append([]string{ind[0]}, ind[1:500]...))
	writeLines(t, filepath.Join(k, "kaa_individer_b.csv"), reorder(append([]string{ind[0]}, ind[500:]...), 7, 6, 5, 4, 3, 2, 1, 0))
	for _, f := range []string{"kaa_sysselsattning.csv", "kaa_individer.csv"} {
		if err := os.Remove(filepath.Join(k, f)); err != nil {
			t.Fatal(err)
		}
	}

	r := runAt(t, in, dir)
	if r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	out := filepath.Join(dir, "out")
	golden := filepath.Join(repoRoot(t), "fixtures", "golden", "2281", "tables")
	entries, err := os.ReadDir(golden)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		want, _ := os.ReadFile(filepath.Join(golden, e.Name()))
		got, err := os.ReadFile(filepath.Join(out, "2281", "tables", e.Name()))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s differs from the one-file run (%v)\n%s", e.Name(), err, firstDiff(want, got))
		}
	}

	m := readManifest(t, out)
	want := map[string][3]int64{ // status part; read, rejected, excluded_duplicate
		"2281/kaa_sysselsattning_del1.csv": {3300, 0, 0},
		"2281/kaa_sysselsattning_del2.csv": {3321, 2, 100},
		"2281/kaa_individer_a.csv":         {499, 0, 0},
		"2281/kaa_individer_b.csv":         {600, 1, 0},
	}
	var loaded int64
	for p, w := range want {
		in := m[p]
		if in.Status != manifest.StatusPart || in.Read != w[0] || in.Rejected != w[1] || in.ExcludedDuplicate != w[2] || in.Read != in.Loaded+in.Rejected+in.Excluded {
			t.Errorf("%s: %+v, want part with read %d, rejected %d, %d repeated rows", p, in, w[0], w[1], w[2])
		}
		if strings.HasPrefix(p, "2281/kaa_sysselsattning") {
			loaded += in.Loaded
		}
	}
	if loaded != 6497 { // fixtures/golden/manifest.json
		t.Errorf("kaa_sysselsattning parts loaded %d rows, the one file 6497", loaded)
	}
	if got := m["2281/kaa_individer_b.csv"].IgnoredColumns; len(got) != 0 {
		t.Errorf("kaa_individer_b ignored %q", got)
	}
	page, err := os.ReadFile(filepath.Join(out, "2281", "s1.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"2281/kaa_sysselsattning_del1.csv, 2281/kaa_sysselsattning_del2.csv (delar av en export", "2281/kaa_individer_a.csv, 2281/kaa_individer_b.csv"} {
		if !bytes.Contains(page, []byte(s)) {
			t.Errorf("s1.html's method notes lack %q", s)
		}
	}
}

// TestGatesLeaveStateUntouched: after a good run, a new file rejecting more
// than max_reject_share, or loading nothing, stops the next run with exit 4
// and a message naming it; the published folder, run_file and the models
// are as before (the file read stays in the content-keyed cache), and the
// rejected rows are listed beside the database. With
// max_reject_share = 1 the same inputs publish, the rejects go to
// <out>/rejects.csv and the file beside the database is removed.
func TestGatesLeaveStateUntouched(t *testing.T) {
	dir := t.TempDir()
	k := filepath.Join(dir, "inputs", "2281")
	write(t, filepath.Join(k, "kaa_individer.csv"), "Personnummer;Aktualiserad\n"+synthetic(1)+";2019-09-01\n"+synthetic(2)+";2019-10-01\n")
	db := filepath.Join(dir, "kaa.duckdb")
	out := filepath.Join(dir, "out")
	args := []string{"run", "--inputs", filepath.Join(dir, "inputs"), "--db", db, "--out", out, "--as-of", "2021-03-31", "--key-file", writeKey(t, dir)}
	if r := kaa(t, args...); r.code != ExitOK || r.stderr != "" {
		t.Fatalf("good run: exit %d, stderr %q", r.code, r.stderr)
	}
	before, dbBefore := tree(t, out), dbDump(t, db)
	side := db + ".rejects.csv"

	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"share", "Personnummer;Datum;Sysselsattning\n" + synthetic(1) + ";2020-01-01;KOMVUX\n" + synthetic(2) + ";2020-13-01;KOMVUX\n" + synthetic(2) + ";2020-02-01;ARBETE\n",
			[]string{"2281/kaa_sysselsattning.csv: read 3, loaded 2, rejected 1: 33.3% of the rows rejected, more than max_reject_share 0.02; most frequent: Datum: bad date (1)"}},
		{"nothing loaded", "Personnummer;Datum;Sysselsattning\n" + synthetic(1) + ";2020-01-01;STUDERAR\n" + synthetic(2) + ";2020-01-01;STUDERAR\n",
			[]string{"2281/kaa_sysselsattning.csv: read 2, loaded 0, rejected 2: no row could be loaded; most frequent: Sysselsattning: unknown code (2)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			write(t, filepath.Join(k, "kaa_sysselsattning.csv"), tc.body)
			r := kaa(t, args...)
			if r.code != ExitCheck {
				t.Fatalf("exit %d, want %d\n%s", r.code, ExitCheck, r.stderr)
			}
			for _, s := range append(tc.want, "data-quality gates failed; nothing was published and the study tables are unchanged (the files read stay cached in the database)",
				"every rejected row, with file, line, rule and field: "+side, "--max-reject-share") {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
			if !strings.Contains(r.stderr, "kaa: ") || !strings.Contains(r.stderr, "rejected in 1 file (2281/kaa_sysselsattning.csv") {
				t.Errorf("no reject summary line:\n%s", r.stderr)
			}
			sameTrees(t, before, tree(t, out), "published after a gate failed")
			// the refined rule: run_file and the models as before; the
			// cache (raw rows, rejects, loaded_file) keeps the file read
			if got := dbDump(t, db); built(got) != built(dbBefore) {
				t.Errorf("run_file or a model changed:\nbefore:\n%s\nafter:\n%s", built(dbBefore), built(got))
			}
			if b, err := os.ReadFile(side); err != nil || !bytes.Contains(b, []byte("2281/kaa_sysselsattning.csv;")) {
				t.Errorf("%s: %v\n%s", side, err, b)
			}
		})
	}

	r := kaa(t, append(args, "--max-reject-share", "1")...)
	if r.code != ExitOK {
		t.Fatalf("max_reject_share 1: exit %d\n%s", r.code, r.stderr)
	}
	if want := "kaa: 2 rows rejected in 1 file (2281/kaa_sysselsattning.csv 2); every row with file, line and rule: " + filepath.Join(out, "rejects.csv") + "\n"; r.stderr != want {
		t.Errorf("stderr %q, want only %q", r.stderr, want)
	}
	if _, err := os.Stat(side); err == nil {
		t.Errorf("%s is left after a run that published its rejects", side)
	}
	var q manifest.Manifest
	b, _ := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err := json.Unmarshal(b, &q); err != nil {
		t.Fatal(err)
	}
	if len(q.Quality) != 1 || len(q.Quality[0].Gates) != 3 || q.Quality[0].Gates[0].Outcome != "off" || q.Quality[0].Gates[1].Outcome != "off" {
		t.Errorf("manifest quality: %+v", q.Quality)
	}
}

// TestProfileChangeRereads: a register whose Registreringsorsak column is
// named Orsak: the run lists Orsak as ignored and the column as missing,
// and the S1 page says what that changes. Fixing mapping.toml re-reads the
// kommun's files on the next run on the same database, whose outputs are
// then byte for byte those of a fresh database (and the tables those of
// the original demo's).
func TestProfileChangeRereads(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "inputs")
	k := filepath.Join(in, "2281")
	demoFiles := []string{"kaa_individer.csv", "kaa_sysselsattning.csv", "deltagare.csv", "extens_2020-03-02.csv", "extens_2021-03-29.csv"}
	for _, f := range demoFiles { // enough of the demo for S1 and S2, and quicker
		b, err := os.ReadFile(filepath.Join(repoRoot(t), "fixtures", "inputs", "2281", f))
		if err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(k, f), string(b))
	}
	ind := csvLines(t, filepath.Join(k, "kaa_individer.csv"))
	ind[0] = strings.Replace(ind[0], "Registreringsorsak", "Orsak", 1)
	writeLines(t, filepath.Join(k, "kaa_individer.csv"), ind)

	r := runAt(t, in, dir)
	if r.code != ExitOK {
		t.Fatalf("first run: exit %d\n%s", r.code, r.stderr)
	}
	out := filepath.Join(dir, "out")
	m := readManifest(t, out)["2281/kaa_individer.csv"]
	if !slices.Equal(m.IgnoredColumns, []string{"Orsak", "Telefon"}) || !slices.Equal(m.MissingColumns, []string{"Registreringsorsak"}) {
		t.Errorf("kaa_individer.csv: ignored %q, missing %q", m.IgnoredColumns, m.MissingColumns)
	}
	if e := readManifest(t, out)["2281/extens_2020-03-02.csv"]; !slices.Equal(e.IgnoredColumns, []string{"Fornamn", "Efternamn", "Adress"}) {
		t.Errorf("extens: ignored %q", e.IgnoredColumns)
	}
	note := []byte("Registreringsorsak saknas i 2281/kaa_individer.csv: registreringsorsak räknas som OKAND.")
	for _, p := range []string{"s1.html"} {
		if b, _ := os.ReadFile(filepath.Join(out, "2281", p)); !bytes.Contains(b, note) {
			t.Errorf("%s lacks the note %q", p, note)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(out, "2281", "s2.html")); bytes.Contains(b, note) {
		t.Error("s2.html has the note, but its figures do not use Registreringsorsak")
	}
	broken, _ := os.ReadFile(filepath.Join(out, "2281", "tables", "s1_registreringsorsak.csv"))

	write(t, filepath.Join(k, "mapping.toml"), "[kaa_individer.columns]\nRegistreringsorsak = \"Orsak\"\n")
	r = runAt(t, in, dir, "-v")
	if r.code != ExitOK {
		t.Fatalf("second run: exit %d\n%s", r.code, r.stderr)
	}
	for _, s := range []string{"ingest    5 new files", "columns ignored (neither in the contract nor mapped; never read): 2281 extens, 2 files: Fornamn, Efternamn, Adress"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("-v log lacks %q:\n%s", s, r.stderr)
		}
	}
	again := tree(t, out)
	fixed := again["2281/tables/s1_registreringsorsak.csv"]
	golden, _ := os.ReadFile(filepath.Join(repoRoot(t), "fixtures", "golden", "2281", "tables", "s1_registreringsorsak.csv"))
	if bytes.Equal(fixed, broken) || !bytes.Equal(fixed, golden) {
		t.Errorf("s1_registreringsorsak after the fix:\n%s\nbefore:\n%s\nwant:\n%s", fixed, broken, golden)
	}

	fresh := t.TempDir()
	if r := runAt(t, in, fresh); r.code != ExitOK {
		t.Fatalf("fresh run: exit %d\n%s", r.code, r.stderr)
	}
	sameTrees(t, tree(t, filepath.Join(fresh, "out")), again, "rerun after a profile change vs a fresh database")
}

// TestStaleExtractAndEmptyStudy: an Extens extract far older than the
// report date warns on stderr and on every page; a study with no rows in
// its period (S5: a time study of another month) says so in words on its
// page, draws no chart, and is named in the stderr summary; one without
// any input file (S2: no deltagare) says so on its page only.
func TestStaleExtractAndEmptyStudy(t *testing.T) {
	dir := t.TempDir()
	k := filepath.Join(dir, "inputs", "2281")
	write(t, filepath.Join(k, "extens_2020-01-06.csv"), "Personnummer;Inskriven\n"+synthetic(1)+";J\n")
	write(t, filepath.Join(k, "kaa_individer.csv"), "Personnummer;Aktualiserad\n"+synthetic(1)+";2019-09-01\n")
	write(t, filepath.Join(k, "tidsstudie_2020-02.csv"), "Datum;Kategori;Minuter\n2020-02-05;ADMINISTRATION;30\n")
	out := filepath.Join(dir, "out")
	r := kaa(t, "run", "--inputs", filepath.Join(dir, "inputs"), "--db", filepath.Join(dir, "kaa.duckdb"), "--out", out,
		"--as-of", "2021-03-31", "--key-file", writeKey(t, dir))
	if r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, s := range []string{
		"kaa: warning: 2281: the newest extens extract, 2281/extens_2020-01-06.csv, is 450 days older than the report date 2021-03-31 (more than 45)",
		"kaa: warning: no data in the period, the page says so instead of showing figures: ",
		"2281 s5 (2021-02-01 – 2021-02-28)",
	} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
		}
	}
	pages, _ := filepath.Glob(filepath.Join(out, "2281", "*.html"))
	if len(pages) < 9 {
		t.Fatalf("%d pages", len(pages))
	}
	for _, p := range pages {
		b, _ := os.ReadFile(p)
		if !bytes.Contains(b, []byte("Varning: det senaste Extens-uttaget för kommun 2281 (2281/extens_2020-01-06.csv) är från 2020-01-06, 450 dagar före rapportdatum 2021-03-31.")) {
			t.Errorf("%s lacks the warning", filepath.Base(p))
		}
	}
	s5, _ := os.ReadFile(filepath.Join(out, "2281", "s5.html"))
	if !bytes.Contains(s5, []byte("Inga uppgifter för perioden 2021-02-01 – 2021-02-28: inga tidsstudieregistreringar i tidsstudie.")) {
		t.Error("s5.html does not say it has no data")
	}
	if bytes.Contains(s5, []byte("data-kaa-chart")) {
		t.Error("s5.html draws charts of no data")
	}
	if s2, _ := os.ReadFile(filepath.Join(out, "2281", "s2.html")); !bytes.Contains(s2, []byte("Inga uppgifter för perioden till och med 2021-03-31: inga projektdeltagare i deltagare.")) {
		t.Error("s2.html does not say it has no data")
	}
	if strings.Contains(r.stderr, " s2 ") {
		t.Errorf("stderr names S2, which has no input file at all:\n%s", r.stderr)
	}
	if s1, _ := os.ReadFile(filepath.Join(out, "2281", "s1.html")); bytes.Contains(s1, []byte("Inga uppgifter för perioden")) {
		t.Error("s1.html has a cohort but says it has no data")
	}
}

// TestShrunkExtractWarnsOnEveryPage: a newest Extens extract with less
// than half the rows of the one before it (a partial export) is warned of
// on every page, naming both files; the run still publishes.
func TestShrunkExtractWarnsOnEveryPage(t *testing.T) {
	dir := t.TempDir()
	k := filepath.Join(dir, "inputs", "2281")
	rows := func(n int) string {
		var b strings.Builder
		b.WriteString("Personnummer;Inskriven\n")
		for i := 1; i <= n; i++ {
			b.WriteString(synthetic(i) + ";J\n")
		}
		return b.String()
	}
	write(t, filepath.Join(k, "extens_2021-03-22.csv"), rows(40))
	write(t, filepath.Join(k, "extens_2021-03-29.csv"), rows(19))
	write(t, filepath.Join(k, "kaa_individer.csv"), "Personnummer;Aktualiserad\n"+synthetic(1)+";2019-09-01\n")
	out := filepath.Join(dir, "out")
	r := kaa(t, "run", "--inputs", filepath.Join(dir, "inputs"), "--db", filepath.Join(dir, "kaa.duckdb"), "--out", out,
		"--as-of", "2021-03-31", "--key-file", writeKey(t, dir))
	if r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "kaa: warning: 2281: the newest extens extract, 2281/extens_2021-03-29.csv, loaded 19 rows, less than half of the 40 of 2281/extens_2021-03-22.csv before it") {
		t.Errorf("stderr lacks the warning:\n%s", r.stderr)
	}
	pages, _ := filepath.Glob(filepath.Join(out, "2281", "*.html"))
	if len(pages) < 9 {
		t.Fatalf("%d pages", len(pages))
	}
	for _, p := range pages {
		b, _ := os.ReadFile(p)
		if !bytes.Contains(b, []byte("Varning: det senaste Extens-uttaget för kommun 2281 (2281/extens_2021-03-29.csv) har 19 rader, färre än hälften av de 40 i uttaget före det (2281/extens_2021-03-22.csv).")) {
			t.Errorf("%s lacks the warning", filepath.Base(p))
		}
	}
}

// TestReportDateInTheFuture: a report date after today is a usage error,
// and nothing is made.
func TestReportDateInTheFuture(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "inputs", "2281", "kaa_individer.csv"), "Personnummer;Aktualiserad\n"+synthetic(1)+";2019-09-01\n")
	r := kaa(t, "run", "--inputs", filepath.Join(dir, "inputs"), "--db", filepath.Join(dir, "kaa.duckdb"), "--out", filepath.Join(dir, "out"),
		"--as-of", "2999-01-01", "--key-file", writeKey(t, dir))
	if r.code != ExitUsage || !strings.Contains(r.stderr, "config: as_of (2999-01-01) is after today") {
		t.Fatalf("exit %d, want %d\n%s", r.code, ExitUsage, r.stderr)
	}
	for _, p := range []string{"kaa.duckdb", "out"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			t.Errorf("%s was made", p)
		}
	}
}

// TestWarnsWithoutSkyddad: an extract without the Skyddad column gives
// one stderr line on every run (without -v, so cron mails it) naming the
// file: no one in it can be excluded as skyddad. An extract with it
// gives none.
func TestWarnsWithoutSkyddad(t *testing.T) {
	in := filepath.Join(t.TempDir(), "inputs")
	write(t, filepath.Join(in, "2281", "extens_2021-03-01.csv"),
		"Personnummer;Kon;Postnummer;Grundskola;Gymnasieskola;Program;Inskriven;Avgangsdatum;Avgangstyp;Examen\n200305010019;K;85230;Alnö skola;Hedbergska;NA;J;;;N\n")
	write(t, filepath.Join(in, "2281", "extens_2021-03-08.csv"),
		"Personnummer;Kon;Postnummer;Skyddad;Grundskola;Gymnasieskola;Program;Inskriven;Avgangsdatum;Avgangstyp;Examen\n200305010019;K;85230;N;Alnö skola;Hedbergska;NA;J;;;N\n")
	want := "kaa: warning: column Skyddad missing in 2281/extens_2021-03-01.csv: no person in these files can be excluded as skyddad"
	for run := 1; run <= 2; run++ {
		r := runAt(t, in, filepath.Dir(in), "--as-of", "2021-03-31")
		if r.code != ExitOK {
			t.Fatalf("run %d: exit %d\n%s", run, r.code, r.stderr)
		}
		if strings.Count(r.stderr, "column Skyddad missing") != 1 || !strings.Contains(r.stderr, want) {
			t.Errorf("run %d: stderr lacks one %q:\n%s", run, want, r.stderr)
		}
		if strings.Contains(r.stderr, "extens_2021-03-08.csv: no person") || strings.Contains(r.stderr, "2021-03-08.csv:") {
			t.Errorf("run %d: the extract with Skyddad is named:\n%s", run, r.stderr)
		}
	}
}
