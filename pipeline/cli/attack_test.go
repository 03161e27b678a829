package cli

import (
	"context"
	"encoding/csv"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/disclosure"
	"github.com/kaa-uppfoljning/kaa/pipeline/run"
	"github.com/kaa-uppfoljning/kaa/pipeline/table"
	"github.com/kaa-uppfoljning/kaa/pipeline/warehouse"
	kaasql "github.com/kaa-uppfoljning/kaa/sql"
)

// published is what a reader has of a run: the tables as published
// (read back from the CSV files), the totals on the pages, and — for the
// test only — the unsuppressed tables from the run's database.
type published struct {
	out    string
	specs  map[string]disclosure.Spec
	view   disclosure.Set
	truth  disclosure.Set
	totals map[string]any
}

// readPublished reads every study table CSV of every scope under out,
// typed by the column kinds and roles of the same table in the database
// (the truth, which the test compares the shown cells with).
func readPublished(t *testing.T, out, db string) published {
	t.Helper()
	ctx := context.Background()
	specs, err := run.StudySpecs()
	if err != nil {
		t.Fatal(err)
	}
	models, err := warehouse.Models(kaasql.FS)
	if err != nil {
		t.Fatal(err)
	}
	w, err := warehouse.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	scopes, err := w.Scopes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := published{out: out, specs: specs, view: disclosure.Set{}, truth: disclosure.Set{}, totals: map[string]any{}}
	for _, scope := range scopes {
		p.view[scope], p.truth[scope] = map[string]table.Table{}, map[string]table.Table{}
		for _, m := range models {
			if m.Layer != "studies" || (strings.HasPrefix(m.Name, "region_") && scope != "region") {
				continue
			}
			tr, err := w.StudyTable(ctx, m, scope)
			if err != nil {
				t.Fatal(err)
			}
			p.truth[scope][m.Name] = tr
			p.view[scope][m.Name] = readTable(t, filepath.Join(out, scope, "tables", m.Name+".csv"), tr)
		}
		// the S1 page shows the cohort size
		html, err := os.ReadFile(filepath.Join(out, scope, "s1.html"))
		if err != nil {
			t.Fatal(err)
		}
		m := kohortRE.FindStringSubmatch(string(html))
		if m == nil {
			t.Fatalf("%s/s1.html: no cohort size", scope)
		}
		key := disclosure.TotalKey(scope, "s1_status", "antal")
		if n, err := strconv.ParseInt(strings.ReplaceAll(m[1], " ", ""), 10, 64); err == nil {
			p.totals[key] = n
		} else {
			p.totals[key] = strings.ReplaceAll(m[1], "&lt;", "<")
		}
	}
	return p
}

var kohortRE = regexp.MustCompile(`<dt>Kohort</dt><dd>([^<]+?) personer</dd>`)

// readTable reads a published CSV as a reader would: numbers, markers and
// blanks, with like's columns.
func readTable(t *testing.T, path string, like table.Table) table.Table {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(b), "\ufeff")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	out := table.Table{Name: like.Name, Columns: like.Columns}
	for i, h := range recs[0] {
		if i >= len(like.Columns) || h != strings.ToLower(like.Columns[i].Name) {
			t.Fatalf("%s: header %v, want the columns of %s", path, recs[0], like.Name)
		}
	}
	for n, rec := range recs[1:] {
		row := make([]any, len(rec))
		for i, s := range rec {
			c := like.Columns[i]
			switch {
			case s == "":
				row[i] = nil
			case table.IsSuppressed(s) && c.Kind != table.Text:
				row[i] = s
			case c.Kind == table.Int:
				v, err := strconv.ParseInt(s, 10, 64)
				if err != nil {
					t.Fatalf("%s:%d: %s %q", path, n+2, c.Name, s)
				}
				row[i] = v
			case c.Kind == table.Float:
				v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
				if err != nil {
					t.Fatalf("%s:%d: %s %q", path, n+2, c.Name, s)
				}
				row[i] = v
			case c.Kind == table.Date:
				v, err := time.Parse("2006-01-02", s)
				if err != nil {
					t.Fatal(err)
				}
				row[i] = v
			default:
				row[i] = strings.TrimPrefix(s, "'")
			}
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

// attackRun runs kaa at the default suppress_below and reads what it
// published.
func attackRun(t *testing.T, name string) published {
	t.Helper()
	dir := t.TempDir()
	root := repoRoot(t)
	out := filepath.Join(dir, "out")
	db := filepath.Join(dir, "kaa.duckdb")
	args := []string{"run", "--db", db, "--out", out, "--key-file", writeKey(t, dir)}
	switch name {
	case "demo":
		args = append(args, "--inputs", filepath.Join(root, "fixtures", "inputs"), "--config", filepath.Join(root, "fixtures", "demo.toml"))
	case "region":
		args = append(args, "--inputs", filepath.Join(root, "fixtures", "region"), "--as-of", "2021-03-31")
	}
	if r := kaa(t, args...); r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	return readPublished(t, out, db)
}

// TestPublishedTablesResistAttack attacks the published tables of the demo
// and the region run the way a reader could (disclosure.Attack on the
// CSV files read back: shown cells, every declared sum within and between
// tables, the region as the sum of its kommuner, the shares to their four
// decimals, the cohort size on the S1 page, and what the markers say):
// no hidden count may be determined. The same attack on a copy with one
// complementary cell shown again must find the small count it protected.
func TestPublishedTablesResistAttack(t *testing.T) {
	t.Parallel() // after the sequential tests, beside the other slow ones (no env or globals changed)
	for _, name := range []string{"demo", "region"} {
		t.Run(name, func(t *testing.T) {
			p := attackRun(t, name)
			small, hidden := 0, 0
			for scope, ts := range p.view {
				for tn, v := range ts {
					tr := p.truth[scope][tn]
					for r, row := range v.Rows {
						for c, cell := range row {
							switch {
							case v.Columns[c].Role != table.Count:
							case cell == table.Hidden || cell == table.Withheld:
								hidden++
							case table.IsSuppressed(cell):
								small++
							case fmt.Sprint(cell) != fmt.Sprint(tr.Rows[r][c]):
								t.Errorf("%s/%s row %d %s: published %v, the table has %v", scope, tn, r+1, v.Columns[c].Name, cell, tr.Rows[r][c])
							}
						}
					}
				}
			}
			if small == 0 || hidden == 0 {
				t.Fatalf("%d small and %d complementary hidden cells: the fixture should need both", small, hidden)
			}
			// every declaration holds on the fixture's data
			unused, err := disclosure.Unused(p.specs, p.truth, 5)
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range unused {
				t.Errorf("declared but does not hold: %s", u)
			}
			fs, err := disclosure.Attack(p.specs, p.view, 5, p.totals)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range fs {
				t.Errorf("a reader works out %s", f)
			}
			t.Logf("%s: %d small counts and %d complementary cells hidden; the attack determines none", name, small, hidden)

			// weakened: the first complementary cell (and the shares of its
			// row, hidden only with it) written back into a copy of its CSV
			scope, tn, row, col := firstHidden(p)
			path := filepath.Join(p.out, scope, "tables", tn+".csv")
			weak := filepath.Join(t.TempDir(), tn+".csv")
			header, rows := readCSV(t, path)
			truth := p.truth[scope][tn]
			others := false
			for c, cell := range p.view[scope][tn].Rows[row] {
				others = others || (c != col && truth.Columns[c].Role == table.Count && table.IsSuppressed(cell))
			}
			for c := range rows[row] {
				if c == col || (!others && truth.Columns[c].Role == table.Share && rows[row][c] == table.Hidden) {
					rows[row][c] = csvText(truth.Columns[c], truth.Rows[row][c])
				}
			}
			var b strings.Builder
			b.WriteString("\ufeff" + strings.Join(header, ";") + "\r\n")
			for _, r := range rows {
				b.WriteString(strings.Join(r, ";") + "\r\n")
			}
			if err := os.WriteFile(weak, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			view := disclosure.Set{}
			for s, ts := range p.view {
				view[s] = map[string]table.Table{}
				for n, v := range ts {
					view[s][n] = v
				}
			}
			view[scope][tn] = readTable(t, weak, truth)
			fs, err = disclosure.Attack(p.specs, view, 5, p.totals)
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) == 0 {
				t.Errorf("%s/%s row %d %s shown as %v: the attack finds nothing", scope, tn, row+1, truth.Columns[col].Name, truth.Rows[row][col])
			}
			for _, f := range fs {
				t.Logf("weakened copy (%s/%s row %d %s shown): a reader works out %s", scope, tn, row+1, truth.Columns[col].Name, f)
			}
		})
	}
}

// csvText writes a cell as the CSV files do (counts as digits, shares
// with four decimals and a decimal comma).
func csvText(c table.Column, v any) string {
	if f, ok := v.(float64); ok {
		return table.FormatDecimal(f, 4, false)
	}
	return fmt.Sprint(v)
}

// firstHidden returns the first complementary cell of a run, in scope,
// table and row order.
func firstHidden(p published) (string, string, int, int) {
	for _, scope := range slices.Sorted(maps.Keys(p.view)) {
		for _, tn := range slices.Sorted(maps.Keys(p.view[scope])) {
			for r, row := range p.view[scope][tn].Rows {
				for c, cell := range row {
					if cell == table.Hidden && p.view[scope][tn].Columns[c].Role == table.Count {
						return scope, tn, r, c
					}
				}
			}
		}
	}
	return "", "", -1, -1
}
