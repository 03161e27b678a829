package ingest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
	"github.com/kaa-uppfoljning/kaa/pipeline/personnummer"
	"github.com/kaa-uppfoljning/kaa/pipeline/source"
)

// File is one input file found under the inputs folder.
type File struct {
	Path         string        // relative to the inputs folder, slash-separated: "2281/extens_2020-03-02.csv"
	Abs          string        // path on disk, under the inputs folder as given (used in messages)
	Kommun       string        // four-digit kommunkod (the file's folder)
	Kind         contract.Kind // the file kind its name maps to
	SHA256       string        // hex digest of the file's bytes
	ID           string        // identity in the database: see Scan
	ExtractDate  time.Time     // extens only: the date in the file name
	ExportDate   time.Time     // a dated full export of a register kind: the date in its name
	NameRule     string        // the name rule that classified the file (see NameMatch.Rule)
	NameDate     time.Time     // the date the file name carries by that rule (a profile {date}), zero if none
	Size         int64
	Role         Role   // what the run makes of the file
	SupersededBy string // RoleSuperseded: the Path of the dated export that replaces it
	// Part is the 1-based place of a RolePart file among its kind's parts
	// in the kommun, in path order: a row of a later part identical to a
	// row of an earlier one is counted once, in the earlier part.
	Part int
}

// Role is what a run makes of an input file.
type Role string

// Roles of the files of one kind in one kommun folder (inputs.md, "Several
// files of one kind: parts and dated exports").
const (
	RoleUsed       Role = "used"       // an event file, the only file of its kind, or the latest dated full export
	RolePart       Role = "part"       // one of several parts read together as one export
	RoleSuperseded Role = "superseded" // a dated full export replaced by a later one (SupersededBy)
)

var (
	kommunDir = regexp.MustCompile(`^[0-9]{4}$`)
	datedName = regexp.MustCompile(`(?i)_([0-9]{4}-[0-9]{2}-[0-9]{2})\.csv$`)
)

// Kommun is one kommun folder with its mapping profile.
type Kommun struct {
	Code    string
	Profile source.Profile
	// ProfileSHA256 is the hex digest of mapping.toml's bytes, "" if the
	// folder has none. It is part of every file's ID.
	ProfileSHA256 string
	// Skipped lists the names of entries of the folder that are not
	// inputs and were passed over: hidden files and README.md.
	Skipped []string
}

// Scan lists the kommun folders and input files under dir, hashing each
// file, and gives each file its Role. Every problem is gathered: a folder
// that is not a kommunkod, a file name that matches no kind, an extens file
// without a valid date, an unreadable mapping profile, a register kind
// whose folder holds both dated full exports and parts, two dated exports
// of one kind with the same latest date, a dated name whose date does not
// exist.
//
// A file's ID is what its cached rows in the database are keyed by: a
// digest of the kommun, the file name (lowercase), the file's bytes, the
// bytes of the kommun's mapping profile and contract.Version. Changing the
// profile or the contract so gives every file of the kommun a new ID, and
// the next run reads them again.
func Scan(dir string) ([]Kommun, []File, error) { return ScanDigests(dir, nil) }

// ScanDigests is Scan with the files' digests from d (see Digests), which
// reads only the files whose stat changed since their digest was taken.
func ScanDigests(dir string, d *Digests) ([]Kommun, []File, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("inputs: %w", err)
	}
	var (
		kommuner []Kommun
		files    []File
		problems []error
	)
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&fs.ModeSymlink != 0 {
			// a kommun folder may be a symlink to one, as a file may be
			st, err := os.Stat(filepath.Join(dir, name))
			if err != nil {
				problems = append(problems, fmt.Errorf("%s: a symlink to nothing that can be read: %w", filepath.Join(dir, name), err))
				continue
			}
			isDir = st.IsDir()
		}
		if !isDir || !kommunDir.MatchString(name) {
			problems = append(problems, fmt.Errorf("%s: not a kommun folder (expected <inputs>/<four-digit kommunkod>/)", filepath.Join(dir, name)))
			continue
		}
		k := Kommun{Code: name}
		profPath := filepath.Join(dir, name, "mapping.toml")
		if _, err := os.Lstat(profPath); err == nil {
			if err := notRegular(profPath, "mapping.toml"); err != nil {
				problems = append(problems, err)
				continue
			}
		}
		prof, err := LoadProfile(profPath)
		if err != nil {
			problems = append(problems, err)
			continue // a half-read profile would misclassify the files
		}
		k.Profile = prof
		if b, err := os.ReadFile(profPath); err == nil {
			sum := sha256.Sum256(b)
			k.ProfileSHA256 = hex.EncodeToString(sum[:])
		}
		fs, skipped, errs := scanKommun(dir, name, k.ProfileSHA256, prof, d)
		k.Skipped = skipped
		kommuner = append(kommuner, k)
		files = append(files, fs...)
		problems = append(problems, errs...)
	}
	problems = append(problems, assignRoles(files)...)
	problems = append(problems, copies(files)...)
	if len(kommuner) == 0 && len(problems) == 0 {
		problems = append(problems, fmt.Errorf("%s: no kommun folders (expected <inputs>/<four-digit kommunkod>/)", dir))
	}
	if len(problems) > 0 {
		return nil, nil, &InputError{Problems: problems}
	}
	return kommuner, files, nil
}

func scanKommun(dir, kommun, profileSHA string, prof source.Profile, d *Digests) ([]File, []string, []error) {
	entries, err := os.ReadDir(filepath.Join(dir, kommun))
	if err != nil {
		return nil, nil, []error{err}
	}
	var skipped []string
	// each entry gives a file to hash or a problem, in entry order
	type item struct {
		file    *File
		problem error
	}
	var items []item
	for _, e := range entries {
		name := e.Name()
		rel := kommun + "/" + name
		switch {
		case name == "mapping.toml":
			continue
		case strings.HasPrefix(name, "."), strings.EqualFold(name, "README.md"):
			skipped = append(skipped, name)
			continue
		case e.IsDir():
			items = append(items, item{problem: fmt.Errorf("%s: unexpected folder in a kommun folder", filepath.Join(dir, rel))})
			continue
		}
		if err := notRegular(filepath.Join(dir, rel), name); err != nil {
			items = append(items, item{problem: err})
			continue
		}
		m, err := ClassifyName(name, prof)
		if err != nil {
			items = append(items, item{problem: fmt.Errorf("%s: %w", filepath.Join(dir, rel), err)})
			continue
		}
		f := File{Path: rel, Abs: filepath.Join(dir, kommun, name), Kommun: kommun, Kind: m.Kind, Role: RoleUsed, NameRule: m.Rule}
		if m.FromProfile {
			f.NameDate = m.Date
		}
		if m.Kind.Dated {
			f.ExtractDate = m.Date
		}
		items = append(items, item{file: &f})
	}
	// Hash on every core: a run hashes every input file to know which are
	// new (7.5 GB nationally), and one core did it at ~0.5 GB/s.
	var (
		next    atomic.Int64
		wg      sync.WaitGroup
		hashErr = make([]error, len(items))
	)
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(items)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(items) {
					return
				}
				if items[i].file != nil {
					hashErr[i] = hashFile(items[i].file, profileSHA, d)
				}
			}
		}()
	}
	wg.Wait()
	var (
		files    []File
		problems []error
	)
	for i, it := range items {
		switch {
		case it.problem != nil:
			problems = append(problems, it.problem)
		case hashErr[i] != nil:
			problems = append(problems, hashErr[i])
		default:
			files = append(files, *it.file)
		}
	}
	return files, skipped, problems
}

// notRegular returns a problem for an entry of the inputs folder that
// must not be opened: a name that is not valid UTF-8 (the database and
// the manifest hold names as text), a name holding a personnummer, or
// anything but a regular file or a symlink to one — a FIFO, a device, a
// socket would block or never end when read. It only stats the entry
// (following a symlink), so it never blocks. Names in messages are quoted
// when they are not valid UTF-8 and masked when they hold a number.
func notRegular(path, name string) error {
	switch {
	case !utf8.ValidString(path):
		return fmt.Errorf("%q: file name is not valid UTF-8; rename the file", path)
	case personnummer.Contains(name):
		return fmt.Errorf("%s: file name holds a personnummer; rename the file", filepath.Join(filepath.Dir(path), personnummer.Redact(name)))
	}
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%s: cannot be read: %w", path, err)
	}
	if m := info.Mode(); !m.IsRegular() {
		what := "not a regular file"
		switch {
		case m&os.ModeNamedPipe != 0:
			what = "a FIFO (named pipe), not a regular file"
		case m&os.ModeSocket != 0:
			what = "a socket, not a regular file"
		case m&os.ModeDevice != 0:
			what = "a device, not a regular file"
		case m.IsDir():
			what = "a folder, not a regular file"
		}
		return fmt.Errorf("%s: %s; only regular files (or symlinks to them) are read", path, what)
	}
	return nil
}

func hashFile(f *File, profileSHA string, d *Digests) error {
	sum, n, err := d.digest(f.Abs)
	if err != nil {
		return err
	}
	f.Size = n
	f.SHA256 = sum
	id := sha256.Sum256([]byte(f.Kommun + "/" + strings.ToLower(filepath.Base(f.Abs)) + "\n" + f.SHA256 +
		"\nprofile " + profileSHA + "\ncontract " + contract.Version))
	f.ID = hex.EncodeToString(id[:16])
	return nil
}

// copies returns a problem for every file that is a copy of another in
// its kommun folder: the same file under a name that differs only in
// letter case (one identity in the database), or an event file (read in
// full, every row counted) with the same bytes as another of its kind —
// unless the two are extens extracts of different dates, each a snapshot
// of its own. A register part's copy is not one: its rows count once
// (inputs.md). Files with no row after the header are never copies (only
// a file with a twin is opened to see). files are sorted by path.
func copies(files []File) []error {
	var problems []error
	byID := map[string]string{}      // ID -> the first file's Abs
	byContent := map[string]string{} // kommun, kind, extract date, bytes -> the first file's Abs
	for _, f := range files {
		if other, ok := byID[f.ID]; ok {
			problems = append(problems, fmt.Errorf("%s: the same file as %s: a copy, whose rows would count twice; remove one of the two", f.Abs, other))
			continue
		}
		byID[f.ID] = f.Abs
		if f.Kind.Register {
			continue
		}
		k := f.Kommun + "/" + f.Kind.Name + "/" + f.ExtractDate.Format("2006-01-02") + "/" + f.SHA256
		if other, ok := byContent[k]; !ok {
			byContent[k] = f.Abs
		} else if hasRows(f.Abs) {
			problems = append(problems, fmt.Errorf("%s: the same bytes as %s: a copy, whose rows would count twice; remove one of the two", f.Abs, other))
		}
	}
	return problems
}

// hasRows reports whether the file at path holds a line after its first
// (the header) with anything but spaces on it, read up to 64 KiB; a file
// that cannot be read counts as having rows (its error is reported when
// it is read).
func hasRows(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return true
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, buf)
	buf = buf[:n]
	i := bytes.IndexAny(buf, "\r\n")
	if i < 0 {
		return n == len(buf) && n > 0
	}
	return len(bytes.TrimSpace(buf[i:])) > 0
}

// assignRoles sorts files by path and sets the Role of every register
// file (event files stay RoleUsed): per kommun and kind, of dated full
// exports the latest is used and the others are superseded by it; parts
// are used together (a lone part is simply used). It returns the problems
// that leave unclear which files are meant.
func assignRoles(files []File) []error {
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	groups := map[string][]int{}
	var keys []string
	var problems []error
	for i, f := range files {
		if !f.Kind.Register {
			continue
		}
		if !f.NameDate.IsZero() { // a profile pattern's {date}
			files[i].ExportDate = f.NameDate
		} else if m := datedName.FindStringSubmatch(filepath.Base(f.Abs)); m != nil {
			d, err := time.Parse("2006-01-02", m[1])
			if err != nil {
				problems = append(problems, fmt.Errorf("%s: the name ends in %s, which is not a date (a dated full export is named %s_YYYY-MM-DD.csv; any other name is a part)", f.Abs, m[1], f.Kind.Name))
				continue
			}
			files[i].ExportDate = d
		}
		key := f.Kommun + "/" + f.Kind.Name
		if groups[key] == nil {
			keys = append(keys, key)
		}
		groups[key] = append(groups[key], i)
	}
	for _, key := range keys {
		var dated, parts []int
		for _, i := range groups[key] {
			if files[i].ExportDate.IsZero() {
				parts = append(parts, i)
			} else {
				dated = append(dated, i)
			}
		}
		kind := files[groups[key][0]].Kind.Name
		if len(dated) > 0 && len(parts) > 0 {
			var names []string
			for _, i := range append(parts, dated...) {
				names = append(names, files[i].Abs)
			}
			problems = append(problems, fmt.Errorf("%s: both dated full exports (%s_YYYY-MM-DD.csv) and parts (any other name) of %s in one kommun folder: it is not clear which is meant; remove or rename the files that are not", strings.Join(names, ", "), kind, kind))
			continue
		}
		if len(dated) > 0 {
			latest := dated[0]
			for _, i := range dated[1:] {
				if !files[i].ExportDate.Before(files[latest].ExportDate) {
					latest = i
				}
			}
			var tied []string
			for _, i := range dated {
				if files[i].ExportDate.Equal(files[latest].ExportDate) {
					tied = append(tied, files[i].Abs)
				}
			}
			if len(tied) > 1 {
				problems = append(problems, fmt.Errorf("%s: dated full exports of %s with the same latest date: it is not clear which is meant; remove the one that is not", strings.Join(tied, ", "), kind))
				continue
			}
			for _, i := range dated {
				if i != latest {
					files[i].Role, files[i].SupersededBy = RoleSuperseded, files[latest].Path
				}
			}
			continue
		}
		if len(parts) > 1 {
			for n, i := range parts {
				files[i].Role, files[i].Part = RolePart, n+1
			}
		}
	}
	return problems
}

// InputError gathers the problems that make the inputs unreadable.
type InputError struct{ Problems []error }

func (e *InputError) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap exposes the gathered problems to errors.Is and errors.As.
func (e *InputError) Unwrap() []error { return e.Problems }
