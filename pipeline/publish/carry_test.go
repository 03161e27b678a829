package publish

import (
	"os"
	"path/filepath"
	"reflect"
	"syscall"
	"testing"
)

func inode(t *testing.T, p string) uint64 {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Sys().(*syscall.Stat_t).Ino
}

// TestCarry: files the run wrote win; every other published file is hard
// linked (same inode, same bytes) into the new set, folders keep their
// permissions, and after Commit the set is the run's files plus the
// carried ones. Where links fail as across file systems, the files are
// copied instead, with the same result.
func TestCarry(t *testing.T) {
	for _, cross := range []bool{false, true} {
		name := map[bool]string{false: "link", true: "copy across devices"}[cross]
		t.Run(name, func(t *testing.T) {
			if cross {
				link = func(string, string) error { return &os.LinkError{Op: "link", Err: syscall.EXDEV} }
				defer func() { link = os.Link }()
			}
			out := filepath.Join(t.TempDir(), "out")
			writeTree(t, out, map[string]string{
				"2281/s1.html": "old s1", "2281/s6.html": "old s6", "2281/tables/s1_status.csv": "old table",
				"region/s1.html": "region s1",
			})
			if err := os.Chmod(filepath.Join(out, "region"), 0o700); err != nil {
				t.Fatal(err)
			}
			before := inode(t, filepath.Join(out, "2281/s1.html"))
			st, err := Begin(out)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Abort()
			writeTree(t, st.Dir(), map[string]string{"2281/s6.html": "new s6", "manifest.json": "m"})
			if err := st.Carry(out); err != nil {
				t.Fatal(err)
			}
			if got := inode(t, filepath.Join(st.Dir(), "2281/s1.html")); (got == before) == cross {
				t.Errorf("inode of the carried page %d, published %d: linked %v, want %v", got, before, got == before, !cross)
			}
			if fi, err := os.Stat(filepath.Join(st.Dir(), "region")); err != nil || fi.Mode().Perm() != 0o700 {
				t.Errorf("carried folder region: %v %v, want mode 0700", fi.Mode(), err)
			}
			if err := st.Commit(); err != nil {
				t.Fatal(err)
			}
			want := map[string]string{
				"2281/s1.html": "old s1", "2281/s6.html": "new s6", "2281/tables/s1_status.csv": "old table",
				"region/s1.html": "region s1", "manifest.json": "m",
			}
			if got := readTree(t, out); !reflect.DeepEqual(got, want) {
				t.Errorf("published set %v, want %v", got, want)
			}
		})
	}
}
