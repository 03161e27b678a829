// Command kaa is the follow-up pipeline for kommunala aktivitetsansvaret:
// it ingests a kommun's exports, computes the follow-up studies in DuckDB
// and publishes them as HTML reports and tables. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/kaa-uppfoljning/kaa/pipeline/cli"
)

func main() {
	// The Go heap is small beside DuckDB's (KAA_DUCKDB_MEMORY_LIMIT bounds
	// that) and churns through the ingest: collect it a third as often as
	// Go's default, softly bounded at 2 GiB. GOGC and GOMEMLIMIT win when set.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(300)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(2 << 30)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
