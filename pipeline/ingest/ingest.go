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
	"os"
	"sort"
	"strings"

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
	// Done, if set, is called after each file is read (progress), in the
	// order the files are staged.
	Done func(Result)
	// Workers is how many files are read at once; 0 means GOMAXPROCS.
	// Nothing Run returns depends on it.
	Workers int
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
//
// Files are read on Options.Workers goroutines at once, a bounded number
// of them ahead of the file being staged; their rows are staged, and
// their skyddade marked, in the order above, so that what Run returns —
// the staged rows table by table and part by part, the Results, the
// Done calls, the skyddade, the errors — is that of reading the files
// one after another.
func Run(ctx context.Context, files []File, opt Options) (*Staged, error) {
	if err := os.MkdirAll(opt.StageDir, 0o700); err != nil {
		return nil, err
	}
	blocked := map[string]bool{}
	for k := range opt.Blocked {
		blocked[k] = true
	}
	var order []File
	for _, kind := range contract.Kinds() {
		for _, f := range files {
			if f.Kind.Name == kind.Name {
				order = append(order, f)
			}
		}
	}
	r := newRun(opt, blocked)
	defer r.abort() // a run that stops early leaves no Parquet writer running
	rd := startReading(order, opt)
	defer rd.stop()
	st := &Staged{Parts: map[string][]string{}}
	var problems []error
	for range order {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res, err := r.take(<-rd.next)
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
	r := &run{opt: opt, blocked: blocked, stagers: map[string]*stager{}, purge: map[string]bool{}}
	r.rejects = newStager(opt.StageDir, "reject", RejectSchema())
	return r
}

// run stages the pieces of the files read, in file order, and keeps the
// skyddade found so far.
type run struct {
	opt       Options
	blocked   map[string]bool
	newBlocks map[string]bool
	purge     map[string]bool
	stagers   map[string]*stager
	rejects   *stager
}

// take stages the pieces of one file as they come and returns its Result
// and the error that ended its reading. The rows read before the error
// are staged, and their skyddade marked, as when files were read one
// after another.
func (r *run) take(j *job) (Result, error) {
	var loaded, excluded int64
	for p := range j.pieces {
		l, x, err := r.stage(j.file, p)
		if err != nil {
			return Result{File: j.file}, err
		}
		loaded, excluded = loaded+l, excluded+x
	}
	if j.opened {
		r.stager(j.file.Kind)
	}
	res := j.res
	res.Loaded += loaded
	res.Excluded += excluded
	return res, j.err
}

func (r *run) stager(kind contract.Kind) *stager {
	s := r.stagers[kind.Name]
	if s == nil {
		s = newStager(r.opt.StageDir, kind.Name, Schema(kind))
		r.stagers[kind.Name] = s
	}
	return s
}

// stage stages one piece of a file: its rejects, and its rows but those
// of persons marked skyddade by then (by an earlier file or row). It
// returns how many rows it loaded and how many it excluded.
func (r *run) stage(f File, p piece) (loaded, excluded int64, err error) {
	defer p.release()
	s := r.stager(f.Kind)
	if p.rejects != nil {
		if err := r.rejects.add(p.rejects); err != nil {
			return 0, 0, err
		}
	}
	n := 0
	if p.rows != nil {
		n = int(p.rows.NumRows())
	}
	start, mi := 0, 0
	for k := 0; k < n && p.blocks != nil; k++ {
		for ; mi < len(p.marks) && p.marks[mi].at <= k; mi++ {
			r.mark(p.marks[mi].id)
		}
		if !r.blocked[string(p.blocks[k][:])] {
			continue
		}
		excluded++
		if k > start {
			if err := s.addSlice(p.rows, start, k); err != nil {
				return 0, 0, err
			}
		}
		start = k + 1
	}
	for ; mi < len(p.marks); mi++ {
		r.mark(p.marks[mi].id)
	}
	if start < n {
		if err := s.addSlice(p.rows, start, n); err != nil {
			return 0, 0, err
		}
	}
	return int64(n) - excluded, excluded, nil
}

func (r *run) mark(id identity) {
	if r.newBlocks == nil {
		r.newBlocks = map[string]bool{}
	}
	if block := string(id.block[:]); !r.blocked[block] {
		r.blocked[block] = true
		r.newBlocks[block] = true
	}
	r.purge[string(id.pseudo[:])] = true
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
	kind   contract.Kind
	pnr    int   // index of the personnummer column, -1 if none
	stored []int // indexes of the Stored columns, in order
}

func newValidator(k contract.Kind, f File) *validator {
	v := &validator{Validator: contract.NewValidator(k, f.ExtractDate), kind: k, pnr: -1}
	for i, c := range k.Columns {
		if c.Type == contract.Personnummer {
			v.pnr = i
		}
		if c.Stored() {
			v.stored = append(v.stored, i)
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
		next().(*array.StringBuilder).BinaryBuilder.Append(r.id.pseudo[:])
		next().(*array.Date32Builder).Append(r.id.birth)
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
	for _, ci := range v.stored {
		fb := next()
		cl := &r.Values[ci]
		if cl.Null {
			fb.AppendNull()
			continue
		}
		switch v.kind.Columns[ci].Type {
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
