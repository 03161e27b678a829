// Package run owns a run of the pipeline: its plan (what is built, checked
// and published), the lock, the two transactions (the cache, then the run),
// the data-quality gates, the build, the checks, the suppression of every
// published table, the pages and the manifest. The command line
// (pipeline/cli) only turns flags into Options and a Plan, and a returned
// error's Kind into an exit code.
package run

import (
	"context"
	"errors"
	"io"
	"slices"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/config"
)

// Mode is what a run publishes.
type Mode int

const (
	// All builds every model and replaces the whole published set (kaa run).
	All Mode = iota
	// Studies builds the models of the plan's studies, and the study
	// tables their suppression is decided with, and replaces the studies'
	// pages, tables and staff lists, carrying the others over as published
	// (kaa monthly, kaa check).
	Studies
	// LoadOnly loads the new files and runs the data checks; nothing is
	// published and the build is committed once the checks pass (kaa ingest).
	LoadOnly
)

// Plan is what one run builds, checks and publishes.
type Plan struct {
	Mode Mode
	// Studies are the studies rebuilt and republished in mode Studies, by
	// name (s6, s8).
	Studies []string
	// Register: before the commit, list the S7 checks of nivå rod that
	// find persons (Result.Register; kaa check).
	Register bool
}

// Everything is the plan of kaa run.
func Everything() Plan { return Plan{Mode: All} }

// Only rebuilds and republishes the named studies.
func Only(studies ...string) Plan { return Plan{Mode: Studies, Studies: studies} }

// Load is the plan of kaa ingest.
func Load() Plan { return Plan{Mode: LoadOnly} }

// only is the studies a partial plan builds; nil when it builds all.
func (p Plan) only() []string {
	if p.Mode == All {
		return nil
	}
	return p.Studies
}

// has reports whether the plan builds and publishes the study.
func (p Plan) has(study string) bool {
	return p.Mode == All || (p.Mode == Studies && slices.Contains(p.Studies, study))
}

// Options are a run's settings, from the command line.
type Options struct {
	Inputs, DB, Out, Staff, ConfigPath, KeyFile string
	Verbose                                     bool
	// VerifyInputs re-hashes every input instead of trusting the digests
	// remembered by (path, size, mtime, ctime, device, inode).
	VerifyInputs bool
	// Params are the run parameters given as flags; each overrides its
	// config key.
	Params config.Overrides
	// Progress draws a bar per stage on Stderr (a terminal) once the run
	// has lasted ProgressDelay.
	Progress      bool
	ProgressDelay time.Duration
	// Version is the program version written into the manifest.
	Version string
	Stderr  io.Writer
}

// Result is what a run that did not fail leaves for the command line.
type Result struct {
	// Staff is the folder the staff lists went into.
	Staff string
	// Register: with Plan.Register, one line per S7 check of nivå rod
	// that finds persons, "<scope>: <kontroll>: <n> personer".
	Register []string
}

// Kind says why a run failed; the command line maps it to an exit code.
type Kind int

const (
	Internal Kind = iota // disk, database, bug
	Usage                // bad flag value, config or key
	Input                // an input file cannot be read; nothing was changed
	Check                // a data-quality gate or blocking check failed; nothing was published
	Locked               // another run holds the lock
)

// Error is a failed run with its Kind.
type Error struct {
	Kind Kind
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

func failure(k Kind, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Kind: k, Err: err}
}

// KindOf is the Kind of a run's error: Internal unless it is an *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Execute runs the plan (see job.execute).
func Execute(ctx context.Context, o Options, p Plan) (Result, error) {
	j := newJob(o)
	err := j.execute(ctx, p)
	return Result{Staff: j.Staff, Register: j.register}, err
}
