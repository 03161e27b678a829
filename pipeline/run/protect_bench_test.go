package run_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/kaa-uppfoljning/kaa/pipeline/disclosure"
	"github.com/kaa-uppfoljning/kaa/pipeline/run"
	"github.com/kaa-uppfoljning/kaa/pipeline/table"
	"github.com/kaa-uppfoljning/kaa/pipeline/warehouse"
	kaasql "github.com/kaa-uppfoljning/kaa/sql"
)

// BenchmarkProtectDatabase protects the study tables a run committed to
// the database named by KAA_BENCH_DB, as the tables stage of `kaa run`
// does: every scope's every study table, one system, suppress_below 5.
// A run with --suppress-below 0 commits the tables without protecting
// them, so the national input of Protect is had without waiting for it
// (docs/scaling.md). The database is opened read and write (DuckDB has
// one writer): use a copy. KAA_BENCH_TABLES=s6,s8 protects only the study
// tables whose names start with one of the comma-separated prefixes (e.g.
// the tables a monthly run protects together).
func BenchmarkProtectDatabase(b *testing.B) {
	path := os.Getenv("KAA_BENCH_DB")
	if path == "" {
		b.Skip("KAA_BENCH_DB names no database")
	}
	ctx := context.Background()
	w, err := warehouse.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	models, err := warehouse.Models(kaasql.FS)
	if err != nil {
		b.Fatal(err)
	}
	specs, err := run.StudySpecs()
	if err != nil {
		b.Fatal(err)
	}
	scopes, err := w.Scopes(ctx)
	if err != nil {
		b.Fatal(err)
	}
	only := strings.FieldsFunc(os.Getenv("KAA_BENCH_TABLES"), func(r rune) bool { return r == ',' })
	set := disclosure.Set{}
	cells := 0
	for _, scope := range scopes {
		set[scope] = map[string]table.Table{}
		for _, m := range models {
			if m.Layer != "studies" || (strings.HasPrefix(m.Name, "region_") && scope != disclosure.Region) {
				continue
			}
			if len(only) > 0 && !slices.ContainsFunc(only, func(p string) bool { return strings.HasPrefix(m.Name, p) }) {
				continue
			}
			t, err := w.StudyTable(ctx, m, scope)
			if err != nil {
				b.Fatal(err)
			}
			set[scope][m.Name] = t
			cells += len(t.Rows) * len(t.Columns)
		}
	}
	b.Logf("%d scopes, %d cells", len(scopes), cells)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		pub, err := disclosure.Protect(specs, set, 5)
		if err != nil {
			b.Fatal(err)
		}
		if i == 0 {
			small, hidden, withheld := 0, 0, 0
			for _, ts := range pub.Set {
				for _, t := range ts {
					for _, row := range t.Rows {
						for c, v := range row {
							if t.Columns[c].Role == table.Count && table.IsSuppressed(v) {
								switch v {
								case table.Hidden:
									hidden++
								case table.Withheld:
									withheld++
								default:
									small++
								}
							}
						}
					}
				}
			}
			b.Logf("%d small counts hidden, %d more to protect them, %d withheld; published set sha256 %s", small, hidden, withheld, digest(pub.Set))
		}
	}
}

// digest is a SHA-256 of a published set, to compare the decisions of two
// versions of Protect.
func digest(set disclosure.Set) string {
	h := sha256.New()
	for _, scope := range slices.Sorted(maps.Keys(set)) {
		for _, name := range slices.Sorted(maps.Keys(set[scope])) {
			fmt.Fprintf(h, "%s/%s\n", scope, name)
			for _, row := range set[scope][name].Rows {
				fmt.Fprintf(h, "%#v\n", row)
			}
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}
