package report

import (
	"html/template"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/kaa-uppfoljning/kaa/pipeline/table"
)

// crosstabFunc renders a long table as a matrix: one row per value (or
// pair of values) of the rows= columns, one column per value of the cols=
// columns, and in each cell the values= columns of the matching row.
// Rows and columns are in the order the table has them. At most two
// header levels: two cols= columns with one value column, or one cols=
// column with several value columns. A combination the table has no row
// for shows missing= ("" unless given; "0" for lists of codes as they
// occur, where no row means none).
//
//	{{crosstab "s6_manad" "rows=matt" "cols=grupp" "values=antal"}}
func (r *pageRenderer) crosstabFunc(name string, args ...string) (template.HTML, error) {
	t, err := r.lookup(name)
	if err != nil {
		return "", err
	}
	o, err := r.parseOptions(t, args, "rows", "cols", "values", "missing", "caption")
	if err != nil {
		return "", err
	}
	full := t
	t = filter(t, o.where)
	colsOf := func(key string, min, max int) ([]int, error) {
		v, ok := o.kv[key]
		if !ok {
			return nil, r.errorf("crosstab of table %q: %s= is required", name, key)
		}
		var out []int
		for _, c := range strings.Split(v, ",") {
			i, err := r.col(t, strings.TrimSpace(c))
			if err != nil {
				return nil, err
			}
			out = append(out, i)
		}
		if len(out) < min || len(out) > max {
			return nil, r.errorf("crosstab of table %q: %s= takes %d to %d columns", name, key, min, max)
		}
		return out, nil
	}
	rowCols, err := colsOf("rows", 1, 2)
	if err != nil {
		return "", err
	}
	colCols, err := colsOf("cols", 1, 2)
	if err != nil {
		return "", err
	}
	valCols, err := colsOf("values", 1, 4)
	if err != nil {
		return "", err
	}
	if len(colCols) == 2 && len(valCols) > 1 {
		return "", r.errorf("crosstab of table %q: two cols= columns take one value column", name)
	}

	key := func(row []any, cols []int) string {
		parts := make([]string, len(cols))
		for i, c := range cols {
			parts[i] = table.KeyText(row[c])
		}
		return strings.Join(parts, "\x00")
	}
	var rowKeys, colKeys []string
	blocks := map[string][]string{} // the row keys under each column key, in table order
	rowFirst := map[string][]any{}
	colFirst := map[string][]any{}
	cellRow := map[[2]string][]any{}
	for _, row := range t.Rows {
		rk, ck := key(row, rowCols), key(row, colCols)
		if _, ok := rowFirst[rk]; !ok {
			rowFirst[rk] = row
			rowKeys = append(rowKeys, rk)
		}
		if _, ok := colFirst[ck]; !ok {
			colFirst[ck] = row
			colKeys = append(colKeys, ck)
		}
		blocks[ck] = append(blocks[ck], rk)
		k := [2]string{rk, ck}
		if _, dup := cellRow[k]; dup {
			return "", r.errorf("crosstab of table %q: two rows for %q × %q", name, strings.ReplaceAll(rk, "\x00", " "), strings.ReplaceAll(ck, "\x00", " "))
		}
		cellRow[k] = row
	}
	// keys of two columns: grouped by the first column, in the order its
	// values first occur
	groupKeys := func(keys []string, first map[string][]any, cols []int) {
		if len(cols) < 2 {
			return
		}
		order := map[string]int{}
		for _, k := range keys {
			v := table.KeyText(first[k][cols[0]])
			if _, ok := order[v]; !ok {
				order[v] = len(order)
			}
		}
		sort.SliceStable(keys, func(i, j int) bool {
			return order[table.KeyText(first[keys[i]][cols[0]])] < order[table.KeyText(first[keys[j]][cols[0]])]
		})
	}
	// rows in an order that keeps the table's order within every column:
	// a row key missing from the first column's rows goes after the key
	// before it in the column where it occurs
	var merged []string
	pos := map[string]int{}
	for _, ck := range colKeys {
		prev := -1
		for _, rk := range blocks[ck] {
			if p, ok := pos[rk]; ok {
				prev = p
				continue
			}
			merged = slices.Insert(merged, prev+1, rk)
			for i, k := range merged {
				pos[k] = i
			}
			prev = pos[rk]
		}
	}
	rowKeys = merged
	groupKeys(rowKeys, rowFirst, rowCols)
	groupKeys(colKeys, colFirst, colCols)
	label := func(row []any, ci int) htmlCell {
		return formatCellIn(t, ci, row)
	}

	ht := htmlTable{Name: t.Name, Caption: o.kv["caption"], Legend: legendOf(full)}
	twoLevels := len(colCols) == 2 || len(valCols) > 1
	var top, sub []htmlCell
	for _, rc := range rowCols {
		h := htmlCell{Text: thText(Header(t.Name, t.Columns[rc].Name)), Scope: "col"}
		if twoLevels {
			h.Rowspan = 2
		}
		top = append(top, h)
	}
	switch {
	case len(colCols) == 2:
		// group the second level under runs of the first
		for i := 0; i < len(colKeys); {
			first := table.KeyText(colFirst[colKeys[i]][colCols[0]])
			j := i
			for j < len(colKeys) && table.KeyText(colFirst[colKeys[j]][colCols[0]]) == first {
				c := label(colFirst[colKeys[j]], colCols[1])
				sub = append(sub, htmlCell{Text: c.Text, Scope: "col", Class: numClass(t.Columns[valCols[0]])})
				j++
			}
			g := label(colFirst[colKeys[i]], colCols[0])
			top = append(top, htmlCell{Text: g.Text, Scope: "colgroup", Colspan: j - i, Class: "group"})
			i = j
		}
	case len(valCols) > 1:
		for _, ck := range colKeys {
			g := label(colFirst[ck], colCols[0])
			top = append(top, htmlCell{Text: g.Text, Scope: "colgroup", Colspan: len(valCols), Class: "group"})
			for _, vc := range valCols {
				sub = append(sub, htmlCell{Text: thText(Header(t.Name, t.Columns[vc].Name)), Scope: "col", Class: numClass(t.Columns[vc])})
			}
		}
	default:
		for _, ck := range colKeys {
			g := label(colFirst[ck], colCols[0])
			top = append(top, htmlCell{Text: g.Text, Scope: "col", Class: numClass(t.Columns[valCols[0]])})
		}
	}
	ht.Head = [][]htmlCell{top}
	if sub != nil {
		ht.Head = append(ht.Head, sub)
	}
	ht.NCols = len(rowCols) + len(colKeys)*len(valCols)
	ht.Class = tableClass(ht.NCols, len(rowKeys))

	for ri, rk := range rowKeys {
		first := rowFirst[rk]
		var hr []htmlCell
		for k, rc := range rowCols {
			if k == 0 && len(rowCols) == 2 {
				// the first row heading spans its run of rows
				v := table.KeyText(first[rc])
				if ri > 0 && table.KeyText(rowFirst[rowKeys[ri-1]][rc]) == v {
					continue
				}
				n := 0
				for _, k2 := range rowKeys[ri:] {
					if table.KeyText(rowFirst[k2][rc]) != v {
						break
					}
					n++
				}
				c := label(first, rc)
				hr = append(hr, htmlCell{Text: c.Text, Code: c.Code, Header: true, Rowspan: n})
				continue
			}
			c := label(first, rc)
			hr = append(hr, htmlCell{Text: c.Text, Code: c.Code, Header: true})
		}
		for _, ck := range colKeys {
			row, ok := cellRow[[2]string{rk, ck}]
			for _, vc := range valCols {
				if !ok {
					hr = append(hr, htmlCell{Text: o.kv["missing"], Class: numClass(t.Columns[vc])})
					continue
				}
				hr = append(hr, label(row, vc))
			}
		}
		ht.Rows = append(ht.Rows, hr)
	}
	return r.execTable(ht)
}

// rowData is one table row for a template: each column's cell formatted as
// in a table (codes as labels), by column name, plus the raw values.
type rowData map[string]string

// rowsFunc returns the rows of the table that match where=, formatted.
func (r *pageRenderer) rowsFunc(name string, args ...string) ([]rowData, error) {
	t, err := r.lookup(name)
	if err != nil {
		return nil, err
	}
	o, err := r.parseOptions(t, args)
	if err != nil {
		return nil, err
	}
	t = filter(t, o.where)
	out := make([]rowData, 0, len(t.Rows))
	for _, row := range t.Rows {
		out = append(out, formatRow(t, row))
	}
	return out, nil
}

func formatRow(t table.Table, row []any) rowData {
	d := rowData{}
	for ci, c := range t.Columns {
		d[c.Name] = formatCellIn(t, ci, row).Text
		d[c.Name+"_raw"] = table.KeyText(row[ci])
	}
	return d
}

// maxRowFunc returns the row with the largest value in COL among the rows
// matching where= (suppressed and missing values are skipped; ties: the
// first), or nil if there is none.
func (r *pageRenderer) maxRowFunc(name, col string, args ...string) (rowData, error) {
	return r.extremeRow(name, col, 1, args)
}

// minRowFunc is maxRowFunc for the smallest value.
func (r *pageRenderer) minRowFunc(name, col string, args ...string) (rowData, error) {
	return r.extremeRow(name, col, -1, args)
}

func (r *pageRenderer) extremeRow(name, col string, sign float64, args []string) (rowData, error) {
	t, ci, err := r.matching(name, col, args)
	if err != nil {
		return nil, err
	}
	best := -1
	var bestV float64
	for i, row := range t.Rows {
		n, ok, err := chartNumber(t.Columns[ci], row[ci])
		if err != nil {
			return nil, r.errorf("maxrow %q %q: %v", name, col, err)
		}
		if ok && (best < 0 || sign*numberOf(n) > sign*bestV) {
			best, bestV = i, numberOf(n)
		}
	}
	if best < 0 {
		return nil, nil
	}
	return formatRow(t, t.Rows[best]), nil
}

// sumFunc sums COL over the rows matching where=: formatted like the
// column, or "" when a cell is suppressed or missing (a sum must not hide
// a suppressed count).
func (r *pageRenderer) sumFunc(name, col string, args ...string) (string, error) {
	t, ci, err := r.matching(name, col, args)
	if err != nil {
		return "", err
	}
	var sum int64
	var fsum float64
	isFloat := false
	for _, row := range t.Rows {
		switch x := row[ci].(type) {
		case int64:
			sum += x
		case float64:
			fsum += x
			isFloat = true
		default:
			return "", nil
		}
	}
	if isFloat {
		return formatText(t.Columns[ci], fsum+float64(sum)), nil
	}
	return formatText(t.Columns[ci], sum), nil
}

// countFunc is the number of rows matching where= whose COL is not 0
// (suppressed counts are not 0).
func (r *pageRenderer) countFunc(name, col string, args ...string) (int, error) {
	t, ci, err := r.matching(name, col, args)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, row := range t.Rows {
		switch x := row[ci].(type) {
		case nil:
		case int64:
			if x != 0 {
				n++
			}
		case float64:
			if x != 0 {
				n++
			}
		default:
			n++
		}
	}
	return n, nil
}

// numFunc reads a raw cell ("<col>_raw" of a row, a decimal point) as a
// number for comparisons in templates; text that is not a number is NaN,
// which compares false.
func numFunc(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return f
}
