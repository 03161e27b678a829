package run

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/config"
	"github.com/kaa-uppfoljning/kaa/pipeline/disclosure"
	"github.com/kaa-uppfoljning/kaa/pipeline/ingest"
	"github.com/kaa-uppfoljning/kaa/pipeline/manifest"
	"github.com/kaa-uppfoljning/kaa/pipeline/personnummer"
	"github.com/kaa-uppfoljning/kaa/pipeline/publish"
	"github.com/kaa-uppfoljning/kaa/pipeline/quality"
	"github.com/kaa-uppfoljning/kaa/pipeline/source"
	"github.com/kaa-uppfoljning/kaa/pipeline/table"
	"github.com/kaa-uppfoljning/kaa/pipeline/warehouse"
	kaasql "github.com/kaa-uppfoljning/kaa/sql"
)

// Built-in demo: what a run uses with no inputs given.
const (
	DemoInputs = "fixtures/inputs"
	DemoConfig = "fixtures/demo.toml"
)

// job is one run of the pipeline: its settings, log and timings.
type job struct {
	Options
	demo    bool
	cfg     config.Config
	pseudo  *personnummer.Pseudonymizer
	timings []manifest.Timing
	started time.Time
	stage   string
	now     func() time.Time
	prog    *progress // nil unless stderr is a terminal
	// models are the models built
	models []warehouse.Model
	// register: Plan.Register's S7 findings (Result.Register)
	register []string
	// ld is the run's inputs once loaded; empty the studies with no rows
	// in their period (set after the build).
	ld    *loaded
	empty []emptyStudy
}

func newJob(o Options) *job {
	j := &job{Options: o, now: time.Now}
	if o.Progress {
		j.prog = newProgress(o.Stderr, time.Now().Add(o.ProgressDelay))
	}
	return j
}

// logf writes a log line when -v is given.
func (j *job) logf(format string, args ...any) {
	if j.Verbose {
		j.prog.clear()
		fmt.Fprintf(j.Stderr, "kaa: "+format+"\n", args...)
	}
}

// begin starts timing a stage; end records it.
func (j *job) begin(stage string) {
	j.stage, j.started = stage, j.now()
	j.prog.begin(stage, -1, false)
}

func (j *job) end(detail string, args ...any) {
	j.prog.end()
	ms := j.now().Sub(j.started).Milliseconds()
	j.timings = append(j.timings, manifest.Timing{Stage: j.stage, MS: ms})
	j.logf("%-9s %s (%d ms)", j.stage, fmt.Sprintf(detail, args...), ms)
}

// setup resolves the inputs, the configuration and the key.
func (j *job) setup() error {
	if j.Inputs == "" {
		j.Inputs, j.demo = DemoInputs, true
		if j.ConfigPath == "" {
			j.ConfigPath = DemoConfig
		}
		if _, err := os.Stat(j.Inputs); err != nil {
			return failure(Usage, fmt.Errorf("no --inputs given and the built-in demo %s is not here (run from the repository root, or give --inputs)", DemoInputs))
		}
	}
	var file config.File
	if j.ConfigPath != "" {
		f, err := config.Load(j.ConfigPath)
		if err != nil {
			return failure(Usage, err)
		}
		file = f
	}
	cfg, err := config.Resolve(file, j.Params, j.now())
	if err != nil {
		return failure(Usage, err)
	}
	j.cfg = cfg
	key, err := personnummer.LoadKey(j.KeyFile, os.Getenv)
	if errors.Is(err, personnummer.ErrNoKey) && j.demo {
		key, err = []byte(personnummer.DemoKey), nil
		j.logf("using the demo pseudonymisation key: for the built-in demo data only")
	}
	if err != nil {
		return failure(Usage, err)
	}
	if j.pseudo, err = personnummer.NewPseudonymizer(key); err != nil {
		return failure(Usage, err)
	}
	if j.Staff == "" && j.Out != "" {
		j.Staff = filepath.Join(filepath.Dir(filepath.Clean(j.Out)), "kaa-personal")
	}
	return nil
}

// lock takes the run lock beside the database.
func (j *job) lock() (*publish.Lock, error) {
	if err := os.MkdirAll(filepath.Dir(j.DB), 0o755); err != nil {
		return nil, err
	}
	l, err := publish.TakeLock(j.DB + ".lock")
	if err != nil {
		var le *publish.LockedError
		if errors.As(err, &le) {
			return nil, failure(Locked, err)
		}
		return nil, err
	}
	if l.Stale {
		fmt.Fprintf(j.Stderr, "kaa: took over a stale lock %s left by a process that is gone\n", j.DB+".lock")
	}
	return l, nil
}

// loaded is what the cache transaction leaves for the run: its kommuner
// and files, the files read for the first time, the skyddade newly found;
// inspect adds the files' bookkeeping.
type loaded struct {
	kommuner []ingest.Kommun
	files    []ingest.File
	newFiles []string
	skyddade int
	counts   map[string]warehouse.FileRecord // by file ID
	quality  []quality.File                  // aligned with files
	rejects  table.Table                     // the rejected rows of the run's files
	// set by inspect with quality: each kommun's indices into files and
	// quality, in file order, the stale and the shrunk extens extracts and every
	// kommun's data-quality summary
	ofKommun  map[string][]int
	stale     []quality.Stale
	shrunk    []quality.Shrunk
	summaries []quality.Summary
}

// scoped returns the indices into files and quality of a scope's files,
// in file order: every file for the region.
func (ld *loaded) scoped(scope string) []int {
	if scope != "region" {
		return ld.ofKommun[scope]
	}
	all := make([]int, len(ld.files))
	for i := range all {
		all[i] = i
	}
	return all
}

// cache scans the inputs, ingests the files the database does not have
// yet and loads them in a transaction of its own, which it commits: raw
// rows, rejects, loaded_file, the skyddad marks and the purge of the
// skyddade's earlier rows go in together or not at all. A file that cannot
// be read stops the run before anything is written. It does not touch
// run_file or any model: what a run builds from is decided after.
func (j *job) cache(ctx context.Context, w *warehouse.Warehouse) (*loaded, error) {
	if err := w.Begin(ctx); err != nil {
		return nil, err
	}
	ld, err := j.load(ctx, w)
	if err != nil {
		w.Rollback(context.Background())
		return nil, err
	}
	if err := w.Commit(ctx); err != nil {
		return nil, fmt.Errorf("committing the files read: %w", err)
	}
	// the cache, skyddad marks included, goes into the database file now:
	// from here on the WAL holds only what every run builds again
	if err := w.Checkpoint(ctx); err != nil {
		return nil, fmt.Errorf("checkpointing the files read: %w", err)
	}
	j.end("%d skyddade newly excluded", ld.skyddade)
	return ld, nil
}

// load scans, ingests and loads the new files inside the open transaction
// and leaves the "load" stage open for cache to close after the commit.
func (j *job) load(ctx context.Context, w *warehouse.Warehouse) (*loaded, error) {
	j.begin("scan")
	remembered, err := w.Digests(ctx)
	if err != nil {
		return nil, err
	}
	digests := ingest.NewDigests(remembered, j.VerifyInputs)
	if j.prog != nil {
		digests.Progress = func(int64) { j.prog.counted() }
	}
	kommuner, files, err := ingest.ScanDigests(j.Inputs, digests)
	if err != nil {
		return nil, failure(Input, err)
	}
	for _, p := range digests.Changed() {
		j.prog.clear()
		fmt.Fprintf(j.Stderr, "kaa: %s: its bytes changed although its size, mtime, ctime and inode did not; it is read as a new file\n", p)
	}
	if err := w.RememberDigests(ctx, digests.Fresh()); err != nil {
		return nil, err
	}
	read, reused := digests.Counts()
	j.end("%d kommuner, %d files, %d hashed, %d unchanged", len(kommuner), len(files), read, reused)

	j.begin("ingest")
	known, err := w.Known(ctx)
	if err != nil {
		return nil, err
	}
	blocked, err := w.Blocked(ctx)
	if err != nil {
		return nil, err
	}
	var todo []ingest.File
	for _, f := range files {
		if !known[f.ID] {
			todo = append(todo, f)
		}
	}
	// staging folders left by killed runs (we hold the lock: none is in use)
	if old, _ := filepath.Glob(filepath.Join(filepath.Dir(j.DB), ".kaa-stage-*")); len(old) > 0 {
		for _, o := range old {
			os.RemoveAll(o)
		}
	}
	stage, err := os.MkdirTemp(filepath.Dir(j.DB), ".kaa-stage-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(stage)
	profiles := map[string]source.Profile{}
	for _, k := range kommuner {
		profiles[k.Code] = k.Profile
	}
	var size int64
	for _, f := range todo {
		size += f.Size
	}
	j.prog.begin("ingest", size, true)
	if j.prog != nil {
		j.prog.totalFiles = len(todo)
	}
	done := func(r ingest.Result) { j.prog.ingested(r.Size, r.Read) }
	st, err := ingest.Run(ctx, todo, ingest.Options{Pseudo: j.pseudo, StageDir: stage, Blocked: blocked, Profiles: profiles, Done: done})
	if err != nil {
		var ie *ingest.InputError
		if errors.As(err, &ie) {
			return nil, failure(Input, err)
		}
		return nil, err
	}
	var rows int64
	for _, r := range st.Results {
		rows += r.Loaded
	}
	j.end("%d new files, %d rows", len(todo), rows)

	j.begin("load")
	if err := w.Load(ctx, st); err != nil {
		return nil, err
	}
	l := &loaded{kommuner: kommuner, files: files, skyddade: len(st.NewBlockmarks)}
	for _, r := range st.Results {
		l.newFiles = append(l.newFiles, r.Path)
	}
	return l, nil
}

// inPages reports whether a study or staff model belongs to one of the
// pages: the page's template declares it ("tables: s6_manad, ...",
// "staff: staff_s6_x", see report.Page).
func inPages(m warehouse.Model, names []string) bool {
	for _, p := range pages {
		if !slices.Contains(names, p.Name) {
			continue
		}
		if m.Layer == "studies" && slices.Contains(p.Tables, m.Name) || m.Layer == "staff" && slices.Contains(p.Staff, m.Name) {
			return true
		}
	}
	return false
}

// linkedTables returns the study tables that the declarations of specs
// connect, directly or through others, to any of tables (tables included),
// sorted: a sum or ratio naming another table ties the two in one
// suppression system. A partial plan protects its tables together with
// all of these, so that each published table hides exactly the cells a
// full run over the same data hides; two versions of one table with
// different hidden cells could otherwise be put together to work out a
// hidden count.
func linkedTables(specs map[string]disclosure.Spec, tables []string) []string {
	adj := map[string][]string{}
	for name, sp := range specs {
		var exprs []disclosure.Expr
		for _, s := range sp.Sums {
			exprs = append(exprs, s.Left, s.Right)
		}
		for _, r := range sp.Ratios {
			exprs = append(exprs, r.Num, r.Den)
		}
		for _, e := range exprs {
			for _, t := range e {
				if o := t.Ref.Table; o != "" && o != name {
					adj[name] = append(adj[name], o)
					adj[o] = append(adj[o], name)
				}
			}
		}
	}
	seen := map[string]bool{}
	queue := slices.Clone(tables)
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		if seen[t] {
			continue
		}
		seen[t] = true
		queue = append(queue, adj[t]...)
	}
	return slices.Sorted(maps.Keys(seen))
}

// build sets the parameters the models and checks read, makes every model
// and runs the checks. A failing blocking check is a Check failure.
//
// A plan of mode All builds every model; any other only the study and
// staff models of its studies (none for LoadOnly) and what they and the
// checks need.
func (j *job) build(ctx context.Context, w *warehouse.Warehouse, plan Plan) ([]warehouse.Model, []warehouse.Check, error) {
	j.begin("build")
	models, err := warehouse.Models(kaasql.FS)
	if err != nil {
		return nil, nil, err
	}
	checks, err := warehouse.Checks(kaasql.FS)
	if err != nil {
		return nil, nil, err
	}
	if plan.Mode != All {
		var roots []string
		specs, err := StudySpecs()
		if err != nil {
			return nil, nil, err
		}
		var own []string
		for _, m := range models {
			if m.Layer == "staging" || inPages(m, plan.Studies) {
				roots = append(roots, m.Name)
			}
			if m.Layer == "studies" && inPages(m, plan.Studies) {
				own = append(own, m.Name)
			}
		}
		// the tables their suppression is decided with (see linkedTables)
		roots = append(roots, linkedTables(specs, own)...)
		for _, c := range checks {
			roots = append(roots, warehouse.References(c.SQL, models)...)
		}
		for _, p := range pages {
			roots = append(roots, rowsModel(p.Name)) // which pages have no data (findEmpty)
		}
		models = warehouse.Needed(models, roots)
	}
	if err := w.SetParams(ctx, j.cfg, models, checks); err != nil {
		return nil, nil, err
	}
	// -v: one indented line per model (no "(N ms)" suffix: not a stage line)
	j.prog.begin("build", int64(len(models)), false)
	each := func(m warehouse.Model, took time.Duration) {
		j.logf("  model %s %d ms", m.Name, took.Milliseconds())
		j.prog.add(1)
	}
	if err := w.Build(ctx, models, each); err != nil {
		return nil, nil, err
	}
	j.end("%d models", len(models))

	j.begin("checks")
	checks, err = w.RunChecks(ctx, checks)
	if err != nil {
		return nil, nil, err
	}
	var blocking []error
	for _, c := range checks {
		if c.Failing == 0 {
			continue
		}
		msg := fmt.Errorf("check %s (%s): %d rows break the rule: %s", c.Name, c.Severity, c.Failing, c.Rule)
		if len(c.Examples) > 0 {
			msg = fmt.Errorf("%w; first: %s", msg, strings.Join(c.Examples, "; "))
		}
		if c.Severity == "error" {
			blocking = append(blocking, msg)
		} else {
			j.logf("%v", msg)
		}
	}
	j.end("%d checks", len(checks))
	if len(blocking) > 0 {
		return nil, nil, failure(Check, fmt.Errorf("blocking data checks failed; nothing was published and the study tables are unchanged (the files read stay cached in the database):\n%w", errors.Join(blocking...)))
	}
	return models, checks, nil
}
