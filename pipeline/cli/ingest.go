package cli

import (
	"context"
	"io"
)

// ingestCmd loads new input files into the database without building or
// publishing anything.
func ingestCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("ingest", "[--inputs DIR] [--db FILE] [--key-file FILE] [-v]", stdout)
	c.register(fs, false)
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	j := newJob(c, stderr)
	if err := j.setup(); err != nil {
		return err
	}
	l, err := j.lock()
	if err != nil {
		return err
	}
	defer l.Release()
	w, err := openWarehouse(ctx, j.db)
	if err != nil {
		return err
	}
	defer w.Close()
	if err := w.Begin(ctx); err != nil {
		return err
	}
	if _, err := j.load(ctx, w); err != nil {
		w.Rollback(ctx)
		return err
	}
	return w.Commit(ctx)
}
