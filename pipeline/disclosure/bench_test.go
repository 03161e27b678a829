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

// BenchmarkProtectNational protects tables of the real shapes in 290
// kommuner and their region, as one system: a cohort by status with its
// shares and total, the same by kön, schools with a share of the cohort
// (the region's labelled "<kommun> <skola>") and the month table.
func BenchmarkProtectNational(b *testing.B) {
	specs, set := nationalSet(b, 290)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pub, err := Protect(specs, set, 5)
		if err != nil {
			b.Fatal(err)
		}
		if len(pub.Unused) > 0 {
			b.Fatalf("declarations that do not hold: %v", pub.Unused[:1])
		}
	}
}

// nationalSet makes tables of the real shapes in the given number of
// kommuner and their region (see BenchmarkProtectNational).
func nationalSet(tb testing.TB, kommuner int) (map[string]Spec, Set) {
	specs := map[string]Spec{}
	for name, decl := range map[string]string{
		"s1_status": `-- counts: antal
-- shares: andel
-- total: antal
-- ratio: andel = antal / sum(antal)`,
		"s1_status_kon": `-- counts: antal
-- shares: andel
-- ratio: andel = antal / sum(antal by kon)
-- sum: antal = s1_status.antal by status`,
		"s4_grundskolor": `-- counts: antal
-- shares: andel_kohort
-- region: prefix grundskola
-- ratio: andel_kohort = antal / sum(antal)
-- sum: antal = s1_status.antal`,
		"s6_m": manadDecl,
	} {
		sp, err := Parse("sql/studies/"+name+".sql", name, decl+"\nselect 1")
		if err != nil {
			tb.Fatal(err)
		}
		specs[name] = sp
	}
	statuses := []string{"STUDIER", "ARBETE", "EXAMEN", "KVAR_I_KAA", "FLYTT", "INGEN_UPPGIFT"}
	kon := []string{"K", "M", "X"}
	rng := rand.New(rand.NewSource(1))
	set := Set{}
	reg := map[string]*table.Table{}
	regionRow := map[string]map[string]int{} // table → key → row in the region's
	addRegion := func(t table.Table, row []any, key string) {
		rt, ok := reg[t.Name]
		if !ok {
			rt = &table.Table{Name: t.Name, Columns: t.Columns}
			reg[t.Name] = rt
			regionRow[t.Name] = map[string]int{}
		}
		i, ok := regionRow[t.Name][key]
		if !ok {
			i = len(rt.Rows)
			regionRow[t.Name][key] = i
			nr := append([]any(nil), row...)
			rt.Rows = append(rt.Rows, nr)
			if t.Name == "s4_grundskolor" {
				nr[0] = key
			}
			return
		}
		for c, col := range t.Columns {
			if col.Role == table.Count {
				rt.Rows[i][c] = rt.Rows[i][c].(int64) + row[c].(int64)
			}
		}
	}
	setShares := func(t *table.Table, num, den func(r int) int64) {
		for r := range t.Rows {
			if d := den(r); d > 0 {
				t.Rows[r][len(t.Columns)-1] = float64(num(r)) / float64(d)
			}
		}
	}
	for k := 0; k < kommuner; k++ {
		kommun := fmt.Sprintf("%04d", 1000+k)
		size := 5 + rng.Int63n(60)
		byKon := make([][3]int64, len(statuses))
		st := table.Table{Name: "s1_status", Columns: []table.Column{text("status"), count("antal"), share("andel")}}
		sk := table.Table{Name: "s1_status_kon", Columns: []table.Column{text("status"), text("kon"), count("antal"), share("andel")}}
		var cohort int64
		for i, s := range statuses {
			for j := range kon {
				byKon[i][j] = rng.Int63n(size/int64(1+j*3) + 1)
			}
			n := byKon[i][0] + byKon[i][1] + byKon[i][2]
			cohort += n
			st.Rows = append(st.Rows, []any{s, n, nil})
			for j, g := range kon {
				sk.Rows = append(sk.Rows, []any{s, g, byKon[i][j], nil})
			}
		}
		setShares(&st, func(r int) int64 { return st.Rows[r][1].(int64) }, func(int) int64 { return cohort })
		setShares(&sk, func(r int) int64 { return sk.Rows[r][2].(int64) }, func(r int) int64 {
			var s int64
			for _, row := range sk.Rows {
				if row[1] == sk.Rows[r][1] {
					s += row[2].(int64)
				}
			}
			return s
		})
		gs := table.Table{Name: "s4_grundskolor", Columns: []table.Column{text("grundskola"), count("antal"), share("andel_kohort")}}
		left := cohort
		for s := 0; left > 0; s++ {
			n := min(left, 1+rng.Int63n(12))
			if s == 14 {
				n = left
			}
			left -= n
			gs.Rows = append(gs.Rows, []any{fmt.Sprintf("skola %d", s), n, nil})
		}
		setShares(&gs, func(r int) int64 { return gs.Rows[r][1].(int64) }, func(int) int64 { return cohort })
		m := table.Table{Name: "s6_m", Columns: []table.Column{text("matt"), text("grupp"), count("antal")}}
		for mi := 0; mi < 8; mi++ {
			g := [3]int64{rng.Int63n(size/4 + 1), rng.Int63n(size/4 + 1), rng.Int63n(3)}
			mg1 := rng.Int63n(g[0] + g[1] + g[2] + 1)
			vals := []int64{g[0] + g[1] + g[2], g[0], g[1], g[2], mg1, g[0] + g[1] + g[2] - mg1}
			for i, grupp := range []string{"alla", "K", "M", "X", "MG1", "MG2"} {
				m.Rows = append(m.Rows, []any{fmt.Sprintf("m%d", mi), grupp, vals[i]})
			}
		}
		set[kommun] = map[string]table.Table{"s1_status": st, "s1_status_kon": sk, "s4_grundskolor": gs, "s6_m": m}
		for _, row := range st.Rows {
			addRegion(st, row, row[0].(string))
		}
		for _, row := range sk.Rows {
			addRegion(sk, row, row[0].(string)+"/"+row[1].(string))
		}
		for _, row := range gs.Rows {
			addRegion(gs, row, kommun+" "+row[0].(string))
		}
		for _, row := range m.Rows {
			addRegion(m, row, row[0].(string)+"/"+row[1].(string))
		}
	}
	set[Region] = map[string]table.Table{}
	for name, t := range reg {
		for r := range t.Rows {
			for c, col := range t.Columns {
				if col.Role == table.Share {
					t.Rows[r][c] = nil
				}
			}
		}
		set[Region][name] = *t
	}
	rs, rk, rg := set[Region]["s1_status"], set[Region]["s1_status_kon"], set[Region]["s4_grundskolor"]
	var total int64
	for _, row := range rs.Rows {
		total += row[1].(int64)
	}
	setShares(&rs, func(r int) int64 { return rs.Rows[r][1].(int64) }, func(int) int64 { return total })
	setShares(&rg, func(r int) int64 { return rg.Rows[r][1].(int64) }, func(int) int64 { return total })
	setShares(&rk, func(r int) int64 { return rk.Rows[r][2].(int64) }, func(r int) int64 {
		var s int64
		for _, row := range rk.Rows {
			if row[1] == rk.Rows[r][1] {
				s += row[2].(int64)
			}
		}
		return s
	})
	return specs, set
}
