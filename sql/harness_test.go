package sql_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/config"
	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
	"github.com/kaa-uppfoljning/kaa/pipeline/disclosure"
	"github.com/kaa-uppfoljning/kaa/pipeline/table"
	"github.com/kaa-uppfoljning/kaa/pipeline/warehouse"
	kaasql "github.com/kaa-uppfoljning/kaa/sql"
)

// fixture is a fresh warehouse to which a test adds hand-made raw rows, so
// that each study rule is pinned by an input whose answer the test works
// out by hand.
type fixture struct {
	t   *testing.T
	ctx context.Context
	w   *warehouse.Warehouse
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	w, err := warehouse.Open(ctx, filepath.Join(t.TempDir(), "test.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	return &fixture{t: t, ctx: ctx, w: w}
}

// add inserts rows into a raw table: cols names the columns given, each row
// is a SQL tuple, e.g.
//
//	f.add("kaa_individer", "person, fodelsedatum, kon, aktualiserad", "('p1', '2003-05-01', 'M', '2019-08-01')")
//
// kommunkod defaults to 2281 and file_id to <kind>-<kommunkod> (extens:
// <kind>-<kommunkod>-<extract_date>); line numbers
// follow the order given.
func (f *fixture) add(kind, cols string, rows ...string) {
	f.t.Helper()
	k, ok := contract.Lookup(kind)
	if !ok {
		f.t.Fatalf("no kind %s", kind)
	}
	// each extract of a Dated kind is its own file, as in a load
	date := ""
	if k.Dated {
		date = ` || coalesce('-' || extract_date, '')`
	}
	for i, r := range rows {
		q := fmt.Sprintf("insert into raw_%s (%s) values %s", kind, cols, r)
		if err := f.w.Exec(f.ctx, q); err != nil {
			f.t.Fatalf("%s: %v", q, err)
		}
		fill := fmt.Sprintf(`update raw_%s set file_id = coalesce(file_id, '%s-' || coalesce(kommunkod, '2281')%s), kommunkod = coalesce(kommunkod, '2281'),
			line = coalesce(line, %d) where file_id is null or kommunkod is null or line is null`, kind, kind, date, i+2)
		if err := f.w.Exec(f.ctx, fill); err != nil {
			f.t.Fatal(err)
		}
	}
}

// build records every file id in the raw tables as a file of the run,
// resolves the config (as of asOf, with the given overrides) and builds
// every model.
func (f *fixture) build(asOf string, o config.Overrides) config.Config {
	f.t.Helper()
	d, err := time.Parse("2006-01-02", asOf)
	if err != nil {
		f.t.Fatal(err)
	}
	given := config.Overrides{"as_of": d}
	for k, v := range o {
		given[k] = v
	}
	cfg, err := config.Resolve(config.File{}, given, d)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.w.Exec(f.ctx, "delete from run_file"); err != nil {
		f.t.Fatal(err)
	}
	if err := f.w.Exec(f.ctx, "delete from loaded_file"); err != nil {
		f.t.Fatal(err)
	}
	for _, k := range contract.Kinds() {
		q := fmt.Sprintf(`insert into run_file select distinct file_id, kommunkod, '%s', file_id, false, 'used', null, null from raw_%s`, k.Name, k.Name)
		if err := f.w.Exec(f.ctx, q); err != nil {
			f.t.Fatal(err)
		}
		// the catalog as a load writes it: a file's rows share its kommun and
		// (Dated kinds) its extract date
		date := "null::date"
		if k.Dated {
			date = "min(extract_date)"
			var mixed int
			if err := f.w.QueryRow(f.ctx, fmt.Sprintf(`select count(*) from (select file_id from raw_%s group by file_id
				having count(distinct extract_date) > 1 or count(distinct kommunkod) > 1)`, k.Name), nil, &mixed); err != nil {
				f.t.Fatal(err)
			}
			if mixed > 0 {
				f.t.Fatalf("raw_%s: %d files whose rows differ in extract_date or kommunkod: give each extract its own file_id", k.Name, mixed)
			}
		}
		q = fmt.Sprintf(`insert into loaded_file select file_id, min(kommunkod), file_id, '%s', '', %s, null, null,
			count(*), count(*), 0, 0, null, null from raw_%s group by file_id`, k.Name, date, k.Name)
		if err := f.w.Exec(f.ctx, q); err != nil {
			f.t.Fatal(err)
		}
	}
	models, err := warehouse.Models(kaasql.FS)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := f.w.SetParams(f.ctx, cfg, models, nil); err != nil {
		f.t.Fatal(err)
	}
	if err := f.w.Build(f.ctx, models, nil); err != nil {
		f.t.Fatal(err)
	}
	return cfg
}

// table reads a study table of a scope as the writers see it.
func (f *fixture) table(name, scope string) table.Table {
	f.t.Helper()
	models, err := warehouse.Models(kaasql.FS)
	if err != nil {
		f.t.Fatal(err)
	}
	for _, m := range models {
		if m.Name == name {
			t, err := f.w.StudyTable(f.ctx, m, scope)
			if err != nil {
				f.t.Fatal(err)
			}
			return t
		}
	}
	f.t.Fatalf("no model %s", name)
	return table.Table{}
}

// protect returns every study table of every scope as published with
// small counts hidden at below (disclosure.Protect over the whole set, as
// a run publishes them).
func (f *fixture) protect(below int) disclosure.Set {
	f.t.Helper()
	models, err := warehouse.Models(kaasql.FS)
	if err != nil {
		f.t.Fatal(err)
	}
	scopes, err := f.w.Scopes(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	specs := map[string]disclosure.Spec{}
	set := disclosure.Set{}
	for _, scope := range scopes {
		set[scope] = map[string]table.Table{}
	}
	for _, m := range models {
		if m.Layer != "studies" {
			continue
		}
		sp, err := disclosure.Parse("sql/studies/"+m.Name+".sql", m.Name, m.SQL)
		if err != nil {
			f.t.Fatal(err)
		}
		specs[m.Name] = sp
		for _, scope := range scopes {
			if strings.HasPrefix(m.Name, "region_") && scope != "region" {
				continue
			}
			t, err := f.w.StudyTable(f.ctx, m, scope)
			if err != nil {
				f.t.Fatal(err)
			}
			set[scope][m.Name] = t
		}
	}
	pub, err := disclosure.Protect(specs, set, below)
	if err != nil {
		f.t.Fatal(err)
	}
	return pub.Set
}

// lookup returns the row of t whose first columns equal key, as text
// (numbers in Go syntax, floats rounded to 4 decimals, nil as "").
func lookup(t *testing.T, tb table.Table, key ...string) []string {
	t.Helper()
	for _, r := range tb.Rows {
		row := texts(r)
		match := true
		for i, k := range key {
			if row[i] != k {
				match = false
				break
			}
		}
		if match {
			return row
		}
	}
	t.Fatalf("%s: no row %v in\n%s", tb.Name, key, dump(tb))
	return nil
}

// wantCell checks one cell: column of the row of tb with the given key.
func wantCell(t *testing.T, tb table.Table, column, want string, key ...string) {
	t.Helper()
	if got := col(t, tb, lookup(t, tb, key...), column); got != want {
		t.Errorf("%s %v: %s = %q, want %q\n%s", tb.Name, key, column, got, want, dump(tb))
	}
}

// col returns the value of column name in row (from lookup) of tb.
func col(t *testing.T, tb table.Table, row []string, name string) string {
	t.Helper()
	i := tb.Col(name)
	if i < 0 {
		t.Fatalf("%s: no column %s", tb.Name, name)
	}
	return row[i]
}

func texts(r []any) []string {
	out := make([]string, len(r))
	for i, v := range r {
		switch x := v.(type) {
		case nil:
			out[i] = ""
		case float64:
			out[i] = strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.4f", x), "0"), ".")
		case time.Time:
			out[i] = x.Format("2006-01-02")
		default:
			out[i] = fmt.Sprint(x)
		}
	}
	return out
}

func dump(tb table.Table) string {
	var b strings.Builder
	for _, c := range tb.Columns {
		b.WriteString(c.Name + ";")
	}
	b.WriteByte('\n')
	for _, r := range tb.Rows {
		b.WriteString(strings.Join(texts(r), ";") + "\n")
	}
	return b.String()
}

func mustDate(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}
