package disclosure

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/kaa-uppfoljning/kaa/pipeline/table"
)

// maxLP is the largest component of hidden cells solved exactly by
// linear programming; larger ones (a region of hundreds of kommuner) are
// checked by bound propagation only.
const maxLP = 400

// shareSlack is half a unit in the fourth decimal: a share shown as
// 0,4320 lies in [0,43195, 0,43205].
const shareSlack = 0.00005 + 1e-9

// Finding is a hidden count a reader can work out exactly from what is
// published.
type Finding struct {
	Scope, Table string
	Row          int // 1-based row of the table; 0 for a total published on the page
	Column       string
	Keys         string // the row's key values, for messages
	Value        int64
}

func (f Finding) String() string { return fmt.Sprintf("%s = %d", f.Place(), f.Value) }

// Place names the cell without its value (for messages that may reach a
// log).
func (f Finding) Place() string {
	where := fmt.Sprintf("row %d", f.Row)
	if f.Row == 0 {
		where = "total"
	}
	return fmt.Sprintf("%s/%s %s (%s) %s", f.Scope, f.Table, where, f.Keys, f.Column)
}

// Attack works out, from the published tables of a set the way a reader
// could, every hidden count it determines: from the shown cells, the sums
// the tables' declarations state (within a table, between tables, the
// region as the sum of its kommuner), the shown shares (each bounds its
// numerator over its denominator to the 4 decimals shown), and what the
// markers say ("<n": 1..n-1; "x": at least n). totals are the totals
// published on pages (see Published.Totals). No finding means no hidden
// cell is determined.
func Attack(specs map[string]Spec, set Set, below int, totals map[string]any) ([]Finding, error) {
	sy, err := build(specs, set, below, totals)
	if err != nil {
		return nil, err
	}
	for i, ra := range sy.ratios {
		sy.ratios[i].hidden = ra.value != nil && !isNumber(ra.value)
	}
	fs, _, err := sy.attack(sy.constraints(sy.sources(nil)), nil, nil)
	if err != nil {
		return nil, err
	}
	out := make([]Finding, len(fs))
	for i, f := range fs {
		out[i] = sy.describe(f.cell, f.value)
	}
	return out, nil
}

func (sy *system) describe(id int, value int64) Finding {
	c := sy.cells[id]
	t := sy.set[c.scope][c.table]
	f := Finding{Scope: c.scope, Table: c.table, Row: c.row + 1, Column: t.Columns[c.col].Name, Value: value}
	if c.row >= 0 {
		var kv []string
		for _, k := range sy.keyCols(c.table, t) {
			kv = append(kv, k+"="+table.KeyText(t.Rows[c.row][t.Col(k)]))
		}
		f.Keys = strings.Join(kv, ", ")
	}
	return f
}

type finding struct {
	cell  int
	value int64
}

// stats says how a system was attacked.
type stats struct {
	components, solved, propagated int
}

// source is a linear fact a reader may use: a relation (Σ coef·cell = 0,
// or ≥ 0), or one bound of a shown share — num − s·den ≤ 0 and ≥ 0 for the
// share s rounded up and down by half a unit of its fourth decimal — or
// den = 0 for a blank share. A share's sources count only while the share
// is shown.
type source struct {
	terms []term
	op    int // -1 ≤, 0 =, +1 ≥ (the right-hand side is 0)
	ratio int // the share it comes from, -1 for a relation
}

// sources returns the system's sources, leaving out those in skip.
func (sy *system) sources(skip map[string]bool) []source {
	var out []source
	for _, r := range sy.relations {
		if skip[r.what] || len(r.terms) == 0 {
			continue
		}
		op := 0
		if r.atLeast {
			op = 1
		}
		out = append(out, source{terms: r.terms, op: op, ratio: -1})
	}
	for i, ra := range sy.ratios {
		if skip[ra.what] {
			continue
		}
		s := 0.0
		switch v := ra.value.(type) {
		case nil:
			out = append(out, source{terms: ra.den, op: 0, ratio: i})
			continue
		case float64:
			s = math.Round(v*1e4) / 1e4
		case int64:
			s = float64(v)
		default:
			continue // hidden: nothing to read
		}
		for _, b := range []struct {
			f  float64
			op int
		}{{s + shareSlack, -1}, {math.Max(0, s-shareSlack), 1}} {
			ts := append([]term(nil), ra.num...)
			for _, d := range ra.den {
				ts = append(ts, term{d.cell, -b.f * d.coef})
			}
			out = append(out, source{terms: merge(ts), op: b.op, ratio: i})
		}
	}
	return out
}

// constraint is an active source over the hidden cells, with the shown
// cells moved to the right-hand side.
type constraint struct {
	row
	src   int    // index of its source
	terms []term // every term of the source, shown or not (shared with it)
}

// constraint returns source i as a constraint with the cells' current
// states, and false when it holds no hidden cell or is not active.
func (sy *system) constraint(srcs []source, i int) (constraint, bool) {
	so := srcs[i]
	if so.ratio >= 0 && sy.ratios[so.ratio].hidden {
		return constraint{}, false
	}
	c := constraint{row: row{op: so.op}, src: i, terms: so.terms}
	for _, t := range so.terms {
		cl := sy.cells[t.cell]
		if cl.state == shown {
			c.rhs -= t.coef * float64(cl.value)
			continue
		}
		c.vars = append(c.vars, t.cell)
		c.coef = append(c.coef, t.coef)
	}
	return c, len(c.vars) > 0
}

// constraints returns every active source as a constraint.
func (sy *system) constraints(srcs []source) []constraint {
	var out []constraint
	for i := range srcs {
		if c, ok := sy.constraint(srcs, i); ok {
			out = append(out, c)
		}
	}
	return out
}

// merge adds up the coefficients of repeated cells.
func merge(ts []term) []term {
	idx := map[int]int{}
	var out []term
	for _, t := range ts {
		if i, ok := idx[t.cell]; ok {
			out[i].coef += t.coef
			continue
		}
		idx[t.cell] = len(out)
		out = append(out, t)
	}
	return out
}

// domain is what a reader knows of a hidden cell from its marker.
func (sy *system) domain(id int) (float64, float64) {
	switch sy.cells[id].state {
	case small:
		return 1, float64(sy.below - 1)
	case withheld:
		return 0, math.Inf(1)
	}
	return float64(sy.below), math.Inf(1)
}

func isNumber(v any) bool {
	switch v.(type) {
	case int64, float64:
		return true
	}
	return false
}

// disclosed reports whether working out cell id as value discloses
// something: a withheld cell found to be 0 does not (a zero is published
// as 0 anywhere else).
func (sy *system) disclosed(id int, value float64) bool {
	return sy.cells[id].state != withheld || value != 0
}

// attack returns the hidden cells that the constraints determine.
// clean, when not nil, remembers components found to determine nothing,
// so that a repeated attack (Protect) solves only what changed; only, when
// not nil, limits the attack to the components holding one of its cells.
func (sy *system) attack(cons []constraint, clean map[[2]uint64]bool, only map[int]bool) ([]finding, stats, error) {
	var st stats
	// components of hidden cells linked by constraints
	comp := components(cons)
	comps := map[int][]int{}
	for v, r := range comp {
		comps[r] = append(comps[r], v)
	}
	find := func(v int) int { return comp[v] }
	compCons := map[int][]constraint{}
	for _, c := range cons {
		r := find(c.vars[0])
		compCons[r] = append(compCons[r], c)
	}
	roots := make([]int, 0, len(comps))
	for r := range comps {
		sort.Ints(comps[r])
		roots = append(roots, r)
	}
	sort.Slice(roots, func(i, j int) bool { return comps[roots[i]][0] < comps[roots[j]][0] })
	var out []finding
	for _, r := range roots {
		st.components++
		vars := comps[r]
		if only != nil {
			in := false
			for _, v := range vars {
				if in = only[v]; in {
					break
				}
			}
			if !in {
				continue
			}
		}
		var key [2]uint64
		if clean != nil {
			key = signature(sy, vars, compCons[r])
			if clean[key] {
				continue
			}
		}
		fs, err := sy.component(vars, compCons[r], &st)
		if err != nil {
			return nil, st, err
		}
		if len(fs) == 0 && clean != nil {
			clean[key] = true
		}
		out = append(out, fs...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].cell < out[j].cell })
	return out, st, nil
}

// signature identifies a component's problem: its cells, their markers
// and its constraints.
func signature(sy *system, vars []int, cons []constraint) [2]uint64 {
	// FNV-1a and FNV-1 (64 bits) of the values' little-endian bytes, as
	// hash/fnv's New64a and New64 compute them
	const offset, prime = 14695981039346656037, 1099511628211
	h1, h2 := uint64(offset), uint64(offset)
	put := func(x uint64) {
		for i := 0; i < 8; i++ {
			b := x & 0xff
			h1 = (h1 ^ b) * prime
			h2 = (h2 * prime) ^ b
			x >>= 8
		}
	}
	for _, v := range vars {
		put(uint64(v)<<3 | uint64(sy.cells[v].state))
	}
	for _, c := range cons {
		put(uint64(int64(c.op)))
		put(math.Float64bits(c.rhs))
		for k, v := range c.vars {
			put(uint64(v))
			put(math.Float64bits(c.coef[k]))
		}
	}
	return [2]uint64{h1, h2}
}

// component attacks one component: bound propagation first, then linear
// programming for each cell propagation leaves open.
func (sy *system) component(vars []int, cons []constraint, st *stats) ([]finding, error) {
	return sy.componentIn(sy.scratch(), vars, cons, st)
}

// componentIn is component with idx, a slice by cell, to index the
// component's cells with (so that components may be attacked at once,
// each with its own; sy is only read).
func (sy *system) componentIn(idx []int, vars []int, cons []constraint, st *stats) ([]finding, error) {
	lo := make([]float64, len(vars))
	hi := make([]float64, len(vars))
	for i, v := range vars {
		lo[i], hi[i] = sy.domain(v)
	}
	rows := rowsOf(idx, vars, cons)
	if err := propagate(lo, hi, rows); err != nil {
		return nil, fmt.Errorf("%w (%s)", err, sy.describe(vars[0], 0).Place())
	}
	var out []finding
	for i, v := range vars {
		if lo[i] == hi[i] && sy.disclosed(v, lo[i]) {
			out = append(out, finding{v, int64(lo[i])})
		}
	}
	if len(out) > 0 {
		st.propagated++
		return out, nil
	}
	if len(vars) > maxLP {
		return nil, nil
	}
	return sy.solve(vars, rows, lo, hi, st)
}

// solve attacks a component by linear programming: rows are its
// constraints over the indexes of vars, lo and hi the bounds propagation
// left.
func (sy *system) solve(vars []int, rows []row, lo, hi []float64, st *stats) ([]finding, error) {
	var out []finding
	st.solved++
	p, err := newLP(len(vars), lo, hi, rows)
	if err != nil {
		return nil, fmt.Errorf("%w (%s)", err, sy.describe(vars[0], 0).Place())
	}
	omin := make([]float64, len(vars))
	omax := make([]float64, len(vars))
	for i := range vars {
		omin[i], omax[i] = math.Inf(1), math.Inf(-1)
	}
	record := func() {
		for i := range vars {
			x := p.value(i)
			omin[i] = math.Min(omin[i], x)
			omax[i] = math.Max(omax[i], x)
		}
	}
	free := func(i int) bool {
		return math.Floor(omax[i]+1e-6)-math.Ceil(omin[i]-1e-6) >= 1
	}
	record()
	for i, v := range vars {
		if free(i) {
			continue
		}
		mx, err := p.bound(i, -1)
		if err != nil {
			return nil, err
		}
		record()
		if math.IsInf(mx, 1) || free(i) {
			continue
		}
		mn, err := p.bound(i, 1)
		if err != nil {
			return nil, err
		}
		record()
		if free(i) {
			continue
		}
		a, b := math.Ceil(mn-1e-6), math.Floor(mx+1e-6)
		if a >= b && sy.disclosed(v, a) {
			out = append(out, finding{v, int64(a)})
		}
	}
	return out, nil
}

// rowsOf returns a component's constraints as rows over the indexes of
// its cells in vars, indexed through idx (a slice by cell).
func rowsOf(idx []int, vars []int, cons []constraint) []row {
	for i, v := range vars {
		idx[v] = i
	}
	rows := make([]row, len(cons))
	for i, c := range cons {
		r := row{op: c.op, rhs: c.rhs, coef: c.coef, vars: make([]int, len(c.vars))}
		for k, v := range c.vars {
			r.vars[k] = idx[v]
		}
		rows[i] = r
	}
	return rows
}

// scratch returns a slice by cell, for component to index its cells with
// (each entry it reads it has set).
func (sy *system) scratch() []int {
	if len(sy.idx) != len(sy.cells) {
		sy.idx = make([]int, len(sy.cells))
	}
	return sy.idx
}

// propagate narrows integer bounds through the constraints until nothing
// changes: what a reader gets by reasoning one sum at a time. It works
// through a queue of constraints, each taken again when a bound of one of
// its cells has narrowed, so that a constraint is looked at again only
// when it can narrow something; the bounds it ends with are the fixpoint
// of narrowing every constraint in turn until a whole pass changes
// nothing (bounds narrowing is monotone, so the order does not change the
// fixpoint). Work is bounded by 100 looks at every constraint; bounds
// left then are still sound, only possibly wider.
func propagate(lo, hi []float64, rows []row) error {
	// of[j]: the constraints cell j is in
	start := make([]int32, len(lo)+1)
	for _, r := range rows {
		for _, j := range r.vars {
			start[j+1]++
		}
	}
	for j := range lo {
		start[j+1] += start[j]
	}
	of := make([]int32, start[len(lo)])
	fill := append([]int32(nil), start[:len(lo)]...)
	for i, r := range rows {
		for _, j := range r.vars {
			of[fill[j]] = int32(i)
			fill[j]++
		}
	}
	queue := make([]int32, len(rows))
	queued := make([]bool, len(rows))
	for i := range rows {
		queue[i] = int32(i)
		queued[i] = true
	}
	budget := 100 * len(rows)
	for len(queue) > 0 && budget > 0 {
		budget--
		i := queue[0]
		queue = queue[1:]
		queued[i] = false
		err := narrow(rows[i], lo, hi, func(j int) {
			for _, o := range of[start[j]:start[j+1]] {
				if !queued[o] {
					queued[o] = true
					queue = append(queue, o)
				}
			}
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// narrow narrows the bounds of r's cells (indexes into lo and hi) by r
// alone, calling changed for each cell whose bounds narrowed.
func narrow(r row, lo, hi []float64, changed func(j int)) error {
	// the sum's least and greatest value over the current bounds
	var minS, maxS float64
	for k, j := range r.vars {
		a := r.coef[k]
		if a > 0 {
			minS += a * lo[j]
			maxS += a * hi[j]
		} else {
			minS += a * hi[j]
			maxS += a * lo[j]
		}
	}
	for k, j := range r.vars {
		a := r.coef[k]
		if math.Abs(a) < eps {
			continue
		}
		// the rest of the sum, without this term
		var restMin, restMax float64
		if a > 0 {
			restMin, restMax = minS-a*lo[j], maxS-a*hi[j]
		} else {
			restMin, restMax = minS-a*hi[j], maxS-a*lo[j]
		}
		if math.IsNaN(restMin) || math.IsInf(restMin, 0) {
			restMin = recompute(r, k, lo, hi, false)
		}
		if math.IsNaN(restMax) || math.IsInf(restMax, 0) {
			restMax = recompute(r, k, lo, hi, true)
		}
		// a·x ∈ [rhs - restMax, rhs - restMin] for =; one side for ≤ / ≥
		low, high := math.Inf(-1), math.Inf(1)
		if r.op >= 0 { // = or ≥: a·x ≥ rhs - restMax
			low = r.rhs - restMax
		}
		if r.op <= 0 { // = or ≤: a·x ≤ rhs - restMin
			high = r.rhs - restMin
		}
		if a < 0 {
			low, high = high/a, low/a
		} else {
			low, high = low/a, high/a
		}
		moved := false
		if nl := math.Ceil(low - 1e-6); nl > lo[j] {
			lo[j], moved = nl, true
		}
		if nh := math.Floor(high + 1e-6); nh < hi[j] {
			hi[j], moved = nh, true
		}
		if lo[j] > hi[j] {
			return errInfeasible
		}
		if moved {
			changed(j)
		}
	}
	return nil
}

// recompute sums the bounds of every term but k (used when an infinite
// bound makes the subtraction undefined).
func recompute(r row, k int, lo, hi []float64, upper bool) float64 {
	s := 0.0
	for i, j := range r.vars {
		if i == k {
			continue
		}
		a := r.coef[i]
		switch {
		case a > 0 && upper, a < 0 && !upper:
			s += a * hi[j]
		default:
			s += a * lo[j]
		}
	}
	return s
}
