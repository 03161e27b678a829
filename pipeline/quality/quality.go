// Package quality owns the data-quality rules a run must meet before it
// publishes (shared/spec/inputs.md, "Data-quality gates"): the blocking
// gates on each used input file's row counts, the warning on an old extens
// extract, and the summaries that make rejects visible — one line for
// stderr and the per-kommun summary of the manifest and the index pages.
//
// It works on the bookkeeping of a run's files (File), never on rows, and
// formats nothing for the pages: their Swedish text is made by the caller.
package quality

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Roles of a file, as in pipeline/ingest.
const (
	RoleUsed       = "used"
	RolePart       = "part"
	RoleSuperseded = "superseded"
)

// File is one input file of the run with its counts.
type File struct {
	Path   string // relative to the inputs folder: "2281/extens_2020-03-02.csv"
	Abs    string // as the operator gave it, for messages: "inputs/2281/extens_2020-03-02.csv"
	Kommun string
	Kind   string
	Role   string // RoleUsed, RolePart or RoleSuperseded
	// ExtractDate is the date of an extens extract (zero for other kinds).
	ExtractDate time.Time
	// The file's counts as ingested: Read = Loaded + Rejected + Excluded,
	// Excluded being the rows of skyddade personer.
	Read, Loaded, Rejected, Excluded int64
	// Duplicates are loaded rows that repeat a row of an earlier part of
	// the same export: the run counts them once, in the earlier part.
	Duplicates int64
	// Rules are the reject rules of the file, the most frequent first.
	Rules []Rule
}

// Used reports whether the run's figures read the file.
func (f File) Used() bool { return f.Role != RoleSuperseded }

// Rule is one reject rule of a file with the number of rows it rejected.
type Rule struct {
	Field, Rule string // Field "" when the row could not be split into fields
	Rows        int64
}

func (r Rule) String() string {
	if r.Field == "" {
		return fmt.Sprintf("%s (%d)", r.Rule, r.Rows)
	}
	return fmt.Sprintf("%s: %s (%d)", r.Field, r.Rule, r.Rows)
}

// Gates, by the name the manifest gives them.
const (
	GateRowsLoaded   = "rows_loaded"   // blocking
	GateRejectShare  = "reject_share"  // blocking
	GateExtensRecent = "extens_recent" // a warning
)

// Gate outcomes.
const (
	Passed  = "passed"
	Failed  = "failed"
	Off     = "off"     // max_reject_share = 1
	Warning = "warning" // a warning gate that did not pass
	NoData  = "no data" // extens_recent: the kommun has no extens extract
)

// GateOff is the max_reject_share that turns both blocking gates off.
const GateOff = 1.0

// MaxExtractAgeDays is how many days the newest extens extract may be older
// than the report date before every page warns.
const MaxExtractAgeDays = 45

// Failure is a used file that failed a blocking gate.
type Failure struct {
	File File
	Gate string // GateRowsLoaded or GateRejectShare
}

// Check applies the blocking gates to every used file, in path order: a
// file with rows but none loaded fails GateRowsLoaded; one whose Rejected
// exceeds maxShare of its Read fails GateRejectShare. maxShare >= GateOff
// turns both gates off. Two kinds of rows are not held against a file:
// those excluded as skyddade personer (a file holding only such persons,
// or whose every person became skyddad later, is not broken: "no row
// loaded" means every row that was not excluded was rejected), and rows
// repeating an earlier part (Loaded is the file's own count, before they
// are set aside).
func Check(files []File, maxShare float64) []Failure {
	if maxShare >= GateOff {
		return nil
	}
	var out []Failure
	for _, f := range byPath(files) {
		switch {
		case !f.Used() || f.Read == f.Excluded:
		case f.Loaded == 0:
			out = append(out, Failure{File: f, Gate: GateRowsLoaded})
		case float64(f.Rejected) > maxShare*float64(f.Read):
			out = append(out, Failure{File: f, Gate: GateRejectShare})
		}
	}
	return out
}

// GateError is the error of a run stopped by the blocking gates. Its
// message names every failed file with its counts and its three most
// frequent reject rules, where every rejected row is listed (Rejects),
// and how to lift the gate.
type GateError struct {
	Failures []Failure
	MaxShare float64
	Rejects  string // where the operator finds every rejected row
}

func (e *GateError) Error() string {
	var b strings.Builder
	b.WriteString("data-quality gates failed; nothing was published and the study tables are unchanged (the files read stay cached in the database):")
	for _, f := range e.Failures {
		c := f.File
		fmt.Fprintf(&b, "\n%s: read %d, loaded %d, rejected %d", c.Abs, c.Read, c.Loaded, c.Rejected)
		if c.Excluded > 0 {
			fmt.Fprintf(&b, ", excluded %d", c.Excluded)
		}
		switch f.Gate {
		case GateRowsLoaded:
			b.WriteString(": no row could be loaded")
		case GateRejectShare:
			fmt.Fprintf(&b, ": %s of the rows rejected, more than max_reject_share %s", percent(c.Rejected, c.Read), formatShare(e.MaxShare))
		}
		if len(c.Rules) > 0 {
			b.WriteString("; most frequent: ")
			for i, r := range c.Rules[:min(3, len(c.Rules))] {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(r.String())
			}
			if n := len(c.Rules) - 3; n > 0 {
				fmt.Fprintf(&b, " and %d more rule%s", n, plural(n))
			}
		}
	}
	if e.Rejects != "" {
		fmt.Fprintf(&b, "\nevery rejected row, with file, line, rule and field: %s", e.Rejects)
	}
	b.WriteString("\nfix the files or the mapping profile and run again; to publish anyway, raise the limit with --max-reject-share (config max_reject_share; 1 turns the gate off)")
	return b.String()
}

// Stale is a kommun whose newest extens extract on or before the report
// date is more than MaxExtractAgeDays older than it. Path is "" when the
// kommun has extracts, but none on or before the report date.
type Stale struct {
	Kommun string
	Path   string
	Date   time.Time
	Days   int
}

// StaleExtracts returns, per kommun with extens files, in kommun order, the
// ones whose newest extract on or before asOf is too old.
func StaleExtracts(files []File, asOf time.Time) []Stale {
	newest := map[string]File{}
	has := map[string]bool{}
	for _, f := range files {
		if f.Kind != "extens" || !f.Used() {
			continue
		}
		has[f.Kommun] = true
		if f.ExtractDate.After(asOf) {
			continue
		}
		if n, ok := newest[f.Kommun]; !ok || f.ExtractDate.After(n.ExtractDate) {
			newest[f.Kommun] = f
		}
	}
	var out []Stale
	for _, k := range slices.Sorted(maps.Keys(has)) {
		n, ok := newest[k]
		if !ok {
			out = append(out, Stale{Kommun: k})
			continue
		}
		if days := int(asOf.Sub(n.ExtractDate).Hours() / 24); days > MaxExtractAgeDays {
			out = append(out, Stale{Kommun: k, Path: n.Path, Date: n.ExtractDate, Days: days})
		}
	}
	return out
}

// Shrunk is a kommun whose newest extens extract on or before the report
// date loaded less than half the rows of the extract before it: a weekly
// extract lists every youth of the kommun, so it is most likely a partial
// export, and the figures of the newest extract would count too few.
type Shrunk struct {
	Kommun             string
	Path, PrevPath     string
	Loaded, PrevLoaded int64
}

// minShrinkRows is the fewest rows the extract before must have loaded
// for a shrink to be warned of: a handful of youths can halve by chance.
const minShrinkRows = 20

// ShrunkExtracts returns the kommuner, in order, whose newest used extens
// extract on or before asOf loaded less than half the rows of the one
// dated before it (a header-only extract too).
func ShrunkExtracts(files []File, asOf time.Time) []Shrunk {
	byKommun := map[string][]File{}
	for _, f := range files {
		if f.Kind == "extens" && f.Used() && !f.ExtractDate.After(asOf) {
			byKommun[f.Kommun] = append(byKommun[f.Kommun], f)
		}
	}
	var out []Shrunk
	for _, k := range slices.Sorted(maps.Keys(byKommun)) {
		fs := byKommun[k]
		if len(fs) < 2 {
			continue
		}
		slices.SortFunc(fs, func(a, b File) int {
			if c := a.ExtractDate.Compare(b.ExtractDate); c != 0 {
				return c
			}
			return strings.Compare(a.Path, b.Path)
		})
		last, prev := fs[len(fs)-1], fs[len(fs)-2]
		if prev.Loaded >= minShrinkRows && 2*last.Loaded < prev.Loaded {
			out = append(out, Shrunk{Kommun: k, Path: last.Path, PrevPath: prev.Path, Loaded: last.Loaded, PrevLoaded: prev.Loaded})
		}
	}
	return out
}

// Message is the stderr warning of a shrunk extract.
func (s Shrunk) Message() string {
	return fmt.Sprintf("%s: the newest extens extract, %s, loaded %d rows, less than half of the %d of %s before it: a partial export? The figures from its date count only its rows",
		s.Kommun, s.Path, s.Loaded, s.PrevLoaded, s.PrevPath)
}

// Message is the stderr warning of a stale kommun.
func (s Stale) Message(asOf time.Time) string {
	if s.Path == "" {
		return fmt.Sprintf("%s: no extens extract is dated on or before the report date %s: figures from Extens are missing", s.Kommun, asOf.Format(time.DateOnly))
	}
	return fmt.Sprintf("%s: the newest extens extract, %s, is %d days older than the report date %s (more than %d): figures from Extens may be out of date",
		s.Kommun, s.Path, s.Days, asOf.Format(time.DateOnly), MaxExtractAgeDays)
}

// RejectLine is the one line that summarises a run's rejected rows (count,
// files, where the list is), "" when there are none. Files are named with
// their count, the most rejecting first, at most three.
func RejectLine(files []File, list string) string {
	var with []File
	var total int64
	for _, f := range files {
		if f.Rejected > 0 {
			with = append(with, f)
			total += f.Rejected
		}
	}
	if total == 0 {
		return ""
	}
	slices.SortStableFunc(with, func(a, b File) int {
		if c := cmp.Compare(b.Rejected, a.Rejected); c != 0 {
			return c
		}
		return strings.Compare(a.Path, b.Path)
	})
	names := make([]string, len(with))
	for i, f := range with {
		names[i] = fmt.Sprintf("%s %d", f.Path, f.Rejected)
	}
	return fmt.Sprintf("%d row%s rejected in %d file%s (%s); every row with file, line and rule: %s",
		total, plural64(total), len(with), plural(len(with)), strings.Join(Abridge(names), ", "), list)
}

// Abridge is the first three of names, then "N more" for the rest: the
// shape of a one-line list of files on stderr.
func Abridge(names []string) []string {
	if len(names) <= 3 {
		return names
	}
	return append(slices.Clip(names[:3]), fmt.Sprintf("%d more", len(names)-3))
}

// Summary is the data quality of one kommun's inputs in a run.
type Summary struct {
	Kommun string
	// Files by role; Skipped are entries of the folder that are not inputs.
	Used, Parts, Superseded int
	Skipped                 []string
	// Rows of the used files, as the run counts them: Loaded are the rows
	// the figures use, Excluded the skyddade and the rows repeated across
	// parts (so Read = Loaded + Rejected + Excluded).
	Read, Loaded, Rejected, Excluded int64
	Gates                            []GateOutcome
}

// GateOutcome is one gate's result for a kommun.
type GateOutcome struct {
	Name, Rule, Outcome string
}

// Summarize gives each kommun's Summary, in the order given. skipped holds
// each kommun's passed-over folder entries; failures the blocking gates'
// failures (none in a run that publishes).
func Summarize(kommuner []string, skipped map[string][]string, files []File, maxShare float64, asOf time.Time, failures []Failure) []Summary {
	stale := map[string]bool{}
	for _, s := range StaleExtracts(files, asOf) {
		stale[s.Kommun] = true
	}
	failed := map[string]map[string]bool{}
	for _, f := range failures {
		if failed[f.File.Kommun] == nil {
			failed[f.File.Kommun] = map[string]bool{}
		}
		failed[f.File.Kommun][f.Gate] = true
	}
	byKommun := map[string][]int{}
	for i, f := range files {
		byKommun[f.Kommun] = append(byKommun[f.Kommun], i)
	}
	var out []Summary
	for _, k := range kommuner {
		s := Summary{Kommun: k, Skipped: skipped[k]}
		extens := false
		for _, i := range byKommun[k] {
			f := &files[i]
			switch f.Role {
			case RoleSuperseded:
				s.Superseded++
				continue
			case RolePart:
				s.Parts++
			default:
				s.Used++
			}
			extens = extens || f.Kind == "extens"
			s.Read += f.Read
			s.Loaded += f.Loaded - f.Duplicates
			s.Rejected += f.Rejected
			s.Excluded += f.Excluded + f.Duplicates
		}
		blocking := func(name, rule string) GateOutcome {
			g := GateOutcome{Name: name, Rule: rule, Outcome: Passed}
			switch {
			case maxShare >= GateOff:
				g.Outcome = Off
			case failed[k][name]:
				g.Outcome = Failed
			}
			return g
		}
		recent := GateOutcome{Name: GateExtensRecent, Outcome: Passed,
			Rule: fmt.Sprintf("the newest extens extract is at most %d days older than the report date (a warning)", MaxExtractAgeDays)}
		switch {
		case !extens:
			recent.Outcome = NoData
		case stale[k]:
			recent.Outcome = Warning
		}
		s.Gates = []GateOutcome{
			blocking(GateRowsLoaded, "every used file with rows loads at least one (blocking)"),
			blocking(GateRejectShare, fmt.Sprintf("no used file rejects more than max_reject_share %s of its rows (blocking)", formatShare(maxShare))),
			recent,
		}
		out = append(out, s)
	}
	return out
}

func byPath(files []File) []File {
	out := slices.Clone(files)
	slices.SortStableFunc(out, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// percent is k of n as a percentage with one decimal: "37.1%".
func percent(k, n int64) string {
	return strconv.FormatFloat(100*float64(k)/float64(n), 'f', 1, 64) + "%"
}

func formatShare(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func plural64(n int64) string { return plural(int(min(n, 2))) }
