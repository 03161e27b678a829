package cli

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kaa-uppfoljning/kaa/pipeline/report"
	"github.com/kaa-uppfoljning/kaa/pipeline/table"
	"github.com/kaa-uppfoljning/kaa/pipeline/warehouse"
	"github.com/kaa-uppfoljning/kaa/reports"
)

// pages are the study pages, in the order of the index; a page is
// rendered when its template exists in reports/.
var pages = []report.Page{
	{Name: "s1", Title: "Uppföljning av aktualiserade för KAA", Template: "s1.html.tmpl"},
	{Name: "s2", Title: "Måluppfyllelse för projektdeltagare", Template: "s2.html.tmpl"},
	{Name: "s3", Title: "Representation per bostadsområde", Template: "s3.html.tmpl"},
	{Name: "s4", Title: "Representation per skola", Template: "s4.html.tmpl"},
	{Name: "s5", Title: "Tidsstudie: resursfördelning", Template: "s5.html.tmpl"},
	{Name: "s6", Title: "Månadsstatistik ESF", Template: "s6.html.tmpl"},
	{Name: "s7", Title: "Registerkontroller inför SCB", Template: "s7.html.tmpl"},
	{Name: "s8", Title: "Avbrott och identifiering", Template: "s8.html.tmpl"},
	{Name: "s9", Title: "Utfall efter bakgrund", Template: "s9.html.tmpl"},
	{Name: "s10", Title: "Utfall inom ett år per kohort", Template: "s10.html.tmpl"},
	{Name: "region", Title: "Jämförelse mellan kommuner", Template: "region.html.tmpl"}, // region scope only
}

// render writes each scope's HTML pages.
//
// With only non-nil, just those pages are written (the navigation still
// lists every page).
func (j *job) render(ctx context.Context, w *warehouse.Warehouse, dir string, scopes []string, sites map[string]map[string]table.Table, only []string) error {
	var present []report.Page
	for _, p := range pages {
		if _, err := fs.Stat(reports.FS, p.Template); err == nil {
			present = append(present, p)
		}
	}
	for _, scope := range scopes {
		var scoped []report.Page
		for _, p := range present {
			if p.Name != "region" || scope == "region" {
				scoped = append(scoped, p)
			}
		}
		notes, err := j.notes(ctx, w, scope, only)
		if err != nil {
			return err
		}
		site := report.Site{
			Scope:      scope,
			ScopeLabel: scopeLabel(scope),
			AsOf:       j.cfg.AsOf,
			Pages:      scoped,
			Tables:     sites[scope],
			Notes:      notes,
			Only:       only,
			Notices:    j.notices(scope),
			Empty:      map[string]string{},
		}
		for _, e := range j.empty {
			if e.scope == scope {
				site.Empty[e.study] = e.sentence()
			}
		}
		if err := report.Render(filepath.Join(dir, scope), site); err != nil {
			return fmt.Errorf("rendering %s: %w", scope, err)
		}
	}
	return nil
}

func scopeLabel(scope string) string {
	if scope == "region" {
		return "Regionen (alla kommuner i körningen)"
	}
	return "Kommun " + scope
}

// notes gathers the method-note data of every page of a scope. Every page
// gets the same base map: each run parameter under its variable name
// (as_of, s1_from, s1_to, s1_cutoff, s2_goal1, s2_goal2, s5_from, s5_to,
// s5_kaa_date, s6_month, s6_target_men, suppress_below; dates as
// time.Time), "kvalitet" ([]report.Fact: the used files and their rows
// read, loaded, rejected — rows excluded as skyddade are not shown in
// published pages — and, on a study page, the input files the study read,
// per kind). A study page also gets its own parameters under their config
// key (S1: from, to, cutoff; S2: goal1, goal2; S5: from, to, kaa_date; S6:
// month, target_men; S3, S4: population; month as "YYYY-MM"), S1's page the
// cohort size as kohort, and S9's page what s9Notes adds (when S9 is
// rendered: only nil or naming s9). The index gets "datakvalitet"
// ([]qualityRow: per kommun its files, rows and gates).
func (j *job) notes(ctx context.Context, w *warehouse.Warehouse, scope string, only []string) (map[string]any, error) {
	var files, read, loaded, rejected, kohort int64
	for _, f := range j.ld.quality {
		if !f.Used() || (scope != "region" && scope != f.Kommun) {
			continue
		}
		files++
		read += f.Read
		loaded += f.Loaded - f.Duplicates
		rejected += f.Rejected
	}
	if _, err := w.Columns(ctx, "int_s1_person"); err == nil {
		if err := w.QueryRow(ctx, `select count(*) from int_s1_person p join int_scope s using (kommunkod) where s.scope = ?`, []any{scope}, &kohort); err != nil {
			return nil, err
		}
	}
	kinds, err := pageKinds()
	if err != nil {
		return nil, err
	}
	base := map[string]any{}
	for _, v := range j.cfg.Variables() {
		base[v.Name] = v.Value
	}
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
		// the page's own parameters also go by their config key: s2_goal1 → goal1
		for _, v := range j.cfg.Variables() {
			if k, ok := strings.CutPrefix(v.Name, p.Name+"_"); ok {
				m[k] = v.Value
			}
		}
		switch p.Name {
		case "s1":
			m["kohort"] = kohort
		case "s6":
			m["month"] = j.cfg.S6.Month.Format("2006-01") // a month, as in the config
		case "s9":
			if only == nil || slices.Contains(only, "s9") {
				if err := j.s9Notes(ctx, w, scope, m); err != nil {
					return nil, err
				}
			}
		}
		out[p.Name] = m
	}
	return out, nil
}
