package cli

import (
	"io"
	"path/filepath"
	"strings"
	"testing"
)

// TestProgressOnlyOnATerminal: with stderr taken for a terminal, a run
// draws a bar per stage (files, rows and the time left for the ingest,
// models for the build, scopes for tables and reports) and clears it
// before each -v line; with stderr not a terminal (cron, a log file) a
// successful run writes only its warnings (the demo inputs have rejects
// and an empty S5 month), and -v only its log lines.
func TestProgressOnlyOnATerminal(t *testing.T) {
	dir := t.TempDir()
	inputs := smallInputs(t, dir)
	writeKey(t, dir)
	args := func(name string, extra ...string) []string {
		return append([]string{"run", "--inputs", inputs, "--db", filepath.Join(dir, name+".duckdb"), "--out", filepath.Join(dir, name),
			"--as-of", "2021-03-31", "--key-file", filepath.Join(dir, "key"), "--max-reject-share", "0.05"}, extra...)
	}

	r := kaa(t, args("cron")...)
	if r.code != ExitOK {
		t.Fatalf("not a terminal: exit %d\n%s", r.code, r.stderr)
	}
	warnings := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
	if len(warnings) != 2 || !strings.HasPrefix(warnings[0], "kaa: warning: no data in the period") || !strings.HasPrefix(warnings[1], "kaa: 8 rows rejected in 5 files") {
		t.Errorf("not a terminal: want the two warnings and nothing else on stderr:\n%q", r.stderr)
	}
	r = kaa(t, args("cron-v", "-v")...)
	if r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, l := range strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n") {
		if !strings.HasPrefix(l, "kaa: ") || strings.Contains(l, "\r") {
			t.Errorf("not a terminal, -v: a line that is not a log line: %q", l)
		}
	}

	tty, delay := isTerminal, progressDelay
	t.Cleanup(func() { isTerminal, progressDelay = tty, delay })
	isTerminal = func(io.Writer) bool { return true }
	progressDelay = 0
	r = kaa(t, args("tty", "-v")...)
	if r.code != ExitOK {
		t.Fatalf("terminal: exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"ingest ", " files, ", " rows", "build ", "/", "tables ", "reports ", "\r"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("terminal: no %q in the progress output:\n%q", want, tail(r.stderr, 2000))
		}
	}
	// every -v line starts on a cleared line
	for _, l := range strings.Split(r.stderr, "\n") {
		if i := strings.Index(l, "kaa: "); i > 0 && !strings.HasSuffix(strings.TrimRight(l[:i], " "), "\r") {
			t.Errorf("a log line shares its line with a bar: %q", l)
		}
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
