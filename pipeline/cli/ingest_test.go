package cli

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
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
