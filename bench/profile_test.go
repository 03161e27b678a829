package bench

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/cli"
)

// TestProfile runs `kaa run` in-process on a generated data set with CPU
// and heap profiles. It is skipped unless KAA_PROFILE names a folder for
// the profiles:
//
//	KAA_PROFILE=/tmp/kaa-prof BENCH_KOMMUNER=20 BENCH_YEARS=1 go test -run TestProfile -timeout 0 ./bench/
//	go tool pprof -top bench.test /tmp/kaa-prof/cpu.pprof
//
// KAA_PROFILE_VERB=ingest profiles `kaa ingest` on the extens files alone
// (the path the bench compares with DuckDB's read_csv) instead.
func TestProfile(t *testing.T) {
	dir := os.Getenv("KAA_PROFILE")
	if dir == "" {
		t.Skip("set KAA_PROFILE=DIR to profile a run")
	}
	size := sizeFromEnv()
	data, err := dataset(size)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	key := writeKey(t, work)
	cpu, err := os.Create(filepath.Join(dir, "cpu.pprof"))
	if err != nil {
		t.Fatal(err)
	}
	defer cpu.Close()
	if err := pprof.StartCPUProfile(cpu); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var stdout, stderr bytes.Buffer
	args := []string{"run", "-v", "--inputs", data.inputs,
		"--db", filepath.Join(work, "kaa.duckdb"), "--out", filepath.Join(work, "out"),
		"--key-file", key, "--as-of", data.asOf}
	if os.Getenv("KAA_PROFILE_VERB") == "ingest" {
		args = []string{"ingest", "-v", "--inputs", data.extens,
			"--db", filepath.Join(work, "kaa.duckdb"), "--key-file", key, "--as-of", data.asOf}
	}
	code := cli.Run(context.Background(), args, &stdout, &stderr)
	pprof.StopCPUProfile()
	t.Logf("%s: exit %d in %s\n%s", size, code, time.Since(start).Round(time.Millisecond), stderr.String())
	if code != 0 {
		t.Fatalf("kaa run exited %d", code)
	}
	runtime.GC()
	heap, err := os.Create(filepath.Join(dir, "heap.pprof"))
	if err != nil {
		t.Fatal(err)
	}
	defer heap.Close()
	// allocs: every allocation of the run (alloc_space), not only what is live now
	if err := pprof.Lookup("allocs").WriteTo(heap, 0); err != nil {
		t.Fatal(err)
	}
}
