package publish

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// link makes a hard link; a variable so a test can make it fail as across
// file systems.
var link = os.Link

// Carry puts into the staging directory every file of the published set
// from (if it exists) that the run has not written there itself: a verb
// that rebuilds only some pages (kaa monthly, kaa check) calls it after
// writing them, and the other pages and tables stay as published. A file
// is hard-linked, so it shares the published file's bytes instead of
// being copied and synced again; where a link cannot be made (from is on
// another file system) it is copied, and Commit syncs the copy. A folder
// only in from gets from's permissions.
//
// Call it after the run's own writes: a run must never write into a
// carried file (it is the published file), and files it writes are never
// replaced by Carry.
func (s *Staging) Carry(from string) error {
	if s.done {
		return errors.New("publish: staging already committed or aborted")
	}
	if _, err := os.Stat(from); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if s.linked == nil {
		s.linked = map[string]bool{}
	}
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		target := filepath.Join(s.tmp, rel)
		if d.IsDir() {
			if rel == "." {
				return nil
			}
			fi, err := d.Info()
			if err != nil {
				return err
			}
			if err := os.Mkdir(target, fi.Mode().Perm()); err != nil && !errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("publish: %w", err)
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if _, err := os.Lstat(target); err == nil {
			return nil // written by this run
		}
		err = link(p, target)
		if err == nil {
			s.linked[target] = true
			return nil
		}
		if !errors.Is(err, syscall.EXDEV) && !errors.Is(err, syscall.EPERM) && !errors.Is(err, syscall.EMLINK) {
			return fmt.Errorf("publish: %w", err)
		}
		return copyFile(p, target)
	})
}

// copyFile copies src to a new file dst with src's permissions.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fi.Mode().Perm())
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("publish: %s: %w", dst, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}
