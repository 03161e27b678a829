package cli

import (
	"context"
	"io"

	"github.com/kaa-uppfoljning/kaa/pipeline/run"
)

// ingestCmd loads new input files into the database and runs the data
// checks, without building the studies or publishing anything.
func ingestCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("ingest", "[--inputs DIR] [--db FILE] [--key-file FILE] [-v]", stdout)
	c.register(fs, false)
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	_, err := c.execute(ctx, run.Load(), stderr)
	return err
}
