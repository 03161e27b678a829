package cli

import (
	"context"
	"flag"
	"io"
	"os"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/config"
	"github.com/kaa-uppfoljning/kaa/pipeline/personnummer"
	"github.com/kaa-uppfoljning/kaa/pipeline/run"
	"golang.org/x/term"
)

// common are the flags every data verb shares.
type common struct {
	inputs, db, out, staff, configPath, keyFile string
	verbose                                     bool
	// verifyInputs re-hashes every input instead of trusting the digests
	// remembered by (path, size, mtime, ctime, device, inode).
	verifyInputs bool
	// params are the run parameters given as flags; each overrides its
	// config key.
	params config.Overrides
}

func (c *common) register(fs *flag.FlagSet, withOut bool) {
	fs.StringVar(&c.inputs, "inputs", "", "inputs folder with one folder per kommunkod (default: the built-in demo, "+run.DemoInputs+")")
	fs.StringVar(&c.db, "db", "kaa.duckdb", "the persistent DuckDB database file")
	fs.StringVar(&c.configPath, "config", "", "TOML config with the study parameters (default for the demo: "+run.DemoConfig+")")
	fs.StringVar(&c.keyFile, "key-file", "", "file holding the pseudonymisation key (else $"+personnummer.KeyEnv+")")
	fs.BoolVar(&c.verbose, "v", false, "log one line per stage to stderr")
	fs.BoolVar(&c.verifyInputs, "verify-inputs", false, "hash every input file again instead of trusting a digest remembered for an unchanged size, mtime, ctime and inode")
	if withOut {
		fs.StringVar(&c.out, "out", "out", "folder the published reports and tables are swapped into")
		fs.StringVar(&c.staff, "staff", "", "folder for KAA staff lists of pseudonyms, kept apart from the published reports (default: kaa-personal beside --out)")
	}
	// One flag per run parameter, named, described and parsed by its
	// declaration; kaa ingest (no --out) takes only those that govern
	// loading and the data checks.
	c.params = config.Overrides{}
	for _, p := range config.Table() {
		if !withOut && !p.Ingest {
			continue
		}
		fs.Func(p.Flag(), p.Usage(), func(v string) error {
			x, err := p.ParseFlag(v)
			if err != nil {
				return err
			}
			c.params[p.Key] = x
			return nil
		})
	}
}

// isTerminal decides whether progress is drawn on w: only on a terminal,
// so nothing extra is written under cron or into a log file. Tests replace
// it to draw progress into a buffer.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressDelay: a run shorter than this shows no progress at all.
var progressDelay = 3 * time.Second

// execute runs the plan with the flags' settings; a run's failure keeps
// its Kind for Run's exit code.
func (c common) execute(ctx context.Context, p run.Plan, stderr io.Writer) (run.Result, error) {
	o := run.Options{
		Inputs: c.inputs, DB: c.db, Out: c.out, Staff: c.staff, ConfigPath: c.configPath, KeyFile: c.keyFile,
		Verbose: c.verbose, VerifyInputs: c.verifyInputs, Params: c.params,
		Progress: isTerminal(stderr), ProgressDelay: progressDelay, Version: Version, Stderr: stderr,
	}
	return run.Execute(ctx, o, p)
}
