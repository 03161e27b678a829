package disclosure

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/kaa-uppfoljning/kaa/pipeline/table"
)

// Region is the scope that sums the kommuner of a run.
const Region = "region"

// Set is the published tables of a run: by scope, then by table name.
type Set map[string]map[string]table.Table

// state is what a reader sees of a count cell.
type state int

const (
	shown    state = iota
	small          // 1..below-1, shown as "<below"
	hidden         // at least below, hidden to protect another cell: table.Hidden
	withheld       // any value, its table withheld in its scope: table.Withheld
)

// loc is a cell of a published table; row -1 is a total published on the
// table's page ("total:").
type loc struct {
	scope, table string
	row, col     int
}

type cell struct {
	loc
	value int64 // the count (0 where a reader cannot see it)
	state state
}

// term is one cell of a linear constraint with its coefficient.
type term struct {
	cell int
	coef float64
}

// relation is one instance of a "sum:" line (or a region or total link):
// Σ coef·cell = 0, or ≥ 0 with atLeast.
type relation struct {
	what    string // for messages
	terms   []term
	atLeast bool
}

// ratio is one share cell with its numerator and denominator.
type ratio struct {
	what      string
	share     loc
	num, den  []term
	denDirect bool // the denominator names cells, not a sum(): a shown share would reveal it
	value     any  // the share cell: float64, nil (blank) or a marker
	hidden    bool // the share is not shown (a marker, or hidden by Protect)
}

// system is every count cell of a set and the relations between them.
type system struct {
	below     int
	specs     map[string]Spec
	set       Set
	cells     []cell
	index     map[loc]int
	relations []relation
	ratios    []ratio
	keys      map[string][]string         // table → key columns
	hits      map[int][]int               // cell → shares hidden with it (hitBy)
	rowCells  map[loc][]int               // a row (loc.col 0) → its count cells (shareHidden)
	rowIndex  map[string]map[string][]int // scope, table, columns → their values → rows (rowsWith)
	idx       []int                       // cell → index in a component (scratch)
	pool      [][]int                     // the same, one for each of attackAll's workers
	ofTable   map[[2]string][]int         // scope, table → its count cells (tableCells)
}

// build makes the system of a set: a cell for every count cell (its state
// read from the cell: a number is shown, "<n" small, table.Hidden hidden),
// the instances of every "sum:" and "ratio:" line in every scope, the
// region links (a region cell is the sum of the kommuner's) and the
// published totals. totals gives the published value of each total
// (see Published.Totals); a total that is missing is computed from the
// table when all its cells are shown, and hidden otherwise.
func build(specs map[string]Spec, set Set, below int, totals map[string]any) (*system, error) {
	sy := &system{below: below, specs: specs, set: set, index: map[loc]int{}, keys: map[string][]string{}}
	if err := check(specs, set); err != nil {
		return nil, err
	}
	for _, scope := range slices.Sorted(maps.Keys(set)) {
		for _, name := range slices.Sorted(maps.Keys(set[scope])) {
			t := set[scope][name]
			for r, row := range t.Rows {
				for c, col := range t.Columns {
					if col.Role != table.Count {
						continue
					}
					sy.add(loc{scope, name, r, c}, row[c])
				}
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(specs)) {
		sp := specs[name]
		for _, scope := range slices.Sorted(maps.Keys(set)) {
			t, ok := set[scope][name]
			if !ok {
				continue
			}
			for _, col := range sp.Totals {
				c := t.Col(col)
				id := sy.add(loc{scope, name, -1, c}, totals[TotalKey(scope, name, col)])
				if _, given := totals[TotalKey(scope, name, col)]; !given {
					sy.cells[id].state, sy.cells[id].value = shown, 0
					for r := range t.Rows {
						k := sy.index[loc{scope, name, r, c}]
						sy.cells[id].value += sy.cells[k].value
						if sy.cells[k].state != shown {
							sy.cells[id].state = hidden
						}
					}
				}
				rel := relation{what: fmt.Sprintf("%s: total: %s in %s", sp.File, col, scope), terms: []term{{id, 1}}}
				for r := range t.Rows {
					rel.terms = append(rel.terms, term{sy.index[loc{scope, name, r, c}], -1})
				}
				sy.relations = append(sy.relations, rel)
			}
			for _, sm := range sp.Sums {
				if err := sy.sums(sp, sm, scope, t); err != nil {
					return nil, err
				}
			}
			for _, ra := range sp.Ratios {
				if err := sy.ratios_(sp, ra, scope, t); err != nil {
					return nil, err
				}
			}
		}
		if !strings.HasPrefix(name, Region+"_") {
			sy.regionLinks(sp)
		}
	}
	return sy, nil
}

// TotalKey names a published total in Published.Totals.
func TotalKey(scope, tbl, col string) string { return scope + "/" + tbl + "." + col }

// add registers a count cell with its value or marker.
func (sy *system) add(l loc, v any) int {
	c := cell{loc: l}
	switch x := v.(type) {
	case int64:
		c.value = x
	case float64:
		c.value = int64(math.Round(x))
	case string:
		switch x {
		case table.Hidden:
			c.state = hidden
		case table.Withheld:
			c.state = withheld
		default:
			c.state = small
		}
	case nil:
		// a count is never missing; treat it as hidden rather than guess
		c.state = hidden
	}
	id := len(sy.cells)
	sy.cells = append(sy.cells, c)
	sy.index[l] = id
	return id
}

// keyCols returns the key columns of a table: declared, or its text
// columns.
func (sy *system) keyCols(name string, t table.Table) []string {
	if k, ok := sy.keys[name]; ok {
		return k
	}
	k := sy.specs[name].Keys
	if k == nil {
		for _, c := range t.Columns {
			if c.Kind == table.Text {
				k = append(k, c.Name)
			}
		}
	}
	sy.keys[name] = k
	return k
}

// context is where a reference is resolved: a scope, a table and a row of
// it (rep), and the key values the referenced rows must agree with.
type context struct {
	scope string
	table string
	t     table.Table
	rep   int
	keys  map[string]string
}

// resolve returns the count cells a term names in a context; ok is false
// when the referenced table or scope is not in the set (the instance is
// then left out: e.g. a monthly run publishes only some tables).
func (sy *system) resolve(sp Spec, tm Term, ctx context) ([]term, bool, error) {
	ref := tm.Ref
	name := ref.Table
	if name == "" {
		name = sp.Table
	}
	scope := ctx.scope
	if ref.Scope != "" {
		scope = table.KeyText(ctx.t.Rows[ctx.rep][ctx.t.Col(ref.Scope)])
	}
	t, ok := sy.set[scope][name]
	if !ok {
		return nil, false, nil
	}
	c := t.Col(ref.Col)
	if c < 0 || t.Columns[c].Role != table.Count {
		return nil, false, fmt.Errorf("%s: %s.%s is not a count column", sp.File, name, ref.Col)
	}
	keys := ctx.keys
	if tm.Sum {
		keys = map[string]string{}
		for _, k := range tm.SumBy {
			keys[k] = table.KeyText(ctx.t.Rows[ctx.rep][ctx.t.Col(k)])
		}
	}
	var rows []int
	for _, s := range ref.Sel {
		switch s.Pos {
		case "prev":
			if name != ctx.table || scope != ctx.scope || ctx.rep == 0 {
				return nil, false, nil
			}
			rows = []int{ctx.rep - 1}
		case "last":
			if len(t.Rows) == 0 {
				return nil, false, nil
			}
			rows = []int{len(t.Rows) - 1}
		}
	}
	positional := rows != nil
	if !positional {
		rows = make([]int, len(t.Rows))
		for i := range rows {
			rows[i] = i
		}
	}
	var out []term
	sign := 1.0
	if tm.Neg {
		sign = -1
	}
	if !positional {
		// the rows whose columns have the values the keys and selectors ask
		var want []colValue
		for k, v := range keys {
			if kc := t.Col(k); kc >= 0 {
				want = append(want, colValue{kc, v})
			}
		}
		for _, s := range ref.Sel {
			if s.Pos != "" {
				continue
			}
			v := s.Value
			if s.FromRow {
				v = table.KeyText(ctx.t.Rows[ctx.rep][ctx.t.Col(s.Value)])
			}
			want = append(want, colValue{t.Col(s.Key), v})
		}
		rows = sy.rowsWith(scope, name, t, want)
	}
	for _, r := range rows {
		row := t.Rows[r]
		match := true
		for _, s := range ref.Sel {
			if !positional || s.Pos != "" {
				continue
			}
			want := s.Value
			if s.FromRow {
				want = table.KeyText(ctx.t.Rows[ctx.rep][ctx.t.Col(s.Value)])
			}
			if table.KeyText(row[t.Col(s.Key)]) != want {
				match = false
			}
		}
		if match {
			out = append(out, term{sy.index[loc{scope, name, r, c}], sign})
		}
	}
	return out, true, nil
}

// colValue is a column of a table and a value its cells must have (as
// table.KeyText gives them).
type colValue struct {
	col   int
	value string
}

// rowsWith returns, in order, the rows of table name in scope whose
// columns have every value of want, through an index of the table by the
// columns want names.
func (sy *system) rowsWith(scope, name string, t table.Table, want []colValue) []int {
	sort.Slice(want, func(i, j int) bool { return want[i].col < want[j].col })
	var cols []int
	var key strings.Builder
	for i, w := range want {
		if i > 0 && w.col == want[i-1].col {
			if w.value != want[i-1].value {
				return nil
			}
			continue
		}
		cols = append(cols, w.col)
		writeKeyPart(&key, w.value)
	}
	id := fmt.Sprintf("%s\x00%s\x00%v", scope, name, cols)
	ix, ok := sy.rowIndex[id]
	if !ok {
		ix = map[string][]int{}
		for r, row := range t.Rows {
			var k strings.Builder
			for _, c := range cols {
				writeKeyPart(&k, table.KeyText(row[c]))
			}
			ix[k.String()] = append(ix[k.String()], r)
		}
		if sy.rowIndex == nil {
			sy.rowIndex = map[string]map[string][]int{}
		}
		sy.rowIndex[id] = ix
	}
	return ix[key.String()]
}

// writeKeyPart appends one value to a key of several: its length, then
// the value, so that no two lists of values make the same key.
func writeKeyPart(b *strings.Builder, v string) {
	b.WriteString(strconv.Itoa(len(v)))
	b.WriteByte(':')
	b.WriteString(v)
}

func (sy *system) expr(sp Spec, e Expr, ctx context) ([]term, bool, error) {
	var out []term
	for _, tm := range e {
		ts, ok, err := sy.resolve(sp, tm, ctx)
		if err != nil || !ok {
			return nil, ok, err
		}
		out = append(out, ts...)
	}
	return out, true, nil
}

// sums instantiates a "sum:" line in one scope: one relation per
// combination of the By columns' values, in the order they first occur.
func (sy *system) sums(sp Spec, sm Sum, scope string, t table.Table) error {
	type part struct {
		rep  int
		keys map[string]string
	}
	var parts []part
	seen := map[string]bool{}
rows:
	for r, row := range t.Rows {
		for _, w := range sm.Where {
			if table.KeyText(row[t.Col(w.Key)]) != w.Value {
				continue rows
			}
		}
		keys := map[string]string{}
		var id []string
		for _, k := range sm.By {
			v := table.KeyText(row[t.Col(k)])
			keys[k] = v
			id = append(id, v)
		}
		j := strings.Join(id, "\x00")
		if !seen[j] {
			seen[j] = true
			parts = append(parts, part{r, keys})
		}
	}
	if len(t.Rows) == 0 && len(sm.By) == 0 && len(sm.Where) == 0 {
		parts = append(parts, part{-1, map[string]string{}})
	}
	for _, p := range parts {
		ctx := context{scope: scope, table: sp.Table, t: t, rep: p.rep, keys: p.keys}
		if p.rep < 0 {
			ctx.rep = 0
		}
		left, ok, err := sy.expr(sp, sm.Left, ctx)
		if err != nil {
			return err
		}
		right, ok2, err := sy.expr(sp, sm.Right, ctx)
		if err != nil {
			return err
		}
		if !ok || !ok2 {
			continue
		}
		rel := relation{what: fmt.Sprintf("%s:%d: sum: %s (%s%s)", sp.File, sm.Line, sm.Text, scope, describeKeys(p.keys)), atLeast: sm.AtLeast, terms: left}
		for _, tm := range right {
			rel.terms = append(rel.terms, term{tm.cell, -tm.coef})
		}
		sy.relations = append(sy.relations, rel)
	}
	return nil
}

func describeKeys(keys map[string]string) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		parts = append(parts, k+"="+keys[k])
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, ", ")
}

// ratios_ instantiates a "ratio:" line in one scope: one ratio per row
// matching its selectors.
func (sy *system) ratios_(sp Spec, ra Ratio, scope string, t table.Table) error {
	sc := t.Col(ra.Col)
	keys := sy.keyCols(sp.Table, t)
	for r, row := range t.Rows {
		match := true
		for _, s := range ra.Sel {
			match = match && table.KeyText(row[t.Col(s.Key)]) == s.Value
		}
		if !match {
			continue
		}
		kv := map[string]string{}
		for _, k := range keys {
			kv[k] = table.KeyText(row[t.Col(k)])
		}
		ctx := context{scope: scope, table: sp.Table, t: t, rep: r, keys: kv}
		num, ok, err := sy.expr(sp, ra.Num, ctx)
		if err != nil {
			return err
		}
		den, ok2, err := sy.expr(sp, ra.Den, ctx)
		if err != nil {
			return err
		}
		if !ok || !ok2 {
			continue
		}
		direct := false
		for _, tm := range ra.Den {
			direct = direct || !tm.Sum
		}
		sy.ratios = append(sy.ratios, ratio{
			what:  fmt.Sprintf("%s:%d: ratio: %s (%s, row %d%s)", sp.File, ra.Line, ra.Text, scope, r+1, describeKeys(kv)),
			share: loc{scope, sp.Table, r, sc}, num: num, den: den, denDirect: direct, value: row[sc],
		})
	}
	return nil
}

// regionLinks adds, for every row of the table in the region scope and
// every count column, region cell = the sum of the kommuner's cells of the
// rows with the same key values ("region:" says how labels differ).
func (sy *system) regionLinks(sp Spec) {
	rt, ok := sy.set[Region][sp.Table]
	if !ok {
		return
	}
	var kommuner []string
	for _, s := range slices.Sorted(maps.Keys(sy.set)) {
		if _, ok := sy.set[s][sp.Table]; ok && s != Region {
			kommuner = append(kommuner, s)
		}
	}
	keys := sy.keyCols(sp.Table, rt)
	prefix := map[string]bool{}
	for _, k := range sp.RegionPrefix {
		prefix[k] = true
	}
	nocase := map[string]bool{}
	for _, k := range sp.RegionNocase {
		nocase[k] = true
	}
	member := map[string]bool{}
	for _, k := range kommuner {
		member[k] = true
	}
	// kommunPrefix reports whether v starts with some kommun and a space
	kommunPrefix := func(v string) bool {
		for i := 0; i < len(v); i++ {
			if v[i] == ' ' && member[v[:i]] {
				return true
			}
		}
		return false
	}
	matches := func(k, regionVal, kommun, kommunVal string) bool {
		if prefix[k] {
			if rest, ok := strings.CutPrefix(regionVal, kommun+" "); ok {
				return rest == kommunVal
			}
			if kommunPrefix(regionVal) {
				return false
			}
		}
		if nocase[k] {
			return strings.EqualFold(regionVal, kommunVal)
		}
		return regionVal == kommunVal
	}
	// each kommun's rows by their key values case-folded: every row that
	// matches a region row is among those with the folded values matches
	// asks for
	byKey := make([]map[string][]int, len(kommuner))
	for i, k := range kommuner {
		kt := sy.set[k][sp.Table]
		byKey[i] = map[string][]int{}
		for kr, krow := range kt.Rows {
			var b strings.Builder
			for _, key := range keys {
				writeKeyPart(&b, foldKey(table.KeyText(krow[kt.Col(key)])))
			}
			byKey[i][b.String()] = append(byKey[i][b.String()], kr)
		}
	}
	type match struct {
		kommun string
		rows   []int
	}
	vals := make([]string, len(keys))
	for r, row := range rt.Rows {
		for i, key := range keys {
			vals[i] = table.KeyText(row[rt.Col(key)])
		}
		var found []match
	kommuner:
		for i, k := range kommuner {
			kt := sy.set[k][sp.Table]
			var b strings.Builder
			for j, key := range keys {
				v := vals[j]
				if prefix[key] {
					if rest, ok := strings.CutPrefix(v, k+" "); ok {
						v = rest
					} else if kommunPrefix(v) {
						continue kommuner
					}
				}
				writeKeyPart(&b, foldKey(v))
			}
			m := match{kommun: k}
			for _, kr := range byKey[i][b.String()] {
				krow := kt.Rows[kr]
				ok := true
				for j, key := range keys {
					if !matches(key, vals[j], k, table.KeyText(krow[kt.Col(key)])) {
						ok = false
						break
					}
				}
				if ok {
					m.rows = append(m.rows, kr)
				}
			}
			if len(m.rows) > 0 {
				found = append(found, m)
			}
		}
		for c, col := range rt.Columns {
			if col.Role != table.Count {
				continue
			}
			rel := relation{what: fmt.Sprintf("%s: region = sum of kommuner (row %d, %s)", sp.File, r+1, col.Name),
				terms: []term{{sy.index[loc{Region, sp.Table, r, c}], 1}}}
			for _, m := range found {
				kt := sy.set[m.kommun][sp.Table]
				kc := kt.Col(col.Name)
				if kc < 0 {
					continue
				}
				for _, kr := range m.rows {
					rel.terms = append(rel.terms, term{sy.index[loc{m.kommun, sp.Table, kr, kc}], -1})
				}
			}
			sy.relations = append(sy.relations, rel)
		}
	}
}

// foldKey is s with every rune replaced by the least rune of its case
// folding orbit: strings.EqualFold(a, b) exactly when foldKey(a) ==
// foldKey(b).
func foldKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		b.WriteRune(m)
	}
	return b.String()
}

// check reports every declaration that names a column (or table) the
// published tables lack, naming the file.
func check(specs map[string]Spec, set Set) error {
	var problems []string
	tables := map[string]table.Table{}
	for _, scope := range slices.Sorted(maps.Keys(set)) {
		for name, t := range set[scope] {
			if _, ok := tables[name]; !ok {
				tables[name] = t
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(specs)) {
		sp := specs[name]
		t, ok := tables[name]
		if !ok {
			continue
		}
		bad := func(format string, args ...any) {
			problems = append(problems, fmt.Sprintf("%s: %s", sp.File, fmt.Sprintf(format, args...)))
		}
		has := func(what, col string) {
			if t.Col(col) < 0 {
				bad("%s: no column %s in %s", what, col, name)
			}
		}
		for _, c := range sp.Keys {
			has("key", c)
		}
		for _, c := range sp.Totals {
			has("total", c)
			if i := t.Col(c); i >= 0 && t.Columns[i].Role != table.Count {
				bad("total: %s is not a count column", c)
			}
		}
		for _, c := range append(append([]string{}, sp.RegionPrefix...), sp.RegionNocase...) {
			has("region", c)
		}
		refs := func(what string, e Expr, rowCtx bool, by []string) {
			for _, tm := range e {
				other := tm.Ref.Table
				if other == "" {
					other = name
				}
				if _, known := specs[other]; !known {
					bad("%s: no study table %s", what, other)
					continue
				}
				if ot, ok := tables[other]; ok {
					if i := ot.Col(tm.Ref.Col); i < 0 {
						bad("%s: no column %s in %s", what, tm.Ref.Col, other)
					} else if ot.Columns[i].Role != table.Count {
						bad("%s: %s.%s is not a count column", what, other, tm.Ref.Col)
					}
					for _, s := range tm.Ref.Sel {
						if s.Key != "" && ot.Col(s.Key) < 0 {
							bad("%s: no column %s in %s", what, s.Key, other)
						}
						if s.FromRow {
							has(what, s.Value)
						}
					}
				}
				if tm.Ref.Scope != "" {
					has(what, tm.Ref.Scope)
				}
				for _, k := range tm.SumBy {
					has(what, k)
				}
			}
		}
		for _, sm := range sp.Sums {
			what := fmt.Sprintf("line %d: sum", sm.Line)
			for _, k := range sm.By {
				has(what, k)
			}
			refs(what, sm.Left, false, sm.By)
			refs(what, sm.Right, false, sm.By)
		}
		for _, ra := range sp.Ratios {
			what := fmt.Sprintf("line %d: ratio", ra.Line)
			has(what, ra.Col)
			if i := t.Col(ra.Col); i >= 0 && t.Columns[i].Role != table.Share {
				bad("%s: %s is not a share column (list it in shares:)", what, ra.Col)
			}
			for _, s := range ra.Sel {
				if s.Pos != "" || s.FromRow {
					bad("%s: the share's rows are chosen by KEY=VALUE only", what)
				} else {
					has(what, s.Key)
				}
			}
			refs(what, ra.Num, true, nil)
			refs(what, ra.Den, true, nil)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return nil
}
