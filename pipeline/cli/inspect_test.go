package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInspect runs `kaa inspect` on each case of testdata/inspect — an
// inputs folder, the extra flags in `args` — and compares the exit code,
// stdout and stderr with `want`. Regenerate with
//
//	go test ./pipeline/cli -run TestInspect -update
func TestInspect(t *testing.T) {
	cases, err := os.ReadDir(filepath.Join("testdata", "inspect"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 3 {
		t.Fatalf("only %d inspect cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.Name(), func(t *testing.T) {
			dir := filepath.Join("testdata", "inspect", c.Name())
			args := []string{"inspect", "--inputs", filepath.Join(dir, "inputs")}
			if b, err := os.ReadFile(filepath.Join(dir, "args")); err == nil {
				args = append(args, strings.Fields(string(b))...)
			}
			r := kaa(t, args...)
			got := "exit " + itoa(int64(r.code)) + "\n" + r.stdout + "--- stderr\n" + r.stderr
			p := filepath.Join(dir, "want")
			if *update {
				if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(p)
			if err != nil {
				t.Fatalf("no want file (run with -update): %v", err)
			}
			if string(want) != got {
				t.Errorf("kaa %s differs from %s (run with -update if intended)\n%s", strings.Join(args, " "), p, firstDiff(want, []byte(got)))
			}
		})
	}
}

// TestInspectWritesNothing: inspecting a folder creates no database, no
// output and no file in the inputs, and needs no key.
func TestInspectWritesNothing(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "inputs", "2281")
	write(t, filepath.Join(in, "kaa_individer.csv"), "Personnummer;Aktualiserad\n"+synthetic(1)+";2019-09-01\n")
	t.Chdir(dir)
	r := kaa(t, "inspect", "--inputs", "inputs")
	if r.code != ExitOK || !strings.Contains(r.stdout, "1 files, 1 would load within the gates") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	entries, _ := os.ReadDir(dir)
	files, _ := os.ReadDir(in)
	if len(entries) != 1 || len(files) != 1 {
		t.Errorf("inspect wrote files: %v %v", entries, files)
	}
	if r := kaa(t, "inspect"); r.code != ExitUsage {
		t.Errorf("no --inputs: exit %d", r.code)
	}
	if r := kaa(t, "inspect", "--inputs", "inputs", "--kommun", "0180"); r.code != ExitUsage || !strings.Contains(r.stderr, "no kommun folder 0180") {
		t.Errorf("unknown kommun: exit %d %s", r.code, r.stderr)
	}
}
