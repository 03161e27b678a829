package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/demo"
	"github.com/kaa-uppfoljning/kaa/pipeline/quality"
)

// generateCmd writes synthetic exports in the canonical layout.
func generateCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("generate", "--out DIR [--kommuner N] [--years Y] [--seed S] [--scale F] [--end DATE] [--bad-rows]", stdout)
	out := fs.String("out", "", "folder to write <kommunkod>/*.csv into")
	opt := demo.Options{}
	fs.IntVar(&opt.Kommuner, "kommuner", 1, "number of kommuner (1 = the Sundsvall-like demo kommun 2281)")
	fs.IntVar(&opt.Years, "years", 2, "years of weekly Extens extracts")
	fs.Uint64Var(&opt.Seed, "seed", 1, "random seed; the same seed gives the same files")
	fs.Float64Var(&opt.Scale, "scale", 1, "population scale (1 = Sundsvall-like)")
	end := fs.String("end", "2021-03-29", "date of the last weekly extract")
	fs.BoolVar(&opt.BadRows, "bad-rows", false, "include the deliberately bad rows of the demo")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if *out == "" {
		return withCode(ExitUsage, fmt.Errorf("--out is required"))
	}
	e, err := time.Parse("2006-01-02", *end)
	if err != nil {
		return withCode(ExitUsage, fmt.Errorf("--end: %w", err))
	}
	opt.End = e
	stats, err := demo.Generate(*out, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%+v\n", stats)
	// The studies' default periods follow the report date (default today):
	// far after the data they hold nothing, and every page would say so.
	fmt.Fprintf(stdout, "the last extract is dated %s: run kaa run --as-of %s (or later, up to %s) to report on this data\n",
		e.Format(time.DateOnly), e.Format(time.DateOnly), e.AddDate(0, 0, quality.MaxExtractAgeDays).Format(time.DateOnly))
	return nil
}
