package cli

import (
	"context"
	"io"

	"github.com/kaa-uppfoljning/kaa/pipeline/run"
)

// monthlyCmd is the cron job of each month: ingest what is new and publish
// the monthly ESF statistics (S6, for --month or the month before the report
// date) and the identification check (S8), leaving the other published
// pages as they are.
func monthlyCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("monthly", "[--month YYYY-MM] [--inputs DIR] [--db FILE] [--out DIR] [--config FILE] [--as-of DATE] [-v]", stdout)
	c.register(fs, true)
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	_, err := c.execute(ctx, run.Only("s6", "s8"), stderr)
	return err
}
