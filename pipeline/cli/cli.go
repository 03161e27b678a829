// Package cli owns the kaa command line: its verbs, flags, exit codes and
// log lines. Run is the whole program; cmd/kaa only calls it and exits, so
// tests drive the same entry point.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/kaa-uppfoljning/kaa/pipeline/run"
)

// Exit codes (documented in README.md).
const (
	ExitOK       = 0 // success
	ExitInternal = 1 // unexpected failure (disk, database, bug)
	ExitUsage    = 2 // bad flags or config, missing key
	ExitInput    = 3 // an input file cannot be read; nothing was changed
	ExitCheck    = 4 // a blocking data check failed; nothing was published
	ExitLocked   = 5 // another run holds the lock
	ExitRegister = 6 // kaa check: blocking register problems found
	ExitNotFound = 7 // kaa lookup: no row has the pseudonym
)

// exitCode is the exit code of a failed run of each kind.
var exitCode = map[run.Kind]int{
	run.Internal: ExitInternal, run.Usage: ExitUsage, run.Input: ExitInput, run.Check: ExitCheck, run.Locked: ExitLocked,
}

// Version is the program version written into manifests.
var Version = "0.1.0"

type verb struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func verbs() []verb {
	return []verb{
		{"run", "ingest new files, build every study and publish the reports", runCmd},
		{"monthly", "ingest new files and publish the monthly ESF statistics (S6) and the identification check (S8)", monthlyCmd},
		{"check", "register checks before the half-yearly SCB report (S7); exit 6 if blocking problems", checkCmd},
		{"ingest", "ingest new files into the database only", ingestCmd},
		{"inspect", "show how each input file would be read (kinds, columns, rejected values) and whether it passes the gates; writes nothing", inspectCmd},
		{"lookup", "find the rows of a raw export whose personnummer has a given pseudonym (KAA staff)", lookupCmd},
		{"generate", "write synthetic demo exports (fixtures, benchmarks)", generateCmd},
	}
}

// Run executes the kaa command line and returns the process exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	for _, v := range verbs() {
		if v.name != args[0] {
			continue
		}
		err := v.run(ctx, args[1:], stdout, stderr)
		if err == nil {
			return ExitOK
		}
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		code := exitCode[run.KindOf(err)]
		var ce *codeError
		if errors.As(err, &ce) {
			code = ce.code
		}
		fmt.Fprintf(stderr, "kaa %s: %v\n", v.name, err)
		return code
	}
	fmt.Fprintf(stderr, "kaa: unknown command %q\n", args[0])
	usage(stderr)
	return ExitUsage
}

func usage(w io.Writer) {
	var b strings.Builder
	b.WriteString("usage: kaa <command> [flags]\n\ncommands:\n")
	for _, v := range verbs() {
		fmt.Fprintf(&b, "  %-10s %s\n", v.name, v.summary)
	}
	b.WriteString("\n'kaa <command> --help' shows a command's flags. Exit codes: see README.md.\n")
	io.WriteString(w, b.String())
}

// codeError carries an exit code with its error.
type codeError struct {
	code int
	err  error
}

func (e *codeError) Error() string { return e.err.Error() }
func (e *codeError) Unwrap() error { return e.err }

func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &codeError{code: code, err: err}
}

// newFlags makes a verb's flag set; --help prints the synopsis and flags
// to stdout (see parse).
func newFlags(name, synopsis string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("kaa "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by Run
	fs.Usage = func() {}
	help := func() {
		fmt.Fprintf(stdout, "usage: kaa %s %s\n\nflags:\n", name, synopsis)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	fs.Var(helpFlag(help), "help", "show this help")
	return fs
}

// helpFlag prints the help when given and stops parsing.
type helpFlag func()

func (h helpFlag) String() string   { return "" }
func (h helpFlag) IsBoolFlag() bool { return true }
func (h helpFlag) Set(string) error { h(); return flag.ErrHelp }

// parse parses flags; a flag error is a usage error naming the fix.
func parse(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" || a == "--h" {
			return fs.Set("help", "true")
		}
		if a == "--" {
			break
		}
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return withCode(ExitUsage, fmt.Errorf("%w (see '%s --help')", err, fs.Name()))
	}
	if fs.NArg() > 0 {
		return withCode(ExitUsage, fmt.Errorf("unexpected argument %q (see '%s --help')", fs.Arg(0), fs.Name()))
	}
	return nil
}
