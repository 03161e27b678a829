// Command kaa is the follow-up pipeline for kommunala aktivitetsansvaret:
// it ingests a kommun's exports, computes the follow-up studies in DuckDB
// and publishes them as HTML reports and tables. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/kaa-uppfoljning/kaa/pipeline/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
