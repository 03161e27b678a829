package publish

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestMain doubles as the helper process of TestKilledRun: with
// KAA_PUBLISH_HELPER=<point> set, the test binary runs a publishing "run"
// that stops at <point>, says "ready" on stdout and waits to be killed.
func TestMain(m *testing.M) {
	if point := os.Getenv("KAA_PUBLISH_HELPER"); point != "" {
		helperRun(point, os.Getenv("KAA_PUBLISH_OUT"), os.Getenv("KAA_PUBLISH_LOCK"))
		return
	}
	os.Exit(m.Run())
}

func helperRun(point, out, lockPath string) {
	die := func(err error) {
		fmt.Fprintln(os.Stderr, "helper:", err)
		os.Exit(3)
	}
	stop := func() {
		fmt.Println("ready")
		time.Sleep(time.Minute) // killed long before
		os.Exit(9)
	}
	l, err := TakeLock(lockPath)
	if err != nil {
		die(err)
	}
	if err := Recover(out); err != nil {
		die(err)
	}
	s, err := Begin(out)
	if err != nil {
		die(err)
	}
	files := newSet
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		p := filepath.Join(s.Dir(), filepath.FromSlash(n))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			die(err)
		}
		if point == "writing" && i == 1 {
			// half a file, then killed
			if err := os.WriteFile(p, []byte(files[n][:2]), 0o644); err != nil {
				die(err)
			}
			stop()
		}
		if err := os.WriteFile(p, []byte(files[n]), 0o644); err != nil {
			die(err)
		}
		time.Sleep(20 * time.Millisecond) // publish slowly
	}
	crashHook = func(p string) {
		if p == point {
			stop()
		}
	}
	if err := s.Commit(); err != nil {
		die(err)
	}
	l.Release()
	os.Exit(0)
}

var (
	oldSet = map[string]string{"manifest.json": "{\"run\":1}\n", "0180/index.html": "old index", "0180/tables/s1_status.csv": "old;csv", "gone.txt": "only in the old set"}
	newSet = map[string]string{"manifest.json": "{\"run\":2}\n", "0180/index.html": "new index", "0180/tables/s1_status.csv": "new;csv", "region/index.html": "new region"}
)

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readTree returns the regular files under dir, by slash path; nil if dir
// does not exist.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func ls(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestCommitReplaces(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	writeTree(t, out, oldSet)
	if err := os.Chmod(out, 0o750); err != nil {
		t.Fatal(err)
	}

	s, err := Begin(out)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(s.Dir()) != parent || !strings.HasPrefix(filepath.Base(s.Dir()), "out.tmp-") {
		t.Errorf("staging dir %s is not a sibling out.tmp-*", s.Dir())
	}
	writeTree(t, s.Dir(), newSet)
	if got := readTree(t, out); !reflect.DeepEqual(got, oldSet) {
		t.Errorf("before Commit, out = %v", got)
	}
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, out); !reflect.DeepEqual(got, newSet) {
		t.Errorf("after Commit, out = %v, want %v", got, newSet)
	}
	if got := ls(t, parent); !reflect.DeepEqual(got, []string{"out"}) {
		t.Errorf("parent holds %v, want only out", got)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o750 {
		t.Errorf("out mode %v, want the previous 0750", fi.Mode().Perm())
	}
	if err := s.Commit(); err == nil {
		t.Error("second Commit succeeded")
	}
	if err := s.Abort(); err != nil {
		t.Errorf("Abort after Commit: %v", err)
	}
	if got := readTree(t, out); !reflect.DeepEqual(got, newSet) {
		t.Errorf("Abort after Commit changed out: %v", got)
	}
}

func TestCommitFirstRun(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "reports", "out") // parent made by Begin
	s, err := Begin(out)
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, s.Dir(), newSet)
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, out); !reflect.DeepEqual(got, newSet) {
		t.Errorf("out = %v", got)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o755 {
		t.Errorf("out mode %v, want 0755", fi.Mode().Perm())
	}
}

func TestAbortKeepsOld(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "out")
	writeTree(t, out, oldSet)
	s, err := Begin(out)
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, s.Dir(), newSet)
	if err := s.Abort(); err != nil {
		t.Fatal(err)
	}
	if got := readTree(t, out); !reflect.DeepEqual(got, oldSet) {
		t.Errorf("out = %v, want the old set", got)
	}
	if got := ls(t, parent); !reflect.DeepEqual(got, []string{"out"}) {
		t.Errorf("parent holds %v", got)
	}
	if err := s.Abort(); err != nil {
		t.Errorf("second Abort: %v", err)
	}
	if err := s.Commit(); err == nil {
		t.Error("Commit after Abort succeeded")
	}
}

func TestBeginRefuses(t *testing.T) {
	parent := t.TempDir()
	file := filepath.Join(parent, "file")
	os.WriteFile(file, []byte("x"), 0o644)
	link := filepath.Join(parent, "link")
	os.Mkdir(filepath.Join(parent, "real"), 0o755)
	os.Symlink("real", link)
	for _, tt := range []struct{ out, want string }{
		{"", "publish: no output directory given"},
		{"/", "publish: / cannot be an output directory"},
		{file, "publish: " + file + " exists and is not a directory"},
		{link, "publish: " + link + " is a symbolic link; give the real directory as the output"},
	} {
		if _, err := Begin(tt.out); err == nil || err.Error() != tt.want {
			t.Errorf("Begin(%q) = %v, want %q", tt.out, err, tt.want)
		}
	}
}

func TestRecover(t *testing.T) {
	const stamp = "20210331T020000Z-4242-1"
	const stamp2 = "20210401T020000Z-4243-1"
	tests := []struct {
		name    string
		before  map[string]map[string]string // directory beside out → files
		wantOut map[string]string
		wantLs  []string
		wantErr string
	}{
		{"crash while writing",
			map[string]map[string]string{"out": oldSet, "out.tmp-" + stamp: {"manifest.json": "{"}},
			oldSet, []string{"out"}, ""},
		{"crash between the renames",
			map[string]map[string]string{"out.old-" + stamp: oldSet, "out.tmp-" + stamp: newSet},
			oldSet, []string{"out"}, ""},
		{"crash after the swap",
			map[string]map[string]string{"out": newSet, "out.old-" + stamp: oldSet},
			newSet, []string{"out"}, ""},
		{"clean",
			map[string]map[string]string{"out": oldSet},
			oldSet, []string{"out"}, ""},
		{"first run never published",
			map[string]map[string]string{"out.tmp-" + stamp: newSet},
			nil, nil, ""},
		{"names not ours are left alone",
			map[string]map[string]string{"out": oldSet, "out.old-2020": {"a": "archive"}, "out.tmp-x": {"a": "x"},
				"outer.tmp-" + stamp: {"a": "other output"}, "out.tmp-" + stamp: {"a": "ours"}},
			oldSet, []string{"out", "out.old-2020", "out.tmp-x", "outer.tmp-" + stamp}, ""},
		{"two previous outputs: refuse to guess",
			map[string]map[string]string{"out.old-" + stamp: oldSet, "out.old-" + stamp2: newSet, "out.tmp-" + stamp2: newSet},
			nil, []string{"out.old-" + stamp, "out.old-" + stamp2},
			"is missing and there are 2 earlier outputs beside it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			for dir, files := range tt.before {
				if err := os.Mkdir(filepath.Join(parent, dir), 0o755); err != nil {
					t.Fatal(err)
				}
				writeTree(t, filepath.Join(parent, dir), files)
			}
			out := filepath.Join(parent, "out")
			err := Recover(out)
			if tt.wantErr == "" && err != nil {
				t.Fatalf("Recover: %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("Recover = %v, want %q", err, tt.wantErr)
			}
			if got := readTree(t, out); !reflect.DeepEqual(got, tt.wantOut) {
				t.Errorf("out = %v, want %v", got, tt.wantOut)
			}
			if got := ls(t, parent); !reflect.DeepEqual(got, tt.wantLs) {
				t.Errorf("parent holds %q, want %q", got, tt.wantLs)
			}
		})
	}
	if err := Recover(filepath.Join(t.TempDir(), "no", "such", "out")); err != nil {
		t.Errorf("missing parent: %v", err)
	}
}

func TestLockExclusive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaa.lock")
	l, err := TakeLock(path)
	if err != nil {
		t.Fatal(err)
	}
	if l.Stale {
		t.Error("fresh lock reported stale")
	}
	b, _ := os.ReadFile(path)
	lines := strings.Split(string(b), "\n")
	if lines[0] != strconv.Itoa(os.Getpid()) || !strings.HasPrefix(lines[1], "kaa run started ") {
		t.Errorf("lock file = %q", b)
	}

	_, err = TakeLock(path)
	var le *LockedError
	if !errors.As(err, &le) {
		t.Fatalf("second TakeLock = %v, want *LockedError", err)
	}
	if *le != (LockedError{Path: path, PID: os.Getpid()}) {
		t.Errorf("LockedError = %+v", *le)
	}
	want := fmt.Sprintf("another kaa run (pid %d) holds the lock %s; wait for it to finish or, if it is not running, remove the file", os.Getpid(), path)
	if err.Error() != want {
		t.Errorf("message:\n got %s\nwant %s", err, want)
	}

	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("lock file still there after Release: %v", err)
	}
	if err := l.Release(); err != nil {
		t.Errorf("second Release: %v", err)
	}
	var nilLock *Lock
	if err := nilLock.Release(); err != nil {
		t.Errorf("nil Release: %v", err)
	}
	l2, err := TakeLock(path)
	if err != nil || l2.Stale {
		t.Fatalf("after Release: %v, stale %v", err, l2 != nil && l2.Stale)
	}
	l2.Release()

	if (&LockedError{Path: "p"}).Error() != "another kaa run (pid unknown) holds the lock p; wait for it to finish or, if it is not running, remove the file" {
		t.Error("message without pid")
	}
	if _, err := TakeLock(filepath.Join(t.TempDir(), "no", "dir", "kaa.lock")); err == nil || errors.As(err, &le) {
		t.Errorf("lock in a missing directory: %v", err)
	}
}

func TestLockStale(t *testing.T) {
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	deadPID := dead.ProcessState.Pid()
	tests := []struct {
		name      string
		content   string
		wantStale bool
		wantPID   int
	}{
		{"dead pid", fmt.Sprintf("%d\nkaa run started 2021-03-31T02:00:00Z on h\n", deadPID), true, deadPID},
		// A live process that does not hold the flock is not the holder
		// (pid reuse): taken over too.
		{"live pid, not holding", "1\nkaa run started 2021-03-31T02:00:00Z on h\n", true, 1},
		{"our own pid from an earlier life", strconv.Itoa(os.Getpid()) + "\n", true, os.Getpid()},
		{"garbage", "\x00\x01not a pid\n", true, 0},
		{"negative pid", "-5\n", true, 0},
		{"empty file", "", false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "kaa.lock")
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			l, err := TakeLock(path)
			if err != nil {
				t.Fatal(err)
			}
			defer l.Release()
			if l.Stale != tt.wantStale || l.StalePID != tt.wantPID || (tt.wantStale && l.StaleInfo != tt.content) {
				t.Errorf("Stale %v StalePID %d StaleInfo %q; want %v %d", l.Stale, l.StalePID, l.StaleInfo, tt.wantStale, tt.wantPID)
			}
			b, _ := os.ReadFile(path)
			if first, _, _ := strings.Cut(string(b), "\n"); first != strconv.Itoa(os.Getpid()) {
				t.Errorf("lock file after take-over = %q", b)
			}
			if _, err := TakeLock(path); !errors.As(err, new(*LockedError)) {
				t.Errorf("taken-over lock is not held: %v", err)
			}
		})
	}
}

// TestKilledRun SIGKILLs a real publishing process at each point of a run
// and checks that the published output is intact, the lock is taken over,
// and Recover leaves exactly one complete set.
func TestKilledRun(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	tests := []struct {
		point      string
		outMissing bool              // the crash hit the window with no <out>
		want       map[string]string // published after Recover
	}{
		{"writing", false, oldSet},
		{"old-moved", true, oldSet},
		{"swapped", false, newSet},
	}
	for _, tt := range tests {
		t.Run(tt.point, func(t *testing.T) {
			dir := t.TempDir()
			out, lockPath := filepath.Join(dir, "out"), filepath.Join(dir, "kaa.lock")
			writeTree(t, out, oldSet)

			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), "KAA_PUBLISH_HELPER="+tt.point, "KAA_PUBLISH_OUT="+out, "KAA_PUBLISH_LOCK="+lockPath)
			cmd.Stderr = os.Stderr
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			pid := cmd.Process.Pid
			ready := make(chan string, 1)
			go func() {
				line, _ := bufio.NewReader(stdout).ReadString('\n')
				ready <- line
			}()
			select {
			case line := <-ready:
				if line != "ready\n" {
					cmd.Process.Kill()
					cmd.Wait()
					t.Fatalf("helper said %q", line)
				}
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatal("helper never got ready")
			}

			// While it runs, the lock is its.
			var le *LockedError
			if _, err := TakeLock(lockPath); !errors.As(err, &le) || le.PID != pid {
				t.Errorf("TakeLock during the run = %v, want LockedError with pid %d", err, pid)
			}

			if err := cmd.Process.Kill(); err != nil { // SIGKILL
				t.Fatal(err)
			}
			cmd.Wait()

			_, err = os.Stat(out)
			if gotMissing := errors.Is(err, fs.ErrNotExist); gotMissing != tt.outMissing {
				t.Fatalf("after the kill: out missing = %v, want %v", gotMissing, tt.outMissing)
			}
			if !tt.outMissing {
				// Readers see a complete set even before any repair.
				if got := readTree(t, out); !reflect.DeepEqual(got, tt.want) {
					t.Errorf("after the kill, out = %v, want %v", got, tt.want)
				}
			}

			l, err := TakeLock(lockPath)
			if err != nil {
				t.Fatalf("TakeLock after the kill: %v", err)
			}
			defer l.Release()
			if !l.Stale || l.StalePID != pid {
				t.Errorf("Stale %v StalePID %d, want true %d", l.Stale, l.StalePID, pid)
			}
			if err := Recover(out); err != nil {
				t.Fatal(err)
			}
			if got := readTree(t, out); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("after Recover, out = %v, want %v", got, tt.want)
			}
			if got := ls(t, dir); !reflect.DeepEqual(got, []string{"kaa.lock", "out"}) {
				t.Errorf("left beside out: %q", got)
			}
		})
	}
}

// TestLockContention: many takers racing for the lock while holders
// release it (file removed and recreated) never hold it two at a time.
func TestLockContention(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaa.lock")
	var holders, maxHolders, taken atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				l, err := TakeLock(path)
				if errors.As(err, new(*LockedError)) {
					continue
				}
				if err != nil {
					t.Error(err)
					return
				}
				n := holders.Add(1)
				for m := maxHolders.Load(); n > m && !maxHolders.CompareAndSwap(m, n); m = maxHolders.Load() {
				}
				taken.Add(1)
				holders.Add(-1)
				if err := l.Release(); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if maxHolders.Load() != 1 || taken.Load() == 0 {
		t.Errorf("max simultaneous holders %d, takes %d", maxHolders.Load(), taken.Load())
	}
}

// TestLockReleasedWhileOpening: a taker that opened the old lock file just
// before its holder released it, and locks it after a third run took the new
// file, must not think it holds the lock.
func TestLockReleasedWhileOpening(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaa.lock")
	a, err := TakeLock(path)
	if err != nil {
		t.Fatal(err)
	}
	var c *Lock
	openedHook = func() {
		openedHook = nil
		if err := a.Release(); err != nil { // A: unlink + unlock the file B has open
			t.Error(err)
		}
		if c, err = TakeLock(path); err != nil { // C: creates and locks a new file
			t.Error(err)
		}
	}
	defer func() { openedHook = nil }()
	b, err := TakeLock(path) // B
	if b != nil {
		b.Release()
		t.Fatal("B took the lock while C holds it")
	}
	var le *LockedError
	if !errors.As(err, &le) || le.PID != os.Getpid() {
		t.Errorf("B: %v, want LockedError", err)
	}
	if c == nil || c.Stale {
		t.Fatalf("C: %+v", c)
	}
	c.Release()
}
