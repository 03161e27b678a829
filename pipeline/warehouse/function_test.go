package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"path/filepath"
	"testing"
)

// TestWilson pins the 95 % Wilson interval on hand-worked cases. With
// z² = 3.841459: 7 of 18 has centre 8.920730/21.841459 = 0.408427 and
// half-width 1.959964·√(77/18 + 0.960365)/21.841459 = 0.205376, so
// 0.2031–0.6138; 0 of 10 is [0, 3.841459/13.841459] = [0, 0.2775]; 10 of 10
// is its mirror [0.7225, 1]; 0 of 0 has no interval.
func TestWilson(t *testing.T) {
	cases := []struct {
		k, n   float64
		lo, hi string
	}{
		{7, 18, "0.2031", "0.6138"},
		{0, 10, "0.0000", "0.2775"},
		{10, 10, "0.7225", "1.0000"},
		{1, 1, "0.2065", "1.0000"},
		{50, 100, "0.4038", "0.5962"},
	}
	for _, c := range cases {
		lo, hi, ok := Wilson(c.k, c.n)
		if !ok || fmt.Sprintf("%.4f", lo) != c.lo || fmt.Sprintf("%.4f", hi) != c.hi {
			t.Errorf("Wilson(%v, %v) = %.6f, %.6f, %v; want %s, %s", c.k, c.n, lo, hi, ok, c.lo, c.hi)
		}
	}
	for _, c := range [][2]float64{{0, 0}, {1, 0}, {-1, 5}, {6, 5}, {math.NaN(), 5}} {
		if _, _, ok := Wilson(c[0], c[1]); ok {
			t.Errorf("Wilson(%v, %v): want no interval", c[0], c[1])
		}
	}
}

// TestChiSquareUpper checks the upper tail against published critical
// values (the chi-square table of the NIST/SEMATECH e-Handbook of
// Statistical Methods, 1.3.6.7.4: the value x with P(X ≥ x) = p, to three
// decimals) and against closed forms: df 2 has P(X ≥ x) = e^(−x/2), df 1
// has erfc(√(x/2)).
func TestChiSquareUpper(t *testing.T) {
	table := []struct{ df, x, p float64 }{
		{1, 2.706, 0.10}, {1, 3.841, 0.05}, {1, 6.635, 0.01}, {1, 10.828, 0.001},
		{2, 5.991, 0.05}, {2, 9.210, 0.01},
		{3, 7.815, 0.05}, {4, 9.488, 0.05}, {5, 11.070, 0.05},
		{10, 18.307, 0.05}, {10, 23.209, 0.01}, {20, 31.410, 0.05}, {30, 43.773, 0.05},
	}
	for _, c := range table {
		p, ok := ChiSquareUpper(c.x, c.df)
		// the table's x is rounded to 3 decimals: p agrees to 0.3 % of itself
		if !ok || math.Abs(p-c.p) > 0.003*c.p {
			t.Errorf("ChiSquareUpper(%v, %v) = %v, want %v (published)", c.x, c.df, p, c.p)
		}
	}
	for _, x := range []float64{0, 0.5, 2, 7.3} {
		if p, _ := ChiSquareUpper(x, 2); math.Abs(p-math.Exp(-x/2)) > 1e-12 {
			t.Errorf("df 2, x %v: %v, want e^(-x/2) = %v", x, p, math.Exp(-x/2))
		}
		if p, _ := ChiSquareUpper(x, 1); math.Abs(p-math.Erfc(math.Sqrt(x/2))) > 1e-12 {
			t.Errorf("df 1, x %v: %v, want erfc = %v", x, p, math.Erfc(math.Sqrt(x/2)))
		}
	}
	for _, c := range [][2]float64{{1, 0}, {-1, 1}, {math.NaN(), 1}, {1, math.NaN()}} {
		if _, ok := ChiSquareUpper(c[0], c[1]); ok {
			t.Errorf("ChiSquareUpper(%v, %v): want no value", c[0], c[1])
		}
	}
}

// TestSQLFunctions: the models see the same functions through SQL, with
// integer arguments, NULL for no value and NULL in, NULL out.
func TestSQLFunctions(t *testing.T) {
	ctx := context.Background()
	w, err := Open(ctx, filepath.Join(t.TempDir(), "f.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var lo, hi, p, none1, none2, none3 sql.NullFloat64
	err = w.QueryRow(ctx, `select wilson_lag(7, 18), wilson_hog(cast(7 as bigint), 18), chi2_upper(2.0, 2),
		wilson_lag(0, 0), chi2_upper(1.0, 0), wilson_hog(null, 4)`, nil, &lo, &hi, &p, &none1, &none2, &none3)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%.4f %.4f %.6f", lo.Float64, hi.Float64, p.Float64) != "0.2031 0.6138 0.367879" {
		t.Errorf("got %v %v %v", lo, hi, p)
	}
	if none1.Valid || none2.Valid || none3.Valid {
		t.Errorf("want NULLs, got %v %v %v", none1, none2, none3)
	}
}
