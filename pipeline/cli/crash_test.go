package cli

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/marcboeker/go-duckdb"

	"github.com/kaa-uppfoljning/kaa/pipeline/demo"
	"github.com/kaa-uppfoljning/kaa/pipeline/personnummer"
	"github.com/kaa-uppfoljning/kaa/pipeline/publish"
)

// TestMain lets the test binary act as the kaa command: with KAA_TEST_MAIN
// set it runs Run on its arguments and exits, so tests can start real
// processes and kill them.
func TestMain(m *testing.M) {
	if os.Getenv("KAA_TEST_MAIN") == "1" {
		os.Exit(Run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	// No test may read a pseudonym key from the developer's environment:
	// each passes --key-file or means to run without a key. Unsetting it
	// once here, instead of t.Setenv in each test, lets those tests run in
	// parallel.
	os.Unsetenv(personnummer.KeyEnv)
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// command makes a kaa process (the test binary in KAA_TEST_MAIN mode).
func command(args ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "KAA_TEST_MAIN=1")
	return cmd
}

// smallInputs writes a small synthetic kommun (one year, a fifth of the
// demo's population) for tests that run kaa many times.
func smallInputs(t *testing.T, dir string) string {
	t.Helper()
	in := filepath.Join(dir, "inputs")
	if _, err := demo.Generate(in, demo.Options{Kommuner: 1, Years: 1, Scale: 0.2, Seed: 7, BadRows: true}); err != nil {
		t.Fatal(err)
	}
	return in
}

// runArgs runs the small generated inputs. Their deliberately bad rows are
// more than 2 % of a small file (tidsstudie), so the reject-share gate is
// raised.
func runArgs(dir, inputs string) []string {
	return []string{"run", "--inputs", inputs, "--db", filepath.Join(dir, "kaa.duckdb"), "--out", filepath.Join(dir, "out"),
		"--as-of", "2021-03-31", "--key-file", filepath.Join(dir, "key"), "--max-reject-share", "0.05"}
}

// TestSecondRunIsRefused: while one run holds the lock, another exits with
// ExitLocked and a message naming the holder; once it is released, runs go.
func TestSecondRunIsRefused(t *testing.T) {
	dir := t.TempDir()
	inputs := smallInputs(t, dir)
	writeKey(t, dir)
	held, err := publish.TakeLock(filepath.Join(dir, "kaa.duckdb.lock"))
	if err != nil {
		t.Fatal(err)
	}
	r := kaa(t, runArgs(dir, inputs)...)
	if r.code != ExitLocked || !strings.Contains(r.stderr, fmt.Sprintf("another kaa run (pid %d)", os.Getpid())) {
		t.Fatalf("exit %d, want %d naming pid %d\n%s", r.code, ExitLocked, os.Getpid(), r.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Error("the refused run published")
	}
	held.Release()

	// two real processes: the second starts while the first holds the lock
	first := command(runArgs(dir, inputs)...)
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	waitForLock(t, filepath.Join(dir, "kaa.duckdb.lock"), first.Process.Pid)
	second := command(runArgs(dir, inputs)...)
	out, _ := second.CombinedOutput()
	if err := first.Wait(); err != nil {
		t.Fatalf("first run: %v", err)
	}
	if second.ProcessState.ExitCode() != ExitLocked {
		t.Errorf("second run: exit %d, want %d\n%s", second.ProcessState.ExitCode(), ExitLocked, out)
	}
}

func waitForLock(t *testing.T, path string, pid int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil && strings.Contains(string(b), fmt.Sprint(pid)) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("process %d never took the lock %s", pid, path)
}

// TestKilledRunsLeaveConsistentState kills `kaa run` with SIGKILL at points
// spread over a whole run, each time on top of the state the previous kill
// left. After every kill the published folder must be absent (nothing
// published yet) or exactly the complete reference output, and the next
// uninterrupted run must publish output byte-identical to a run that was
// never interrupted.
func TestKilledRunsLeaveConsistentState(t *testing.T) {
	t.Parallel() // after the sequential tests, beside the other slow ones (no env or globals changed)
	if testing.Short() {
		t.Skip("kills many runs")
	}
	base := t.TempDir()
	inputs := smallInputs(t, base)

	ref := filepath.Join(base, "ref")
	os.MkdirAll(ref, 0o755)
	writeKey(t, ref)
	start := time.Now()
	if out, err := command(runArgs(ref, inputs)...).CombinedOutput(); err != nil {
		t.Fatalf("reference run: %v\n%s", err, out)
	}
	full := time.Since(start)
	want := tree(t, filepath.Join(ref, "out"))

	dir := filepath.Join(base, "killed")
	os.MkdirAll(dir, 0o755)
	writeKey(t, dir)
	const points = 16
	published := false
	for i := 0; i < points; i++ {
		// spread over the run; after the first publication, later kills hit reruns
		delay := time.Duration(int64(full) * int64(i+1) / int64(points+1))
		cmd := command(runArgs(dir, inputs)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(delay)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		out := filepath.Join(dir, "out")
		if _, err := os.Stat(out); err == nil {
			sameTrees(t, want, tree(t, out), fmt.Sprintf("published after a kill at %v", delay))
			published = true
		} else if published {
			// between Commit's two renames <out> may be missing; the next run restores it
			t.Logf("kill at %v: %s missing (crash between renames)", delay, out)
		}
	}
	if out, err := command(runArgs(dir, inputs)...).CombinedOutput(); err != nil {
		t.Fatalf("run after the kills: %v\n%s", err, out)
	}
	sameTrees(t, want, tree(t, filepath.Join(dir, "out")), "after the kills")
	leftovers, _ := filepath.Glob(filepath.Join(dir, "out.*"))
	stages, _ := filepath.Glob(filepath.Join(dir, ".kaa-stage-*"))
	if len(leftovers) > 0 {
		t.Errorf("leftover publish folders: %v", leftovers)
	}
	if len(stages) > 0 {
		t.Errorf("staging folders of killed runs left behind: %v", stages)
	}
}

// TestUnreplayableWALIsMovedAside: a database whose WAL DuckDB cannot
// replay (as DuckDB 1.1 left it when a commit was torn by a kill and the
// next run appended after the torn entries; made here with plain DuckDB)
// does not block every later run: the run says on stderr that it moved the
// WAL aside and to which file, and publishes what an uninterrupted run
// publishes.
func TestUnreplayableWALIsMovedAside(t *testing.T) {
	if testing.Short() {
		t.Skip("runs kaa twice")
	}
	dir := t.TempDir()
	inputs := smallInputs(t, dir)
	writeKey(t, dir)
	if r := kaa(t, runArgs(dir, inputs)...); r.code != 0 {
		t.Fatalf("first run: exit %d\n%s", r.code, r.stderr)
	}
	want := tree(t, filepath.Join(dir, "out"))

	db := filepath.Join(dir, "kaa.duckdb")
	before := int64(0)
	rawSession(t, db, "create table torn (a integer)")
	if fi, err := os.Stat(db + ".wal"); err == nil {
		before = fi.Size()
	}
	rawSession(t, db, "create view stg_torn as select 1 as x")
	cutLastFrame(t, db+".wal", before)
	rawSession(t, db, "create view stg_torn as select 1 as x")

	r := kaa(t, runArgs(dir, inputs)...)
	if r.code != 0 {
		t.Fatalf("run over the unreplayable WAL: exit %d\n%s", r.code, r.stderr)
	}
	moved, _ := filepath.Glob(db + ".wal.unreplayable-*")
	if len(moved) != 1 || !strings.Contains(r.stderr, "moved to "+moved[0]) || !strings.Contains(r.stderr, `View with name "stg_torn" already exists`) {
		t.Errorf("moved aside: %v; stderr does not name it and DuckDB's reason:\n%s", moved, r.stderr)
	}
	sameTrees(t, want, tree(t, filepath.Join(dir, "out")), "after moving the WAL aside")
	if r := kaa(t, runArgs(dir, inputs)...); r.code != 0 || strings.Contains(r.stderr, "could not be replayed") {
		t.Errorf("the run after: exit %d\n%s", r.code, r.stderr)
	}
}

// rawSession runs statements on the database file with plain DuckDB and
// closes it without the checkpoint on shutdown: the WAL stays as a process
// killed right after the last commit leaves it.
func rawSession(t *testing.T, path string, stmts ...string) {
	t.Helper()
	connector, err := duckdb.NewConnector(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	for _, q := range append([]string{"pragma disable_checkpoint_on_shutdown"}, stmts...) {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// cutLastFrame cuts the WAL before its last entry (size uint64, checksum
// uint64, payload), the flush marker of its last commit, walking entries
// from the entry boundary from.
func cutLastFrame(t *testing.T, wal string, from int64) {
	t.Helper()
	b, err := os.ReadFile(wal)
	if err != nil {
		t.Fatal(err)
	}
	if from == 0 { // a new WAL starts with an unframed version entry
		t.Fatalf("%s: no commit before the one to cut", wal)
	}
	last := from
	for pos := from; pos < int64(len(b)); {
		last = pos
		pos += 16 + int64(binary.LittleEndian.Uint64(b[pos:]))
	}
	if err := os.Truncate(wal, last); err != nil {
		t.Fatal(err)
	}
}
