package disclosure

import (
	"math"
	"math/rand"
	"slices"
	"sort"
	"testing"
)

// propagateByPasses is bound propagation as a reader does it by hand:
// every constraint in turn, pass after pass, until a whole pass changes
// nothing. propagate must end at the same bounds.
func propagateByPasses(lo, hi []float64, rows []row) error {
	for pass := 0; pass < 1000; pass++ {
		changed := false
		for _, r := range rows {
			if err := narrow(r, lo, hi, func(int) { changed = true }); err != nil {
				return err
			}
		}
		if !changed {
			return nil
		}
	}
	return nil
}

func TestPropagateEndsWhereFullPassesDo(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	narrowed := 0
	for n := 0; n < 300; n++ {
		vars := 2 + rng.Intn(30)
		truth := make([]float64, vars)
		lo, hi := make([]float64, vars), make([]float64, vars)
		for i := range truth {
			truth[i], lo[i], hi[i] = float64(rng.Intn(20)), 0, math.Inf(1)
			if rng.Intn(3) == 0 { // a small count
				truth[i], lo[i], hi[i] = float64(1+rng.Intn(4)), 1, 4
			}
		}
		var rows []row
		for k := 0; k < 1+rng.Intn(25); k++ {
			r := row{op: rng.Intn(3) - 1}
			sum := 0.0
			for _, j := range rng.Perm(vars)[:1+rng.Intn(min(vars, 5))] {
				c := float64(1 - 2*rng.Intn(2))
				if rng.Intn(4) == 0 {
					c *= 0.4327 // a share's coefficient
				}
				r.vars, r.coef = append(r.vars, j), append(r.coef, c)
				sum += c * truth[j]
			}
			r.rhs = sum // holds for the truth, with equality
			rows = append(rows, r)
		}
		lo2, hi2 := slices.Clone(lo), slices.Clone(hi)
		err := propagate(lo, hi, rows)
		err2 := propagateByPasses(lo2, hi2, rows)
		if (err == nil) != (err2 == nil) {
			t.Fatalf("system %d: queue: %v, passes: %v", n, err, err2)
		}
		if err != nil {
			t.Fatalf("system %d: %v, though the truth satisfies it", n, err)
		}
		if !slices.Equal(lo, lo2) || !slices.Equal(hi, hi2) {
			t.Fatalf("system %d: queue gives lo %v hi %v, passes lo %v hi %v", n, lo, hi, lo2, hi2)
		}
		for i := range lo {
			if lo[i] > 0 && lo[i] != 1 || !math.IsInf(hi[i], 1) && hi[i] != 4 {
				narrowed++
			}
		}
	}
	if narrowed == 0 {
		t.Fatal("no system narrowed any bound: the comparison says nothing")
	}
}

// TestPruneWarmEqualsCold runs prune twice on the same protected system:
// as Protect does (propagation continued from the bounds before each try)
// and attacking the components around each try afresh. Both must show
// again exactly the same cells.
func TestPruneWarmEqualsCold(t *testing.T) {
	specs, set := nationalSet(t, 20)
	run := func(cold bool) ([]state, int) {
		sy, err := build(specs, set, 5, nil)
		if err != nil {
			t.Fatal(err)
		}
		st := make([]state, len(sy.cells))
		for i, c := range sy.cells {
			if c.value >= 1 && c.value < 5 {
				st[i] = small
			}
		}
		ar, clean, err := complete(sy, map[string]bool{}, st)
		if err != nil {
			t.Fatal(err)
		}
		before := 0
		for _, s := range st {
			if s == hidden {
				before++
			}
		}
		if cold {
			err = pruneCold(sy, ar, st, clean)
		} else {
			err = prune(sy, ar, st, clean)
		}
		if err != nil {
			t.Fatal(err)
		}
		return st, before
	}
	warm, before := run(false)
	cold, _ := run(true)
	after := 0
	for i := range warm {
		if warm[i] != cold[i] {
			t.Errorf("cell %d: warm %v, cold %v", i, warm[i], cold[i])
		}
		if warm[i] == hidden {
			after++
		}
	}
	if before > maxPrune || after == before {
		t.Fatalf("%d complements before prune, %d after: the test must prune some", before, after)
	}
	t.Logf("%d complements, %d after prune", before, after)
}

// pruneCold is prune as it was before bounds were kept: each try attacks
// the components around the cell from the markers.
func pruneCold(sy *system, ar *around, st []state, clean map[[2]uint64]bool) error {
	srcs, srcOf, ofRatio := ar.srcs, ar.srcOf, ar.ofRatio
	var xs []int
	for i, s := range st {
		if s == hidden {
			xs = append(xs, i)
		}
	}
	sort.SliceStable(xs, func(i, j int) bool { return sy.cells[xs[i]].value > sy.cells[xs[j]].value })
	set := func(c int, s state) {
		sy.cells[c].state = s
		for _, si := range srcOf[c] {
			ar.valid[si] = false
		}
		for _, ri := range sy.hitBy(c) {
			sy.shareHidden(ri)
			for _, si := range ofRatio[ri] {
				ar.valid[si] = false
			}
		}
	}
	for _, c := range xs {
		st[c] = shown
		set(c, shown)
		only := map[int]bool{}
		touch := func(si int) {
			for _, t := range srcs[si].terms {
				only[t.cell] = true
			}
		}
		for _, si := range srcOf[c] {
			touch(si)
		}
		for _, ri := range sy.hitBy(c) {
			for _, si := range ofRatio[ri] {
				touch(si)
			}
		}
		found, err := ar.attack(clean, only)
		if err != nil {
			return err
		}
		if found {
			st[c] = hidden
			set(c, hidden)
		}
	}
	return nil
}

// attack reports whether any hidden cell of the components holding a
// cell of only is determined.
func (ar *around) attack(clean map[[2]uint64]bool, only map[int]bool) (bool, error) {
	sy := ar.sy
	base := ar.try
	var seeds []int
	for v := range only {
		if sy.cells[v].state != shown {
			seeds = append(seeds, v)
		}
	}
	sort.Ints(seeds)
	type comp struct {
		vars []int
		cons []constraint
	}
	var comps []comp
	for _, s := range seeds {
		if ar.seen[s] > base {
			continue
		}
		var k comp
		vars, srcs, _ := ar.reachUpTo(s, base, math.MaxInt)
		if len(srcs) == 0 {
			continue // in no constraint: not in any component
		}
		k.vars = vars
		sort.Ints(k.vars)
		sort.Ints(srcs)
		k.cons = make([]constraint, len(srcs))
		for i, si := range srcs {
			k.cons[i] = ar.con[si]
		}
		comps = append(comps, k)
	}
	sort.Slice(comps, func(i, j int) bool { return comps[i].vars[0] < comps[j].vars[0] })
	found := false
	var st stats
	for _, k := range comps {
		var key [2]uint64
		small := len(k.vars) <= maxLP
		if small {
			key = signature(sy, k.vars, k.cons)
			if clean[key] {
				continue
			}
		}
		fs, err := sy.component(k.vars, k.cons, &st)
		if err != nil {
			return false, err
		}
		if len(fs) == 0 && small {
			clean[key] = true
		}
		found = found || len(fs) > 0
	}
	return found, nil
}
