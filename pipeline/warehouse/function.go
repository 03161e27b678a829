package warehouse

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math"

	"github.com/marcboeker/go-duckdb"
	"gonum.org/v1/gonum/stat/distuv"
)

// WilsonZ is the normal quantile of the 95 % Wilson score interval
// (studies.md, "Interval").
const WilsonZ = 1.959964

// Wilson returns the 95 % Wilson score interval of k successes out of n:
// centre (k + z²/2)/(n + z²), half-width z·√(k(n−k)/n + z²/4)/(n + z²),
// z = WilsonZ. ok is false when n ≤ 0 or k is outside [0, n] (no interval).
// The bounds are clamped to [0, 1] against rounding at k = 0 and k = n.
func Wilson(k, n float64) (lo, hi float64, ok bool) {
	if !(n > 0) || k < 0 || k > n || math.IsNaN(k) || math.IsInf(n, 0) {
		return 0, 0, false
	}
	z2 := WilsonZ * WilsonZ
	centre := (k + z2/2) / (n + z2)
	half := WilsonZ * math.Sqrt(k*(n-k)/n+z2/4) / (n + z2)
	return math.Max(0, centre-half), math.Min(1, centre+half), true
}

// ChiSquareUpper is the upper tail P(X ≥ x) of the chi-square distribution
// with df degrees of freedom: the p-value of a Pearson chi-square statistic
// x. ok is false when df < 1 or x is negative or not a number.
func ChiSquareUpper(x, df float64) (p float64, ok bool) {
	if !(df >= 1) || !(x >= 0) || math.IsInf(x, 0) || math.IsInf(df, 0) {
		return 0, false
	}
	return distuv.ChiSquared{K: df}.Survival(x), true
}

// The SQL functions the warehouse adds to DuckDB on its connection, so that
// the models of sql/ compute intervals and p-values with the Go functions
// above, in one place:
//
//	wilson_lag(k, n)    DOUBLE  lower bound of Wilson(k, n); NULL when n = 0
//	wilson_hog(k, n)    DOUBLE  upper bound of Wilson(k, n); NULL when n = 0
//	chi2_upper(x, df)   DOUBLE  ChiSquareUpper(x, df); NULL when df < 1
//
// Arguments are DOUBLE (integers are cast); NULL in gives NULL out.
var functions = []struct {
	name string
	fn   func(a, b float64) (float64, bool)
}{
	{"wilson_lag", func(k, n float64) (float64, bool) { lo, _, ok := Wilson(k, n); return lo, ok }},
	{"wilson_hog", func(k, n float64) (float64, bool) { _, hi, ok := Wilson(k, n); return hi, ok }},
	{"chi2_upper", ChiSquareUpper},
}

// binaryDouble is a DuckDB scalar function DOUBLE × DOUBLE → DOUBLE.
type binaryDouble struct {
	fn   func(a, b float64) (float64, bool)
	info duckdb.TypeInfo
}

func (f *binaryDouble) Config() duckdb.ScalarFuncConfig {
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{f.info, f.info}, ResultTypeInfo: f.info}
}

func (f *binaryDouble) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(v []driver.Value) (any, error) {
		a, okA := v[0].(float64)
		b, okB := v[1].(float64)
		if !okA || !okB {
			return nil, nil
		}
		if r, ok := f.fn(a, b); ok {
			return r, nil
		}
		return nil, nil
	}}
}

// registerFunctions adds the SQL functions to the connection.
func registerFunctions(conn *sql.Conn) error {
	info, err := duckdb.NewTypeInfo(duckdb.TYPE_DOUBLE)
	if err != nil {
		return err
	}
	for _, f := range functions {
		if err := duckdb.RegisterScalarUDF(conn, f.name, &binaryDouble{fn: f.fn, info: info}); err != nil {
			return fmt.Errorf("function %s: %w", f.name, err)
		}
	}
	return nil
}
