package disclosure

import (
	"errors"
	"math"
)

// A small dense primal simplex with bounded variables, for the interval
// attack: how far can a hidden cell move while every constraint a reader
// knows still holds? Sizes are a component of hidden cells (tens to a few
// hundred variables), so a dense tableau and Bland's rule (no cycling)
// are enough.

const eps = 1e-9

var errInfeasible = errors.New("constraints cannot all hold")

// row is one linear constraint Σ coef·x (op) rhs over variable indexes.
type row struct {
	vars []int
	coef []float64
	op   int // -1: ≤, 0: =, +1: ≥
	rhs  float64
}

// lp is a problem in the form A·x = b, lo ≤ x ≤ hi, kept as a tableau of
// the current basis: t = B⁻¹A, beta = the basic variables' values.
type lp struct {
	n       int // structural variables
	total   int // structural + slack + artificial
	t       [][]float64
	beta    []float64
	basis   []int
	inBasis []int // row of a basic variable, -1 for nonbasic
	lo, hi  []float64
	atHi    []bool
	d       []float64 // reduced costs of the current objective
}

// newLP sets up the problem and finds a feasible basis (phase 1).
// lo must be finite; hi may be +Inf.
func newLP(n int, lo, hi []float64, rows []row) (*lp, error) {
	m := len(rows)
	slack := 0
	for _, r := range rows {
		if r.op != 0 {
			slack++
		}
	}
	p := &lp{n: n, total: n + slack + m}
	p.lo = make([]float64, p.total)
	p.hi = make([]float64, p.total)
	copy(p.lo, lo)
	copy(p.hi, hi)
	for j := n; j < p.total; j++ {
		p.hi[j] = math.Inf(1)
	}
	p.atHi = make([]bool, p.total)
	p.inBasis = make([]int, p.total)
	for j := range p.inBasis {
		p.inBasis[j] = -1
	}
	p.t = make([][]float64, m)
	p.beta = make([]float64, m)
	p.basis = make([]int, m)
	s := n
	for i, r := range rows {
		tr := make([]float64, p.total)
		v := r.rhs
		for k, j := range r.vars {
			tr[j] += r.coef[k]
			v -= r.coef[k] * lo[j]
		}
		if r.op != 0 {
			tr[s] = float64(-r.op) // ≤: +slack, ≥: −slack
			s++
		}
		art := n + slack + i
		sign := 1.0
		if v < 0 {
			sign = -1
		}
		tr[art] = sign
		for j := range tr {
			tr[j] *= sign // B = diag(sign): row i of B⁻¹A
		}
		p.t[i] = tr
		p.beta[i] = math.Abs(v)
		p.basis[i] = art
		p.inBasis[art] = i
	}
	// phase 1: minimise the artificials
	c := make([]float64, p.total)
	for j := n + slack; j < p.total; j++ {
		c[j] = 1
	}
	if _, err := p.optimise(c); err != nil {
		return nil, err
	}
	sum := 0.0
	for i, b := range p.basis {
		if b >= n+slack {
			sum += p.beta[i]
		}
	}
	if sum > 1e-6 {
		return nil, errInfeasible
	}
	for j := n + slack; j < p.total; j++ {
		p.hi[j] = 0 // artificials stay at 0 from now on
	}
	return p, nil
}

// value returns the current value of variable j.
func (p *lp) value(j int) float64 {
	if i := p.inBasis[j]; i >= 0 {
		return p.beta[i]
	}
	if p.atHi[j] {
		return p.hi[j]
	}
	return p.lo[j]
}

// optimise minimises c·x from the current basis. It returns false when
// the objective is unbounded below (the basis stays feasible).
func (p *lp) optimise(c []float64) (bool, error) {
	p.d = make([]float64, p.total)
	copy(p.d, c)
	for i, b := range p.basis {
		if cb := c[b]; cb != 0 {
			for j, v := range p.t[i] {
				p.d[j] -= cb * v
			}
		}
	}
	var nz []int
	for iter := 0; ; iter++ {
		if iter > 50000 {
			return false, errors.New("simplex did not converge")
		}
		enter, dir := -1, 0.0
		for j := 0; j < p.total; j++ {
			if p.inBasis[j] >= 0 || p.hi[j]-p.lo[j] <= eps {
				continue
			}
			if p.d[j] < -eps && !p.atHi[j] {
				enter, dir = j, 1
				break
			}
			if p.d[j] > eps && p.atHi[j] {
				enter, dir = j, -1
				break
			}
		}
		if enter < 0 {
			return true, nil
		}
		step := p.hi[enter] - p.lo[enter]
		leave, toHi := -1, false
		for i := range p.t {
			a := p.t[i][enter] * dir
			b := p.basis[i]
			var limit float64
			switch {
			case a > eps:
				limit = (p.beta[i] - p.lo[b]) / a
			case a < -eps && !math.IsInf(p.hi[b], 1):
				limit = (p.hi[b] - p.beta[i]) / -a
			default:
				continue
			}
			if limit < 0 {
				limit = 0
			}
			// the smallest step; on a tie the basic variable with the
			// smallest index leaves (Bland), and a bound flip wins
			if limit < step-eps || (limit <= step+eps && leave >= 0 && b < p.basis[leave]) {
				step, leave, toHi = limit, i, a < 0
			}
		}
		if math.IsInf(step, 1) {
			return false, nil
		}
		for i := range p.t {
			p.beta[i] -= p.t[i][enter] * dir * step
		}
		if leave < 0 { // the entering variable moves to its other bound
			p.atHi[enter] = !p.atHi[enter]
			continue
		}
		from := p.lo[enter]
		if p.atHi[enter] {
			from = p.hi[enter]
		}
		out := p.basis[leave]
		p.inBasis[out] = -1
		p.atHi[out] = toHi
		p.basis[leave] = enter
		p.inBasis[enter] = leave
		p.beta[leave] = from + dir*step
		p.atHi[enter] = false
		pr := p.t[leave]
		piv := pr[enter]
		// the pivot row's nonzeros: the tableau stays sparse, so the
		// elimination runs over them alone (the same operations, in the
		// same order, as over the whole row)
		nz = nz[:0]
		for j := range pr {
			pr[j] /= piv
			if pr[j] != 0 {
				nz = append(nz, j)
			}
		}
		for i, r := range p.t {
			if i == leave {
				continue
			}
			if f := r[enter]; f != 0 {
				for _, j := range nz {
					r[j] -= f * pr[j]
				}
				r[enter] = 0
			}
		}
		if f := p.d[enter]; f != 0 {
			for _, j := range nz {
				p.d[j] -= f * pr[j]
			}
			p.d[enter] = 0
		}
	}
}

// bound returns the minimum (sign +1) or maximum (sign -1) of variable k;
// ±Inf when unbounded. The basis moves to the optimum.
func (p *lp) bound(k int, sign float64) (float64, error) {
	c := make([]float64, p.total)
	c[k] = sign
	ok, err := p.optimise(c)
	if err != nil {
		return 0, err
	}
	if !ok {
		return math.Inf(-int(sign)), nil
	}
	return p.value(k), nil
}
