package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// Digest is an input file's SHA-256 as an earlier scan computed it, with
// what stat told of the file then: its version on disk, as far as the file
// system shows one without reading it. It is looked up by device and inode
// (the file a path or symlink leads to), so the same file reached through
// another inputs folder or a symlinked view is not read again.
type Digest struct {
	Path            string // absolute, cleaned: where it was last seen
	Size            int64
	ModNS, ChangeNS int64 // mtime and ctime, ns since the epoch
	Dev, Inode      uint64
	SHA256          string
	SeenNS          int64 // when the stat was taken, ns since the epoch
}

// racyWindow: a digest is trusted only for a file whose mtime is at least
// this much older than the stat that went with the digest. A file written
// again within its file system's timestamp granularity (2 s on FAT, a
// clock tick elsewhere) after that stat could otherwise keep the same
// mtime with new bytes.
const racyWindow = 2 * time.Second

// Digests gives a scan the SHA-256 of each input file, reading a file only
// when no digest is remembered for its device and inode, or its size,
// mtime or ctime differ from those recorded with it (or that digest is
// racy, see racyWindow).
// With Verify every file is read, and a file whose bytes changed under an
// unchanged stat is listed by Changed. A nil *Digests reads every file.
//
// The trade-off: without Verify, a file rewritten in place with the same
// size and with both its mtime and ctime as before (ctime is set by the
// kernel on every write, so this takes a file system that does not keep
// it, or a changed clock) keeps its old digest, and the run uses the rows
// cached for the old bytes.
type Digests struct {
	Verify bool
	// Progress, if set, is called (from several goroutines) after each
	// file's digest is known, with the file's size.
	Progress func(size int64)

	known map[fileKey]Digest

	mu      sync.Mutex
	fresh   []Digest
	changed []string
	read    int
	reused  int
}

// NewDigests makes Digests from the digests remembered by earlier scans.
func NewDigests(known []Digest, verify bool) *Digests {
	d := &Digests{Verify: verify, known: make(map[fileKey]Digest, len(known))}
	for _, k := range known {
		d.known[fileKey{k.Dev, k.Inode}] = k
	}
	return d
}

// fileKey is a file's identity on disk: device and inode.
type fileKey struct{ dev, inode uint64 }

// Fresh returns the digests computed (not reused) by the scans so far:
// what to remember for the next run.
func (d *Digests) Fresh() []Digest {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]Digest(nil), d.fresh...)
}

// Changed returns the files (as given to the scan) whose bytes differ from
// their remembered digest although stat shows them unchanged; only a
// Verify scan finds them.
func (d *Digests) Changed() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.changed...)
}

// Counts returns how many files were read to be hashed and how many
// digests were reused.
func (d *Digests) Counts() (read, reused int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.read, d.reused
}

// digest returns the SHA-256 (hex) and size of the file at path.
func (d *Digests) digest(path string) (string, int64, error) {
	if d == nil {
		return readDigest(path)
	}
	seen := time.Now()
	fi, err := os.Stat(path)
	if err != nil {
		return "", 0, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", 0, err
	}
	cur := Digest{Path: abs, Size: fi.Size(), ModNS: fi.ModTime().UnixNano(), SeenNS: seen.UnixNano()}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		cur.ChangeNS = st.Ctim.Nano()
		cur.Dev, cur.Inode = uint64(st.Dev), st.Ino
	}
	old, ok := d.known[fileKey{cur.Dev, cur.Inode}]
	same := ok && cur.Inode != 0 && old.Size == cur.Size && old.ModNS == cur.ModNS && old.ChangeNS == cur.ChangeNS &&
		old.ModNS < old.SeenNS-racyWindow.Nanoseconds()
	if same && !d.Verify {
		d.mu.Lock()
		d.reused++
		d.mu.Unlock()
		d.progress(old.Size)
		return old.SHA256, old.Size, nil
	}
	sum, n, err := readDigest(path)
	if err != nil {
		return "", 0, err
	}
	cur.SHA256, cur.Size = sum, n
	d.mu.Lock()
	defer d.mu.Unlock()
	d.read++
	if same && sum != old.SHA256 {
		d.changed = append(d.changed, path)
	}
	if !same || sum != old.SHA256 || old.Path != cur.Path {
		d.fresh = append(d.fresh, cur)
	}
	d.progress(n)
	return sum, n, nil
}

func (d *Digests) progress(size int64) {
	if d.Progress != nil {
		d.Progress(size)
	}
}

// readDigest reads the file at path and returns its SHA-256 (hex) and size.
func readDigest(path string) (string, int64, error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer fh.Close()
	h := sha256.New()
	n, err := io.Copy(h, fh)
	if err != nil {
		return "", 0, fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}
