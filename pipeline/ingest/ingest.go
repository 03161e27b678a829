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
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
	"time"
	"unicode"

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
		res.Ignored = append(res.Ignored, shown(h))
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
			prob = &problem{rule: e.Rule, field: e.Field, value: rejectValue(kind, e.Field, e.Value)}
		}
		if prob != nil {
			if n, ok := v.skyddadNumber(rec.Values); ok {
				// A row marking its person skyddad excludes the person
				// even if another of its cells breaks a rule: the mark
				// must never be lost to a reject.
				r.mark(r.identify(n))
				res.Excluded++
				continue
			}
			res.Rejected++
			if err := r.reject(f, rec.Line, prob.rule, prob.field, prob.value); err != nil {
				return res, err
			}
			continue
		}
		if v.pnr >= 0 {
			id := r.identify(row.number)
			if row.skyddad {
				r.mark(id)
			}
			if row.skyddad || r.blocked[id.block] {
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
	return shown(value)
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

// problem is why a row is rejected. value is safe to write out: the
// personnummer is never echoed.
type problem struct{ rule, field, value string }

// cell is one parsed value.
type cell struct {
	null bool
	s    string
	i    int64
	f    float64
	b    bool
	d    time.Time
}

type row struct {
	cells   []cell
	number  personnummer.Number
	skyddad bool
	kon     string // extens Kon as given
	id      identity
}

// validator applies the contract to one file's rows.
type validator struct {
	kind    contract.Kind
	file    File
	pnr     int // index of the personnummer column, -1 if none
	ref     int // index of the date column used as reference for short personnummer forms, -1 = extract date
	skyddad int
	kon     int
	avgang  int
	cells   []cell
}

// refColumn names, per kind, the date a short personnummer's century is
// judged against: the person was born before it.
var refColumn = map[string]string{
	"gruus": "Handelsedatum", "kaa_individer": "Aktualiserad", "kaa_sysselsattning": "Datum",
	"kaa_atgarder": "Start", "deltagare": "Inskriven",
}

func newValidator(k contract.Kind, f File) *validator {
	v := &validator{kind: k, file: f, pnr: -1, ref: -1, skyddad: -1, kon: -1, avgang: -1, cells: make([]cell, len(k.Columns))}
	for i, c := range k.Columns {
		switch {
		case c.Type == contract.Personnummer:
			v.pnr = i
		case c.Name == refColumn[k.Name]:
			v.ref = i
		}
		if k.Name == "extens" {
			switch c.Name {
			case "Skyddad":
				v.skyddad = i
			case "Kon":
				v.kon = i
			case "Avgangsdatum":
				v.avgang = i
			}
		}
	}
	return v
}

func (v *validator) row(values []string) (row, *problem) {
	r := row{cells: v.cells}
	for i, c := range v.kind.Columns {
		if i == v.pnr {
			continue
		}
		val := values[i]
		cl, p := parseCell(c, val)
		if p != nil {
			return r, p
		}
		if personnummer.Contains(val) {
			// an identifier typed into another column must not be stored
			return r, &problem{rule: ruleStrayNumber, field: c.Name, value: shown(val)}
		}
		r.cells[i] = cl
	}
	if v.pnr >= 0 {
		raw := values[v.pnr]
		if raw == "" {
			return r, &problem{rule: "missing value", field: "Personnummer"}
		}
		ref := v.file.ExtractDate
		if v.ref >= 0 {
			ref = r.cells[v.ref].d
		}
		n, err := personnummer.Parse(raw, ref)
		if err != nil {
			return r, &problem{rule: err.Error(), field: "Personnummer", value: personnummer.Mask(raw)}
		}
		r.number = n
	}
	if v.skyddad >= 0 {
		r.skyddad = !r.cells[v.skyddad].null && r.cells[v.skyddad].b
	}
	if v.kon >= 0 && !r.cells[v.kon].null {
		r.kon = r.cells[v.kon].s
	}
	if v.avgang >= 0 && !r.cells[v.avgang].null && r.cells[v.avgang].d.After(v.file.ExtractDate) {
		return r, &problem{rule: "after the extract date " + v.file.ExtractDate.Format("2006-01-02"), field: "Avgangsdatum", value: shown(values[v.avgang])}
	}
	return r, nil
}

// skyddadNumber returns the personnummer of an extens row whose Skyddad
// cell says J and whose personnummer is valid, whatever its other cells.
func (v *validator) skyddadNumber(values []string) (personnummer.Number, bool) {
	if v.skyddad < 0 || v.pnr < 0 {
		return personnummer.Number{}, false
	}
	if b, err := source.ParseYesNo(values[v.skyddad]); err != nil || !b {
		return personnummer.Number{}, false
	}
	n, err := personnummer.Parse(values[v.pnr], v.file.ExtractDate)
	return n, err == nil
}

func parseCell(c contract.Column, val string) (cell, *problem) {
	if val == "" {
		if c.NotBlank {
			return cell{}, &problem{rule: "missing value", field: c.Name}
		}
		return cell{null: true}, nil
	}
	bad := func(rule string) (cell, *problem) {
		return cell{}, &problem{rule: rule, field: c.Name, value: shown(val)}
	}
	switch c.Type {
	case contract.Code:
		up := strings.ToUpper(val)
		for _, code := range c.Codes {
			if up == code {
				return cell{s: code}, nil
			}
		}
		return bad("unknown code")
	case contract.Date:
		d, err := source.ParseDate(val)
		if err != nil {
			return bad(err.Error())
		}
		return cell{d: d}, nil
	case contract.Bool:
		b, err := source.ParseYesNo(val)
		if err != nil {
			return bad(err.Error())
		}
		return cell{b: b}, nil
	case contract.Int:
		i, err := source.ParseInt(val)
		if err != nil {
			return bad(err.Error())
		}
		if i > math.MaxInt32 || i < math.MinInt32 {
			// No count, year, age or minutes is this large; the bound
			// keeps the studies' sums within 64 bits.
			return bad(source.ErrRange.Error())
		}
		if c.Positive && i <= 0 {
			return bad("must be greater than 0")
		}
		if i < 0 {
			return bad("must not be negative")
		}
		return cell{i: i}, nil
	case contract.Decimal:
		f, err := source.ParseDecimal(val)
		if err != nil {
			return bad(err.Error())
		}
		if math.Abs(f) > maxDecimal {
			return bad(source.ErrRange.Error())
		}
		return cell{f: f}, nil
	case contract.Postnummer:
		return cell{s: strings.ReplaceAll(val, " ", "")}, nil
	default:
		return cell{s: val}, nil
	}
}

// maxDecimal bounds decimal values (shares in percent, incomes, ohälsotal):
// far above any real one, and low enough that the studies' sums, squares
// and standard deviations stay finite.
const maxDecimal = 1e12

// ruleStrayNumber rejects a row with a personnummer or samordningsnummer
// in any written form (personnummer.Contains) in a column other than
// Personnummer: free text, a school name, a postnummer.
const ruleStrayNumber = "personnummer outside the Personnummer column"

// shown is what the rejects file shows of an offending value: "***" if
// it holds something written like a personnummer (personnummer.Redact: a
// value in the wrong column must not leak one); control characters as \xHH and invisible
// format characters as \uHHHH (a value stays one visible line); at most
// 80 bytes, cut at a character boundary (the rejects are stored as UTF-8
// text, and half a character is not UTF-8).
func shown(s string) string {
	if r := personnummer.Redact(s); r != s {
		return r
	}
	const max = 80
	var b strings.Builder
	for _, r := range s {
		var part string
		switch {
		case unicode.IsControl(r):
			part = fmt.Sprintf("\\x%02x", r)
		case unicode.Is(unicode.Cf, r): // invisible: bidi overrides, zero widths
			part = fmt.Sprintf("\\u%04x", r)
		default:
			part = string(r)
		}
		if b.Len()+len(part) > max {
			return b.String() + "…"
		}
		b.WriteString(part)
	}
	return b.String()
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
		kon := r.kon
		if kon == "" {
			kon = "K"
			if r.id.male {
				kon = "M"
			}
		}
		appendString(next(), kon, false)
	}
	if v.kind.Name == "extens" {
		next().(*array.Date32Builder).Append(arrow.Date32FromTime(f.ExtractDate))
	}
	for ci, c := range v.kind.Columns {
		if !stored(v.kind, c) {
			continue
		}
		fb := next()
		cl := r.cells[ci]
		if cl.null {
			fb.AppendNull()
			continue
		}
		switch c.Type {
		case contract.Date:
			fb.(*array.Date32Builder).Append(arrow.Date32FromTime(cl.d))
		case contract.Bool:
			fb.(*array.BooleanBuilder).Append(cl.b)
		case contract.Int:
			fb.(*array.Int64Builder).Append(cl.i)
		case contract.Decimal:
			fb.(*array.Float64Builder).Append(cl.f)
		default:
			fb.(*array.StringBuilder).Append(cl.s)
		}
	}
}

func sortStrings(s []string) { sort.Strings(s) }
