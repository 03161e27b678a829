package disclosure

import (
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"sort"
	"sync"

	"github.com/kaa-uppfoljning/kaa/pipeline/table"
)

// Published is a set with its small counts hidden.
type Published struct {
	Set Set
	// Totals are the totals the pages show ("total:"), by TotalKey: an
	// int64, or a marker when hidden.
	Totals map[string]any
	// Unused lists the instances of declared sums and ratios that do not
	// hold in the data and were left out (a reader cannot use a sum that
	// is false); a correct declaration has none on any data.
	Unused []string
}

// Protect hides small counts in a run's published tables: every person
// count 1..below-1 becomes "<below", and then, as long as a reader could
// work out a hidden count (Attack), the next smallest shown count among
// the cells it is summed with becomes "x" — or, when nothing shown is
// left to hide, the table is withheld in that scope (".."). Shares are
// hidden with their row's counts and with the cells they are computed
// from. Zeros are never hidden but in a withheld table. Complements found
// unneeded at the end are shown again. below ≤ 1 publishes the tables as
// they are; below = 2 only marks the 1s ("<2" says 1: nothing is left to
// protect). The set is not modified.
func Protect(specs map[string]Spec, set Set, below int) (Published, error) {
	truth, err := build(specs, set, below, nil)
	if err != nil {
		return Published{}, err
	}
	pub := Published{Totals: map[string]any{}, Unused: unused(truth)}
	skip := map[string]bool{}
	for _, u := range pub.Unused {
		skip[u] = true
	}
	st := make([]state, len(truth.cells))
	if below > 1 {
		for i, c := range truth.cells {
			if c.value >= 1 && c.value < int64(below) {
				st[i] = small
			}
		}
	}
	if below > 2 {
		if err := protect(truth, skip, st); err != nil {
			return Published{}, err
		}
	}
	pub.Set, pub.Totals = apply(truth, skip, st)
	return pub, nil
}

// protect adds complementary cells to st until the attack determines no
// hidden cell (complete), then shows again those found unneeded (prune).
func protect(sy *system, skip map[string]bool, st []state) error {
	ar, clean, err := complete(sy, skip, st)
	if err != nil {
		return err
	}
	return prune(sy, ar, st, clean)
}

// complete adds complementary cells to st until the attack determines no
// hidden cell, one per component of hidden cells per round: a cell pinned
// by a sum alone first (its complement is plain, and may free the others).
// The components are kept from round to round: a round finds again only
// those holding a cell whose state, or a source whose constraint, changed
// (partition), and attacks only those. It returns the constraints as they
// stand and the components found clean.
func complete(sy *system, skip map[string]bool, st []state) (*around, map[[2]uint64]bool, error) {
	srcs := sy.sources(skip)
	srcOf := make([][]int, len(sy.cells)) // cell → sources it is in
	for i, so := range srcs {
		for _, t := range so.terms {
			srcOf[t.cell] = append(srcOf[t.cell], i)
		}
	}
	clean := map[[2]uint64]bool{}
	ar := newAround(sy, srcs, srcOf)
	pa := newPartition(ar)
	farther := map[int]int{} // finding → complements it was given from farther than its sums
	var dirty []int          // the cells st changed this round
	set := func(i int, s state) {
		st[i] = s
		dirty = append(dirty, i)
	}
	var seeds []int
	for i := range sy.cells {
		sy.cells[i].state = st[i]
		if st[i] != shown {
			seeds = append(seeds, i)
		}
	}
	sy.shareStates(skip)
	for round := 0; ; round++ {
		// the cells st changed last round, their sources, and the shares
		// they hit (whose sources change when the share is hidden): the
		// cells of those sources, before and after, are where the
		// components change
		var changed []int
		for _, i := range dirty {
			if sy.cells[i].state != st[i] {
				sy.cells[i].state = st[i]
				changed = append(changed, i)
			}
		}
		dirty = dirty[:0]
		seeds = append(seeds, changed...)
		stale := func(si int) {
			if ar.valid[si] && ar.ok[si] {
				seeds = append(seeds, ar.con[si].vars...)
			}
			ar.valid[si] = false
		}
		ratios := map[int]bool{}
		for _, c := range changed {
			for _, si := range srcOf[c] {
				stale(si)
			}
			for _, ri := range sy.hitBy(c) {
				ratios[ri] = true
			}
		}
		for _, ri := range slices.Sorted(maps.Keys(ratios)) {
			sy.shareHidden(ri)
			for _, si := range ar.ofRatio[ri] {
				stale(si)
			}
		}
		if err := pa.update(seeds, clean); err != nil {
			return nil, nil, fmt.Errorf("disclosure: %w", err)
		}
		seeds = seeds[:0]
		fs := pa.findings()
		if len(fs) == 0 {
			return ar, clean, nil
		}
		r := &round_{sy: sy, ar: ar, pa: pa, of: map[int][]int{}}
		pinned := func(f finding) bool {
			for _, si := range r.ofCell(f.cell) {
				if c := ar.con[si]; c.op == 0 && len(c.vars) == 1 {
					return true
				}
			}
			return false
		}
		sort.SliceStable(fs, func(i, j int) bool { return pinned(fs[i]) && !pinned(fs[j]) })
		size := func(v int) int { return len(pa.comps[pa.of[v]].vars) }
		used := map[int]bool{}    // components given a complement this round
		touched := map[int]bool{} // in components too large for one a round: the sums complements came from
		for _, f := range fs {
			big := size(f.cell) > maxLP
			if big {
				busy := false
				for _, si := range r.ofCell(f.cell) {
					busy = busy || touched[si]
				}
				if busy {
					continue
				}
			} else if used[pa.of[f.cell]] {
				continue
			}
			used[pa.of[f.cell]] = true
			cand, far, sums := r.complement(f.cell, !big, farther[f.cell] < maxFar || sy.cells[f.cell].state == withheld)
			if far {
				farther[f.cell]++
			}
			if cand < 0 {
				// nothing shown around f can hide it: the markers themselves
				// give it away (a chain of small counts). Withhold f's table
				// in f's scope, all its counts and shares.
				c := sy.cells[f.cell]
				switch {
				case st[f.cell] == withheld && c.state != withheld:
					continue // withheld this round for another of its cells
				case c.state == withheld:
					// still given away, through other tables (a tiny cohort whose
					// every count is small): withhold every table holding a
					// hidden cell of f's component, in every scope
					tables := map[[2]string]bool{}
					for _, v := range pa.comps[pa.of[f.cell]].vars {
						tables[[2]string{sy.cells[v].scope, sy.cells[v].table}] = true
					}
					more := false
					for tb := range tables {
						for _, i := range sy.tableCells(tb[0], tb[1]) {
							if st[i] != withheld {
								set(i, withheld)
								more = true
							}
						}
					}
					if !more {
						return nil, nil, fmt.Errorf("disclosure: %s can be worked out even with its tables withheld", sy.describe(f.cell, 0).Place())
					}
					continue
				}
				for _, i := range sy.tableCells(c.scope, c.table) {
					set(i, withheld)
				}
				continue
			}
			set(cand, hidden)
			for _, si := range r.ofCell(cand) {
				for _, v := range ar.con[si].vars {
					if size(v) <= maxLP {
						used[pa.of[v]] = true
					}
				}
			}
			for _, si := range sums {
				touched[si] = true
			}
		}
	}
}

// tableCells returns the count cells of a table in a scope, totals too.
func (sy *system) tableCells(scope, name string) []int {
	if sy.ofTable == nil {
		sy.ofTable = map[[2]string][]int{}
		for i, c := range sy.cells {
			k := [2]string{c.scope, c.table}
			sy.ofTable[k] = append(sy.ofTable[k], i)
		}
	}
	return sy.ofTable[[2]string{scope, name}]
}

// partition is the components of the hidden cells linked by the active
// constraints (components), kept as the states change: update finds
// again only the components around the cells it is given, and attacks
// each component once, when it is found.
type partition struct {
	ar    *around
	of    []int        // cell → its component, -1 for none (not hidden, or in no active constraint)
	comps []*part      // by id; nil once found again
	found map[int]bool // the components with findings
}

// part is one component: its hidden cells and the sources of its
// constraints, both in order, and what the attack found in it.
type part struct {
	vars, srcs []int
	fs         []finding
}

func newPartition(ar *around) *partition {
	of := make([]int, len(ar.sy.cells))
	for i := range of {
		of[i] = -1
	}
	return &partition{ar: ar, of: of, found: map[int]bool{}}
}

// update makes the partition that of the current states, given every
// cell whose state changed and every hidden cell of a constraint that
// changed (as it was and as it is): the components holding one of them
// are found again from all their cells; no other component changed.
func (pa *partition) update(seeds []int, clean map[[2]uint64]bool) error {
	ar, sy := pa.ar, pa.ar.sy
	var start []int
	for _, v := range seeds {
		if id := pa.of[v]; id >= 0 {
			for _, u := range pa.comps[id].vars {
				pa.of[u] = -1
				start = append(start, u)
			}
			pa.comps[id] = nil
			delete(pa.found, id)
		}
		start = append(start, v)
	}
	sort.Ints(start)
	base := ar.try
	var todo []attackJob
	for _, s := range start {
		if ar.seen[s] > base || sy.cells[s].state == shown {
			continue
		}
		vars, srcs, _ := ar.reachUpTo(s, base, math.MaxInt)
		if len(srcs) == 0 {
			continue // in no constraint: not in any component
		}
		sort.Ints(vars)
		sort.Ints(srcs)
		cons := make([]constraint, len(srcs))
		for i, si := range srcs {
			cons[i] = ar.con[si]
		}
		k := &part{vars: vars, srcs: srcs}
		id := len(pa.comps)
		pa.comps = append(pa.comps, k)
		for _, v := range vars {
			pa.of[v] = id
		}
		// a component too large for linear programming changes in nearly
		// every round: not worth remembering
		j := attackJob{id: id, cons: cons, small: len(vars) <= maxLP}
		if j.small {
			j.key = signature(sy, vars, cons)
			if clean[j.key] {
				continue
			}
		}
		todo = append(todo, j)
	}
	if err := sy.attackAll(pa.comps, todo); err != nil {
		return err
	}
	for _, j := range todo {
		k := pa.comps[j.id]
		if len(k.fs) > 0 {
			pa.found[j.id] = true
		} else if j.small {
			clean[j.key] = true
		}
	}
	return nil
}

// attackJob is a component for attackAll to attack.
type attackJob struct {
	id    int
	cons  []constraint
	small bool      // linear programming size (maxLP)
	key   [2]uint64 // its signature, when small
}

// attackAll attacks the components of the jobs, on every core: each
// component alone, so the findings are those of attacking them in turn;
// the first error in the jobs' order is returned.
func (sy *system) attackAll(comps []*part, todo []attackJob) error {
	workers := min(runtime.GOMAXPROCS(0), len(todo))
	errs := make([]error, len(todo))
	next := make(chan int)
	for len(sy.pool) < workers {
		sy.pool = append(sy.pool, make([]int, len(sy.cells)))
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		idx := sy.pool[w]
		go func() {
			defer wg.Done()
			var st stats
			for i := range next {
				k := comps[todo[i].id]
				k.fs, errs[i] = sy.componentIn(idx, k.vars, todo[i].cons, &st)
			}
		}()
	}
	for i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// findings returns what the attack finds in every component, by cell.
func (pa *partition) findings() []finding {
	var out []finding
	for id := range pa.found {
		out = append(out, pa.comps[id].fs...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].cell < out[j].cell })
	return out
}

// maxPrune bounds the complementary cells prune tries to show again (each
// try is an attack on the components the cell is in).
const maxPrune = 100000

// prune shows complementary cells again, the largest first, where the
// attack still determines nothing without them: the greedy rounds may hide
// a cell that a later complement made unnecessary.
//
// Showing a cell only adds to what a reader knows (the cell, and the
// shares shown again with it), so the bounds propagation of the state
// before a try are a sound start for the state of the try: bounds keeps
// the propagation of every hidden cell, and a try narrows from the
// constraints it changed only. Propagation from there ends at the same
// bounds as from the markers (the fixpoint is the greatest one below
// them), so a try decides as attacking its components afresh would; the
// components small enough for linear programming are then solved as
// before.
func prune(sy *system, ar *around, st []state, clean map[[2]uint64]bool) error {
	srcs, srcOf, ofRatio := ar.srcs, ar.srcOf, ar.ofRatio
	var xs []int
	for i, s := range st {
		if s == hidden {
			xs = append(xs, i)
		}
	}
	if len(xs) > maxPrune {
		return nil
	}
	sort.SliceStable(xs, func(i, j int) bool { return sy.cells[xs[i]].value > sy.cells[xs[j]].value })
	b, err := newBounds(ar)
	if err != nil {
		return fmt.Errorf("disclosure: %w", err)
	}
	// the states, shares and ar's constraints are as protect's last round
	// left them (st unchanged since); each try below changes one cell and
	// the shares it hits, and may put them back
	var changed []int // the sources a try changed
	set := func(c int, s state) {
		sy.cells[c].state = s
		for _, si := range srcOf[c] {
			ar.valid[si] = false
			changed = append(changed, si)
		}
		for _, ri := range sy.hitBy(c) {
			sy.shareHidden(ri)
			for _, si := range ofRatio[ri] {
				ar.valid[si] = false
				changed = append(changed, si)
			}
		}
	}
	for _, c := range xs {
		st[c] = shown
		changed = changed[:0]
		set(c, shown)
		found, err := b.narrow(changed)
		if err != nil {
			return fmt.Errorf("disclosure: %w", err)
		}
		if !found {
			// only the components around c can change: the sums with c, and
			// the shares shown again with it
			only := map[int]bool{}
			for _, si := range changed {
				for _, t := range srcs[si].terms {
					only[t.cell] = true
				}
			}
			found, err = ar.solveSmall(b, clean, only)
			if err != nil {
				return fmt.Errorf("disclosure: %w", err)
			}
		}
		if found {
			st[c] = hidden
			set(c, hidden)
			b.revert()
			continue
		}
		b.keep()
	}
	return nil
}

// bounds is the bounds propagation of every hidden cell under the
// states as they stand (propagate over every active constraint, by cell
// index), and the changes of the try under way.
type bounds struct {
	ar     *around
	lo, hi []float64
	undo   []bound
	moved  []int // the try that last moved a cell's bounds
	queued []bool
	try    int
}

type bound struct {
	cell   int
	lo, hi float64
}

func newBounds(ar *around) (*bounds, error) {
	sy := ar.sy
	b := &bounds{ar: ar, lo: make([]float64, len(sy.cells)), hi: make([]float64, len(sy.cells)),
		moved: make([]int, len(sy.cells)), queued: make([]bool, len(ar.srcs)), try: 1}
	var rows []row
	for i := range sy.cells {
		if sy.cells[i].state != shown {
			b.lo[i], b.hi[i] = sy.domain(i)
		}
	}
	for si := range ar.srcs {
		if c, ok := ar.get(si); ok {
			rows = append(rows, c.row)
		}
	}
	if err := propagate(b.lo, b.hi, rows); err != nil {
		return nil, err
	}
	return b, nil
}

// narrow propagates from the sources given (whose constraints changed by
// tightening only) and reports whether a hidden cell is now determined.
func (b *bounds) narrow(from []int) (bool, error) {
	ar, sy := b.ar, b.ar.sy
	var queue []int
	for _, si := range from {
		if !b.queued[si] {
			b.queued[si] = true
			queue = append(queue, si)
		}
	}
	defer func() {
		for _, si := range queue {
			b.queued[si] = false
		}
	}()
	found := false
	budget := 100 * len(ar.srcs)
	for q := 0; q < len(queue) && budget > 0; q++ {
		budget--
		si := queue[q]
		b.queued[si] = false
		c, ok := ar.get(si)
		if !ok {
			continue
		}
		for _, j := range c.vars {
			if b.moved[j] != b.try {
				b.moved[j] = b.try
				b.undo = append(b.undo, bound{j, b.lo[j], b.hi[j]})
			}
		}
		err := narrow(c.row, b.lo, b.hi, func(j int) {
			if b.lo[j] == b.hi[j] && sy.disclosed(j, b.lo[j]) {
				found = true
			}
			for _, o := range ar.srcOf[j] {
				if !b.queued[o] {
					b.queued[o] = true
					queue = append(queue, o)
				}
			}
		})
		if err != nil {
			return false, fmt.Errorf("%w (%s)", err, sy.describe(c.vars[0], 0).Place())
		}
		if found {
			return true, nil
		}
	}
	return false, nil
}

// solveSmall reports whether linear programming determines a hidden cell
// in a component small enough for it (maxLP) holding a cell of only, its
// bounds those b propagated.
func (ar *around) solveSmall(b *bounds, clean map[[2]uint64]bool, only map[int]bool) (bool, error) {
	sy := ar.sy
	var seeds []int
	for v := range only {
		if sy.cells[v].state != shown {
			seeds = append(seeds, v)
		}
	}
	sort.Ints(seeds)
	base := ar.try
	var st stats
	for _, s := range seeds {
		if ar.seen[s] > base {
			continue
		}
		vars, srcs, ok := ar.reachUpTo(s, base, maxLP)
		if !ok || len(srcs) == 0 {
			continue // propagation alone for a larger one (done); in no constraint
		}
		sort.Ints(vars)
		sort.Ints(srcs)
		cons := make([]constraint, len(srcs))
		for i, si := range srcs {
			cons[i] = ar.con[si]
		}
		key := signature(sy, vars, cons)
		if clean[key] {
			continue
		}
		lo := make([]float64, len(vars))
		hi := make([]float64, len(vars))
		for i, v := range vars {
			lo[i], hi[i] = b.lo[v], b.hi[v]
		}
		rows := rowsOf(sy.scratch(), vars, cons)
		fs, err := sy.solve(vars, rows, lo, hi, &st)
		if err != nil {
			return false, err
		}
		if len(fs) > 0 {
			return true, nil
		}
		clean[key] = true
	}
	return false, nil
}

// revert puts back the bounds of before the try; keep keeps them.
func (b *bounds) revert() {
	for i := len(b.undo) - 1; i >= 0; i-- {
		u := b.undo[i]
		b.lo[u.cell], b.hi[u.cell] = u.lo, u.hi
	}
	b.keep()
}

func (b *bounds) keep() {
	b.undo = b.undo[:0]
	b.try++
}

// around is attack(constraints(srcs), clean, only) limited to what it
// looks at: the components holding a cell of only, found by following the
// sources from those cells (srcOf: cell → sources it is in), each solved
// with its constraints in source order and its cells sorted, the
// components by their least cell. The constraint of a source is kept
// until valid says its cells or share changed.
type around struct {
	sy         *system
	srcs       []source
	srcOf      [][]int
	ofRatio    map[int][]int // share → its sources
	con        []constraint
	ok, valid  []bool
	seen, done []int // the try that last saw a cell, a source
	at         []int // for round_
	try        int
}

func newAround(sy *system, srcs []source, srcOf [][]int) *around {
	ar := &around{sy: sy, srcs: srcs, srcOf: srcOf, con: make([]constraint, len(srcs)),
		ok: make([]bool, len(srcs)), valid: make([]bool, len(srcs)),
		seen: make([]int, len(sy.cells)), done: make([]int, len(srcs)), at: make([]int, len(srcs)), ofRatio: map[int][]int{}}
	for si, so := range srcs {
		if so.ratio >= 0 {
			ar.ofRatio[so.ratio] = append(ar.ofRatio[so.ratio], si)
		}
	}
	return ar
}

// constraints returns every active source as a constraint, as
// sy.constraints(srcs) does, rebuilding only the invalid ones.
func (ar *around) constraints() []constraint {
	var out []constraint
	for si := range ar.srcs {
		if !ar.valid[si] {
			ar.con[si], ar.ok[si] = ar.sy.constraint(ar.srcs, si)
			ar.valid[si] = true
		}
		if ar.ok[si] {
			out = append(out, ar.con[si])
		}
	}
	return out
}

// reachUpTo returns the component of hidden cell s, if it has at most
// limit cells: its cells (s first) and the sources of its constraints,
// found by following the sources from s. Each call marks what it finds
// with a stamp of its own above base; it returns false when the component
// has more cells than limit,
// or when it meets a cell or source an earlier call since base marked (a
// call that completes marks its whole component, so what another call
// meets was marked by one that gave up: the same, larger, component).
func (ar *around) reachUpTo(s, base, limit int) (vars, srcs []int, ok bool) {
	ar.try++
	try := ar.try
	ar.seen[s] = try
	vars = []int{s}
	for q := 0; q < len(vars); q++ {
		for _, si := range ar.srcOf[vars[q]] {
			if ar.done[si] == try {
				continue
			}
			c, active := ar.get(si)
			if !active {
				// no constraint: it links nothing, whoever marked it
				ar.done[si] = try
				continue
			}
			if ar.done[si] > base {
				return nil, nil, false
			}
			ar.done[si] = try
			srcs = append(srcs, si)
			for _, u := range c.vars {
				switch m := ar.seen[u]; {
				case m == try:
					continue
				case m > base:
					return nil, nil, false
				}
				ar.seen[u] = try
				vars = append(vars, u)
				if len(vars) > limit {
					return nil, nil, false
				}
			}
		}
	}
	return vars, srcs, true
}

// get returns source si's constraint as the states stand, and whether it
// is active.
func (ar *around) get(si int) (constraint, bool) {
	if !ar.valid[si] {
		ar.con[si], ar.ok[si] = ar.sy.constraint(ar.srcs, si)
		ar.valid[si] = true
	}
	return ar.con[si], ar.ok[si]
}

// round_ is one round of protect: the constraints and components as they
// stand.
type round_ struct {
	sy *system
	ar *around
	pa *partition
	of map[int][]int // cell → active sources it is in (ofCell)
}

// ofCell returns the sources cell id is in whose constraints are active,
// in order, once for each time the cell is in one.
func (r *round_) ofCell(id int) []int {
	if o, ok := r.of[id]; ok {
		return o
	}
	var o []int
	for _, si := range r.ar.srcOf[id] {
		if _, ok := r.ar.get(si); ok {
			o = append(o, si)
		}
	}
	r.of[id] = o
	return o
}

// maxTrials bounds how many candidates complement tries on a finding.
const maxTrials = 8

// maxFar bounds the complements a finding is given from beyond its own
// sums (nothing summed with it being shown): a finding still determined
// after them is given away by the markers around it, and its table is
// withheld in its scope (a withheld finding is given them without bound,
// as before withholding more). Without the bound, each round would hide one
// more count ever farther away (other kommuner's totals), none of which
// frees it.
const maxFar = 3

// complement picks the cell to hide so that f is no longer determined:
// among the shown non-zero counts summed with f (in the sums that pin f
// alone, if any) — those of f's own table first, the smallest first — the
// first whose hiding frees f, or else the first of them (f's group loses
// its smallest shown cell; a later round goes on). With no shown count summed with f, the nearest one around the
// hidden cells linked to f. -1 when the component has none. Without
// trials (a component too large to solve often) the first is taken. far
// allows looking beyond the sums with f, and the second result says
// whether the cell was found there.
func (r *round_) complement(f int, trials, far bool) (int, bool, []int) {
	sy := r.sy
	own := sy.cells[f].table
	seen := map[int]bool{}
	var cands []int
	// a sum that pins f alone is where its complement must come from
	from := r.ofCell(f)
	var pins []int
	for _, ci := range from {
		if c := r.ar.con[ci]; c.op == 0 && len(c.vars) == 1 {
			pins = append(pins, ci)
		}
	}
	if len(pins) > 0 {
		from = pins
	}
	in := map[int]int{} // candidate → how many of the sums it is in
	for _, ci := range from {
		for _, t := range r.ar.con[ci].terms {
			o := t.cell
			if c := sy.cells[o]; c.state == shown && c.value > 0 {
				in[o]++
				if !seen[o] {
					seen[o] = true
					cands = append(cands, o)
				}
			}
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := sy.cells[cands[i]], sy.cells[cands[j]]
		if in[cands[i]] != in[cands[j]] {
			return in[cands[i]] > in[cands[j]] // one cell in every pinning sum unpins them all
		}
		if (a.table == own) != (b.table == own) {
			return a.table == own
		}
		if a.value != b.value {
			return a.value < b.value
		}
		return cands[i] < cands[j]
	})
	for i, c := range cands {
		if i == maxTrials || !trials {
			break
		}
		if r.frees(f, c) {
			return c, false, r.sumsWith(from, c)
		}
	}
	if len(cands) > 0 {
		return cands[0], false, r.sumsWith(from, cands[0])
	}
	if !far {
		return -1, false, nil
	}
	// nothing summed with f is shown: look around the hidden cells linked to it
	seenCell := map[int]bool{f: true}
	seenCon := map[int]bool{}
	frontier := []int{f}
	for len(frontier) > 0 {
		var next []int
		best := -1
		for _, id := range frontier {
			for _, ci := range r.ofCell(id) {
				if seenCon[ci] {
					continue
				}
				seenCon[ci] = true
				for _, t := range r.ar.con[ci].terms {
					o := t.cell
					c := sy.cells[o]
					if c.state == shown && c.value > 0 && (best < 0 || c.value < sy.cells[best].value || (c.value == sy.cells[best].value && o < best)) {
						best = o
					}
					if c.state != shown && !seenCell[o] {
						seenCell[o] = true
						next = append(next, o)
					}
				}
			}
		}
		if best >= 0 {
			return best, true, r.ofCell(f)
		}
		sort.Ints(next)
		frontier = next
	}
	return -1, false, nil
}

// sumsWith returns the sources of sums that hold cell c.
func (r *round_) sumsWith(sums []int, c int) []int {
	var out []int
	for _, si := range sums {
		for _, t := range r.ar.con[si].terms {
			if t.cell == c {
				out = append(out, si)
				break
			}
		}
	}
	return out
}

// frees reports whether hiding cell c (and the shares it hides) leaves f
// undetermined. Only the sources of the components c joins are solved.
func (r *round_) frees(f, c int) bool {
	sy := r.sy
	old := sy.cells[c].state
	sy.cells[c].state = hidden
	var flipped []int
	for _, ri := range sy.hitBy(c) {
		if !sy.ratios[ri].hidden {
			sy.ratios[ri].hidden = true
			flipped = append(flipped, ri)
		}
	}
	defer func() {
		sy.cells[c].state = old
		for _, ri := range flipped {
			sy.ratios[ri].hidden = false
		}
	}()
	// the components that c links: f's and those of the hidden cells summed with c
	pa := r.pa
	comps := map[int]bool{pa.of[f]: true}
	for _, si := range r.ar.srcOf[c] {
		for _, t := range r.ar.srcs[si].terms {
			if k := pa.of[t.cell]; k >= 0 {
				comps[k] = true
			}
		}
	}
	// joined with a component too large for linear programming, a trial
	// would cost an attack of all of it: not made (as if c did not free f)
	n := 1
	for k := range comps {
		n += len(pa.comps[k].vars)
	}
	if n > maxLP {
		return false
	}
	// the sources of those components' constraints, in the order of cons
	var src []int
	seen := map[int]bool{}
	for k := range comps {
		for _, si := range pa.comps[k].srcs {
			src = append(src, si)
			seen[si] = true
		}
	}
	sort.Ints(src)
	for _, si := range r.ar.srcOf[c] {
		if !seen[si] {
			src = append(src, si)
			seen[si] = true
		}
	}
	var cons []constraint
	for _, si := range src {
		if k, ok := sy.constraint(r.ar.srcs, si); ok {
			cons = append(cons, k)
		}
	}
	comp := components(cons)
	var vars []int
	var mine []constraint
	for v, k := range comp {
		if k == comp[f] {
			vars = append(vars, v)
		}
	}
	for _, k := range cons {
		if comp[k.vars[0]] == comp[f] {
			mine = append(mine, k)
		}
	}
	sort.Ints(vars)
	var st stats
	fs, err := sy.component(vars, mine, &st)
	if err != nil {
		return false
	}
	for _, x := range fs {
		if x.cell == f {
			return false
		}
	}
	return true
}

// components maps every hidden cell of the constraints to a
// representative of its component.
func components(cons []constraint) map[int]int {
	idx := map[int]int32{} // cell → dense index
	var cells []int
	for _, c := range cons {
		for _, v := range c.vars {
			if _, ok := idx[v]; !ok {
				idx[v] = int32(len(cells))
				cells = append(cells, v)
			}
		}
	}
	parent := make([]int32, len(cells))
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, c := range cons {
		root := find(idx[c.vars[0]])
		for _, v := range c.vars[1:] {
			if rv := find(idx[v]); rv != root {
				parent[rv] = root
			}
		}
	}
	out := make(map[int]int, len(cells))
	for i, v := range cells {
		out[v] = cells[find(int32(i))]
	}
	return out
}

// hitBy returns the shares hidden when cell c is: those of its row, and
// those computed from it (a numerator cell, or a denominator cell the
// share names directly).
func (sy *system) hitBy(c int) []int {
	if sy.hits == nil {
		sy.hits = map[int][]int{}
		for i, ra := range sy.ratios {
			for _, t := range ra.num {
				sy.hits[t.cell] = append(sy.hits[t.cell], i)
			}
			if ra.denDirect {
				for _, t := range ra.den {
					sy.hits[t.cell] = append(sy.hits[t.cell], i)
				}
			}
		}
		ofRow := map[loc][]int{} // a row (loc.col 0) → the shares in it
		for j, ra := range sy.ratios {
			l := loc{ra.share.scope, ra.share.table, ra.share.row, 0}
			ofRow[l] = append(ofRow[l], j)
		}
		for i, cl := range sy.cells {
			if cl.row < 0 {
				continue
			}
			sy.hits[i] = append(sy.hits[i], ofRow[loc{cl.scope, cl.table, cl.row, 0}]...)
		}
	}
	return sy.hits[c]
}

// shareHidden sets share ri hidden as shareStates does, from the cells'
// current states.
func (sy *system) shareHidden(ri int) {
	ra := sy.ratios[ri]
	if sy.rowCells == nil {
		sy.rowCells = map[loc][]int{}
		for i, c := range sy.cells {
			if c.row >= 0 {
				l := loc{c.scope, c.table, c.row, 0}
				sy.rowCells[l] = append(sy.rowCells[l], i)
			}
		}
	}
	h := false
	for _, i := range sy.rowCells[loc{ra.share.scope, ra.share.table, ra.share.row, 0}] {
		h = h || sy.cells[i].state != shown
	}
	for _, t := range ra.num {
		h = h || sy.cells[t.cell].state != shown
	}
	if ra.denDirect {
		for _, t := range ra.den {
			h = h || sy.cells[t.cell].state != shown
		}
	}
	sy.ratios[ri].hidden = h
}

// shareStates marks the shares hidden by the cells' states (see apply).
func (sy *system) shareStates(skip map[string]bool) {
	rows := map[loc]bool{}
	for _, c := range sy.cells {
		if c.state != shown && c.row >= 0 {
			rows[loc{c.scope, c.table, c.row, 0}] = true
		}
	}
	for i, ra := range sy.ratios {
		h := rows[loc{ra.share.scope, ra.share.table, ra.share.row, 0}]
		for _, t := range ra.num {
			h = h || sy.cells[t.cell].state != shown
		}
		if ra.denDirect {
			for _, t := range ra.den {
				h = h || sy.cells[t.cell].state != shown
			}
		}
		sy.ratios[i].hidden = h
	}
}

// holds reports whether a relation holds in the data.
func holds(sy *system, r relation) bool {
	s := 0.0
	for _, t := range r.terms {
		s += t.coef * float64(sy.cells[t.cell].value)
	}
	if r.atLeast {
		return s >= -1e-9
	}
	return math.Abs(s) < 1e-9
}

// ratioHolds reports whether a share is its numerator over its
// denominator in the data (blank when the denominator is 0).
func ratioHolds(sy *system, ra ratio) bool {
	var num, den float64
	for _, t := range ra.num {
		num += t.coef * float64(sy.cells[t.cell].value)
	}
	for _, t := range ra.den {
		den += t.coef * float64(sy.cells[t.cell].value)
	}
	switch v := ra.value.(type) {
	case nil:
		return den == 0
	case float64:
		return den != 0 && math.Abs(v-num/den) < 1e-6
	case int64:
		return den != 0 && math.Abs(float64(v)-num/den) < 1e-6
	}
	return false
}

// apply returns the published set for the cells' states: counts replaced
// by their markers, and shares hidden (a share of a row with a hidden
// count unless the column is plain, and a share computed from a hidden
// cell — any numerator cell, or a denominator cell the share names
// directly), and the published totals.
func apply(truth *system, skip map[string]bool, st []state) (Set, map[string]any) {
	mark := SmallText(truth.below)
	marker := func(s state) any {
		switch s {
		case small:
			return mark
		case withheld:
			return table.Withheld
		}
		return table.Hidden
	}
	out := Set{}
	for scope, ts := range truth.set {
		out[scope] = map[string]table.Table{}
		for name, t := range ts {
			nt := table.Table{Name: t.Name, Columns: t.Columns, Rows: make([][]any, len(t.Rows))}
			for r, row := range t.Rows {
				nt.Rows[r] = append([]any(nil), row...)
			}
			out[scope][name] = nt
		}
	}
	totals := map[string]any{}
	rowState := map[loc]state{} // the strongest marker of a row's counts (loc.col unused)
	for i, c := range truth.cells {
		if c.row < 0 {
			key := TotalKey(c.scope, c.table, truth.set[c.scope][c.table].Columns[c.col].Name)
			if st[i] == shown {
				totals[key] = c.value
			} else {
				totals[key] = marker(st[i])
			}
			continue
		}
		if st[i] == shown {
			continue
		}
		out[c.scope][c.table].Rows[c.row][c.col] = marker(st[i])
		rl := loc{c.scope, c.table, c.row, 0}
		if old, ok := rowState[rl]; !ok || (old != small && old != withheld) {
			rowState[rl] = st[i]
		}
	}
	for rl, s := range rowState {
		t := out[rl.scope][rl.table]
		plain := map[string]bool{}
		for _, p := range truth.specs[rl.table].Plain {
			plain[p] = true
		}
		for ci, col := range t.Columns {
			// a withheld table hides blank shares too: a blank says the
			// denominator is 0
			if col.Role == table.Share && !plain[col.Name] && (t.Rows[rl.row][ci] != nil || s == withheld) {
				t.Rows[rl.row][ci] = marker(s)
			}
		}
	}
	for _, ra := range truth.ratios {
		if skip[ra.what] {
			continue
		}
		worst, any := shown, false
		check := func(ts []term) {
			for _, t := range ts {
				if s := st[t.cell]; s != shown {
					any = true
					if s == small || worst == shown {
						worst = s
					}
				}
			}
		}
		check(ra.num)
		if ra.denDirect {
			check(ra.den)
		}
		row := out[ra.share.scope][ra.share.table].Rows[ra.share.row]
		if v := row[ra.share.col]; any && v != nil && v != mark && v != table.Withheld {
			row[ra.share.col] = marker(worst)
		}
	}
	return out, totals
}

// SmallText is the marker of a person count 1..below-1: "<below".
func SmallText(below int) string { return table.SuppressedText(below) }

// Unused is Published.Unused of Protect(specs, set, below) without the
// protection: the instances of declared sums and ratios that do not hold
// in set.
func Unused(specs map[string]Spec, set Set, below int) ([]string, error) {
	truth, err := build(specs, set, below, nil)
	if err != nil {
		return nil, err
	}
	return unused(truth), nil
}

// unused lists the relations and ratios of a system that its values
// break, relations first, in the system's order.
func unused(truth *system) []string {
	var out []string
	for _, r := range truth.relations {
		if !holds(truth, r) {
			out = append(out, r.what)
		}
	}
	for _, ra := range truth.ratios {
		if !ratioHolds(truth, ra) {
			out = append(out, ra.what)
		}
	}
	return out
}
