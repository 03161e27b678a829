// Package inspect owns the inspection of an inputs folder: for every file,
// how the pipeline would read it — its kind and the name rule that said
// so, encoding, delimiter, which header feeds which contract column, the
// contract columns it lacks, and the values that would be rejected —
// and whether it would load within the data-quality gates. It reads
// through pipeline/ingest exactly as a run does, but needs no key and
// writes nothing. It is the tool a KAA team uses while writing its
// mapping profile; Suggest prints a guessed starting profile.
package inspect

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
	"github.com/kaa-uppfoljning/kaa/pipeline/ingest"
	"github.com/kaa-uppfoljning/kaa/pipeline/quality"
	"github.com/kaa-uppfoljning/kaa/pipeline/source"
)

// DefaultMaxRejectShare is the gate on a file's rejected rows, as for a
// run (inputs.md, "Data-quality gates").
const DefaultMaxRejectShare = 0.02

// Options say what to inspect.
type Options struct {
	Inputs string // the inputs folder, one folder per kommunkod
	Kommun string // only this kommun; "" for all
	// MaxRejectShare: a file whose rejected rows exceed this share of its
	// read rows would fail the gate (1 turns the gate off).
	MaxRejectShare float64
}

// Report is the inspection of an inputs folder.
type Report struct {
	MaxRejectShare float64
	Kommuner       []Kommun
	Problems       []string // folder-level problems (not a kommun folder, ...)
}

// Kommun is one kommun folder.
type Kommun struct {
	Code       string
	Profile    source.Profile
	ProfileErr error
	Files      []File
}

// File is what reading one file would give.
type File struct {
	Path string // "1402/Extens_utdrag_20200406.csv"
	Abs  string
	// NameErr: the name matches no kind (or an extens name has no date).
	NameErr error
	// Guessed: with NameErr, the kind the name looks like (by its words);
	// the file is then read as that kind, for Suggest.
	Guessed string
	Match   ingest.NameMatch
	Options source.Options
	// OpenErr: the file cannot be read at all (a run stops on it).
	OpenErr error
	// Header: with OpenErr, the fields of the header line as far as they
	// could be read without the profile's columns.
	Header []source.Field
	ingest.Checked
	Missing []Missing
	Rejects []Group // rejected rows grouped by field, rule and value
}

// Missing is a contract column absent from a file.
type Missing struct {
	Column   string
	Required bool
}

// Group is the rejected cells of a file that share field and rule and,
// in a coded column (codes, yes/no), the value: each unknown value of a
// code needs its own recode. In other columns Value is the first value,
// an example, and Values counts the distinct ones.
type Group struct {
	Field, Rule, Value string
	Count              int
	Line               int // the first such line
	Values             int // distinct values (1 in a coded column)
	seen               map[string]bool
}

// OK reports whether the file would be read and load within the gates.
func (f File) OK(maxShare float64) bool { return f.Verdict(maxShare) == "" }

// Verdict is "" when the file would load within the gates, else why not.
// The gates are a run's own (quality.Check), on the file's counts; rows of
// persons marked skyddade by other files are known only to a run.
func (f File) Verdict(maxShare float64) string {
	switch {
	case f.NameErr != nil:
		return "the file name matches no rule: a run stops (exit 3)"
	case f.OpenErr != nil:
		return "the file cannot be read: a run stops (exit 3)"
	}
	qf := quality.File{Path: f.Path, Role: quality.RoleUsed, Read: f.Read, Loaded: f.Loaded, Rejected: f.Rejected, Excluded: f.Excluded}
	for _, fail := range quality.Check([]quality.File{qf}, maxShare) {
		switch fail.Gate {
		case quality.GateRowsLoaded:
			return "no row would load: a run fails its gate (exit 4)"
		case quality.GateRejectShare:
			return fmt.Sprintf("%.1f %% of the rows would be rejected, over max_reject_share %s: a run fails its gate (exit 4)",
				100*float64(f.Rejected)/float64(f.Read), formatShare(maxShare))
		}
	}
	return ""
}

func formatShare(f float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.4f", f), "0"), ".")
}

// OK reports whether every file would load within the gates and nothing
// else stops a run.
func (r Report) OK() bool {
	if len(r.Problems) > 0 {
		return false
	}
	for _, k := range r.Kommuner {
		if k.ProfileErr != nil {
			return false
		}
		for _, f := range k.Files {
			if !f.OK(r.MaxRejectShare) {
				return false
			}
		}
	}
	return true
}

var kommunDir = regexp.MustCompile(`^[0-9]{4}$`)

// Inspect reads the inputs folder. Problems with files are in the Report;
// the error is for a folder that cannot be listed, or a kommun that is
// not there.
func Inspect(opt Options) (Report, error) {
	r := Report{MaxRejectShare: opt.MaxRejectShare}
	entries, err := os.ReadDir(opt.Inputs)
	if err != nil {
		return r, fmt.Errorf("inputs: %w", err)
	}
	found := false
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || (opt.Kommun != "" && name != opt.Kommun) {
			continue
		}
		if !e.IsDir() || !kommunDir.MatchString(name) {
			r.Problems = append(r.Problems, fmt.Sprintf("%s: not a kommun folder (expected <inputs>/<four-digit kommunkod>/)", filepath.Join(opt.Inputs, name)))
			continue
		}
		found = true
		k, err := inspectKommun(opt.Inputs, name)
		if err != nil {
			return r, err
		}
		r.Kommuner = append(r.Kommuner, k)
	}
	if opt.Kommun != "" && !found {
		return r, fmt.Errorf("%s: no kommun folder %s", opt.Inputs, opt.Kommun)
	}
	if !found && len(r.Problems) == 0 {
		r.Problems = append(r.Problems, fmt.Sprintf("%s: no kommun folders (expected <inputs>/<four-digit kommunkod>/)", opt.Inputs))
	}
	return r, nil
}

func inspectKommun(dir, code string) (Kommun, error) {
	k := Kommun{Code: code}
	k.Profile, k.ProfileErr = ingest.LoadProfile(filepath.Join(dir, code, "mapping.toml"))
	if k.ProfileErr != nil {
		return k, nil // the files cannot be classified without it
	}
	entries, err := os.ReadDir(filepath.Join(dir, code))
	if err != nil {
		return k, err
	}
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || name == "mapping.toml" || strings.EqualFold(name, "README.md") || e.IsDir() {
			continue
		}
		k.Files = append(k.Files, inspectFile(dir, code, name, k.Profile))
	}
	return k, nil
}

func inspectFile(dir, code, name string, prof source.Profile) File {
	f := File{Path: code + "/" + name, Abs: filepath.Join(dir, code, name)}
	f.Match, f.NameErr = ingest.ClassifyName(name, prof)
	if f.NameErr != nil {
		g, ok := guessName(name)
		if !ok {
			return f
		}
		f.Guessed, f.Match = g.Kind.Name, g
	}
	f.Options = prof.Options(f.Match.Kind.Name)
	in := ingest.File{Path: f.Path, Abs: f.Abs, Kommun: code, Kind: f.Match.Kind, ExtractDate: f.Match.Date, NameRule: f.Match.Rule}
	coded := map[string]bool{}
	for _, c := range f.Match.Kind.Columns {
		coded[c.Name] = c.Type == contract.Code || c.Type == contract.Bool
	}
	type key struct{ field, rule, value string }
	groups := map[key]*Group{}
	c, err := ingest.Check(in, prof, func(rj ingest.Rejected) {
		k := key{rj.Field, rj.Rule, ""}
		if coded[rj.Field] {
			k.value = rj.Value
		}
		g := groups[k]
		if g == nil {
			g = &Group{Field: rj.Field, Rule: rj.Rule, Value: rj.Value, Line: rj.Line, seen: map[string]bool{}}
			groups[k] = g
		}
		g.Count++
		if !g.seen[rj.Value] {
			g.seen[rj.Value] = true
			g.Values++
		}
	})
	f.Checked = c
	if err != nil {
		var ee *source.Error
		if !errors.As(err, &ee) {
			err = fmt.Errorf("%s: %w", f.Abs, err)
		}
		f.OpenErr = err
		f.Header = rawHeader(f.Abs, f.Match.Kind.Names(), f.Options)
		return f
	}
	present := map[string]bool{}
	for _, fl := range c.Fields {
		for _, col := range fl.Columns {
			present[col] = true
		}
	}
	for _, col := range f.Match.Kind.Columns {
		if !present[col.Name] {
			f.Missing = append(f.Missing, Missing{Column: col.Name, Required: col.Header})
		}
	}
	for _, g := range groups {
		g.seen = nil
		f.Rejects = append(f.Rejects, *g)
	}
	sort.Slice(f.Rejects, func(i, j int) bool {
		a, b := f.Rejects[i], f.Rejects[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Field < b.Field
	})
	return f
}

// rawHeader reads the header fields of a file with the encoding,
// delimiter and header line of opt only (no column rules); nil if even
// that fails.
func rawHeader(path string, columns []string, opt source.Options) []source.Field {
	fh, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer fh.Close()
	rd, err := source.Open(fh, path, columns, nil, source.Options{Encoding: opt.Encoding, Delimiter: opt.Delimiter, HeaderLine: opt.HeaderLine})
	if err != nil {
		return nil
	}
	return rd.Fields()
}
