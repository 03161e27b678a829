// Package ingest owns turning input files into validated, pseudonymised
// rows: it scans the inputs folder, reads each new file through the export
// reader, applies the input contract row by row, and stages the rows that
// pass as Arrow record batches in Parquet files for the warehouse to load.
// Every row read is accounted for: loaded, rejected (with file, line, rule
// and field) or excluded (skyddade personuppgifter). The raw personnummer
// goes no further than this package's memory.
package ingest

import (
	"context"
	"errors"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
	"github.com/kaa-uppfoljning/kaa/pipeline/personnummer"
	"github.com/kaa-uppfoljning/kaa/pipeline/source"
)

// Options configure one ingest.
type Options struct {
	Pseudo   *personnummer.Pseudonymizer
	StageDir string          // where staged Parquet files go (created if missing)
	Blocked  map[string]bool // blockmarks of skyddade persons already known
	Profiles map[string]source.Profile
	// Done, if set, is called after each file is read (progress).
	Done func(Result)
}

// Counts is the reconciliation of one file: Read = Loaded + Rejected + Excluded.
type Counts struct {
	Read, Loaded, Rejected, Excluded int64
}

// Result is what one file gave.
type Result struct {
	File
	Encoding  string
	Delimiter string
	Counts
	// Ignored lists the file's columns that are neither in the contract
	// nor mapped by the profile, by header name (shown as in the rejects:
	// anything written like a personnummer masked). Their values are
	// never read.
	Ignored []string
	// Missing lists the contract's optional columns the file lacks (after
	// the profile's renames), in contract order: every row has them blank.
	Missing []string
}

// Staged is the outcome of an ingest: Parquet parts per raw table, the
// per-file results, and the skyddade found.
type Staged struct {
	Parts   map[string][]string // kind name (and "reject") → staged Parquet files
	Results []Result
	// NewBlockmarks are blockmarks of persons found skyddade in this ingest.
	NewBlockmarks []string
	// Purge lists pseudonyms of persons found skyddade in this ingest: their
	// rows already in the warehouse (or staged before the mark was seen) are
	// removed. Held in memory only.
	Purge []string
}

// Run reads the given new files (extens first, so a run's skyddade are
// known before other kinds are read) and stages their valid rows. A file
// that cannot be read at all is an *InputError naming file, line and
// problem; all such files are gathered before Run returns.
func Run(ctx context.Context, files []File, opt Options) (*Staged, error) {
	if err := os.MkdirAll(opt.StageDir, 0o700); err != nil {
		return nil, err
	}
	blocked := map[string]bool{}
	for k := range opt.Blocked {
		blocked[k] = true
	}
	r := newRun(opt, blocked)
	defer r.abort() // a run that stops early leaves no Parquet writer running
	st := &Staged{Parts: map[string][]string{}}
	var problems []error
	for _, kind := range contract.Kinds() {
		for _, f := range files {
			if f.Kind.Name != kind.Name {
				continue
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			res, err := r.file(f)
			if err != nil {
				var ee *source.Error
				if errors.As(err, &ee) {
					problems = append(problems, err)
					continue
				}
				return nil, err
			}
			st.Results = append(st.Results, res)
			if opt.Done != nil {
				opt.Done(res)
			}
		}
	}
	if len(problems) > 0 {
		return nil, &InputError{Problems: problems}
	}
	for name, s := range r.stagers {
		parts, err := s.close()
		if err != nil {
			return nil, err
		}
		st.Parts[name] = parts
	}
	parts, err := r.rejects.close()
	if err != nil {
		return nil, err
	}
	st.Parts["reject"] = parts
	for _, b := range sortedKeys(r.newBlocks) {
		st.NewBlockmarks = append(st.NewBlockmarks, b)
	}
	st.Purge = sortedKeys(r.purge)
	return st, nil
}

func newRun(opt Options, blocked map[string]bool) *run {
	r := &run{opt: opt, blocked: blocked, stagers: map[string]*stager{}, purge: map[string]bool{}, cache: map[string]identity{}}
	r.rejects = newStager(opt.StageDir, "reject", RejectSchema())
	return r
}

type identity struct {
	pseudo, block string
	birth         time.Time
	male          bool
}

type run struct {
	opt       Options
	blocked   map[string]bool
	newBlocks map[string]bool
	purge     map[string]bool
	stagers   map[string]*stager
	rejects   *stager
	cache     map[string]identity // canonical personnummer → identity; memory only
}

// maxCache bounds the identity cache (about 150 bytes an entry).
const maxCache = 4 << 20

func (r *run) identify(n personnummer.Number) identity {
	key := n.Canonical()
	if id, ok := r.cache[key]; ok {
		return id
	}
	if len(r.cache) >= maxCache {
		r.cache = map[string]identity{}
	}
	id := identity{pseudo: r.opt.Pseudo.Pseudonym(n), block: r.opt.Pseudo.Blockmark(n), birth: n.Birth, male: n.Male}
	r.cache[key] = id
	return id
}

func (r *run) file(f File) (Result, error) {
	res := Result{File: f}
	fh, err := os.Open(f.Abs)
	if err != nil {
		return res, err
	}
	defer fh.Close()
	return r.read(f, fh)
}

// read reads one file's rows from src.
func (r *run) read(f File, src io.Reader) (Result, error) {
	res := Result{File: f}
	kind := f.Kind
	prof := r.opt.Profiles[f.Kommun]
	opt := prof.Options(kind.Name)
	// A cell failing a profile rule comes back in CellErrors, so that a
	// row marking its person skyddad excludes the person even then.
	opt.CellErrors = true
	rd, err := source.Open(src, f.Abs, kind.Names(), kind.Required(), opt)
	if err != nil {
		return res, err
	}
	res.Encoding = rd.Encoding()
	res.Delimiter = delimiterName(rd.Delimiter())
	for _, h := range rd.Ignored() {
		res.Ignored = append(res.Ignored, contract.Shown(h))
	}
	present := map[string]bool{}
	for _, c := range rd.Header() {
		present[c] = true
	}
	for _, c := range kind.Columns {
		if !present[c.Name] {
			res.Missing = append(res.Missing, c.Name)
		}
	}
	s := r.stagers[kind.Name]
	if s == nil {
		s = newStager(r.opt.StageDir, kind.Name, Schema(kind))
		r.stagers[kind.Name] = s
	}
	v := newValidator(kind, f)
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if source.IsFileError(err) {
			// The file cannot be read on (a read error): the run stops.
			// Next would return the same error forever.
			return res, err
		}
		res.Read++
		if err != nil {
			var ee *source.Error
			if !errors.As(err, &ee) {
				return res, err
			}
			res.Rejected++
			if err := r.reject(f, ee.Line, ee.Rule, ee.Field, rejectValue(kind, ee.Field, ee.Value)); err != nil {
				return res, err
			}
			continue
		}
		row, prob := v.row(rec.Values)
		if errs := rd.CellErrors(); len(errs) > 0 {
			e := errs[0]
			prob = &contract.Problem{Rule: e.Rule, Field: e.Field, Value: rejectValue(kind, e.Field, e.Value)}
		}
		if prob != nil {
			if n, ok := v.SkyddadNumber(rec.Values); ok {
				// A row marking its person skyddad excludes the person
				// even if another of its cells breaks a rule: the mark
				// must never be lost to a reject.
				r.mark(r.identify(n))
				res.Excluded++
				continue
			}
			res.Rejected++
			if err := r.reject(f, rec.Line, prob.Rule, prob.Field, prob.Value); err != nil {
				return res, err
			}
			continue
		}
		if v.pnr >= 0 {
			id := r.identify(row.Number)
			if row.Skyddad {
				r.mark(id)
			}
			if row.Skyddad || r.blocked[id.block] {
				res.Excluded++
				continue
			}
			row.id = id
		}
		v.append(s.b, f, rec.Line, row)
		res.Loaded++
		if err := s.rowDone(); err != nil {
			return res, err
		}
	}
	return res, nil
}

func (r *run) mark(id identity) {
	if r.newBlocks == nil {
		r.newBlocks = map[string]bool{}
	}
	if !r.blocked[id.block] {
		r.blocked[id.block] = true
		r.newBlocks[id.block] = true
	}
	r.purge[id.pseudo] = true
}

func (r *run) reject(f File, line int, rule, field, value string) error {
	b := r.rejects.b
	appendString(b.Field(0), f.ID, false)
	appendString(b.Field(1), f.Path, false)
	b.Field(2).(*array.Int32Builder).Append(int32(line))
	appendString(b.Field(3), rule, false)
	appendString(b.Field(4), field, false)
	appendString(b.Field(5), value, false)
	return r.rejects.rowDone()
}

// rejectValue is what rejects show of a value that a profile rule
// refused: the personnummer masked, anything else as shown.
func rejectValue(kind contract.Kind, field, value string) string {
	for _, c := range kind.Columns {
		if c.Type == contract.Personnummer && strings.EqualFold(c.Name, field) {
			return personnummer.Mask(value)
		}
	}
	return contract.Shown(value)
}

func delimiterName(d rune) string {
	switch d {
	case '\t':
		return "tab"
	default:
		return string(d)
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sortStrings(out)
	return out
}

type row struct {
	contract.Row
	id identity
}

// validator applies the contract (contract.Validator) to one file's rows.
type validator struct {
	*contract.Validator
	kind contract.Kind
	pnr  int // index of the personnummer column, -1 if none
}

func newValidator(k contract.Kind, f File) *validator {
	v := &validator{Validator: contract.NewValidator(k, f.ExtractDate), kind: k, pnr: -1}
	for i, c := range k.Columns {
		if c.Type == contract.Personnummer {
			v.pnr = i
		}
	}
	return v
}

func (v *validator) row(values []string) (row, *contract.Problem) {
	r, p := v.Parse(values)
	return row{Row: r}, p
}

func (v *validator) append(b *array.RecordBuilder, f File, line int, r row) {
	i := 0
	next := func() array.Builder { fb := b.Field(i); i++; return fb }
	appendString(next(), f.ID, false)
	appendString(next(), f.Kommun, false)
	next().(*array.Int32Builder).Append(int32(line))
	if v.pnr >= 0 {
		appendString(next(), r.id.pseudo, false)
		next().(*array.Date32Builder).Append(arrow.Date32FromTime(r.id.birth))
		kon := r.Kon
		if kon == "" {
			kon = "K"
			if r.id.male {
				kon = "M"
			}
		}
		appendString(next(), kon, false)
	}
	if v.kind.Dated {
		next().(*array.Date32Builder).Append(arrow.Date32FromTime(f.ExtractDate))
	}
	for ci, c := range v.kind.Columns {
		if !c.Stored() {
			continue
		}
		fb := next()
		cl := r.Values[ci]
		if cl.Null {
			fb.AppendNull()
			continue
		}
		switch c.Type {
		case contract.Date:
			fb.(*array.Date32Builder).Append(arrow.Date32FromTime(cl.D))
		case contract.Bool:
			fb.(*array.BooleanBuilder).Append(cl.B)
		case contract.Int:
			fb.(*array.Int64Builder).Append(cl.I)
		case contract.Decimal:
			fb.(*array.Float64Builder).Append(cl.F)
		default:
			fb.(*array.StringBuilder).Append(cl.S)
		}
	}
}

func sortStrings(s []string) { sort.Strings(s) }
