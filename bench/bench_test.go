package bench

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/marcboeker/go-duckdb"
)

// Targets of the issue, for 290 kommuner × 3 years on a 2-core, 24 GiB machine.
const (
	targetIngestRatio = 1.3              // kaa ingest ≤ 1.3× DuckDB read_csv on the same files, in CPU
	targetRun         = 10 * time.Minute // national end-to-end, wall
	targetRunCPU      = 15 * time.Minute // national end-to-end, CPU
	targetRSS         = int64(8) << 30   // national peak RSS
	targetMonthly     = 60 * time.Second // incremental monthly run
	targetBuildRatio  = 1.5              // region/one-kommun build ratio ≤ 1.5× their byte ratio
)

// BenchmarkScale prints one line per figure for the size chosen by
// BENCH_KOMMUNER, BENCH_YEARS and BENCH_SCALE (see the package comment).
// Run it once: go test -run '^$' -bench Scale -benchtime 1x -timeout 0 ./bench/
func BenchmarkScale(b *testing.B) {
	sz := sizeFromEnv()
	bin := os.Getenv("BENCH_KAA")
	if bin == "" {
		bin = filepath.Join("..", "bin", "kaa")
	}
	if _, err := os.Stat(bin); err != nil {
		b.Fatalf("no kaa binary at %s (make build, or set BENCH_KAA): %v", bin, err)
	}
	steps := map[string]bool{"ingest": true, "run": true, "incremental": true, "kommun": true}
	if s := os.Getenv("BENCH_STEPS"); s != "" {
		steps = map[string]bool{}
		for _, x := range strings.Split(s, ",") {
			steps[strings.TrimSpace(x)] = true
		}
	}
	for i := 0; i < b.N; i++ {
		p := &printer{b: b, national: sz.national()}
		p.line("bench size: %s (%s)", sz, map[bool]string{true: "national: targets apply", false: "targets are for 290 kommuner × 3 years; shown for reference"}[sz.national()])
		p.line("machine: %d CPUs (GOMAXPROCS %d), load average %s at start", runtime.NumCPU(), runtime.GOMAXPROCS(0), loadavg())
		genStart := time.Now()
		d, err := dataset(sz)
		if err != nil {
			b.Fatal(err)
		}
		if time.Since(genStart) > time.Second {
			p.line("data: generated in %.1f s into %s", time.Since(genStart).Seconds(), d.dir)
		} else {
			p.line("data: cached in %s (generated in %.1f s)", d.dir, d.GenSecs)
		}
		p.line("data: %d files, %d rows, %s; extens %d files, %d rows, %s",
			countFiles(d), d.AllRows, mb(d.AllBytes), d.ExtensFiles, d.ExtensRows, mb(d.ExtensBytes))

		work := os.Getenv("BENCH_WORK")
		if work == "" {
			work = b.TempDir()
		} else if err := os.MkdirAll(work, 0o755); err != nil {
			b.Fatal(err)
		}
		key := writeKey(b, work)
		common := func(inputs, name string) []string {
			return []string{"-v", "--inputs", inputs, "--db", filepath.Join(work, name+".duckdb"), "--key-file", key, "--as-of", d.asOf}
		}
		withOut := func(inputs, name string) []string {
			return append(common(inputs, name), "--out", filepath.Join(work, name+"-out"), "--staff", filepath.Join(work, name+"-staff"))
		}
		clean := func(name string) {
			for _, p := range []string{".duckdb", ".duckdb.wal", "-out", "-staff"} {
				os.RemoveAll(filepath.Join(work, name+p))
			}
		}

		if steps["ingest"] {
			// the whole ingest path on the extens files alone, then DuckDB's own CSV reader on the same files
			clean("ingest")
			ing := kaa(bin, append([]string{"ingest"}, common(d.extens, "ingest")...)...)
			if ing.ExitErr != nil {
				b.Fatal(ing.ExitErr)
			}
			clean("ingest")
			rc, err := readCSV(filepath.Join(work, "readcsv.duckdb"), filepath.Join(d.extens, "*", "extens_*.csv"))
			os.Remove(filepath.Join(work, "readcsv.duckdb"))
			os.Remove(filepath.Join(work, "readcsv.duckdb.wal"))
			if err != nil {
				b.Fatal(err)
			}
			secs := ing.Wall.Seconds()
			p.line("ingest (kaa ingest, extens only: read, validate, pseudonymise, Arrow, Parquet, DuckDB, commit): %.1f s wall, %.1f s CPU, %.0f rows/s, %.1f MB/s, peak RSS %s",
				secs, ing.CPU.Seconds(), float64(d.ExtensRows)/secs, float64(d.ExtensBytes)/1e6/secs, mib(ing.MaxRSS))
			for _, s := range ing.Stages {
				p.line("ingest stage %-8s %8d ms  peak RSS %s  (%s)", s.Name, s.MS, mib(s.PeakRSS), s.Detail)
			}
			p.line("read_csv (DuckDB %s, same files, into a table in a database file): %.1f s wall, %.1f s CPU, %.0f rows/s, %.1f MB/s",
				rc.version, rc.wall.Seconds(), rc.cpu.Seconds(), float64(rc.rows)/rc.wall.Seconds(), float64(d.ExtensBytes)/1e6/rc.wall.Seconds())
			if rc.rows != d.ExtensRows {
				p.line("note: read_csv read %d rows, the generator wrote %d", rc.rows, d.ExtensRows)
			}
			p.line("ingest/read_csv ratio (wall) %.2f", ing.Wall.Seconds()/rc.wall.Seconds())
			p.target("ingest/read_csv ratio (CPU)", ing.CPU.Seconds()/rc.cpu.Seconds(), targetIngestRatio, "%.2f", true)
		}

		var full result
		if steps["run"] || steps["kommun"] {
			clean("full")
			full = kaa(bin, append([]string{"run"}, withOut(d.inputs, "full")...)...)
			if full.ExitErr != nil {
				b.Fatal(full.ExitErr)
			}
			for _, s := range full.Stages {
				p.line("run stage %-9s %8d ms  peak RSS %s  (%s)", s.Name, s.MS, mib(s.PeakRSS), s.Detail)
			}
			p.line("run outside the logged stages (process start, database open, staff lists, close): %d ms", unlogged(full))
			p.line("run end-to-end: %.1f s wall, %.1f s CPU, %.0f rows/s (all kinds)", full.Wall.Seconds(), full.CPU.Seconds(), float64(d.AllRows)/full.Wall.Seconds())
			p.target("run end-to-end seconds", full.Wall.Seconds(), targetRun.Seconds(), "%.1f", p.national)
			p.target("run end-to-end CPU seconds", full.CPU.Seconds(), targetRunCPU.Seconds(), "%.1f", p.national)
			p.target("run peak RSS MiB", float64(full.MaxRSS)/(1<<20), float64(targetRSS)/(1<<20), "%.0f", p.national)
			if fi, err := os.Stat(filepath.Join(work, "full.duckdb")); err == nil {
				p.line("run database size: %s", mib(fi.Size()))
			}
		}

		if steps["kommun"] {
			// study queries: build + checks + tables of one kommun alone, against the region's
			clean("one")
			one := kaa(bin, append([]string{"run"}, withOut(d.one, "one")...)...)
			if one.ExitErr != nil {
				b.Fatal(one.ExitErr)
			}
			clean("one")
			q := func(r result) (build, tables int64) {
				for _, s := range r.Stages {
					switch s.Name {
					case "build", "checks":
						build += s.MS
					case "tables", "reports":
						tables += s.MS
					}
				}
				return
			}
			ob, ot := q(one)
			rb, rt := q(full)
			p.line("study queries, one kommun (%s alone): build+checks %d ms, tables+reports %d ms; whole run %.1f s, peak RSS %s", d.First, ob, ot, one.Wall.Seconds(), mib(one.MaxRSS))
			p.line("study queries, region (%d kommuner): build+checks %d ms, tables+reports %d ms; per kommun %d ms + %d ms",
				sz.Kommuner, rb, rt, rb/int64(sz.Kommuner), rt/int64(sz.Kommuner))
			p.line("study queries region/one-kommun ratio: build %.1f, tables %.1f (kommuner: %d)", float64(rb)/float64(max(ob, 1)), float64(rt)/float64(max(ot, 1)), sz.Kommuner)
			if oneBytes := treeBytes(d.one); oneBytes > 0 {
				byteRatio := float64(d.AllBytes) / float64(oneBytes)
				p.line("input bytes region/one-kommun ratio: %.1f (%s of %s)", byteRatio, mb(oneBytes), mb(d.AllBytes))
				p.target("build ratio / byte ratio", float64(rb)/float64(max(ob, 1))/byteRatio, targetBuildRatio, "%.2f", p.national)
			}
		}

		if steps["incremental"] || steps["monthly"] {
			// an already loaded history, then the month's four new weekly extracts
			clean("hist")
			clean("incr")
			hist := kaa(bin, append([]string{"run"}, withOut(d.hist, "hist")...)...)
			if hist.ExitErr != nil {
				b.Fatal(hist.ExitErr)
			}
			p.line("history run (all but each kommun's last 4 extracts, %d files held back): %.1f s wall, %.1f s CPU, peak RSS %s",
				len(d.Newest), hist.Wall.Seconds(), hist.CPU.Seconds(), mib(hist.MaxRSS))
			if err := copyFile(filepath.Join(work, "hist.duckdb"), filepath.Join(work, "incr.duckdb")); err != nil {
				b.Fatal(err)
			}
			mon := kaa(bin, append([]string{"monthly"}, withOut(d.inputs, "hist")...)...)
			if mon.ExitErr != nil {
				b.Fatal(mon.ExitErr)
			}
			for _, s := range mon.Stages {
				p.line("monthly stage %-9s %8d ms  peak RSS %s  (%s)", s.Name, s.MS, mib(s.PeakRSS), s.Detail)
			}
			p.line("monthly outside the logged stages (process start, database open, hard links to the published set, staff lists, close): %d ms", unlogged(mon))
			p.line("incremental monthly (kaa monthly, +4 weekly extracts per kommun): %.1f s wall, %.1f s CPU, peak RSS %s",
				mon.Wall.Seconds(), mon.CPU.Seconds(), mib(mon.MaxRSS))
			p.target("incremental monthly seconds", mon.Wall.Seconds(), targetMonthly.Seconds(), "%.1f", p.national)
			if steps["incremental"] { // "monthly" alone stops here
				inc := kaa(bin, append([]string{"run"}, withOut(d.inputs, "incr")...)...)
				if inc.ExitErr != nil {
					b.Fatal(inc.ExitErr)
				}
				p.line("incremental full report set (kaa run, +4 weekly extracts per kommun): %.1f s wall, %.1f s CPU, peak RSS %s",
					inc.Wall.Seconds(), inc.CPU.Seconds(), mib(inc.MaxRSS))
				if full.Wall > 0 {
					p.line("incremental/full ratio: monthly %.2f, run %.2f", mon.Wall.Seconds()/full.Wall.Seconds(), inc.Wall.Seconds()/full.Wall.Seconds())
				} else {
					p.line("incremental/history-run ratio: monthly %.2f, run %.2f", mon.Wall.Seconds()/hist.Wall.Seconds(), inc.Wall.Seconds()/hist.Wall.Seconds())
				}
			}
			clean("hist")
			clean("incr")
		}
		p.line("machine: load average %s at end", loadavg())
		if full.Wall > 0 {
			b.ReportMetric(full.Wall.Seconds(), "run-s")
			b.ReportMetric(float64(full.MaxRSS)/(1<<20), "run-MiB")
		}
	}
}

// printer writes the report lines on stdout, where `go test -bench` shows them.
type printer struct {
	b        *testing.B
	national bool
}

func (p *printer) line(format string, args ...any) {
	fmt.Printf("kaa-bench: "+format+"\n", args...)
}

// target prints a figure against its (upper-bound) target and says by how
// much it is met or missed; applies is false below the national size.
func (p *printer) target(name string, got, limit float64, verb string, applies bool) {
	status := "met"
	if got > limit {
		status = fmt.Sprintf("missed by %.0f%%", (got/limit-1)*100)
	}
	if !applies {
		status += ", not the national size"
	}
	p.line("%s "+verb+" (target ≤ "+verb+": %s)", name, got, limit, status)
}

// unlogged is a run's wall time outside its -v stage lines, in ms.
func unlogged(r result) int64 {
	ms := r.Wall.Milliseconds()
	for _, s := range r.Stages {
		ms -= s.MS
	}
	return ms
}

func countFiles(d *data) int {
	n := 0
	for _, c := range d.Stats.Files {
		n += c
	}
	return n
}

func mb(n int64) string  { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
func mib(n int64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }

type readCSVResult struct {
	wall, cpu time.Duration
	rows      int64
	version   string
}

// readCSV is DuckDB's own CSV reader on the same files, in this process,
// into a table of a fresh database file, committed.
func readCSV(dbPath, glob string) (readCSVResult, error) {
	var r readCSVResult
	connector, err := duckdb.NewConnector(dbPath, nil)
	if err != nil {
		return r, err
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		return r, err
	}
	defer conn.Close()
	if err := conn.QueryRowContext(ctx, `select version()`).Scan(&r.version); err != nil {
		return r, err
	}
	cpu0, start := selfCPU(), time.Now()
	q := fmt.Sprintf(`create table t as select * from read_csv('%s', delim=';', header=true)`, strings.ReplaceAll(glob, "'", "''"))
	if _, err := conn.ExecContext(ctx, q); err != nil {
		return r, err
	}
	if _, err := conn.ExecContext(ctx, `checkpoint`); err != nil {
		return r, err
	}
	r.wall, r.cpu = time.Since(start), selfCPU()-cpu0
	err = conn.QueryRowContext(ctx, `select count(*) from t`).Scan(&r.rows)
	return r, err
}
