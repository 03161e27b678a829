package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/kaa-uppfoljning/kaa/pipeline/config"
)

// monthlyCmd is the cron job of each month: ingest what is new and publish
// the monthly ESF statistics (S6) and the identification check (S8), leaving
// the other published pages as they are.
func monthlyCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("monthly", "[--month YYYY-MM] [--inputs DIR] [--db FILE] [--out DIR] [--config FILE] [--as-of DATE] [-v]", stdout)
	c.register(fs, true)
	month := fs.String("month", "", "the month of the ESF statistics (default: config s6.month, else the month before the report date)")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	j := newJob(c, stderr)
	if *month != "" {
		m, err := config.ParseMonth(*month)
		if err != nil {
			return withCode(ExitUsage, fmt.Errorf("--month: %w", err))
		}
		j.overrides.S6Month = &m
	}
	return j.execute(ctx, []string{"s6", "s8"})
}
