package disclosure

import (
	"slices"
	"strings"
	"testing"

	"github.com/kaa-uppfoljning/kaa/pipeline/table"
)

var (
	text  = func(n string) table.Column { return table.Column{Name: n, Kind: table.Text} }
	count = func(n string) table.Column { return table.Column{Name: n, Kind: table.Int, Role: table.Count} }
	share = func(n string) table.Column { return table.Column{Name: n, Kind: table.Float, Role: table.Share} }
)

func spec(t *testing.T, name, decl string) Spec {
	t.Helper()
	s, err := Parse("sql/studies/"+name+".sql", name, decl+"\nselect 1")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// manad is the month table of the issue: avslutade alla 11, K 8, M 3,
// X 0 — with M shown as "<5" alone, M = 11 - 8 - 0.
func manad(m, k int64) table.Table {
	return table.Table{Name: "s6_m", Columns: []table.Column{text("matt"), text("grupp"), count("antal")}, Rows: [][]any{
		{"avslutade", "alla", k + m}, {"avslutade", "K", k}, {"avslutade", "M", m}, {"avslutade", "X", int64(0)},
		{"avslutade", "MG1", k + m}, {"avslutade", "MG2", int64(0)},
	}}
}

const manadDecl = `-- counts: antal
-- sum: antal[grupp=alla] = antal[grupp=K] + antal[grupp=M] + antal[grupp=X] by matt
-- sum: antal[grupp=alla] >= antal[grupp=MG1] + antal[grupp=MG2] by matt`

func cells(t table.Table, col string) []any {
	var out []any
	c := t.Col(col)
	for _, r := range t.Rows {
		out = append(out, r[c])
	}
	return out
}

func TestProtectHidesTheNextSmallest(t *testing.T) {
	specs := map[string]Spec{"s6_m": spec(t, "s6_m", manadDecl)}
	set := Set{"2281": {"s6_m": manad(3, 8)}}
	pub, err := Protect(specs, set, 5)
	if err != nil {
		t.Fatal(err)
	}
	got := cells(pub.Set["2281"]["s6_m"], "antal")
	want := []any{int64(11), table.Hidden, "<5", int64(0), int64(11), int64(0)}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: %v, want %v (all %v)", i+1, got[i], want[i], got)
		}
	}
	if fs, err := Attack(specs, pub.Set, 5, pub.Totals); err != nil || len(fs) > 0 {
		t.Errorf("attack on the protected table: %v %v", fs, err)
	}
	if set["2281"]["s6_m"].Rows[1][2] != int64(8) {
		t.Error("Protect modified its input")
	}
	// weakened: the complementary cell shown again
	weak := Set{"2281": {"s6_m": pub.Set["2281"]["s6_m"]}}
	weak["2281"]["s6_m"].Rows[1][2] = int64(8)
	fs, err := Attack(specs, weak, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Column != "antal" || fs[0].Row != 3 || fs[0].Value != 3 {
		t.Errorf("attack on the weakened table: %v", fs)
	}
}

// TestSharesRevealTheTotal: two small counts whose sum is known because
// the shares of the other rows give the denominator: 1 + 1 = 2 would
// determine both, so a third cell is hidden with its share.
func TestSharesRevealTheTotal(t *testing.T) {
	decl := "-- shares: andel\n-- ratio: andel = antal / sum(antal)"
	specs := map[string]Spec{"s1_s": spec(t, "s1_s", decl)}
	rows := [][]any{{"A", int64(1)}, {"B", int64(1)}, {"C", int64(50)}, {"D", int64(60)}}
	tb := table.Table{Name: "s1_s", Columns: []table.Column{text("status"), count("antal"), share("andel")}}
	for _, r := range rows {
		tb.Rows = append(tb.Rows, []any{r[0], r[1], float64(r[1].(int64)) / 112})
	}
	set := Set{"2281": {"s1_s": tb}}
	// shown as "<5" only, A + B = 112 - 110 = 2 and each is at least 1
	naive := Set{"2281": {"s1_s": tb}}
	naive["2281"]["s1_s"] = table.Table{Name: tb.Name, Columns: tb.Columns, Rows: [][]any{
		{"A", "<5", "<5"}, {"B", "<5", "<5"}, tb.Rows[2], tb.Rows[3]}}
	fs, err := Attack(specs, naive, 5, nil)
	if err != nil || len(fs) != 2 {
		t.Fatalf("attack on small counts hidden alone: %v %v", fs, err)
	}
	pub, err := Protect(specs, set, 5)
	if err != nil {
		t.Fatal(err)
	}
	p := pub.Set["2281"]["s1_s"]
	if p.Rows[2][1] != table.Hidden || p.Rows[2][2] != table.Hidden || p.Rows[3][1] != int64(60) {
		t.Errorf("protected: %v", p.Rows)
	}
	if fs, err := Attack(specs, pub.Set, 5, pub.Totals); err != nil || len(fs) > 0 {
		t.Errorf("attack on the protected table: %v %v", fs, err)
	}
}

// TestRegionIsASumAReaderUses: kommun A's 3 is hidden; a region showing
// 9 beside kommun B's 6 would give it away.
func TestRegionIsASumAReaderUses(t *testing.T) {
	specs := map[string]Spec{"s6_m": spec(t, "s6_m", manadDecl)}
	set := Set{"2262": {"s6_m": manad(3, 8)}, "2281": {"s6_m": manad(6, 9)}, Region: {"s6_m": manad(9, 17)}}
	pub, err := Protect(specs, set, 5)
	if err != nil {
		t.Fatal(err)
	}
	if fs, err := Attack(specs, pub.Set, 5, pub.Totals); err != nil || len(fs) > 0 {
		t.Errorf("attack: %v %v", fs, err)
	}
	// region M - kommun B's M would be kommun A's: one of them is hidden
	if pub.Set[Region]["s6_m"].Rows[2][2] == int64(9) && pub.Set["2281"]["s6_m"].Rows[2][2] == int64(6) {
		t.Errorf("region M 9 and kommun B's M 6 both shown: %v", cells(pub.Set[Region]["s6_m"], "antal"))
	}
}

// TestDeclarationNamingAMissingColumnFails: fail closed — a declaration
// that names a column the table lacks stops with the file and the name.
func TestDeclarationNamingAMissingColumnFails(t *testing.T) {
	for _, decl := range []string{
		"-- sum: antall[grupp=alla] = antal[grupp=K] by matt",
		"-- sum: antal = antal[grupp=K] by mat",
		"-- sum: antal = s6_x.antal",
		"-- key: grup",
		"-- total: antall",
	} {
		specs := map[string]Spec{"s6_m": spec(t, "s6_m", decl)}
		_, err := Protect(specs, Set{"2281": {"s6_m": manad(3, 8)}}, 5)
		if err == nil || !strings.Contains(err.Error(), "sql/studies/s6_m.sql") {
			t.Errorf("%s: err %v, want one naming the file", decl, err)
		}
	}
	if _, err := Parse("sql/studies/a.sql", "a", "-- sum: antal == \n"); err == nil || !strings.Contains(err.Error(), "sql/studies/a.sql:1") {
		t.Errorf("a malformed line: %v", err)
	}
}

// TestUnusedSumsAreReported: a declared sum that does not hold in the
// data is not used (a reader cannot use it either) and is listed.
func TestUnusedSumsAreReported(t *testing.T) {
	specs := map[string]Spec{"s6_m": spec(t, "s6_m", "-- sum: antal[grupp=alla] = antal[grupp=K] by matt")}
	pub, err := Protect(specs, Set{"2281": {"s6_m": manad(3, 8)}}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(pub.Unused) != 1 {
		t.Errorf("unused: %v", pub.Unused)
	}
	// Unused lists the same without protecting
	alone, err := Unused(specs, Set{"2281": {"s6_m": manad(3, 8)}}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(alone, pub.Unused) {
		t.Errorf("Unused %v, Protect's %v", alone, pub.Unused)
	}
}

// TestSumByValue: "by faktor=kon, varde" instantiates a sum only for the
// rows with that value.
func TestSumByValue(t *testing.T) {
	s := spec(t, "s9_u", "-- sum: antal = s6_m.antal[grupp=$varde] by faktor=kon, varde")
	if len(s.Sums) != 1 || len(s.Sums[0].Where) != 1 || s.Sums[0].Where[0] != (Sel{Key: "faktor", Value: "kon"}) || len(s.Sums[0].By) != 2 {
		t.Fatalf("parsed %+v", s.Sums)
	}
	u := table.Table{Name: "s9_u", Columns: []table.Column{text("faktor"), text("varde"), count("antal")}, Rows: [][]any{
		{"kon", "K", int64(8)}, {"kon", "M", int64(3)}, {"omrade", "K", int64(11)}}}
	specs := map[string]Spec{"s9_u": s, "s6_m": spec(t, "s6_m", manadDecl)}
	pub, err := Protect(specs, Set{"2281": {"s9_u": u, "s6_m": manad(3, 8)}}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(pub.Unused) != 0 {
		t.Errorf("instances that do not hold: %v", pub.Unused)
	}
}
