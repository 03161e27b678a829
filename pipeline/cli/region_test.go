package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kaa-uppfoljning/kaa/pipeline/table"
	"github.com/kaa-uppfoljning/kaa/pipeline/warehouse"
	kaasql "github.com/kaa-uppfoljning/kaa/sql"
)

// TestRegionIsTheSumOfItsKommuner runs the three-kommun fixture with exact
// figures and checks, for every count column of every study table, that
// the region's total equals the sum of the kommuner's totals; and that the
// comparison page lists each kommun with its own cohort.
func TestRegionIsTheSumOfItsKommuner(t *testing.T) {
	dir := t.TempDir()
	root := repoRoot(t)
	out := filepath.Join(dir, "out")
	r := kaa(t, "run", "--inputs", filepath.Join(root, "fixtures", "region"), "--db", filepath.Join(dir, "kaa.duckdb"),
		"--out", out, "--as-of", "2021-03-31", "--suppress-below", "0", "--key-file", writeKey(t, dir))
	if r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	kommuner := []string{"2262", "2280", "2281"}
	models, err := warehouse.Models(kaasql.FS)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, m := range models {
		if m.Layer != "studies" || strings.HasPrefix(m.Name, "region_") {
			continue
		}
		for _, c := range m.Counts {
			region := columnTotal(t, filepath.Join(out, "region", "tables", m.Name+".csv"), c)
			var sum int64
			for _, k := range kommuner {
				sum += columnTotal(t, filepath.Join(out, k, "tables", m.Name+".csv"), c)
			}
			if region != sum {
				t.Errorf("%s.%s: region %d, kommuner %d", m.Name, c, region, sum)
			}
			checked++
		}
	}
	if checked < 30 {
		t.Errorf("only %d count columns checked", checked)
	}
	for _, k := range kommuner {
		cohort := columnTotal(t, filepath.Join(out, k, "tables", "s1_status.csv"), "antal")
		row := csvRow(t, filepath.Join(out, "region", "tables", "region_jamforelse.csv"), k)
		if row["kohort"] != strconv.FormatInt(cohort, 10) {
			t.Errorf("region_jamforelse %s: kohort %s, the kommun's S1 cohort is %d", k, row["kohort"], cohort)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "2281", "region.html")); err == nil {
		t.Error("a kommun scope got the region comparison page")
	}
}

func readCSV(t *testing.T, path string) (header []string, rows [][]string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(strings.TrimPrefix(string(b), "\ufeff"), "\r\n"), "\r\n")
	header = strings.Split(lines[0], ";")
	for _, l := range lines[1:] {
		rows = append(rows, strings.Split(l, ";"))
	}
	return header, rows
}

func columnTotal(t *testing.T, path, col string) int64 {
	t.Helper()
	header, rows := readCSV(t, path)
	i := -1
	for j, h := range header {
		if h == col {
			i = j
		}
	}
	if i < 0 {
		t.Fatalf("%s: no column %s", path, col)
	}
	var sum int64
	for _, r := range rows {
		if r[i] == "" {
			continue
		}
		n, err := strconv.ParseInt(r[i], 10, 64)
		if err != nil {
			t.Fatalf("%s: %s = %q is not a whole number", path, col, r[i])
		}
		sum += n
	}
	return sum
}

func csvRow(t *testing.T, path, key string) map[string]string {
	t.Helper()
	header, rows := readCSV(t, path)
	for _, r := range rows {
		if r[0] == key {
			m := map[string]string{}
			for i, h := range header {
				m[h] = r[i]
			}
			return m
		}
	}
	t.Fatalf("%s: no row %s", path, key)
	return nil
}

// TestPublishedTablesSuppressSmallCounts: in the demo's published tables no
// person count is 1–4, a row with a hidden count hides its shares too, and
// plain columns (reference figures, minutes) are never hidden.
func TestPublishedTablesSuppressSmallCounts(t *testing.T) {
	dir := t.TempDir()
	out, r := demoRun(t, dir)
	if r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	models, err := warehouse.Models(kaasql.FS)
	if err != nil {
		t.Fatal(err)
	}
	hidden, plain := 0, 0
	for _, m := range models {
		path := filepath.Join(out, "2281", "tables", m.Name+".csv")
		if m.Layer != "studies" {
			continue
		}
		if _, err := os.Stat(path); err != nil {
			continue // region-only tables
		}
		header, rows := readCSV(t, path)
		idx := map[string]int{}
		for i, h := range header {
			idx[h] = i
		}
		for _, row := range rows {
			rowHidden := false
			for _, c := range m.Counts {
				v := row[idx[c]]
				if n, err := strconv.Atoi(v); err == nil && n >= 1 && n < 5 {
					t.Errorf("%s.%s: small count %d published", m.Name, c, n)
				}
				if table.IsSuppressed(v) {
					rowHidden = true
					hidden++
				}
			}
			for _, s := range m.Shares {
				if v := row[idx[s]]; rowHidden && !slices.Contains(m.Plain, s) && !table.IsSuppressed(v) && v != "" {
					t.Errorf("%s.%s: share %s shown beside a hidden count", m.Name, s, v)
				}
			}
			for _, p := range m.Plain {
				plain++
				if v := row[idx[p]]; table.IsSuppressed(v) {
					t.Errorf("%s.%s: a plain column (reference figure, minutes) hidden as %s", m.Name, p, v)
				}
			}
		}
	}
	if hidden == 0 || plain == 0 {
		t.Errorf("the demo has small counts and plain columns, but %d were hidden and %d plain cells checked", hidden, plain)
	}
}
