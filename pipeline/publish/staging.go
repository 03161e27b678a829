// Package publish owns how a run's outputs reach their published place and
// the run lock that keeps two runs from doing it at once.
//
// A run is:
//
//	lock, err := publish.TakeLock(lockPath) // *LockedError → exit 5
//	defer lock.Release()
//	if lock.Stale { /* tell the user an earlier run died */ }
//	err = publish.Recover(out)              // repair what a crashed run left
//	st, err := publish.Begin(out)
//	defer st.Abort()                        // no-op after Commit
//	... write everything under st.Dir() ...
//	err = st.Commit()                       // only when the whole run succeeded
//
// # The guarantee
//
// Readers of <out> see either the previous complete set or the new complete
// set, never a mix and never a half-written file, whatever happens to the
// run (error, SIGKILL, power cut), provided Recover runs (under the lock)
// before the next Begin. The one exception is the moment between Commit's
// two renames, during which <out> does not exist (see below); a reader then
// finds no output, not wrong output.
//
// # How
//
// Begin makes a fresh directory <out>.tmp-<stamp> next to <out> (same
// filesystem, so renames are atomic); the run writes only there. Commit:
//
//  1. fsyncs every file and directory in the staging tree (but the files
//     Carry hard-linked from the published set, already on disk), so the
//     data is on disk before any name points at it;
//  2. renames <out> to <out>.old-<stamp> (if <out> exists);
//  3. renames <out>.tmp-<stamp> to <out>;
//  4. fsyncs the parent directory, so the renames are durable;
//  5. removes <out>.old-<stamp>.
//
// Crash windows, and what Recover does with what is left:
//
//	crash during the run or before 2: <out> = previous set, a .tmp-* left → removed
//	crash between 2 and 3:            no <out>, one .old-* (previous set) and a .tmp-* left
//	                                  → the .old-* is renamed back to <out>, the .tmp-* removed
//	crash between 3 and 5:            <out> = new set, a .old-* left → removed
//
// If <out> is missing and several .old-* directories exist (only possible
// if someone interfered), Recover refuses to guess and says so. <stamp> is
// "<UTC time>-<pid>-<n>" (e.g. 20210331T020000Z-4242-1): it tells people
// when the leftover was made, and Recover only touches names of exactly this
// form, so a hand-made <out>.old-2020 archive is left alone.
//
// <out> must be a real directory, not a symbolic link (renaming would
// replace the link, not its target). The files of several output trees
// (published reports and staff lists) are each atomic, not atomic together.
package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// Staging is one run's staging directory for <out>.
type Staging struct {
	out  string // absolute, cleaned
	tmp  string
	old  string
	done bool
	// linked are the files Carry hard-linked from the published set:
	// already durable, so Commit does not sync them again.
	linked map[string]bool
}

var stagingSeq atomic.Int64

// crashHook, when set (tests only), is called at the named points of Commit:
// "old-moved" (after step 2) and "swapped" (after step 4).
var crashHook func(point string)

// Begin creates a fresh staging directory <out>.tmp-<stamp> beside <out>
// (creating <out>'s parent if needed). Call it while holding the Lock and
// after Recover. The directory has <out>'s permissions, or 0755 if <out>
// does not exist yet.
func Begin(out string) (*Staging, error) {
	abs, err := outPath(out)
	if err != nil {
		return nil, err
	}
	mode := fs.FileMode(0o755)
	if fi, err := os.Lstat(abs); err == nil {
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			return nil, fmt.Errorf("publish: %s is a symbolic link; give the real directory as the output", abs)
		case !fi.IsDir():
			return nil, fmt.Errorf("publish: %s exists and is not a directory", abs)
		}
		mode = fi.Mode().Perm()
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	stamp := fmt.Sprintf("%s-%d-%d", time.Now().UTC().Format("20060102T150405Z"), os.Getpid(), stagingSeq.Add(1))
	s := &Staging{out: abs, tmp: abs + ".tmp-" + stamp, old: abs + ".old-" + stamp}
	if err := os.Mkdir(s.tmp, 0o700); err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if err := os.Chmod(s.tmp, mode); err != nil { // explicit: Mkdir is subject to umask
		os.Remove(s.tmp)
		return nil, fmt.Errorf("publish: %w", err)
	}
	return s, nil
}

// Dir is the staging directory: the run writes all its outputs here.
func (s *Staging) Dir() string { return s.tmp }

// Out is the published directory Commit will replace.
func (s *Staging) Out() string { return s.out }

// Commit publishes the staging directory as <out>, replacing the previous
// contents as a whole (see the package comment for the steps and the crash
// windows). After Commit (successful or not) the Staging is finished; a
// failed Commit leaves <out> as it was whenever it can, and Recover repairs
// the rest. Failure to remove the previous set after the swap is not an
// error: the new set is published and Recover removes the leftover.
func (s *Staging) Commit() error {
	if s.done {
		return errors.New("publish: staging already committed or aborted")
	}
	s.done = true
	parent := filepath.Dir(s.out)
	if err := syncTree(s.tmp, s.linked); err != nil {
		os.RemoveAll(s.tmp)
		return fmt.Errorf("publish: sync %s: %w", s.tmp, err)
	}
	hadOld := false
	if _, err := os.Lstat(s.out); err == nil {
		if err := os.Rename(s.out, s.old); err != nil {
			os.RemoveAll(s.tmp)
			return fmt.Errorf("publish: %w", err)
		}
		hadOld = true
	} else if !errors.Is(err, fs.ErrNotExist) {
		os.RemoveAll(s.tmp)
		return fmt.Errorf("publish: %w", err)
	}
	if crashHook != nil {
		crashHook("old-moved")
	}
	if err := os.Rename(s.tmp, s.out); err != nil {
		err = fmt.Errorf("publish: %w", err)
		if hadOld {
			if rerr := os.Rename(s.old, s.out); rerr != nil {
				return errors.Join(err, fmt.Errorf("publish: could not put the previous output back (the next run's Recover will): %w", rerr))
			}
		}
		os.RemoveAll(s.tmp)
		return err
	}
	if err := syncDir(parent); err != nil {
		return fmt.Errorf("publish: sync %s: %w", parent, err)
	}
	if crashHook != nil {
		crashHook("swapped")
	}
	if hadOld {
		os.RemoveAll(s.old) // best effort: see Commit's comment
	}
	return nil
}

// Abort removes the staging directory, leaving <out> untouched. It is a
// no-op after Commit or a previous Abort, so `defer s.Abort()` is safe.
func (s *Staging) Abort() error {
	if s.done {
		return nil
	}
	s.done = true
	if err := os.RemoveAll(s.tmp); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}

// leftover matches the names Begin and Commit make beside <out>.
var leftover = regexp.MustCompile(`^\.(tmp|old)-\d{8}T\d{6}Z-\d+-\d+$`)

// Recover repairs what a crashed run left beside <out> (see the package
// comment): if <out> is missing and exactly one <out>.old-<stamp> exists, it
// is renamed back to <out>; every <out>.tmp-<stamp> is removed; when <out>
// exists, every <out>.old-<stamp> is removed. Call it while holding the
// Lock (it would otherwise remove a running run's staging directory) and
// before Begin. A missing parent directory is not an error.
func Recover(out string) error {
	abs, err := outPath(out)
	if err != nil {
		return err
	}
	parent, base := filepath.Split(abs)
	entries, err := os.ReadDir(parent)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("publish: recover: %w", err)
	}
	var olds, tmps []string
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), base)
		if !ok || !leftover.MatchString(rest) {
			continue
		}
		p := filepath.Join(parent, e.Name())
		if strings.HasPrefix(rest, ".old-") {
			olds = append(olds, p)
		} else {
			tmps = append(tmps, p)
		}
	}

	var errs []error
	outExists := true
	if _, err := os.Lstat(abs); errors.Is(err, fs.ErrNotExist) {
		outExists = false
	} else if err != nil {
		return fmt.Errorf("publish: recover: %w", err)
	}
	changed := false
	if !outExists && len(olds) == 1 {
		if err := os.Rename(olds[0], abs); err != nil {
			return fmt.Errorf("publish: recover: put back the previous output: %w", err)
		}
		olds, outExists, changed = nil, true, true
	}
	if !outExists && len(olds) > 1 {
		errs = append(errs, fmt.Errorf("publish: recover: %s is missing and there are %d earlier outputs beside it (%s); move the right one to %s by hand",
			abs, len(olds), strings.Join(olds, ", "), abs))
	}
	for _, p := range tmps {
		if err := os.RemoveAll(p); err != nil {
			errs = append(errs, fmt.Errorf("publish: recover: %w", err))
		}
		changed = true
	}
	if outExists {
		for _, p := range olds {
			if err := os.RemoveAll(p); err != nil {
				errs = append(errs, fmt.Errorf("publish: recover: %w", err))
			}
			changed = true
		}
	}
	if changed {
		if err := syncDir(parent); err != nil {
			errs = append(errs, fmt.Errorf("publish: recover: sync %s: %w", parent, err))
		}
	}
	return errors.Join(errs...)
}

func outPath(out string) (string, error) {
	if out == "" {
		return "", errors.New("publish: no output directory given")
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return "", fmt.Errorf("publish: %w", err)
	}
	if filepath.Dir(abs) == abs {
		return "", fmt.Errorf("publish: %s cannot be an output directory", abs)
	}
	return abs, nil
}

// syncTree fsyncs every regular file but those in skip and every directory
// under root (directories after their entries).
func syncTree(root string, skip map[string]bool) error {
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			dirs = append(dirs, p)
		case d.Type().IsRegular() && !skip[p]:
			return syncPath(p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		if err := syncDir(dirs[i]); err != nil {
			return err
		}
	}
	return nil
}

func syncPath(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir fsyncs a directory; filesystems that cannot (EINVAL) are let be.
func syncDir(p string) error {
	err := syncPath(p)
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) {
		return nil
	}
	return err
}
