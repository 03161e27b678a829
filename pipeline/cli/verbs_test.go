package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestMonthlyRepublishesOnlyS6AndS8: after a full run, `kaa monthly` for
// another month rewrites the S6 tables and page (the trend now ends in that
// month) and leaves every other published page and table as it was.
func TestMonthlyRepublishesOnlyS6AndS8(t *testing.T) {
	dir := t.TempDir()
	out, r := demoRun(t, dir)
	if r.code != ExitOK {
		t.Fatalf("run: exit %d\n%s", r.code, r.stderr)
	}
	before := tree(t, out)
	root := repoRoot(t)
	r = kaa(t, "monthly", "--month", "2020-11",
		"--inputs", filepath.Join(root, "fixtures", "inputs"), "--config", filepath.Join(root, "fixtures", "demo.toml"),
		"--db", filepath.Join(dir, "kaa.duckdb"), "--out", out, "--key-file", filepath.Join(dir, "key"))
	if r.code != ExitOK {
		t.Fatalf("monthly: exit %d\n%s", r.code, r.stderr)
	}
	after := tree(t, out)
	trend := string(after["2281/tables/s6_trend.csv"])
	lines := strings.Split(strings.TrimSpace(trend), "\r\n")
	if len(lines) != 13 || !strings.HasPrefix(lines[12], "2020-11;") || !strings.HasPrefix(lines[1], "2019-12;") {
		t.Errorf("s6_trend should be the 12 months ending 2020-11:\n%s", trend)
	}
	changed := 0
	for name, b := range before {
		s6or8 := strings.Contains(name, "/s6") || strings.Contains(name, "tables/s6_") || strings.Contains(name, "/s8") || strings.Contains(name, "tables/s8_")
		switch {
		case name == "manifest.json" || name == "rejects.csv":
		case s6or8:
			if !bytes.Equal(b, after[name]) {
				changed++
			}
		case !bytes.Equal(b, after[name]):
			t.Errorf("%s changed, but monthly publishes only S6 and S8", name)
		}
	}
	if changed == 0 {
		t.Error("monthly for another month changed no S6 file")
	}
}

// TestCheckExitsOnRedProblems: the demo register has one of each blocking
// problem, so `kaa check` publishes the S7 page, writes the staff list
// outside the published folder and exits with ExitRegister naming the checks.
func TestCheckExitsOnRedProblems(t *testing.T) {
	dir := t.TempDir()
	root := repoRoot(t)
	out := filepath.Join(dir, "out")
	staff := filepath.Join(dir, "personal")
	r := kaa(t, "check", "--inputs", filepath.Join(root, "fixtures", "inputs"), "--config", filepath.Join(root, "fixtures", "demo.toml"),
		"--db", filepath.Join(dir, "kaa.duckdb"), "--out", out, "--staff", staff, "--key-file", writeKey(t, dir))
	if r.code != ExitRegister {
		t.Fatalf("exit %d, want %d\n%s", r.code, ExitRegister, r.stderr)
	}
	for _, want := range []string{"2281: ingen_under_oppen_atgard:", "2281: sysefter_lika_atgard:"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "2281", "s7.html")); err != nil {
		t.Errorf("no S7 page published: %v", err)
	}
	lists, _ := filepath.Glob(filepath.Join(staff, "2281", "s7_*.csv"))
	if len(lists) == 0 {
		t.Errorf("no S7 staff list under %s", staff)
	}
	found, _ := filepath.Glob(filepath.Join(out, "*", "s7_personer*"))
	if len(found) > 0 {
		t.Errorf("staff list published: %v", found)
	}
}

// TestLookup turns a pseudonym of the staff list back into its rows of a raw
// export: exactly that person's rows, nothing else; no key, no answer.
func TestLookup(t *testing.T) {
	dir := t.TempDir()
	_, r := demoRun(t, dir)
	if r.code != ExitOK {
		t.Fatalf("run: exit %d\n%s", r.code, r.stderr)
	}
	list, err := os.ReadFile(filepath.Join(dir, "kaa-personal", "2281", "s1_kohort.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(string(list)), "\r\n")
	fields := strings.Split(rows[1], ";")
	pseudonym, aktualiserad := fields[0], fields[1]
	raw := filepath.Join(repoRoot(t), "fixtures", "inputs", "2281", "kaa_individer.csv")
	key := filepath.Join(dir, "key")

	r = kaa(t, "lookup", "--file", raw, "--pseudonym", pseudonym, "--key-file", key)
	if r.code != ExitOK {
		t.Fatalf("lookup: exit %d\n%s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	number := ""
	for _, l := range lines {
		i := strings.Index(l, "Personnummer=")
		if i < 0 || !strings.HasPrefix(l, raw+":") {
			t.Fatalf("unexpected output line %q", l)
		}
		n := strings.Fields(l[i+len("Personnummer="):])[0]
		if number != "" && n != number {
			t.Errorf("rows of two persons printed: %s and %s", number, n)
		}
		number = n
	}
	if !strings.Contains(r.stdout, "Aktualiserad="+aktualiserad) {
		t.Errorf("the cohort row (Aktualiserad %s) is not among\n%s", aktualiserad, r.stdout)
	}
	if strings.Contains(r.stdout, "Telefon") {
		t.Error("lookup printed a column outside the contract")
	}

	if r := kaa(t, "lookup", "--file", raw, "--pseudonym", pseudonym); r.code != ExitUsage || r.stdout != "" {
		t.Errorf("without a key: exit %d, stdout %q; want %d and nothing printed", r.code, r.stdout, ExitUsage)
	}
	other := writeKeyNamed(t, dir, "other", "another-key-0123456789abcdef")
	if r := kaa(t, "lookup", "--file", raw, "--pseudonym", pseudonym, "--key-file", other); r.code != ExitNotFound || r.stdout != "" {
		t.Errorf("with another key: exit %d, stdout %q; want %d and nothing printed", r.code, r.stdout, ExitNotFound)
	}
}

func writeKeyNamed(t *testing.T, dir, name, key string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(key), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestHelpOnEveryVerb: --help prints the verb's usage to stdout and exits
// 0; an unknown flag is a usage error.
func TestHelpOnEveryVerb(t *testing.T) {
	for _, v := range verbs() {
		r := kaa(t, v.name, "--help")
		if r.code != ExitOK || !strings.HasPrefix(r.stdout, "usage: kaa "+v.name) || r.stderr != "" {
			t.Errorf("%s --help: exit %d, stdout %.40q, stderr %q", v.name, r.code, r.stdout, r.stderr)
		}
		r = kaa(t, v.name, "--no-such-flag")
		if r.code != ExitUsage || !strings.Contains(r.stderr, "no-such-flag") {
			t.Errorf("%s --no-such-flag: exit %d, stderr %q", v.name, r.code, r.stderr)
		}
	}
	if r := kaa(t, "nonsense"); r.code != ExitUsage {
		t.Errorf("unknown command: exit %d", r.code)
	}
}

// TestFlagOverridesConfigKey: the config's contradictory s1.cutoff stops
// the run, and --s1-cutoff given on the command line wins over it.
func TestFlagOverridesConfigKey(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(repoRoot(t), corpusDir, "bad_config")
	args := []string{"run", "--inputs", filepath.Join(src, "inputs"), "--config", filepath.Join(src, "config.toml"),
		"--db", filepath.Join(dir, "kaa.duckdb"), "--out", filepath.Join(dir, "out"), "--key-file", writeKey(t, dir)}
	if r := kaa(t, args...); r.code != ExitUsage {
		t.Fatalf("with the config's cutoff: exit %d, want %d", r.code, ExitUsage)
	}
	r := kaa(t, append(args, "--s1-cutoff", "2020-12-31")...)
	if r.code != ExitOK {
		t.Fatalf("with --s1-cutoff: exit %d\n%s", r.code, r.stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "out", "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"cutoff": "2020-12-31"`) {
		t.Errorf("manifest does not record the flag's cutoff:\n%s", b)
	}
}

// TestMonthlyLinksWhatItDoesNotRebuild: `kaa monthly` hard-links the pages,
// tables and staff lists it does not rebuild into the new published set
// (the same inode as before), and the result is byte for byte what a full
// run writes afresh with the same inputs and parameters.
func TestMonthlyLinksWhatItDoesNotRebuild(t *testing.T) {
	dir := t.TempDir()
	out, r := demoRun(t, dir)
	if r.code != ExitOK {
		t.Fatalf("run: exit %d\n%s", r.code, r.stderr)
	}
	carried := []string{"2281/s1.html", "2281/tables/s4_huvudman.csv", "2281/tables/s4_huvudman.parquet"}
	inodes := map[string]uint64{}
	for _, p := range carried {
		inodes[p] = inodeOf(t, filepath.Join(out, p))
	}
	root := repoRoot(t)
	r = kaa(t, "monthly", "--inputs", filepath.Join(root, "fixtures", "inputs"), "--config", filepath.Join(root, "fixtures", "demo.toml"),
		"--db", filepath.Join(dir, "kaa.duckdb"), "--out", out, "--key-file", filepath.Join(dir, "key"))
	if r.code != ExitOK {
		t.Fatalf("monthly: exit %d\n%s", r.code, r.stderr)
	}
	for _, p := range carried {
		if got := inodeOf(t, filepath.Join(out, p)); got != inodes[p] {
			t.Errorf("%s: inode %d after monthly, %d before: copied, not linked", p, got, inodes[p])
		}
	}
	fresh := t.TempDir()
	freshOut, r := demoRun(t, fresh)
	if r.code != ExitOK {
		t.Fatalf("fresh run: exit %d\n%s", r.code, r.stderr)
	}
	sameTrees(t, tree(t, freshOut), tree(t, out), "monthly's published set against a fresh full run")
	sameTrees(t, tree(t, filepath.Join(fresh, "kaa-personal")), tree(t, filepath.Join(dir, "kaa-personal")), "monthly's staff lists against a fresh full run")
}

// TestMonthlyHidesWhatARunHides: on a region, whose comparison table ties
// S6 and S8 to S1 and S2, kaa monthly over the same data publishes exactly
// what kaa run did — the same cells hidden in every table it rewrites, so
// that two versions of a table cannot be put together to work out a
// hidden count.
func TestMonthlyHidesWhatARunHides(t *testing.T) {
	dir := t.TempDir()
	root := repoRoot(t)
	key := writeKey(t, dir)
	args := func(verb string) []string {
		return []string{verb, "--inputs", filepath.Join(root, "fixtures", "region"), "--db", filepath.Join(dir, "kaa.duckdb"),
			"--out", filepath.Join(dir, "out"), "--staff", filepath.Join(dir, "kaa-personal"), "--as-of", "2021-03-31", "--key-file", key}
	}
	if r := kaa(t, args("run")...); r.code != ExitOK {
		t.Fatalf("run: exit %d\n%s", r.code, r.stderr)
	}
	before := tree(t, filepath.Join(dir, "out"))
	if r := kaa(t, args("monthly")...); r.code != ExitOK {
		t.Fatalf("monthly: exit %d\n%s", r.code, r.stderr)
	}
	after := tree(t, filepath.Join(dir, "out"))
	if len(before) < 100 {
		t.Fatalf("only %d files published", len(before))
	}
	sameTrees(t, before, after, "kaa monthly against kaa run on the same region data")
}

func inodeOf(t *testing.T, p string) uint64 {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Sys().(*syscall.Stat_t).Ino
}

// TestPopulationFlag: --s3-population avslutade_deltagare changes S3 (its
// page says which population it shows, the manifest records it) and leaves
// S4 and S9 on the S1 cohort, as published by the default run.
func TestPopulationFlag(t *testing.T) {
	dir := t.TempDir()
	out, r := demoRun(t, dir, "--s3-population", "avslutade_deltagare")
	if r.code != ExitOK {
		t.Fatalf("run: exit %d\n%s", r.code, r.stderr)
	}
	got := tree(t, out)
	if !strings.Contains(string(got["manifest.json"]), `"s3": {
      "population": "avslutade_deltagare"
    }`) {
		t.Errorf("manifest does not record s3.population:\n%s", got["manifest.json"])
	}
	if s3 := string(got["2281/s3.html"]); !strings.Contains(s3, "avslutade projektdeltagare") {
		t.Error("s3.html does not say it shows the avslutade deltagare")
	}
	if s4 := string(got["2281/s4.html"]); strings.Contains(s4, "avslutade projektdeltagare") {
		t.Error("s4.html shows the avslutade deltagare")
	}
	// S9's page reads each test in words (s9_test: kon p 0,6755) and warns
	// where expected counts are small (alder: ÖVRIGA has 9 persons)
	s9 := string(got["2281/s9.html"])
	for _, want := range []string{"Skillnaden mellan könen är inte större än slumpen kan ge, p = 0,68.", "förväntat antal i testet är under 5"} {
		if !strings.Contains(s9, want) {
			t.Errorf("s9.html lacks %q", want)
		}
	}
	golden := filepath.Join(repoRoot(t), "fixtures", "golden", "2281", "tables")
	for _, name := range []string{"s3_omraden.csv", "s4_grundskolor.csv", "s9_utfall.csv"} {
		want, err := os.ReadFile(filepath.Join(golden, name))
		if err != nil {
			t.Fatal(err)
		}
		same := bytes.Equal(want, got["2281/tables/"+name])
		if name == "s3_omraden.csv" && same {
			t.Errorf("%s is the cohort's", name)
		}
		if name != "s3_omraden.csv" && !same {
			t.Errorf("%s changed with s3.population", name)
		}
	}
}
