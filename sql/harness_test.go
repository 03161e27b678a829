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
// kommunkod defaults to 2281 and file_id to <kind>-<kommunkod>; line numbers
// follow the order given.
func (f *fixture) add(kind, cols string, rows ...string) {
	f.t.Helper()
	if _, ok := contract.Lookup(kind); !ok {
		f.t.Fatalf("no kind %s", kind)
	}
	for i, r := range rows {
		q := fmt.Sprintf("insert into raw_%s (%s) values %s", kind, cols, r)
		if err := f.w.Exec(f.ctx, q); err != nil {
			f.t.Fatalf("%s: %v", q, err)
		}
		fill := fmt.Sprintf(`update raw_%s set file_id = coalesce(file_id, '%s-' || coalesce(kommunkod, '2281')), kommunkod = coalesce(kommunkod, '2281'),
			line = coalesce(line, %d) where file_id is null or kommunkod is null or line is null`, kind, kind, i+2)
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
	for _, k := range contract.Kinds() {
		q := fmt.Sprintf(`insert into run_file select distinct file_id, kommunkod, '%s', file_id, false, 'used', null, null from raw_%s`, k.Name, k.Name)
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
