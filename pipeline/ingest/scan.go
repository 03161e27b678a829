package ingest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
	"github.com/kaa-uppfoljning/kaa/pipeline/export"
)

// File is one input file found under the inputs folder.
type File struct {
	Path        string        // relative to the inputs folder, slash-separated: "2281/extens_2020-03-02.csv"
	Abs         string        // path on disk, under the inputs folder as given (used in messages)
	Kommun      string        // four-digit kommunkod (the file's folder)
	Kind        contract.Kind // the file kind its name maps to
	SHA256      string        // hex digest of the file's bytes
	ID          string        // identity in the database: digest of kommun, name and content
	ExtractDate time.Time     // extens only: the date in the file name
	Size        int64
	Superseded  bool // a register export replaced by a newer one of the same kind
}

var (
	kommunDir  = regexp.MustCompile(`^[0-9]{4}$`)
	extensName = regexp.MustCompile(`(?i)^extens_([0-9]{4}-[0-9]{2}-[0-9]{2})\.csv$`)
)

// Kommun is one kommun folder with its mapping profile.
type Kommun struct {
	Code    string
	Profile export.Profile
}

// Scan lists the kommun folders and input files under dir, hashing each
// file. Every problem is gathered: a folder that is not a kommunkod, a file
// name that matches no kind, an extens file without a valid date, an
// unreadable mapping profile.
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
		if !e.IsDir() || !kommunDir.MatchString(name) {
			problems = append(problems, fmt.Errorf("%s: not a kommun folder (expected <inputs>/<four-digit kommunkod>/)", filepath.Join(dir, name)))
			continue
		}
		k := Kommun{Code: name}
		prof, err := export.LoadProfile(filepath.Join(dir, name, "mapping.toml"))
		if err != nil {
			problems = append(problems, err)
		}
		k.Profile = prof
		kommuner = append(kommuner, k)
		fs, errs := scanKommun(dir, name, d)
		files = append(files, fs...)
		problems = append(problems, errs...)
	}
	if len(kommuner) == 0 && len(problems) == 0 {
		problems = append(problems, fmt.Errorf("%s: no kommun folders (expected <inputs>/<four-digit kommunkod>/)", dir))
	}
	if len(problems) > 0 {
		return nil, nil, &InputError{Problems: problems}
	}
	markSuperseded(files)
	return kommuner, files, nil
}

func scanKommun(dir, kommun string, d *Digests) ([]File, []error) {
	entries, err := os.ReadDir(filepath.Join(dir, kommun))
	if err != nil {
		return nil, []error{err}
	}
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
		case strings.HasPrefix(name, "."), name == "mapping.toml", strings.EqualFold(name, "README.md"):
			continue
		case e.IsDir():
			items = append(items, item{problem: fmt.Errorf("%s: unexpected folder in a kommun folder", filepath.Join(dir, rel))})
			continue
		}
		kind, ok := contract.Classify(name)
		if !ok {
			items = append(items, item{problem: fmt.Errorf("%s: file name matches no input kind (see the input contract: extens_<YYYY-MM-DD>.csv, gruus_*.csv, kaa_individer*.csv, ...)", filepath.Join(dir, rel))})
			continue
		}
		f := File{Path: rel, Abs: filepath.Join(dir, kommun, name), Kommun: kommun, Kind: kind}
		if kind.Name == "extens" {
			m := extensName.FindStringSubmatch(name)
			var d time.Time
			if m != nil {
				d, err = time.Parse("2006-01-02", m[1])
			}
			if m == nil || err != nil {
				items = append(items, item{problem: fmt.Errorf("%s: extens file name must carry the extract date as extens_YYYY-MM-DD.csv", filepath.Join(dir, rel))})
				continue
			}
			f.ExtractDate = d
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
					hashErr[i] = hashFile(items[i].file, d)
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
	return files, problems
}

func hashFile(f *File, d *Digests) error {
	sum, n, err := d.digest(f.Abs)
	if err != nil {
		return err
	}
	f.Size = n
	f.SHA256 = sum
	id := sha256.Sum256([]byte(f.Kommun + "/" + strings.ToLower(filepath.Base(f.Abs)) + "\n" + f.SHA256))
	f.ID = hex.EncodeToString(id[:16])
	return nil
}

// markSuperseded marks, for each register kind and kommun, every file but
// the one whose name sorts last, and sorts files by path.
func markSuperseded(files []File) {
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	latest := map[string]int{}
	for i, f := range files {
		if !f.Kind.Register {
			continue
		}
		key := f.Kommun + "/" + f.Kind.Name
		if j, ok := latest[key]; ok {
			files[j].Superseded = true
		}
		latest[key] = i
	}
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
