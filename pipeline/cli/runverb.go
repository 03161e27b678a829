package cli

import (
	"context"
	"io"

	"github.com/kaa-uppfoljning/kaa/pipeline/run"
)

// runCmd is the main job: ingest what is new, build every study, check, and
// publish reports and tables, all or nothing.
func runCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("run", "[--inputs DIR] [--db FILE] [--out DIR] [--config FILE] [--as-of DATE] [--key-file FILE] [-v]", stdout)
	c.register(fs, true)
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	_, err := c.execute(ctx, run.Everything(), stderr)
	return err
}
