package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
	"github.com/kaa-uppfoljning/kaa/pipeline/ingest"
	"github.com/kaa-uppfoljning/kaa/pipeline/quality"
	"github.com/kaa-uppfoljning/kaa/pipeline/report"
	"github.com/kaa-uppfoljning/kaa/pipeline/table"
	"github.com/kaa-uppfoljning/kaa/pipeline/warehouse"
	kaasql "github.com/kaa-uppfoljning/kaa/sql"
)

// rejectsPath is where the rejected rows of a run that publishes nothing
// go (a failed run, kaa ingest): beside the database, never in the
// published set. A run that publishes lists them in <out>/rejects.csv and
// removes this file.
func (j *job) rejectsPath() string { return j.DB + ".rejects.csv" }

// inspect gathers the bookkeeping of the run's files, logs their ignored
// and missing columns (-v), warns of an old extens extract and applies the
// blocking data-quality gates: a failure is a Check failure naming the
// files, before anything is built.
func (j *job) inspect(ctx context.Context, w *warehouse.Warehouse, ld *loaded) error {
	counts, err := w.FileCounts(ctx)
	if err != nil {
		return err
	}
	dups, err := w.Duplicates(ctx)
	if err != nil {
		return err
	}
	rules, err := w.RejectRules(ctx)
	if err != nil {
		return err
	}
	ld.counts = counts
	ld.quality = make([]quality.File, len(ld.files))
	for i, f := range ld.files {
		c := counts[f.ID]
		q := quality.File{
			Path: f.Path, Abs: f.Abs, Kommun: f.Kommun, Kind: f.Kind.Name, Role: string(f.Role), ExtractDate: f.ExtractDate,
			Read: c.Read, Loaded: c.Loaded, Rejected: c.Rejected, Excluded: c.Excluded, Duplicates: dups[f.ID],
		}
		for _, r := range rules[f.ID] {
			q.Rules = append(q.Rules, quality.Rule{Field: r.Field, Rule: r.Rule, Rows: r.Rows})
		}
		ld.quality[i] = q
	}
	ld.ofKommun = map[string][]int{}
	for i, f := range ld.files {
		ld.ofKommun[f.Kommun] = append(ld.ofKommun[f.Kommun], i)
	}
	ld.stale = quality.StaleExtracts(ld.quality, j.cfg.AsOf())
	ld.shrunk = quality.ShrunkExtracts(ld.quality, j.cfg.AsOf())
	ld.summaries = j.summaries(ld)
	if ld.rejects, err = w.Rejects(ctx); err != nil {
		return err
	}
	j.logColumns(ld)
	j.warnUnprotected(ld)
	for _, s := range ld.stale {
		fmt.Fprintf(j.Stderr, "kaa: warning: %s\n", s.Message(j.cfg.AsOf()))
	}
	for _, s := range ld.shrunk {
		fmt.Fprintf(j.Stderr, "kaa: warning: %s\n", s.Message())
	}
	fails := quality.Check(ld.quality, j.cfg.MaxRejectShare())
	if len(fails) == 0 {
		return nil
	}
	ge := &quality.GateError{Failures: fails, MaxShare: j.cfg.MaxRejectShare()}
	if len(ld.rejects.Rows) > 0 {
		ge.Rejects = j.rejectsPath()
	}
	return failure(Check, ge)
}

// reportRejects ends every run that got as far as inspect: one stderr line
// summarising the rejected rows, if any, even without -v (a person must
// look at them), naming where their list is — <out>/rejects.csv when the
// run published, else the file beside the database, written here.
func (j *job) reportRejects(ld *loaded, published bool) {
	if ld == nil || ld.quality == nil {
		return
	}
	side := j.rejectsPath()
	list := side
	switch {
	case published:
		list = filepath.Join(j.Out, "rejects.csv")
		os.Remove(side)
	case len(ld.rejects.Rows) > 0:
		if err := writeFile(side, func(f io.Writer) error { return table.WriteCSV(f, ld.rejects) }); err != nil {
			fmt.Fprintf(j.Stderr, "kaa: writing the rejected rows: %v\n", err)
		}
	default:
		if err := os.Remove(side); err != nil && !errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(j.Stderr, "kaa: %v\n", err)
		}
	}
	if line := quality.RejectLine(ld.quality, list); line != "" {
		fmt.Fprintf(j.Stderr, "kaa: %s\n", line)
	}
}

// logColumns logs (-v) the columns of the run's files that were ignored
// (neither in the contract nor mapped: never read or stored) and the
// optional contract columns they lack, grouped by kommun and kind.
func (j *job) logColumns(ld *loaded) {
	if !j.Verbose {
		return
	}
	type group struct {
		what, kommun, kind, cols string
		n                        int
	}
	var groups []*group
	add := func(what string, f ingest.File, cols []string) {
		if len(cols) == 0 {
			return
		}
		key := strings.Join(cols, ", ")
		for _, g := range groups {
			if g.what == what && g.kommun == f.Kommun && g.kind == f.Kind.Name && g.cols == key {
				g.n++
				return
			}
		}
		groups = append(groups, &group{what: what, kommun: f.Kommun, kind: f.Kind.Name, cols: key, n: 1})
	}
	for _, f := range ld.files {
		c := ld.counts[f.ID]
		add("columns ignored (neither in the contract nor mapped; never read)", f, c.Ignored)
		add("optional columns missing (blank in every row)", f, c.Missing)
	}
	for _, g := range groups {
		files := "files"
		if g.n == 1 {
			files = "file"
		}
		j.logf("%s: %s %s, %d %s: %s", g.what, g.kommun, g.kind, g.n, files, g.cols)
	}
}

// warnUnprotected warns on stderr (also without -v, so cron mails it, on
// every run) of the used extracts that lack the Skyddad column: no one in
// them can be excluded as having skyddade personuppgifter. The files in
// path order, the first three named.
func (j *job) warnUnprotected(ld *loaded) {
	var paths []string
	for _, f := range ld.files {
		if f.Role == ingest.RoleSuperseded || f.Kind.Name != "extens" {
			continue
		}
		if slices.Contains(ld.counts[f.ID].Missing, "Skyddad") {
			paths = append(paths, f.Path)
		}
	}
	if len(paths) == 0 {
		return
	}
	slices.Sort(paths)
	fmt.Fprintf(j.Stderr, "kaa: warning: column Skyddad missing in %s: no person in these files can be excluded as skyddad (skyddade personuppgifter); every page says so\n",
		strings.Join(quality.Abridge(paths), ", "))
}

// emptyStudy is a study with no rows in its period in one scope.
type emptyStudy struct {
	scope, study string
	from, to     *time.Time // from nil: everything up to to
	what         string     // what was counted, a Swedish plural
	kinds        []string   // the input kinds counted
}

func (e emptyStudy) period() string {
	if e.from == nil {
		return "till och med " + table.FormatDate(*e.to)
	}
	return table.FormatDate(*e.from) + " – " + table.FormatDate(*e.to)
}

// sentence is the page's text in place of the study's figures.
func (e emptyStudy) sentence() string {
	return fmt.Sprintf("Inga uppgifter för perioden %s: inga %s. Tabellerna visar därför bara nollor och inga diagram ritas.", e.period(), e.what)
}

// rowsModel is the model that counts a study's rows in its period, per
// scope: sql/intermediate/int_<study>_rader.sql (columns scope, fran, till,
// vad, kinds, rader; see int_s1_rader). A page without one is never empty.
func rowsModel(study string) string { return "int_" + study + "_rader" }

// findEmpty reads each published study's int_<study>_rader: the studies
// the plan publishes with no rows in their period, per scope, and warns in
// one stderr line of those whose input files are there (so the period or
// the files are likely not what was meant). A study of a kind the kommun
// has no file of at all (no ESF project, no time study) is said only on
// its page: a cron run would otherwise mail the same line every time.
// Order: by scope, then by study name.
func (j *job) findEmpty(ctx context.Context, w *warehouse.Warehouse, models []warehouse.Model, plan Plan) error {
	j.empty = nil
	studies := pageNames()
	slices.Sort(studies)
	scopes, err := w.Scopes(ctx)
	if err != nil {
		return err
	}
	var names []string
	for _, scope := range scopes {
		for _, study := range studies {
			m, ok := model(models, rowsModel(study))
			if !ok || !plan.has(study) {
				continue // not built, or not published
			}
			t, err := w.StudyTable(ctx, m, scope)
			if err != nil {
				return err
			}
			for _, row := range t.Rows {
				r := func(col string) any { return row[t.Col(col)] }
				if !zero(r("rader")) {
					continue
				}
				e := emptyStudy{scope: scope, study: study, what: r("vad").(string), kinds: strings.Split(r("kinds").(string), ",")}
				if f, ok := r("fran").(time.Time); ok {
					e.from = &f
				}
				to := r("till").(time.Time)
				e.to = &to
				j.empty = append(j.empty, e)
				if j.hasFiles(e.scope, e.kinds) {
					names = append(names, fmt.Sprintf("%s %s (%s)", e.scope, e.study, strings.Replace(e.period(), "till och med ", "up to ", 1)))
				}
			}
		}
	}
	if len(names) > 0 {
		fmt.Fprintf(j.Stderr, "kaa: warning: no data in the period, the page says so instead of showing figures: %s\n", strings.Join(names, ", "))
	}
	return nil
}

// zero reports whether a count read back (an integer, or a sum DuckDB
// gives as a decimal) is 0.
func zero(v any) bool {
	switch x := v.(type) {
	case int64:
		return x == 0
	case float64:
		return x == 0
	}
	return false
}

// model finds a built model by name.
func model(models []warehouse.Model, name string) (warehouse.Model, bool) {
	for _, m := range models {
		if m.Name == name {
			return m, true
		}
	}
	return warehouse.Model{}, false
}

// redChecks lists, per scope, the S7 checks of nivå rod that find persons
// (s7_kontroller, before suppression), in the checks' order.
func redChecks(ctx context.Context, w *warehouse.Warehouse, models []warehouse.Model) ([]string, error) {
	m, ok := model(models, "s7_kontroller")
	if !ok {
		return nil, fmt.Errorf("s7_kontroller was not built")
	}
	scopes, err := w.Scopes(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, scope := range scopes {
		t, err := w.StudyTable(ctx, m, scope)
		if err != nil {
			return nil, err
		}
		niva, check, n := t.Col("niva"), t.Col("kontroll"), t.Col("antal_personer")
		for _, row := range t.Rows {
			if row[niva] == "rod" && row[n].(int64) > 0 {
				out = append(out, fmt.Sprintf("%s: %s: %d personer", scope, row[check], row[n]))
			}
		}
	}
	return out, nil
}

// hasFiles reports whether the scope has a used file of one of the kinds.
func (j *job) hasFiles(scope string, kinds []string) bool {
	for _, f := range j.ld.files {
		if (scope == "region" || scope == f.Kommun) && f.Role != ingest.RoleSuperseded && slices.Contains(kinds, f.Kind.Name) {
			return true
		}
	}
	return false
}

// columnEffect says what a missing optional contract column changes: the
// pages whose figures it changes ("*" = every page, the index too; none =
// no figure changes) and how, as the page's data-quality note ends.
type columnEffect struct {
	pages []string
	text  string
}

// everyPage: the optional columns whose absence changes every page, the
// index too, and how.
var everyPage = map[string]string{
	"extens.Skyddad": "ingen person i filen kan undantas som skyddad",
}

// noFigure: the optional columns whose absence changes no published
// figure.
var noFigure = []string{
	"extens.Kon", // derived from the personnummer
	"extens.Avgangsdatum", "extens.Avgangstyp",
	"gruus.Rapportdatum",
	"kaa_individer.Coach",
	"deltagare.Coach",
	"tidsstudie.Coach",
	"omradesstatistik.Befolkning",
}

// columnEffects covers every optional column of the contract (a test
// holds it to that), keyed "kind.Column": everyPage, noFigure, and the
// pages' own "missing" declarations (report.Page.Missing: each page's
// template names the columns its figures need), pages in page order. Two
// pages giving one column different words is an error.
var columnEffects = func() map[string]columnEffect {
	out := map[string]columnEffect{}
	for c, text := range everyPage {
		out[c] = columnEffect{[]string{"*"}, text}
	}
	for _, c := range noFigure {
		out[c] = columnEffect{nil, ""}
	}
	for _, p := range pages {
		for _, m := range p.Missing {
			e, ok := out[m.Column]
			if ok && (e.text != m.Text || len(e.pages) == 0 || e.pages[0] == "*") {
				panic(fmt.Sprintf("reports/%s: missing %s: %q, but %v say %q", p.Template, m.Column, m.Text, e.pages, e.text))
			}
			out[m.Column] = columnEffect{append(e.pages, p.Name), m.Text}
		}
	}
	return out
}()

// optionalColumns lists "kind.Column" for every optional column of the
// contract (its header may be absent).
func optionalColumns() []string {
	var out []string
	for _, k := range contract.Kinds() {
		for _, c := range k.Columns {
			if !c.Header {
				out = append(out, k.Name+"."+c.Name)
			}
		}
	}
	return out
}

// notices gives, per page name, the data-quality notes of a scope's pages:
// an old Extens extract (every page) and each optional column missing
// from a used file (the pages whose figures it changes). Extracts after
// the report date are not read by the studies and are left out.
func (j *job) notices(scope string) map[string][]string {
	out := map[string][]string{}
	all := append([]string{"index"}, pageNames()...)
	inScope := func(k string) bool { return scope == "region" || scope == k }
	for _, s := range j.ld.stale {
		if !inScope(s.Kommun) {
			continue
		}
		var msg string
		if s.Path == "" {
			msg = fmt.Sprintf("Varning: kommun %s har inget Extens-uttag daterat senast rapportdatum %s. Uppgifter ur Extens saknas.", s.Kommun, table.FormatDate(j.cfg.AsOf()))
		} else {
			msg = fmt.Sprintf("Varning: det senaste Extens-uttaget för kommun %s (%s) är från %s, %d dagar före rapportdatum %s. Uppgifter ur Extens kan vara inaktuella.",
				s.Kommun, s.Path, table.FormatDate(s.Date), s.Days, table.FormatDate(j.cfg.AsOf()))
		}
		for _, p := range all {
			out[p] = append(out[p], msg)
		}
	}
	for _, s := range j.ld.shrunk {
		if !inScope(s.Kommun) {
			continue
		}
		msg := fmt.Sprintf("Varning: det senaste Extens-uttaget för kommun %s (%s) har %d rader, färre än hälften av de %d i uttaget före det (%s). Det kan vara ett ofullständigt uttag; uppgifterna från dess datum bygger bara på dess rader.",
			s.Kommun, s.Path, s.Loaded, s.PrevLoaded, s.PrevPath)
		for _, p := range all {
			out[p] = append(out[p], msg)
		}
	}
	type missing struct {
		col   string
		files []string
	}
	var groups []*missing
	group := map[string]*missing{}
	for _, i := range j.ld.scoped(scope) {
		f := &j.ld.files[i]
		if f.Role == ingest.RoleSuperseded || (f.Kind.Dated && f.ExtractDate.After(j.cfg.AsOf())) {
			continue
		}
		for _, c := range j.ld.counts[f.ID].Missing {
			key := f.Kommun + "/" + f.Kind.Name + "." + c
			g := group[key]
			if g == nil {
				g = &missing{col: key}
				group[key] = g
				groups = append(groups, g)
			}
			g.files = append(g.files, f.Path)
		}
	}
	for _, g := range groups {
		_, kc, _ := strings.Cut(g.col, "/")
		eff := columnEffects[kc]
		if len(eff.pages) == 0 {
			continue
		}
		_, col, _ := strings.Cut(kc, ".")
		var msg string
		if len(g.files) == 1 {
			msg = fmt.Sprintf("%s saknas i %s: %s.", col, g.files[0], eff.text)
		} else {
			msg = fmt.Sprintf("%s saknas i %d filer (%s … %s): %s för deras rader.", col, len(g.files), g.files[0], g.files[len(g.files)-1], eff.text)
		}
		targets := eff.pages
		if slices.Contains(targets, "*") {
			targets = all
		}
		for _, p := range targets {
			out[p] = append(out[p], msg)
		}
	}
	// The whole report (rapport.html) carries every note of its sections,
	// each once, in page order.
	seen := map[string]bool{}
	for _, msg := range out[report.ReportPage] {
		seen[msg] = true
	}
	for _, p := range all {
		for _, msg := range out[p] {
			if !seen[msg] {
				seen[msg] = true
				out[report.ReportPage] = append(out[report.ReportPage], msg)
			}
		}
	}
	return out
}

func pageNames() []string {
	var out []string
	for _, p := range pages {
		out = append(out, p.Name)
	}
	return out
}

// pageKinds returns, per page, the input kinds its figures read: the kinds
// whose staging view the page's study and staff models reach. The models
// are embedded, so it is worked out once.
var pageKinds = sync.OnceValues(findPageKinds)

func findPageKinds() (map[string][]string, error) {
	models, err := warehouse.Models(kaasql.FS)
	if err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, p := range pages {
		var roots []string
		for _, m := range models {
			if inPages(m, []string{p.Name}) {
				roots = append(roots, m.Name)
			}
		}
		reached := map[string]bool{}
		for _, m := range warehouse.Needed(models, roots) {
			if k, ok := strings.CutPrefix(m.Name, "stg_"); ok && m.Layer == "staging" {
				reached[k] = true
			}
		}
		for _, k := range contract.Kinds() {
			if reached[k.Name] {
				out[p.Name] = append(out[p.Name], k.Name)
			}
		}
	}
	return out, nil
}

// usedFiles describes, for a page's method notes, the files of each kind
// the page read in a scope: one fact per kommun and kind.
func (j *job) usedFiles(scope string, kinds []string) []report.Fact {
	var out []report.Fact
	for _, k := range j.ld.kommuner {
		if scope != "region" && scope != k.Code {
			continue
		}
		for _, kind := range kinds {
			var used, later, superseded []string
			part := false
			for _, i := range j.ld.ofKommun[k.Code] {
				f := &j.ld.files[i]
				if f.Kind.Name != kind {
					continue
				}
				switch {
				case f.Role == ingest.RoleSuperseded:
					superseded = append(superseded, f.Path)
				case f.Kind.Dated && f.ExtractDate.After(j.cfg.AsOf()):
					later = append(later, f.Path)
				default:
					used = append(used, f.Path)
					part = part || f.Role == ingest.RolePart
				}
			}
			if len(used)+len(later)+len(superseded) == 0 {
				continue
			}
			var v string
			switch {
			case len(used) == 0:
				v = "ingen fil"
			case len(used) <= 3:
				v = strings.Join(used, ", ")
			default:
				v = fmt.Sprintf("%d filer, %s … %s", len(used), used[0], used[len(used)-1])
			}
			if part {
				v += " (delar av en export, lästa tillsammans; en rad som finns i flera delar räknas en gång)"
			}
			if len(superseded) > 0 {
				v += " (ersätter " + strings.Join(superseded, ", ") + ")"
			}
			if len(later) > 0 {
				v += fmt.Sprintf(" (%d uttag efter rapportdatum används inte)", len(later))
			}
			label := "Indatafiler: " + kind
			if scope == "region" {
				label = "Indatafiler: " + k.Code + " " + kind
			}
			out = append(out, report.Fact{Label: label, Value: v})
		}
	}
	return out
}

// qualityRow is one kommun's line of the data-quality table on the index
// page.
type qualityRow struct {
	Kommun string
	// files: Used counts the parts too
	Used, Parts, Superseded, Ignored int
	Read, Loaded, Rejected, Excluded int64
	Gates                            []report.Fact // gate (Swedish) → outcome (Swedish)
}

var (
	gateLabel = map[string]string{
		quality.GateRowsLoaded:   "Varje använd fil ger inlästa rader",
		quality.GateRejectShare:  "Andel avvisade rader per fil högst max_reject_share",
		quality.GateExtensRecent: fmt.Sprintf("Senaste Extens-uttaget högst %d dagar före rapportdatum", quality.MaxExtractAgeDays),
	}
	outcomeLabel = map[string]string{
		quality.Passed: "uppfylld", quality.Failed: "ej uppfylld", quality.Off: "avstängd",
		quality.Warning: "varning", quality.NoData: "inget uttag",
	}
)

// summaries is the data-quality summary of every kommun of the run.
func (j *job) summaries(ld *loaded) []quality.Summary {
	var codes []string
	skipped := map[string][]string{}
	for _, k := range ld.kommuner {
		codes = append(codes, k.Code)
		skipped[k.Code] = k.Skipped
	}
	return quality.Summarize(codes, skipped, ld.quality, j.cfg.MaxRejectShare(), j.cfg.AsOf(), nil)
}

// qualityRows is the index page's data-quality table of a scope.
func (j *job) qualityRows(scope string) []qualityRow {
	var out []qualityRow
	for _, s := range j.ld.summaries {
		if scope != "region" && scope != s.Kommun {
			continue
		}
		r := qualityRow{Kommun: s.Kommun, Used: s.Used + s.Parts, Parts: s.Parts, Superseded: s.Superseded, Ignored: len(s.Skipped),
			Read: s.Read, Loaded: s.Loaded, Rejected: s.Rejected, Excluded: s.Excluded}
		for _, g := range s.Gates {
			label := gateLabel[g.Name]
			if g.Name == quality.GateRejectShare {
				label = fmt.Sprintf("Högst %s %% avvisade rader per fil", strings.Replace(strconv.FormatFloat(100*j.cfg.MaxRejectShare(), 'f', -1, 64), ".", ",", 1))
			}
			r.Gates = append(r.Gates, report.Fact{Label: label, Value: outcomeLabel[g.Outcome]})
		}
		out = append(out, r)
	}
	return out
}
