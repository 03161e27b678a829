package run

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/kaa-uppfoljning/kaa/pipeline/disclosure"
	"github.com/kaa-uppfoljning/kaa/pipeline/report"
	"github.com/kaa-uppfoljning/kaa/pipeline/warehouse"
	"github.com/kaa-uppfoljning/kaa/reference"
	"github.com/kaa-uppfoljning/kaa/reports"
)

// pages are the study pages in the order of the index, discovered from
// the templates in reports/ (report.Pages: each carries its title). The
// templates are embedded, so a template without its title fails every
// test and run at once.
var pages = func() []report.Page {
	ps, err := report.Pages(reports.FS)
	if err != nil {
		panic(err)
	}
	return ps
}()

// render writes each scope's HTML pages: the data of every scope's pages
// read first (the database has one connection), then the scopes' pages
// written on every core, each scope's into its own folder. The first
// error in scope order is returned.
//
// A plan of mode Studies writes just its studies' pages (the navigation
// still lists every page).
func (j *job) render(ctx context.Context, w *warehouse.Warehouse, dir string, scopes []string, pub disclosure.Published, plan Plan) error {
	j.prog.begin("reports", int64(len(scopes)), false)
	sites := make([]report.Site, len(scopes))
	for i, scope := range scopes {
		var scoped []report.Page
		for _, p := range pages {
			if !p.RegionOnly || scope == "region" {
				scoped = append(scoped, p)
			}
		}
		notes, err := j.notes(ctx, w, scope, plan, pub)
		if err != nil {
			return err
		}
		site := report.Site{
			Scope:      scope,
			ScopeLabel: scopeLabel(scope, scopes),
			AsOf:       j.cfg.AsOf(),
			Pages:      scoped,
			Tables:     pub.Set[scope],
			Notes:      notes,
			Only:       plan.only(),
			Notices:    j.notices(scope),
			Empty:      map[string]string{},
		}
		for _, e := range j.empty {
			if e.scope == scope {
				site.Empty[e.study] = e.sentence()
			}
		}
		sites[i] = site
	}
	errs := make([]error, len(scopes))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(scopes)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := report.Render(filepath.Join(dir, scopes[i]), sites[i]); err != nil {
					errs[i] = fmt.Errorf("rendering %s: %w", scopes[i], err)
				}
				j.prog.add(1)
			}
		}()
	}
	for i := range scopes {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// scopeLabel names a scope in titles: "Sundsvall (2281)"; the region by
// its kommuner in kommunkod order ("Regionen: Timrå, Härnösand och
// Sundsvall"), or their number when there are many.
func scopeLabel(scope string, scopes []string) string {
	if scope != "region" {
		return reference.KommunLabel(scope)
	}
	var names []string
	for _, s := range scopes {
		if s == "region" {
			continue
		}
		if k, ok := reference.LookupKommun(s); ok {
			names = append(names, k.Namn)
		} else {
			names = append(names, "kommun "+s)
		}
	}
	switch {
	case len(names) == 0:
		return "Regionen"
	case len(names) > 6:
		return fmt.Sprintf("Regionen (%d kommuner)", len(names))
	case len(names) == 1:
		return "Regionen: " + names[0]
	}
	return "Regionen: " + strings.Join(names[:len(names)-1], ", ") + " och " + names[len(names)-1]
}

// notes gathers the method-note data of every page of a scope. Every page
// gets the same base map: each run parameter of pipeline/config under its
// DuckDB variable name (as_of, s1_cutoff, suppress_below, ...; see
// Value.Note for the types: dates as time.Time, months "YYYY-MM"), and
// "kvalitet" ([]report.Fact: the used files and their rows read, loaded,
// rejected — rows excluded as skyddade are not shown in published pages —
// and, on a study page, the input files the study read, per kind). A study
// page also gets the parameters of its own config table under their key in
// it (page s1: from, to, cutoff; page s6: month, target_men; pages s3, s4:
// population), every page (the index too) the S1 cohort size as kohort —
// as published: the total of s1_status (an int64, or a marker when it is
// hidden; nil when S1 is not built) — and S9's page what
// s9Notes adds (when the plan renders S9). The index gets
// "datakvalitet" ([]qualityRow: per kommun its files, rows and gates).
func (j *job) notes(ctx context.Context, w *warehouse.Warehouse, scope string, plan Plan, pub disclosure.Published) (map[string]any, error) {
	var files, read, loaded, rejected int64
	for _, i := range j.ld.scoped(scope) {
		f := &j.ld.quality[i]
		if !f.Used() {
			continue
		}
		files++
		read += f.Read
		loaded += f.Loaded - f.Duplicates
		rejected += f.Rejected
	}
	kohort := pub.Totals[disclosure.TotalKey(scope, "s1_status", "antal")]
	kinds, err := pageKinds()
	if err != nil {
		return nil, err
	}
	base := map[string]any{}
	for _, v := range j.cfg.Values() {
		base[v.Param.Variable()] = v.Note()
	}
	base["kohort"] = kohort
	kvalitet := []report.Fact{
		{Label: "Indatafiler som används", Value: files},
		{Label: "Rader lästa", Value: read},
		{Label: "Rader inlästa", Value: loaded},
		{Label: "Rader avvisade (se rejects.csv)", Value: rejected},
	}
	base["kvalitet"] = kvalitet
	index := map[string]any{"datakvalitet": j.qualityRows(scope)}
	for k, v := range base {
		index[k] = v
	}
	out := map[string]any{"index": index}
	for _, p := range pages {
		m := map[string]any{}
		for k, v := range base {
			m[k] = v
		}
		m["kvalitet"] = append(slices.Clone(kvalitet), j.usedFiles(scope, kinds[p.Name])...)
		// the page's own parameters also go by their key in its table: s2.goal1 → goal1
		for _, v := range j.cfg.Values() {
			if v.Param.Table() == p.Name {
				m[v.Param.Name()] = v.Note()
			}
		}
		switch p.Name {
		case "s1":
			m["kohort"] = kohort
		case "s9":
			if plan.has("s9") {
				if err := j.s9Notes(ctx, w, scope, m, pub); err != nil {
					return nil, err
				}
			}
		}
		out[p.Name] = m
	}
	return out, nil
}
