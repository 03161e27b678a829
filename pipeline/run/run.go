package run

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kaa-uppfoljning/kaa/pipeline/config"
	"github.com/kaa-uppfoljning/kaa/pipeline/disclosure"
	"github.com/kaa-uppfoljning/kaa/pipeline/manifest"
	"github.com/kaa-uppfoljning/kaa/pipeline/publish"
	"github.com/kaa-uppfoljning/kaa/pipeline/table"
	"github.com/kaa-uppfoljning/kaa/pipeline/warehouse"
	kaasql "github.com/kaa-uppfoljning/kaa/sql"
)

// execute is a whole run: lock, ingest what is new, build, check and
// publish. It takes two transactions. The first commits the cache: the
// raw rows, rejects and bookkeeping of the files read for the first time,
// with the purge of persons newly found skyddad (their rows are never
// committed un-purged). The cache is keyed by content and a run uses only
// the files listed for it in run_file, so committing it cannot change what
// any run publishes. The second records the run's files, builds, checks
// and publishes, all or nothing: a failure rolls back run_file and every
// model, and leaves the published set as it was. The models so read
// committed, compressed data (inside the loading transaction DuckDB 1.1
// built them several times slower; docs/scaling.md).
//
// The plan says what is built and published: in mode All every model is
// built and the whole report set replaces Out; in mode Studies only the
// models its studies need are built, and their pages and tables replace
// theirs in the published set, the others carried over (kaa monthly, kaa
// check); in mode LoadOnly (kaa ingest) nothing is published: the build
// is committed once the checks pass.
func (j *job) execute(ctx context.Context, plan Plan) error {
	defer j.prog.end() // a failed stage's bar is cleared before the error is printed
	if err := j.setup(); err != nil {
		return err
	}
	l, err := j.lock()
	if err != nil {
		return err
	}
	defer l.Release()
	for _, dir := range []string{j.Out, j.Staff} {
		if plan.Mode == LoadOnly {
			break
		}
		if err := publish.Recover(dir); err != nil {
			return err
		}
	}
	w, err := warehouse.Open(ctx, j.DB)
	if err != nil {
		return err
	}
	defer w.Close()
	if w.Trimmed > 0 {
		j.prog.clear()
		fmt.Fprintf(j.Stderr, "kaa: %s.wal ended in a commit that a killed run left unfinished; its %d bytes were cut off before the log was replayed\n", j.DB, w.Trimmed)
	}
	if w.Recovered != "" {
		j.prog.clear()
		fmt.Fprintf(j.Stderr, "kaa: warning: the database's write-ahead log %s.wal could not be replayed (%s); it was moved to %s. The database is back at its last checkpoint: this run reads again the input files the log alone held and rebuilds every model. The moved file is kept for diagnosis and may be deleted\n", j.DB, w.RecoveryCause, w.Recovered)
	}
	ld, err := j.cache(ctx, w)
	if err != nil {
		return err
	}
	if err := w.Begin(ctx); err != nil {
		return err
	}
	committed := false
	defer func() {
		if !committed {
			w.Rollback(context.Background())
		}
	}()
	if err := w.SetRunFiles(ctx, ld.files); err != nil {
		return err
	}
	j.ld = ld
	published := false
	defer func() { j.reportRejects(ld, published) }()
	if err := j.inspect(ctx, w, ld); err != nil {
		return err
	}
	models, checks, err := j.build(ctx, w, plan)
	if err != nil {
		return err
	}
	j.models = models
	if plan.Mode == LoadOnly { // loaded and checked, nothing to publish
		committed = true
		return w.Commit(ctx)
	}
	if err := j.findEmpty(ctx, w, models, plan); err != nil {
		return err
	}
	stg, err := publish.Begin(j.Out)
	if err != nil {
		return err
	}
	defer stg.Abort()
	staff, err := publish.Begin(j.Staff)
	if err != nil {
		return err
	}
	defer staff.Abort()
	if err := j.write(ctx, w, stg.Dir(), ld, models, checks, plan); err != nil {
		return err
	}
	if err := j.writeStaff(ctx, w, staff.Dir(), models); err != nil {
		return err
	}
	if plan.Mode == Studies {
		// the pages and tables not rebuilt stay as published (hard links)
		if err := stg.Carry(j.Out); err != nil {
			return err
		}
		if err := staff.Carry(j.Staff); err != nil {
			return err
		}
	}
	if plan.Register {
		if j.register, err = redChecks(ctx, w, models); err != nil {
			return err
		}
	}
	j.begin("commit")
	if err := w.Commit(ctx); err != nil {
		return err
	}
	committed = true
	if err := stg.Commit(); err != nil {
		return fmt.Errorf("publishing into %s: %w (the database is updated; run again to publish)", j.Out, err)
	}
	published = true
	if err := staff.Commit(); err != nil {
		return fmt.Errorf("writing staff lists into %s: %w (the database is updated; run again)", j.Staff, err)
	}
	j.end("published %s", j.Out)
	return nil
}

// write produces everything published: per scope the study tables (CSV
// and Parquet, small counts hidden by disclosure.Protect over all scopes
// at once) and the HTML pages, the rejects and the manifest.
func (j *job) write(ctx context.Context, w *warehouse.Warehouse, dir string, ld *loaded, models []warehouse.Model, checks []warehouse.Check, plan Plan) error {
	j.begin("tables")
	scopes, err := w.Scopes(ctx)
	if err != nil {
		return err
	}
	specs, err := StudySpecs()
	if err != nil {
		return err
	}
	publishes := map[string]bool{}
	for _, m := range models {
		if m.Layer == "studies" && (plan.Mode == All || inPages(m, plan.Studies)) {
			publishes[m.Name] = true
		}
	}
	set := disclosure.Set{}
	for _, scope := range scopes {
		set[scope] = map[string]table.Table{}
		for _, m := range models {
			if m.Layer != "studies" || (strings.HasPrefix(m.Name, "region_") && scope != "region") {
				continue
			}
			t, err := w.StudyTable(ctx, m, scope)
			if err != nil {
				return err
			}
			set[scope][m.Name] = t
		}
	}
	pub, err := disclosure.Protect(specs, set, j.cfg.SuppressBelow())
	if err != nil {
		return err
	}
	for _, u := range pub.Unused {
		j.logf("suppression: not used, does not hold in this data: %s", u)
	}
	n, small, hidden := 0, 0, 0
	j.prog.begin("tables", int64(len(scopes)), false)
	for _, scope := range scopes {
		tdir := filepath.Join(dir, scope, "tables")
		if err := os.MkdirAll(tdir, 0o755); err != nil {
			return err
		}
		for _, name := range slices.Sorted(maps.Keys(pub.Set[scope])) {
			if !publishes[name] {
				continue // built to decide the suppression of a table it links to; stays as published
			}
			t := pub.Set[scope][name]
			if err := writeFile(filepath.Join(tdir, name+".csv"), func(f io.Writer) error { return table.WriteCSV(f, t) }); err != nil {
				return err
			}
			if err := writeFile(filepath.Join(tdir, name+".parquet"), func(f io.Writer) error { return table.WriteParquet(f, t) }); err != nil {
				return err
			}
			for _, row := range t.Rows {
				for i, v := range row {
					if t.Columns[i].Role == table.Count && table.IsSuppressed(v) {
						if v == table.Hidden || v == table.Withheld {
							hidden++
						} else {
							small++
						}
					}
				}
			}
			n++
		}
		j.prog.add(1)
	}
	j.end("%d tables in %d scopes, %d small counts hidden, %d more to protect them", n, len(scopes), small, hidden)

	j.begin("reports")
	if err := j.render(ctx, w, dir, scopes, pub, plan); err != nil {
		return err
	}
	j.end("%d scopes", len(scopes))

	j.begin("manifest")
	rejects := ld.rejects
	if err := writeFile(filepath.Join(dir, "rejects.csv"), func(f io.Writer) error { return table.WriteCSV(f, rejects) }); err != nil {
		return err
	}
	m, err := j.manifest(ctx, w, ld, checks)
	if err != nil {
		return err
	}
	if err := m.Reconcile(); err != nil {
		return err
	}
	j.end("%d inputs, %d rejects", len(m.Inputs), len(rejects.Rows))
	m.Run.TimingsMS = j.timings
	return m.Write(filepath.Join(dir, "manifest.json"))
}

// StudySpecs reads the suppression declarations of every study model.
func StudySpecs() (map[string]disclosure.Spec, error) {
	models, err := warehouse.Models(kaasql.FS)
	if err != nil {
		return nil, err
	}
	specs := map[string]disclosure.Spec{}
	var problems []string
	for _, m := range models {
		if m.Layer != "studies" {
			continue
		}
		sp, err := disclosure.Parse("sql/studies/"+m.Name+".sql", m.Name, m.SQL)
		if err != nil {
			problems = append(problems, err.Error())
		}
		specs[m.Name] = sp
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return specs, nil
}

// writeStaff writes the staff models' pseudonym lists, per scope, unsuppressed.
func (j *job) writeStaff(ctx context.Context, w *warehouse.Warehouse, dir string, models []warehouse.Model) error {
	scopes, err := w.Scopes(ctx)
	if err != nil {
		return err
	}
	for _, scope := range scopes {
		sdir := filepath.Join(dir, scope)
		if err := os.MkdirAll(sdir, 0o700); err != nil {
			return err
		}
		for _, m := range models {
			if m.Layer != "staff" {
				continue
			}
			t, err := w.StudyTable(ctx, m, scope)
			if err != nil {
				return err
			}
			name := strings.TrimPrefix(m.Name, "staff_")
			if err := writeFile(filepath.Join(sdir, name+".csv"), func(f io.Writer) error { return table.WriteCSV(f, t) }); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeFile creates path and writes it with fn.
func writeFile(path string, fn func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := fn(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// manifest describes the run; only its Run part varies between identical runs.
func (j *job) manifest(ctx context.Context, w *warehouse.Warehouse, ld *loaded, checks []warehouse.Check) (manifest.Manifest, error) {
	m := manifest.Manifest{Version: j.Version, AsOf: config.FormatDate(j.cfg.AsOf()), Config: j.cfg.Params()}
	for _, k := range ld.kommuner {
		m.Kommuner = append(m.Kommuner, k.Code)
	}
	for i, f := range ld.files {
		c, q := ld.counts[f.ID], ld.quality[i]
		m.Inputs = append(m.Inputs, manifest.Input{
			Path: f.Path, Kind: f.Kind.Name, SHA256: f.SHA256, Encoding: c.Encoding, Delimiter: c.Delimiter,
			Status: string(f.Role), SupersededBy: f.SupersededBy,
			Read: c.Read, Loaded: c.Loaded - q.Duplicates, Rejected: c.Rejected, Excluded: c.Excluded + q.Duplicates,
			ExcludedDuplicate: q.Duplicates, IgnoredColumns: c.Ignored, MissingColumns: c.Missing,
		})
	}
	for _, s := range ld.summaries {
		mq := manifest.Quality{Kommun: s.Kommun,
			Files: manifest.QualityFiles{Used: s.Used, Parts: s.Parts, Superseded: s.Superseded, Ignored: s.Skipped},
			Rows:  manifest.QualityRows{Read: s.Read, Loaded: s.Loaded, Rejected: s.Rejected, Excluded: s.Excluded}}
		for _, g := range s.Gates {
			mq.Gates = append(mq.Gates, manifest.Gate{Name: g.Name, Rule: g.Rule, Outcome: g.Outcome})
		}
		m.Quality = append(m.Quality, mq)
	}
	for _, c := range checks {
		m.Checks = append(m.Checks, manifest.Check{Name: c.Name, Severity: c.Severity, Rule: c.Rule, Failing: c.Failing, Passed: c.Failing == 0})
	}
	m.Run.NewFiles = ld.newFiles
	return m, nil
}
