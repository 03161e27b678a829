package cli

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/manifest"
	"github.com/kaa-uppfoljning/kaa/pipeline/personnummer"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func pseudonymOf(t *testing.T, pnr string) string {
	t.Helper()
	p, err := personnummer.NewPseudonymizer([]byte(testKey))
	if err != nil {
		t.Fatal(err)
	}
	n, err := personnummer.Parse(pnr, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	return p.Pseudonym(n)
}

func count(t *testing.T, db *sql.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// readManifest reads <out>/manifest.json's inputs by path.
func readManifest(t *testing.T, out string) map[string]manifest.Input {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m manifest.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	res := map[string]manifest.Input{}
	for _, in := range m.Inputs {
		res[in.Path] = in
	}
	return res
}

// TestSkyddadLaterIsPurgedEverywhere: a person loaded in one run and marked
// skyddad in a later extract disappears from every table; the earlier
// files' counts move from loaded to excluded; the pseudonym is nowhere.
func TestSkyddadLaterIsPurgedEverywhere(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "inputs", "2281")
	a, b := synthetic(11), synthetic(12)
	ext := "Personnummer;Skyddad;Inskriven;Examen\n" + a + ";N;N;N\n" + b + ";N;N;N\n"
	write(t, filepath.Join(in, "extens_2020-03-02.csv"), ext)
	write(t, filepath.Join(in, "kaa_individer.csv"), "Personnummer;Aktualiserad\n"+a+";2019-09-01\n"+b+";2019-09-02\n")
	write(t, filepath.Join(in, "deltagare.csv"), "Personnummer;Inskriven\n"+a+";2019-10-01\n")
	args := []string{"run", "--inputs", filepath.Join(dir, "inputs"), "--db", filepath.Join(dir, "kaa.duckdb"),
		"--out", filepath.Join(dir, "out"), "--as-of", "2021-03-31", "--key-file", writeKey(t, dir)}
	if r := kaa(t, args...); r.code != ExitOK {
		t.Fatalf("first run: exit %d\n%s", r.code, r.stderr)
	}
	write(t, filepath.Join(in, "extens_2020-03-09.csv"), "Personnummer;Skyddad\n"+a+";J\n"+b+";N\n")
	if r := kaa(t, args...); r.code != ExitOK {
		t.Fatalf("second run: exit %d\n%s", r.code, r.stderr)
	}
	m := readManifest(t, filepath.Join(dir, "out"))
	for path, want := range map[string][3]int64{ // loaded, excluded, read
		"2281/extens_2020-03-02.csv": {1, 1, 2},
		"2281/extens_2020-03-09.csv": {1, 1, 2},
		"2281/kaa_individer.csv":     {1, 1, 2},
		"2281/deltagare.csv":         {0, 1, 1},
	} {
		got := m[path]
		if got.Loaded != want[0] || got.Excluded != want[1] || got.Read != want[2] {
			t.Errorf("%s: loaded %d excluded %d read %d, want %v", path, got.Loaded, got.Excluded, got.Read, want)
		}
	}
	db, err := sql.Open("duckdb", filepath.Join(dir, "kaa.duckdb")+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	pa, pb := pseudonymOf(t, a), pseudonymOf(t, b)
	for _, tbl := range []string{"raw_extens", "raw_kaa_individer", "raw_deltagare"} {
		if n := count(t, db, "select count(*) from "+tbl+" where person = ?", pa); n != 0 {
			t.Errorf("%s still holds %d rows of the skyddad person", tbl, n)
		}
	}
	if n := count(t, db, "select count(*) from raw_extens where person = ?", pb); n != 2 {
		t.Errorf("the other person has %d extens rows, want 2", n)
	}
	if n := count(t, db, "select count(*) from skyddad"); n != 1 {
		t.Errorf("%d blockmarks, want 1", n)
	}
	if n := count(t, db, "select count(*) from skyddad where blockmark = ?", pa); n != 0 {
		t.Error("the blockmark is the pseudonym")
	}
}

// TestMappingProfileAndSuperseded: a kommun's mapping.toml renames its own
// headers and recodes its values; of two dated register exports the newer
// one is used and the older is listed as superseded by it.
func TestMappingProfileAndSuperseded(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "inputs", "2281")
	a, b := synthetic(21), synthetic(22)
	write(t, filepath.Join(in, "mapping.toml"), `
[kaa_individer.columns]
Personnummer = "Pnr"
Aktualiserad = "Aktuell från"
[kaa_individer.values.Registreringsorsak]
"Avbrott IM" = "AVBROTT_IM"
`)
	write(t, filepath.Join(in, "kaa_individer_2021-01-31.csv"), "Pnr;Aktuell från;Registreringsorsak\n"+a+";2019-09-01;Avbrott IM\n")
	write(t, filepath.Join(in, "kaa_individer_2021-02-28.csv"), "Pnr;Aktuell från;Registreringsorsak\n"+a+";2019-09-01;Avbrott IM\n"+b+";2019-10-01;\n")
	r := kaa(t, "run", "--inputs", filepath.Join(dir, "inputs"), "--db", filepath.Join(dir, "kaa.duckdb"),
		"--out", filepath.Join(dir, "out"), "--as-of", "2021-03-31", "--suppress-below", "0", "--key-file", writeKey(t, dir))
	if r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	m := readManifest(t, filepath.Join(dir, "out"))
	if s := m["2281/kaa_individer_2021-01-31.csv"]; s.Status != "superseded" || s.SupersededBy != "2281/kaa_individer_2021-02-28.csv" {
		t.Errorf("older export status %q by %q, want superseded by the newer", s.Status, s.SupersededBy)
	}
	if got := m["2281/kaa_individer_2021-02-28.csv"]; got.Status != "used" || got.Loaded != 2 {
		t.Errorf("newer export: %+v, want used with 2 rows loaded", got)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "out", "2281", "tables", "s1_registreringsorsak.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// cohort: both persons once (the superseded file does not double a); a recoded
	if want := "AVBROTT_IM;1;0,5000"; !strings.Contains(string(csv), want) {
		t.Errorf("s1_registreringsorsak lacks %q:\n%s", want, csv)
	}
	if want := "OKAND;1;0,5000"; !strings.Contains(string(csv), want) {
		t.Errorf("s1_registreringsorsak lacks %q:\n%s", want, csv)
	}
}

// TestVerifyInputs: a second run trusts the digests remembered for files
// whose size, mtime, ctime and inode are unchanged and reads none of them;
// a file rewritten in place with the same size and its mtime reset is
// caught by its ctime. Where the file system does not move ctime either
// (simulated by recording the rewritten file's stat with the old digest),
// a run without --verify-inputs keeps the old digest and the old rows —
// the documented trade-off — and --verify-inputs reads every file again,
// names the changed one and uses its new bytes.
func TestVerifyInputs(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "inputs", "2281")
	a, b := synthetic(31), synthetic(32)
	extens := filepath.Join(in, "extens_2020-03-02.csv")
	write(t, extens, "Personnummer;Skyddad;Inskriven;Examen\n"+a+";N;N;N\n"+b+";N;N;N\n")
	write(t, filepath.Join(in, "kaa_individer.csv"), "Personnummer;Aktualiserad\n"+a+";2019-09-01\n"+b+";2019-09-02\n")
	old := time.Now().Add(-time.Hour)
	for _, p := range []string{extens, filepath.Join(in, "kaa_individer.csv")} {
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(dir, "kaa.duckdb")
	args := []string{"run", "-v", "--inputs", filepath.Join(dir, "inputs"), "--db", db,
		"--out", filepath.Join(dir, "out"), "--as-of", "2021-03-31", "--key-file", writeKey(t, dir)}
	run := func(what string, extra ...string) result {
		t.Helper()
		r := kaa(t, append(append([]string{}, args...), extra...)...)
		if r.code != ExitOK {
			t.Fatalf("%s: exit %d\n%s", what, r.code, r.stderr)
		}
		return r
	}
	hashOf := func() string {
		t.Helper()
		for _, in := range readManifestFull(t, filepath.Join(dir, "out")) {
			if in.Path == "2281/extens_2020-03-02.csv" {
				return in.SHA256
			}
		}
		t.Fatal("extens file not in the manifest")
		return ""
	}
	if r := run("first run"); !strings.Contains(r.stderr, "2 files, 2 hashed, 0 unchanged") {
		t.Errorf("first run should hash both files:\n%s", r.stderr)
	}
	if r := run("second run"); !strings.Contains(r.stderr, "2 files, 0 hashed, 2 unchanged") {
		t.Errorf("second run should read no file to hash it:\n%s", r.stderr)
	}
	first := hashOf()

	// in place, same size (Inskriven N → J for b), mtime reset: ctime moved
	rewrite := func(from, to string) {
		t.Helper()
		body, err := os.ReadFile(extens)
		if err != nil {
			t.Fatal(err)
		}
		nb := strings.Replace(string(body), from, to, 1)
		if len(nb) != len(body) || nb == string(body) {
			t.Fatal("rewrite must change bytes, not size")
		}
		f, err := os.OpenFile(extens, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteAt([]byte(nb), 0); err != nil {
			t.Fatal(err)
		}
		f.Close()
		if err := os.Chtimes(extens, old, old); err != nil {
			t.Fatal(err)
		}
	}
	rewrite(b+";N;N;N", b+";N;J;N")
	if r := run("run after a rewrite"); !strings.Contains(r.stderr, "1 hashed, 1 unchanged") || !strings.Contains(r.stderr, "1 new files") {
		t.Errorf("a rewrite with the mtime reset should be caught by its ctime:\n%s", r.stderr)
	}
	second := hashOf()
	if second == first {
		t.Fatal("the manifest kept the old digest after a rewrite")
	}

	// a file system that keeps ctime too: rewrite, then record the file's
	// new stat with the digest of its bytes before the rewrite
	rewrite(b+";N;J;N", b+";N;N;J")
	conn, err := sql.Open("duckdb", db)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(extens)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	if _, err := conn.Exec(`update input_digest set change_ns = ?, mod_ns = ?, seen_ns = ? where path like '%extens_2020-03-02.csv'`,
		st.Ctim.Nano(), fi.ModTime().UnixNano(), time.Now().UnixNano()); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if r := run("run trusting the digests"); !strings.Contains(r.stderr, "0 hashed, 2 unchanged") || hashOf() != second {
		t.Errorf("without --verify-inputs the remembered digest is trusted (the trade-off):\n%s", r.stderr)
	}
	r := run("run with --verify-inputs", "--verify-inputs")
	if !strings.Contains(r.stderr, "2 hashed, 0 unchanged") || !strings.Contains(r.stderr, "extens_2020-03-02.csv: its bytes changed although its size, mtime, ctime and inode did not") {
		t.Errorf("--verify-inputs should hash every file and name the changed one:\n%s", r.stderr)
	}
	if h := hashOf(); h == second || h == first {
		t.Errorf("--verify-inputs: manifest digest %s, want the new bytes' digest", h)
	}
}

// readManifestFull returns the manifest's inputs with their digests.
func readManifestFull(t *testing.T, out string) []struct{ Path, SHA256 string } {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Inputs []struct{ Path, SHA256 string }
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m.Inputs
}
