package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/config"
	"github.com/kaa-uppfoljning/kaa/pipeline/export"
	"github.com/kaa-uppfoljning/kaa/pipeline/ingest"
	"github.com/kaa-uppfoljning/kaa/pipeline/manifest"
	"github.com/kaa-uppfoljning/kaa/pipeline/personnummer"
	"github.com/kaa-uppfoljning/kaa/pipeline/publish"
	"github.com/kaa-uppfoljning/kaa/pipeline/quality"
	"github.com/kaa-uppfoljning/kaa/pipeline/table"
	"github.com/kaa-uppfoljning/kaa/pipeline/warehouse"
	kaasql "github.com/kaa-uppfoljning/kaa/sql"
)

// Built-in demo: what `kaa run` uses with no flags.
const (
	demoInputs = "fixtures/inputs"
	demoConfig = "fixtures/demo.toml"
)

// common are the flags every data verb shares.
type common struct {
	inputs, db, out, staff, configPath, keyFile string
	verbose                                     bool
	// params are the study parameters given as flags; each overrides its
	// config key.
	params config.Overrides
}

func (c *common) register(fs *flag.FlagSet, withOut bool) {
	fs.StringVar(&c.inputs, "inputs", "", "inputs folder with one folder per kommunkod (default: the built-in demo, "+demoInputs+")")
	fs.StringVar(&c.db, "db", "kaa.duckdb", "the persistent DuckDB database file")
	fs.StringVar(&c.configPath, "config", "", "TOML config with the study parameters (default for the demo: "+demoConfig+")")
	fs.StringVar(&c.keyFile, "key-file", "", "file holding the pseudonymisation key (else $"+personnummer.KeyEnv+")")
	fs.BoolVar(&c.verbose, "v", false, "log one line per stage to stderr")
	dateFlag(fs, "as-of", "report date YYYY-MM-DD, not after today; nothing dated later is used (config as_of; default today)", &c.params.AsOf)
	floatFlag(fs, "max-reject-share", "data-quality gate: a used input file rejecting more than this share of its rows stops the run; 1 = off (config max_reject_share; default 0.02)", &c.params.MaxRejectShare)
	if !withOut {
		return
	}
	fs.StringVar(&c.out, "out", "out", "folder the published reports and tables are swapped into")
	fs.StringVar(&c.staff, "staff", "", "folder for KAA staff lists of pseudonyms, kept apart from the published reports (default: kaa-personal beside --out)")
	fs.Func("suppress-below", "show counts 1..n-1 as \"<n\" in published tables; 0 = exact figures (config suppress_below; default 5)", func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", v)
		}
		c.params.SuppressBelow = &n
		return nil
	})
	dateFlag(fs, "s1-from", "S1 cohort window start (config s1.from)", &c.params.S1From)
	dateFlag(fs, "s1-to", "S1 cohort window end (config s1.to)", &c.params.S1To)
	dateFlag(fs, "s1-cutoff", "S1 follow-up date (config s1.cutoff)", &c.params.S1Cutoff)
	floatFlag(fs, "s2-goal1", "S2 delmål 1 threshold 0..1 (config s2.goal1)", &c.params.S2Goal1)
	floatFlag(fs, "s2-goal2", "S2 delmål 2 threshold 0..1 (config s2.goal2)", &c.params.S2Goal2)
	stringFlag(fs, "s3-population", "S3 population: kohort (the S1 cohort) or avslutade_deltagare (S2 participants who have left) (config s3.population)", &c.params.S3Population)
	stringFlag(fs, "s4-population", "S4 population: kohort or avslutade_deltagare (config s4.population)", &c.params.S4Population)
	dateFlag(fs, "s5-from", "S5 time-study period start (config s5.from)", &c.params.S5From)
	dateFlag(fs, "s5-to", "S5 time-study period end (config s5.to)", &c.params.S5To)
	dateFlag(fs, "s5-kaa-date", "S5 date of the KAA comparison (config s5.kaa_date)", &c.params.S5KaaDate)
	fs.Func("month", "S6 month YYYY-MM (config s6.month; default the month before the report date)", func(v string) error {
		m, err := config.ParseMonth(v)
		if err != nil {
			return err
		}
		c.params.S6Month = &m
		return nil
	})
	floatFlag(fs, "s6-target-men", "S6 target share of men 0..1 (config s6.target_men)", &c.params.S6TargetMen)
}

func dateFlag(fs *flag.FlagSet, name, usage string, dst **time.Time) {
	fs.Func(name, usage, func(v string) error {
		d, err := config.ParseDate(v)
		if err != nil {
			return err
		}
		*dst = &d
		return nil
	})
}

func stringFlag(fs *flag.FlagSet, name, usage string, dst **string) {
	fs.Func(name, usage, func(v string) error {
		*dst = &v
		return nil
	})
}

func floatFlag(fs *flag.FlagSet, name, usage string, dst **float64) {
	fs.Func(name, usage, func(v string) error {
		f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
		if err != nil {
			return fmt.Errorf("%q is not a number", v)
		}
		*dst = &f
		return nil
	})
}

// job is one run of the pipeline: its settings, log and timings.
type job struct {
	common
	demo    bool
	cfg     config.Config
	pseudo  *personnummer.Pseudonymizer
	stderr  io.Writer
	timings []manifest.Timing
	started time.Time
	stage   string
	now     func() time.Time
	// verdict, if set, inspects the built database before the commit; its
	// error is returned after publishing (kaa check's exit code).
	verdict func(ctx context.Context, w *warehouse.Warehouse) error
	// ld is the run's inputs once loaded; empty the studies with no rows
	// in their period (set after the build).
	ld    *loaded
	empty []emptyStudy
}

func newJob(c common, stderr io.Writer) *job {
	return &job{common: c, stderr: stderr, now: time.Now}
}

// logf writes a log line when -v is given.
func (j *job) logf(format string, args ...any) {
	if j.verbose {
		fmt.Fprintf(j.stderr, "kaa: "+format+"\n", args...)
	}
}

// begin starts timing a stage; end records it.
func (j *job) begin(stage string) { j.stage, j.started = stage, j.now() }

func (j *job) end(detail string, args ...any) {
	ms := j.now().Sub(j.started).Milliseconds()
	j.timings = append(j.timings, manifest.Timing{Stage: j.stage, MS: ms})
	j.logf("%-9s %s (%d ms)", j.stage, fmt.Sprintf(detail, args...), ms)
}

// setup resolves the inputs, the configuration and the key.
func (j *job) setup() error {
	if j.inputs == "" {
		j.inputs, j.demo = demoInputs, true
		if j.configPath == "" {
			j.configPath = demoConfig
		}
		if _, err := os.Stat(j.inputs); err != nil {
			return withCode(ExitUsage, fmt.Errorf("no --inputs given and the built-in demo %s is not here (run from the repository root, or give --inputs)", demoInputs))
		}
	}
	var file config.File
	if j.configPath != "" {
		f, err := config.Load(j.configPath)
		if err != nil {
			return withCode(ExitUsage, err)
		}
		file = f
	}
	cfg, err := config.Resolve(file, j.params, j.now())
	if err != nil {
		return withCode(ExitUsage, err)
	}
	j.cfg = cfg
	key, err := personnummer.LoadKey(j.keyFile, os.Getenv)
	if errors.Is(err, personnummer.ErrNoKey) && j.demo {
		key, err = []byte(personnummer.DemoKey), nil
		j.logf("using the demo pseudonymisation key: for the built-in demo data only")
	}
	if err != nil {
		return withCode(ExitUsage, err)
	}
	if j.pseudo, err = personnummer.NewPseudonymizer(key); err != nil {
		return withCode(ExitUsage, err)
	}
	if j.staff == "" && j.out != "" {
		j.staff = filepath.Join(filepath.Dir(filepath.Clean(j.out)), "kaa-personal")
	}
	return nil
}

// lock takes the run lock beside the database.
func (j *job) lock() (*publish.Lock, error) {
	if err := os.MkdirAll(filepath.Dir(j.db), 0o755); err != nil {
		return nil, err
	}
	l, err := publish.TakeLock(j.db + ".lock")
	if err != nil {
		var le *publish.LockedError
		if errors.As(err, &le) {
			return nil, withCode(ExitLocked, err)
		}
		return nil, err
	}
	if l.Stale {
		fmt.Fprintf(j.stderr, "kaa: took over a stale lock %s left by a process that is gone\n", j.db+".lock")
	}
	return l, nil
}

// loaded is the state after ingest and load, inside the open transaction;
// inspect adds the files' bookkeeping.
type loaded struct {
	kommuner []ingest.Kommun
	files    []ingest.File
	newFiles []string
	skyddade int
	counts   map[string]warehouse.FileRecord // by file ID
	quality  []quality.File                  // aligned with files
	rejects  table.Table                     // the rejected rows of the run's files
}

// load scans the inputs, ingests the files the database does not have yet,
// loads them and records the run's files. The transaction stays open.
func (j *job) load(ctx context.Context, w *warehouse.Warehouse) (*loaded, error) {
	j.begin("scan")
	kommuner, files, err := ingest.Scan(j.inputs)
	if err != nil {
		return nil, withCode(ExitInput, err)
	}
	j.end("%d kommuner, %d files", len(kommuner), len(files))

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
	if old, _ := filepath.Glob(filepath.Join(filepath.Dir(j.db), ".kaa-stage-*")); len(old) > 0 {
		for _, o := range old {
			os.RemoveAll(o)
		}
	}
	stage, err := os.MkdirTemp(filepath.Dir(j.db), ".kaa-stage-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(stage)
	profiles := map[string]export.Profile{}
	for _, k := range kommuner {
		profiles[k.Code] = k.Profile
	}
	st, err := ingest.Run(ctx, todo, ingest.Options{Pseudo: j.pseudo, StageDir: stage, Blocked: blocked, Profiles: profiles})
	if err != nil {
		var ie *ingest.InputError
		if errors.As(err, &ie) {
			return nil, withCode(ExitInput, err)
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
	if err := w.SetRunFiles(ctx, files); err != nil {
		return nil, err
	}
	l := &loaded{kommuner: kommuner, files: files, skyddade: len(st.NewBlockmarks)}
	for _, r := range st.Results {
		l.newFiles = append(l.newFiles, r.Path)
	}
	j.end("%d skyddade newly excluded", len(st.NewBlockmarks))
	return l, nil
}

// inPages reports whether a study or staff model belongs to one of the
// pages: s6_manad and staff_s6_x belong to page s6.
func inPages(m warehouse.Model, pages []string) bool {
	name := strings.TrimPrefix(m.Name, "staff_")
	for _, p := range pages {
		if (m.Layer == "studies" || m.Layer == "staff") && strings.HasPrefix(name, p+"_") {
			return true
		}
	}
	return false
}

// build sets the parameters, makes every model and runs the checks. A
// failing blocking check is an ExitCheck error.
//
// With pages non-nil only the study and staff models of those pages (and
// what they and the checks need) are built.
func (j *job) build(ctx context.Context, w *warehouse.Warehouse, pages []string) ([]warehouse.Model, []warehouse.Check, error) {
	j.begin("build")
	models, err := warehouse.Models(kaasql.FS)
	if err != nil {
		return nil, nil, err
	}
	checks, err := warehouse.Checks(kaasql.FS)
	if err != nil {
		return nil, nil, err
	}
	if pages != nil {
		var roots []string
		for _, m := range models {
			if m.Layer == "staging" || inPages(m, pages) {
				roots = append(roots, m.Name)
			}
		}
		for _, c := range checks {
			roots = append(roots, warehouse.References(c.SQL, models)...)
		}
		roots = append(roots, "int_study_rows") // which pages have no data (findEmpty)
		models = warehouse.Needed(models, roots)
	}
	if err := w.SetVariables(ctx, j.cfg.Variables()); err != nil {
		return nil, nil, err
	}
	if err := w.Build(ctx, models); err != nil {
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
		if c.Severity == "error" {
			blocking = append(blocking, msg)
		} else {
			j.logf("%v", msg)
		}
	}
	j.end("%d checks", len(checks))
	if len(blocking) > 0 {
		return nil, nil, withCode(ExitCheck, fmt.Errorf("blocking data checks failed; nothing was published and the database is unchanged:\n%w", errors.Join(blocking...)))
	}
	return models, checks, nil
}
