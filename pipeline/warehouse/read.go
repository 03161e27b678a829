package warehouse

import (
	"context"
	"database/sql/driver"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/marcboeker/go-duckdb"

	"github.com/kaa-uppfoljning/kaa/pipeline/table"
)

// Columns returns a table's column names in order.
func (w *Warehouse) Columns(ctx context.Context, name string) ([]string, error) {
	rows, err := w.Query(ctx, `select column_name from information_schema.columns where table_name = ? order by ordinal_position`, name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 && rows.Err() == nil {
		return nil, fmt.Errorf("no table %s", name)
	}
	return out, rows.Err()
}

// Scopes returns the run's scopes: its kommunkoder in order, then region.
func (w *Warehouse) Scopes(ctx context.Context) ([]string, error) {
	rows, err := w.Query(ctx, `select distinct scope from int_scope order by scope = 'region', scope`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// StudyTable reads one scope's rows of a study model through Arrow, without
// its scope and sort columns, ordered by sort and then every column. The
// model's annotations give the columns their roles, failing closed: every
// integer column is a person count (Count) unless it is annotated plain
// (or shares), and an annotation naming a column the table lacks is an
// error naming the file.
func (w *Warehouse) StudyTable(ctx context.Context, m Model, scope string) (table.Table, error) {
	cols, ok := w.studyCols[m.Name]
	if !ok {
		var err error
		if cols, err = w.Columns(ctx, m.Name); err != nil {
			return table.Table{}, err
		}
		if w.studyCols == nil {
			w.studyCols = map[string][]string{}
		}
		w.studyCols[m.Name] = cols
	}
	if len(cols) == 0 || cols[0] != "scope" {
		return table.Table{}, fmt.Errorf("sql/%s/%s.sql: a study table's first column must be scope", m.Layer, m.Name)
	}
	var out []string
	order := ""
	for _, c := range cols[1:] {
		if c == "sort" {
			order = "sort, "
			continue
		}
		out = append(out, quoteIdent(c))
	}
	list := strings.Join(out, ", ")
	q := fmt.Sprintf("select %s from %s where scope = %s order by %s%s", list, m.Name, quote(scope), order, list)
	t := table.Table{Name: m.Name}
	roles := map[string]table.Role{}
	declared := map[string]bool{}
	for _, a := range []struct {
		key  string
		cols []string
		role table.Role
	}{{"plain", m.Plain, table.Plain}, {"counts", m.Counts, table.Count}, {"shares", m.Shares, table.Share}} {
		for _, c := range a.cols {
			if !slices.Contains(cols, c) || c == "scope" || c == "sort" {
				return table.Table{}, fmt.Errorf("sql/%s/%s.sql: %s: no column %s in %s", m.Layer, m.Name, a.key, c, m.Name)
			}
			roles[c] = a.role
			declared[c] = true
		}
	}
	err := w.arrow(ctx, q, func(rec arrow.Record) error {
		if t.Columns == nil {
			for _, f := range rec.Schema().Fields() {
				kind, err := columnKind(f.Type)
				if err != nil {
					return fmt.Errorf("%s.%s: %w", m.Name, f.Name, err)
				}
				role := roles[f.Name]
				if kind == table.Int && !declared[f.Name] && m.Layer == "studies" {
					role = table.Count // fail closed: an integer is a person count unless declared plain
				}
				t.Columns = append(t.Columns, table.Column{Name: f.Name, Kind: kind, Role: role})
			}
		}
		for r := 0; r < int(rec.NumRows()); r++ {
			row := make([]any, rec.NumCols())
			for c := range row {
				row[c] = cellValue(rec.Column(c), r)
			}
			t.Rows = append(t.Rows, row)
		}
		return nil
	})
	if err != nil {
		return table.Table{}, fmt.Errorf("reading %s: %w", m.Name, err)
	}
	if t.Columns == nil {
		// no rows: the schema still names the columns.
		for _, c := range cols[1:] {
			if c != "sort" {
				t.Columns = append(t.Columns, table.Column{Name: c, Role: roles[c]})
			}
		}
	}
	return t, nil
}

// arrow runs a query through the Arrow interface, handing each record batch
// to fn. The result is materialised by go-duckdb: use it for study-sized
// results only.
func (w *Warehouse) arrow(ctx context.Context, q string, fn func(arrow.Record) error) error {
	return w.conn.Raw(func(dc any) error {
		a, err := duckdb.NewArrowFromConn(dc.(driver.Conn))
		if err != nil {
			return err
		}
		rr, err := a.QueryContext(ctx, q)
		if err != nil {
			return err
		}
		defer rr.Release()
		for rr.Next() {
			if err := fn(rr.Record()); err != nil {
				return err
			}
		}
		return rr.Err()
	})
}

func columnKind(t arrow.DataType) (table.Kind, error) {
	switch t.ID() {
	case arrow.STRING, arrow.LARGE_STRING:
		return table.Text, nil
	case arrow.INT8, arrow.INT16, arrow.INT32, arrow.INT64, arrow.UINT8, arrow.UINT16, arrow.UINT32, arrow.UINT64:
		return table.Int, nil
	case arrow.FLOAT32, arrow.FLOAT64, arrow.DECIMAL128:
		return table.Float, nil
	case arrow.DATE32:
		return table.Date, nil
	}
	return 0, fmt.Errorf("unsupported column type %s (cast to varchar, bigint, double or date)", t)
}

func cellValue(col arrow.Array, i int) any {
	if col.IsNull(i) {
		return nil
	}
	switch a := col.(type) {
	case *array.String:
		return strings.Clone(a.Value(i)) // Value aliases the record's buffer, freed on release
	case *array.LargeString:
		return strings.Clone(a.Value(i))
	case *array.Int8:
		return int64(a.Value(i))
	case *array.Int16:
		return int64(a.Value(i))
	case *array.Int32:
		return int64(a.Value(i))
	case *array.Int64:
		return a.Value(i)
	case *array.Uint8:
		return int64(a.Value(i))
	case *array.Uint16:
		return int64(a.Value(i))
	case *array.Uint32:
		return int64(a.Value(i))
	case *array.Uint64:
		return int64(a.Value(i))
	case *array.Float32:
		return stable(float64(a.Value(i)))
	case *array.Float64:
		return stable(a.Value(i))
	case *array.Decimal128:
		dt := a.DataType().(*arrow.Decimal128Type)
		return a.Value(i).ToFloat64(dt.Scale)
	case *array.Date32:
		return a.Value(i).ToTime().UTC()
	}
	return fmt.Sprint(col.GetOneForMarshal(i))
}

// stable rounds to 12 significant digits: DuckDB's parallel aggregates
// (sums, corr) may differ in the last bits between runs, and published
// figures must be byte-identical.
func stable(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) || x == 0 {
		return x
	}
	y, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
	return y
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
