// Package bench measures kaa at a chosen size: ingest throughput against
// DuckDB's own read_csv, the end-to-end `kaa run` per stage with peak RSS,
// an incremental monthly run, and the study queries per kommun and for the
// region. It runs the real binary (bin/kaa) as subprocesses on data that
// pipeline/demo generates once per size into a cache folder.
//
// Nothing here runs under `go test ./...`: the figures come from
// BenchmarkScale, which only `go test -bench` (make bench) runs, and
// TestProfile skips unless KAA_PROFILE is set. See docs/scaling.md.
//
// Environment:
//
//	BENCH_KOMMUNER  number of kommuner (default 3; 290 = national)
//	BENCH_YEARS     years of weekly Extens extracts (default 1)
//	BENCH_SCALE     population scale (default 1; 2 gives ~75M extens rows at 290×3)
//	BENCH_DATA      cache folder for generated data (default $TMPDIR/kaa-bench-data)
//	BENCH_WORK      folder for databases and outputs (default: a fresh temp folder, removed after)
//	BENCH_KAA       the kaa binary (default ../bin/kaa, built by make bench)
//	BENCH_STEPS     comma list of steps to run: ingest,run,incremental,kommun (default all)
package bench

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/demo"
)

// size is one benchmark size.
type size struct {
	Kommuner, Years int
	Scale           float64
}

func (s size) String() string {
	return fmt.Sprintf("%d kommuner × %d years, scale %g", s.Kommuner, s.Years, s.Scale)
}

// national reports whether s is the size the targets are set for.
func (s size) national() bool { return s.Kommuner >= 290 && s.Years >= 3 }

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func sizeFromEnv() size {
	s := size{Kommuner: envInt("BENCH_KOMMUNER", 3), Years: envInt("BENCH_YEARS", 1), Scale: 1}
	if f, err := strconv.ParseFloat(os.Getenv("BENCH_SCALE"), 64); err == nil && f > 0 {
		s.Scale = f
	}
	return s
}

// data is a generated data set in the cache.
type data struct {
	dir     string // cache folder of this size
	inputs  string // the canonical layout: <inputs>/<kommunkod>/*.csv
	extens  string // the same extens files only (symlinks)
	hist    string // every file but each kommun's last four extracts (symlinks)
	one     string // the first kommun alone (symlinks)
	asOf    string // the last extract's date
	GenSecs float64
	Stats   demo.Stats
	// ExtensRows, ExtensBytes: the extens files' data rows and bytes.
	ExtensRows, ExtensBytes int64
	// AllRows, AllBytes: every file.
	AllRows, AllBytes int64
	ExtensFiles       int
	First             string // the kommun of the one-kommun run
	Newest            []string
}

// dataset returns the data set of a size, generating it on first use.
// Generation is deterministic (seed 1), so a cached set is the same bytes
// a fresh one would be.
func dataset(s size) (*data, error) {
	root := os.Getenv("BENCH_DATA")
	if root == "" {
		root = filepath.Join(os.TempDir(), "kaa-bench-data")
	}
	dir := filepath.Join(root, fmt.Sprintf("k%d-y%d-s%g", s.Kommuner, s.Years, s.Scale))
	d := &data{dir: dir, inputs: filepath.Join(dir, "inputs"), extens: filepath.Join(dir, "extens-only"),
		hist: filepath.Join(dir, "history"), one: filepath.Join(dir, "one-kommun"), asOf: demo.DefaultEnd.Format("2006-01-02")}
	meta := filepath.Join(dir, "meta.json")
	if b, err := os.ReadFile(meta); err == nil {
		if err := json.Unmarshal(b, d); err == nil {
			return d, nil
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	start := time.Now()
	tmp := d.inputs + ".tmp"
	stats, err := demo.Generate(tmp, demo.Options{Kommuner: s.Kommuner, Years: s.Years, Scale: s.Scale, Seed: 1, End: demo.DefaultEnd})
	if err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, d.inputs); err != nil {
		return nil, err
	}
	d.GenSecs = time.Since(start).Seconds()
	d.Stats = stats
	for _, n := range stats.Rows {
		d.AllRows += n
	}
	d.AllBytes = stats.Bytes
	d.ExtensRows = stats.Rows["extens"]
	if err := d.links(); err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(meta, b, 0o644); err != nil {
		return nil, err
	}
	return d, nil
}

// links makes the symlinked views of the inputs: extens only, the history
// without each kommun's last four extracts, and the first kommun alone.
func (d *data) links() error {
	kommuner, err := os.ReadDir(d.inputs)
	if err != nil {
		return err
	}
	for ki, k := range kommuner {
		code := k.Name()
		src := filepath.Join(d.inputs, code)
		files, err := os.ReadDir(src)
		if err != nil {
			return err
		}
		var extens []string
		for _, f := range files {
			if strings.HasPrefix(f.Name(), "extens_") {
				extens = append(extens, f.Name())
			}
		}
		sort.Strings(extens)
		newest := map[string]bool{}
		for _, n := range extens[max(0, len(extens)-4):] {
			newest[n] = true
			d.Newest = append(d.Newest, code+"/"+n)
		}
		if ki == 0 {
			d.First = code
		}
		for _, f := range files {
			name := f.Name()
			abs := filepath.Join(src, name)
			info, err := f.Info()
			if err != nil {
				return err
			}
			var views []string
			if strings.HasPrefix(name, "extens_") {
				d.ExtensBytes += info.Size()
				d.ExtensFiles++
				views = append(views, d.extens)
			}
			if !newest[name] {
				views = append(views, d.hist)
			}
			if ki == 0 {
				views = append(views, d.one)
			}
			for _, v := range views {
				if err := os.MkdirAll(filepath.Join(v, code), 0o755); err != nil {
					return err
				}
				if err := os.Symlink(abs, filepath.Join(v, code, name)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// writeKey writes a benchmark pseudonymisation key (not the demo key: a
// real run needs --key-file).
func writeKey(tb testing.TB, dir string) string {
	p := filepath.Join(dir, "bench.key")
	if err := os.WriteFile(p, []byte("kaa benchmark key, not for real data: 0123456789abcdef"), 0o600); err != nil {
		tb.Fatal(err)
	}
	return p
}

// treeBytes is the size of every file under dir, symlinks followed (0 on
// any error: the figure is then not printed).
func treeBytes(dir string) int64 {
	var n int64
	err := filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		n += fi.Size()
		return nil
	})
	if err != nil {
		return 0
	}
	return n
}
