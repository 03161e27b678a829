package disclosure

import (
	"encoding/binary"
	"hash/fnv"
	"math"
	"testing"
)

func TestLPBounds(t *testing.T) {
	inf := math.Inf(1)
	// x0 + x1 = 7, x0 in [1,4], x1 in [5,inf): x0 in [1,2], x1 in [5,6]
	p, err := newLP(2, []float64{1, 5}, []float64{4, inf}, []row{{vars: []int{0, 1}, coef: []float64{1, 1}, op: 0, rhs: 7}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		k    int
		sign float64
		want float64
	}{{0, 1, 1}, {0, -1, 2}, {1, 1, 5}, {1, -1, 6}} {
		got, err := p.bound(c.k, c.sign)
		if err != nil || math.Abs(got-c.want) > 1e-9 {
			t.Errorf("bound(%d, %v) = %v, %v; want %v", c.k, c.sign, got, err, c.want)
		}
	}
	// x0 - x1 >= 0 and x1 >= 3 with x0 unbounded above: max x0 is +Inf
	p, err = newLP(2, []float64{0, 0}, []float64{inf, inf}, []row{{vars: []int{0, 1}, coef: []float64{1, -1}, op: 1}, {vars: []int{1}, coef: []float64{1}, op: 1, rhs: 3}})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := p.bound(0, -1); !math.IsInf(got, 1) {
		t.Errorf("max x0 = %v, want +Inf", got)
	}
	if got, _ := p.bound(0, 1); math.Abs(got-3) > 1e-9 {
		t.Errorf("min x0 = %v, want 3", got)
	}
	// infeasible: x0 in [1,4] and x0 = 9
	if _, err := newLP(1, []float64{1}, []float64{4}, []row{{vars: []int{0}, coef: []float64{1}, rhs: 9}}); err != errInfeasible {
		t.Errorf("infeasible system: err %v", err)
	}
	// shares: 0.33 ≤ x0/(x0+x1) ≤ 0.34, x0+x1 = 100 → x0 in [33,34]
	p, err = newLP(2, []float64{0, 0}, []float64{inf, inf}, []row{
		{vars: []int{0, 1}, coef: []float64{1, 1}, rhs: 100},
		{vars: []int{0, 1}, coef: []float64{1 - 0.34, -0.34}, op: -1},
		{vars: []int{0, 1}, coef: []float64{1 - 0.33, -0.33}, op: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	lo, _ := p.bound(0, 1)
	hi, _ := p.bound(0, -1)
	if math.Abs(lo-33) > 1e-6 || math.Abs(hi-34) > 1e-6 {
		t.Errorf("x0 in [%v, %v], want [33, 34]", lo, hi)
	}
}

func TestSignatureIsFNV(t *testing.T) {
	sy := &system{cells: []cell{{state: small}, {state: hidden}, {state: shown}}}
	cons := []constraint{{row: row{op: 1, rhs: -3.5, vars: []int{0, 1}, coef: []float64{1, -0.25}}}}
	vars := []int{0, 1}
	h1, h2 := fnv.New64a(), fnv.New64()
	var buf [8]byte
	put := func(x uint64) {
		binary.LittleEndian.PutUint64(buf[:], x)
		h1.Write(buf[:])
		h2.Write(buf[:])
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
	if got, want := signature(sy, vars, cons), [2]uint64{h1.Sum64(), h2.Sum64()}; got != want {
		t.Errorf("signature %x, want hash/fnv's %x", got, want)
	}
}
