package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kaa-uppfoljning/kaa/pipeline/inspect"
)

// inspectCmd prints how every input file would be read (kind, encoding,
// delimiter, header → contract column, missing columns, values that would
// be rejected) without a key and without touching the database. Exit 0
// when every file would load within the gates, 3 otherwise.
func inspectCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("inspect", "--inputs DIR [--kommun K] [--max-reject-share F] [--suggest]", stdout)
	opt := inspect.Options{MaxRejectShare: inspect.DefaultMaxRejectShare}
	fs.StringVar(&opt.Inputs, "inputs", "", "inputs folder with one folder per kommunkod")
	fs.StringVar(&opt.Kommun, "kommun", "", "inspect only this kommun's folder (four-digit kommunkod)")
	fs.Func("max-reject-share", "share of a file's rows that may be rejected, 0..1 (as the run's max_reject_share; default 0.02)", func(v string) error {
		f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
		if err != nil || f < 0 || f > 1 {
			return fmt.Errorf("%q is not a share between 0 and 1", v)
		}
		opt.MaxRejectShare = f
		return nil
	})
	suggest := fs.Bool("suggest", false, "also print a starting mapping profile guessed from unmatched names, headers and values (every line marked as a guess)")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if opt.Inputs == "" {
		return withCode(ExitUsage, errors.New("--inputs is required (see 'kaa inspect --help')"))
	}
	rep, err := inspect.Inspect(opt)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	if err := rep.Write(stdout); err != nil {
		return err
	}
	if *suggest {
		io.WriteString(stdout, "\n")
		if err := rep.Suggest(stdout); err != nil {
			return err
		}
	}
	if !rep.OK() {
		return withCode(ExitInput, errors.New("not every file would load within the gates (see above)"))
	}
	return nil
}
