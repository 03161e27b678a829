package publish

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"syscall"
	"time"
)

// Lock is the run lock: while a Lock is held no other kaa process can take
// the same lock file. Take it before Recover and Begin and release it after
// Commit or Abort.
type Lock struct {
	path string
	f    *os.File

	// Stale is true when the lock file was left by a run that ended without
	// releasing it (killed, crashed, power cut) and has been taken over.
	// StalePID is the pid that file recorded (0 if it was unreadable) and
	// StaleInfo its content, for the CLI to tell the user.
	Stale     bool
	StalePID  int
	StaleInfo string
}

// openedHook, when set (tests only), runs after TakeLock opened an existing
// lock file and before it locks it.
var openedHook func()

// LockedError is returned by TakeLock when another live process holds the
// lock. PID is the holder's pid as recorded in the file (0 if unknown).
type LockedError struct {
	Path string
	PID  int
}

func (e *LockedError) Error() string {
	pid := "pid unknown"
	if e.PID > 0 {
		pid = "pid " + strconv.Itoa(e.PID)
	}
	return fmt.Sprintf("another kaa run (%s) holds the lock %s; wait for it to finish or, if it is not running, remove the file", pid, e.Path)
}

// TakeLock takes the run lock at path (its directory must exist).
//
// Mechanism: the file is created (O_CREATE|O_EXCL, or opened if it exists)
// and locked with flock(2) LOCK_EX|LOCK_NB; the holder writes its pid and a
// start marker ("<pid>\nkaa run started <RFC 3339 time> on <host>\n") into
// it and removes it on Release. The kernel drops a flock when its process
// dies, however it dies, so:
//
//   - the file exists and is flock-ed: a live run holds it → *LockedError
//     naming the pid in the file;
//   - the file exists but nobody holds the flock: a run died without
//     releasing → taken over, Stale=true (whatever the file says, including
//     garbage or a pid that a new process has since been given);
//   - after locking, the path is checked to still name the locked file
//     (a releasing holder removes it); if not, TakeLock starts again.
//
// This is why there is no "is that pid alive?" test (kill(pid, 0)): a pid is
// reused, often quickly in containers, where a restarted kaa can even get
// the pid of the dead one; and "remove the stale file, then O_EXCL again"
// lets two processes that both saw the stale file each take the lock. The
// pid in the file is for people and messages only.
//
// Limits: the lock is per host (on NFS flock is emulated with fcntl locks
// and works only when the server supports locking). A second TakeLock of
// the same path in the same process also fails with *LockedError.
func TakeLock(path string) (*Lock, error) {
	for attempt := 0; attempt < 20; attempt++ {
		created := true
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			created = false
			f, err = os.OpenFile(path, os.O_RDWR, 0)
			if errors.Is(err, fs.ErrNotExist) {
				continue // released between our two opens
			}
			if err == nil && openedHook != nil {
				openedHook()
			}
		}
		if err != nil {
			return nil, fmt.Errorf("publish: lock: %w", err)
		}
		if err := flock(f, syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, &LockedError{Path: path, PID: holderPID(path)}
			}
			return nil, fmt.Errorf("publish: lock %s: %w", path, err)
		}
		if !samePath(f, path) {
			f.Close() // the holder released (removed the file) before we locked it
			continue
		}
		l := &Lock{path: path, f: f}
		if !created {
			old, err := io.ReadAll(io.LimitReader(f, 4096))
			if err != nil {
				l.unlock()
				return nil, fmt.Errorf("publish: lock %s: %w", path, err)
			}
			// An empty file is the window between another process's create
			// and flock, or a run killed in that window: nothing to report.
			if len(old) > 0 {
				l.Stale, l.StalePID, l.StaleInfo = true, parsePID(old), string(old)
			}
		}
		if err := l.writeInfo(); err != nil {
			l.unlock()
			return nil, fmt.Errorf("publish: lock %s: %w", path, err)
		}
		return l, nil
	}
	return nil, fmt.Errorf("publish: lock %s: the lock file keeps changing; is another kaa run starting?", path)
}

// Path is the lock file's path.
func (l *Lock) Path() string { return l.path }

// Release removes the lock file and drops the lock. It is safe to call more
// than once and on a nil Lock.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	var err error
	// Remove while still holding, and only our own file: anyone who opened
	// it meanwhile will find it unlinked (samePath) and start again.
	if samePath(l.f, l.path) {
		if rerr := os.Remove(l.path); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			err = fmt.Errorf("publish: release lock: %w", rerr)
		}
	}
	return errors.Join(err, l.unlock())
}

func (l *Lock) unlock() error {
	err := l.f.Close() // closing the last descriptor drops the flock
	l.f = nil
	return err
}

func (l *Lock) writeInfo() error {
	host, _ := os.Hostname()
	info := fmt.Sprintf("%d\nkaa run started %s on %s\n", os.Getpid(), time.Now().UTC().Format(time.RFC3339), host)
	if err := l.f.Truncate(0); err != nil {
		return err
	}
	if _, err := l.f.WriteAt([]byte(info), 0); err != nil {
		return err
	}
	return l.f.Sync()
}

func flock(f *os.File, how int) error {
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if err != syscall.EINTR {
			return err
		}
	}
}

// samePath reports whether path currently names the open file f.
func samePath(f *os.File, path string) bool {
	fi, err := f.Stat()
	if err != nil {
		return false
	}
	pi, err := os.Stat(path)
	return err == nil && os.SameFile(fi, pi)
}

// holderPID reads the pid from a held lock file. The holder writes it just
// after locking, so an empty file is read again for a moment.
func holderPID(path string) int {
	for i := 0; i < 10; i++ {
		b, err := os.ReadFile(path)
		if err != nil {
			return 0
		}
		if len(b) > 0 {
			return parsePID(b)
		}
		time.Sleep(10 * time.Millisecond)
	}
	return 0
}

// parsePID reads the first line as a positive pid; 0 if it is not one.
func parsePID(b []byte) int {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	pid, err := strconv.Atoi(string(bytes.TrimSpace(line)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}
