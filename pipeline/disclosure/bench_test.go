package disclosure

import (
	"fmt"
	"math/rand"
	"testing"

	"github.com/kaa-uppfoljning/kaa/pipeline/table"
)

// BenchmarkProtect protects a month table (alla = K + M + X and two
// subgroups, per measure) in 40 kommuner and their region: one system in
// which every kommun's cells are linked through the region's.
func BenchmarkProtect(b *testing.B) {
	sp, err := Parse("sql/studies/s6_m.sql", "s6_m", manadDecl+"\nselect 1")
	if err != nil {
		b.Fatal(err)
	}
	specs := map[string]Spec{"s6_m": sp}
	rng := rand.New(rand.NewSource(1))
	set := Set{Region: {}}
	region := map[[2]string]int64{}
	var order [][2]string
	for k := 0; k < 40; k++ {
		t := table.Table{Name: "s6_m", Columns: []table.Column{text("matt"), text("grupp"), count("antal")}}
		for m := 0; m < 30; m++ {
			matt := fmt.Sprintf("m%02d", m)
			g := [3]int64{rng.Int63n(12), rng.Int63n(12), rng.Int63n(3)}
			mg1 := rng.Int63n(g[0] + g[1] + g[2] + 1)
			vals := []int64{g[0] + g[1] + g[2], g[0], g[1], g[2], mg1, g[0] + g[1] + g[2] - mg1}
			for i, grupp := range []string{"alla", "K", "M", "X", "MG1", "MG2"} {
				t.Rows = append(t.Rows, []any{matt, grupp, vals[i]})
				key := [2]string{matt, grupp}
				if _, ok := region[key]; !ok {
					order = append(order, key)
				}
				region[key] += vals[i]
			}
		}
		set[fmt.Sprintf("%04d", 1000+k)] = map[string]table.Table{"s6_m": t}
	}
	rt := table.Table{Name: "s6_m", Columns: []table.Column{text("matt"), text("grupp"), count("antal")}}
	for _, key := range order {
		rt.Rows = append(rt.Rows, []any{key[0], key[1], region[key]})
	}
	set[Region]["s6_m"] = rt
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Protect(specs, set, 5); err != nil {
			b.Fatal(err)
		}
	}
}
