package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kaa-uppfoljning/kaa/pipeline/demo"
	"github.com/kaa-uppfoljning/kaa/pipeline/personnummer"
)

// vendorRun runs fixtures/vendor (or another inputs folder) with the
// demo's parameters into dir and returns the out folder.
func vendorRun(t *testing.T, dir, inputs string) string {
	t.Helper()
	out := filepath.Join(dir, "out")
	r := kaa(t, "run", "--inputs", inputs, "--config", filepath.Join(repoRoot(t), "fixtures", "demo.toml"),
		"--db", filepath.Join(dir, "kaa.duckdb"), "--out", out, "--key-file", writeKey(t, dir))
	if r.code != ExitOK {
		t.Fatalf("kaa run --inputs %s: exit %d\n%s", inputs, r.code, r.stderr)
	}
	return out
}

// TestVendorShape runs the vendor-shaped demo kommun (fixtures/vendor: its
// exports as its own systems write them, read through its mapping.toml)
// and checks that
//   - its tables, rejects and manifest equal fixtures/golden-vendor (run
//     with -update to regenerate);
//   - fixtures/vendor is what demo.VendorOptions generates;
//   - it gives exactly the pages and tables of the same data in the
//     canonical layout, and the same rows loaded, rejected (same rules
//     and values) and excluded per kind.
func TestVendorShape(t *testing.T) {
	root := repoRoot(t)
	vendorDir := filepath.Join(root, "fixtures", "vendor")
	vendorOut := vendorRun(t, t.TempDir(), vendorDir)
	got := tree(t, vendorOut)

	t.Run("golden", func(t *testing.T) {
		golden := filepath.Join(root, "fixtures", "golden-vendor")
		if *update {
			os.RemoveAll(golden)
		}
		seen := map[string]bool{}
		for name, b := range got {
			if strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".parquet") {
				continue
			}
			seen[name] = true
			p := filepath.Join(golden, filepath.FromSlash(name))
			if *update {
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, b, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(p)
			if err != nil {
				t.Errorf("%s: no golden file (run with -update): %v", name, err)
				continue
			}
			if !bytes.Equal(want, b) {
				t.Errorf("%s differs from %s (run with -update if intended)\n%s", name, p, firstDiff(want, b))
			}
		}
		if !*update {
			for name := range tree(t, golden) {
				if !seen[name] {
					t.Errorf("golden %s was not produced", name)
				}
			}
		}
	})

	t.Run("fixture is generated", func(t *testing.T) {
		fresh := t.TempDir()
		if _, err := demo.Generate(fresh, demo.VendorOptions()); err != nil {
			t.Fatal(err)
		}
		sameTrees(t, tree(t, vendorDir), tree(t, fresh), "fixtures/vendor against demo.VendorOptions (regenerate: KAA_WRITE_FIXTURES=1 go test ./pipeline/demo -run TestWriteFixtures)")
	})

	t.Run("equals the canonical shape", func(t *testing.T) {
		dir := t.TempDir()
		opt := demo.VendorOptions()
		opt.Vendor = false
		canon := filepath.Join(dir, "inputs")
		if _, err := demo.Generate(canon, opt); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(canon, "1402", "extens_2020-04-06.csv")); err != nil {
			t.Fatalf("the canonical twin is not in the canonical layout: %v", err)
		}
		want := tree(t, vendorRun(t, dir, canon))
		pages := func(files map[string][]byte) map[string][]byte {
			out := map[string][]byte{}
			for name, b := range files {
				if !strings.HasPrefix(name, "1402/") {
					continue
				}
				if strings.HasSuffix(name, ".html") {
					// the method notes name the input files, whose names
					// differ between the shapes: leave those lines out
					var keep []string
					for _, line := range strings.Split(string(b), "\n") {
						if !strings.Contains(line, ".csv") {
							keep = append(keep, line)
						}
					}
					b = []byte(strings.Join(keep, "\n"))
				}
				out[name] = b
			}
			return out
		}
		if len(pages(want)) < 20 {
			t.Fatalf("the canonical run published only %d files", len(pages(want)))
		}
		sameTrees(t, pages(want), pages(got), "vendor shape against canonical shape")
		if a, b := rejectRules(t, want["rejects.csv"]), rejectRules(t, got["rejects.csv"]); a != b || a == "" {
			t.Errorf("rejects differ (rule;field;value):\ncanonical:\n%s\nvendor:\n%s", a, b)
		}
		if a, b := kindCounts(t, want["manifest.json"]), kindCounts(t, got["manifest.json"]); a != b {
			t.Errorf("counts per kind differ:\ncanonical:\n%s\nvendor:\n%s", a, b)
		}
	})
}

// rejectRules lists the rule, field and value of every reject, sorted
// (file names and line numbers differ between the shapes).
func rejectRules(t *testing.T, csv []byte) string {
	t.Helper()
	var rows []string
	for i, line := range strings.Split(strings.TrimRight(strings.TrimPrefix(string(csv), "\uFEFF"), "\r\n"), "\r\n") {
		if i == 0 || line == "" {
			continue
		}
		f := strings.SplitN(line, ";", 3)
		if len(f) < 3 {
			t.Fatalf("rejects.csv line %q", line)
		}
		rows = append(rows, f[2])
	}
	sort.Strings(rows)
	return strings.Join(rows, "\n")
}

// kindCounts sums the manifest's file counts per kind.
func kindCounts(t *testing.T, b []byte) string {
	t.Helper()
	var m struct {
		Inputs []struct {
			Kind                             string
			Read, Loaded, Rejected, Excluded int64
		}
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	sums := map[string][5]int64{}
	for _, in := range m.Inputs {
		s := sums[in.Kind]
		s[0]++
		s[1] += in.Read
		s[2] += in.Loaded
		s[3] += in.Rejected
		s[4] += in.Excluded
		sums[in.Kind] = s
	}
	var lines []string
	for k, s := range sums {
		lines = append(lines, k+": files "+itoa(s[0])+" read "+itoa(s[1])+" loaded "+itoa(s[2])+" rejected "+itoa(s[3])+" excluded "+itoa(s[4]))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestMakefileDemoKey: `make demo` runs fixtures/vendor with the public
// demo key; it must be the one the pipeline knows as such.
func TestMakefileDemoKey(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "DEMO_KEY := "+personnummer.DemoKey+"\n") {
		t.Errorf("Makefile's DEMO_KEY is not personnummer.DemoKey (%s)", personnummer.DemoKey)
	}
}
