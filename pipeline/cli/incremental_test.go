package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIncrementalEqualsFresh: a database kept between runs and added to
// month by month publishes what a fresh database publishes from the same
// inputs. The history run sees each kommun's extracts but its last two,
// one extract that is later withdrawn, and an earlier as_of; then the held
// back extracts arrive, the withdrawn one is gone and as_of moves on. The
// monthly's S6 and S8 tables (S8 picks each kommun's latest extract from
// the file catalog and reads only its rows) and a following kaa run on the
// kept database must equal, byte for byte, a run on a fresh database.
func TestIncrementalEqualsFresh(t *testing.T) {
	dir := t.TempDir()
	root := repoRoot(t)
	inputs := filepath.Join(dir, "inputs")
	copyInputs(t, filepath.Join(root, "fixtures", "region"), inputs)
	held := filepath.Join(dir, "held")
	if err := os.MkdirAll(held, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"2262", "2280", "2281"} {
		ext, err := filepath.Glob(filepath.Join(inputs, k, "extens_*.csv"))
		if err != nil || len(ext) < 10 {
			t.Fatalf("%s: %d extracts (%v)", k, len(ext), err)
		}
		for _, p := range ext[len(ext)-2:] {
			if err := os.Rename(p, filepath.Join(held, k+"_"+filepath.Base(p))); err != nil {
				t.Fatal(err)
			}
		}
	}
	key := writeKey(t, dir)
	args := func(verb, db, out, asOf string) []string {
		return []string{verb, "-v", "--inputs", inputs, "--db", filepath.Join(dir, db), "--out", filepath.Join(dir, out),
			"--staff", filepath.Join(dir, out+"-staff"), "--as-of", asOf, "--key-file", key}
	}
	// a withdrawn extract: in the history run only, dated after every
	// other extract of 2280 that the history run sees, the latest one
	// without its last row
	withdrawn := filepath.Join(inputs, "2280", "extens_2021-03-17.csv")
	ext, _ := filepath.Glob(filepath.Join(inputs, "2280", "extens_*.csv"))
	b, err := os.ReadFile(ext[len(ext)-1])
	if err != nil {
		t.Fatal(err)
	}
	body := strings.TrimRight(string(b), "\r\n")
	body = body[:strings.LastIndexAny(body, "\r\n")+1]
	if err := os.WriteFile(withdrawn, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := kaa(t, args("run", "kept.duckdb", "out", "2021-03-20")...); r.code != ExitOK {
		t.Fatalf("history run: exit %d\n%s", r.code, r.stderr)
	}
	history := tree(t, filepath.Join(dir, "out"))

	if err := os.Remove(withdrawn); err != nil {
		t.Fatal(err)
	}
	moved, _ := filepath.Glob(filepath.Join(held, "*.csv"))
	for _, p := range moved {
		k, name, _ := strings.Cut(filepath.Base(p), "_")
		if err := os.Rename(p, filepath.Join(inputs, k, name)); err != nil {
			t.Fatal(err)
		}
	}
	r := kaa(t, args("monthly", "kept.duckdb", "out", "2021-03-31")...)
	if r.code != ExitOK {
		t.Fatalf("monthly: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "ingest    6 new files") {
		t.Errorf("the monthly should read the 6 held-back extracts alone; log:\n%s", r.stderr)
	}
	monthly := tree(t, filepath.Join(dir, "out"))
	if r := kaa(t, args("run", "kept.duckdb", "out", "2021-03-31")...); r.code != ExitOK {
		t.Fatalf("run on the kept database: exit %d\n%s", r.code, r.stderr)
	}
	kept := tree(t, filepath.Join(dir, "out"))

	if r := kaa(t, args("run", "fresh.duckdb", "fresh", "2021-03-31")...); r.code != ExitOK {
		t.Fatalf("run on a fresh database: exit %d\n%s", r.code, r.stderr)
	}
	fresh := tree(t, filepath.Join(dir, "fresh"))
	if len(fresh) < 100 {
		t.Fatalf("only %d files published", len(fresh))
	}
	sameTrees(t, kept, fresh, "kaa run on the kept database against a fresh one")

	tables, moved8 := 0, 0
	for name, want := range fresh {
		if !strings.Contains(name, "/tables/s6_") && !strings.Contains(name, "/tables/s8_") {
			continue
		}
		tables++
		if !bytes.Equal(monthly[name], want) {
			t.Errorf("monthly's %s differs from a fresh run's", name)
		}
		if strings.Contains(name, "/tables/s8_") && !bytes.Equal(history[name], want) {
			moved8++
		}
	}
	// S8 is of the latest extract: the history's (the withdrawn one in
	// 2280) cannot be the final one, so a stale S8 would differ
	if tables == 0 || moved8 == 0 {
		t.Errorf("%d S6/S8 tables, %d S8 tables changed since the history run: the test shows nothing", tables, moved8)
	}
}
