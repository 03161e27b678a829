package cli

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/kaa-uppfoljning/kaa/pipeline/report"
	"github.com/kaa-uppfoljning/kaa/pipeline/table"
	"github.com/kaa-uppfoljning/kaa/pipeline/warehouse"
)

// s9Factors are S9's background factors in the spec's order: the name in
// the tables, the page's heading and the values in the definite plural for
// the reading of the test.
var s9Factors = []struct{ faktor, rubrik, grupp string }{
	{"kon", "Kön", "könen"},
	{"alder", "Ålder vid aktualiseringen", "åldrarna"},
	{"registreringsorsak", "Registreringsorsak", "registreringsorsakerna"},
	{"huvudman", "Grundskolans huvudman", "huvudmännen"},
	{"programtyp", "Programtyp", "programtyperna"},
	{"grundskola", "Grundskola", "grundskolorna"},
	{"omrade", "Bostadsområde", "områdena"},
}

// s9Notes adds to S9's notes of a scope:
//
//	kohort         int64            cohort size
//	andel_studier  float64 or nil   share to studies of the whole cohort
//	ref            string           the forest charts' reference line, "ref=0.4700" ("ref=" for none)
//	faktorer       []report.Factor  each factor's heading, test reading and warning
//
// The test figures are those of s9_test (int_s9_test, which also holds the
// smallest expected count). When the cohort has 1..suppress_below−1
// persons no reading is given.
func (j *job) s9Notes(ctx context.Context, w *warehouse.Warehouse, scope string, m map[string]any) error {
	var n, studier int64
	if err := w.QueryRow(ctx, `select count(*), count(*) filter (where p.studier)
		from int_s9_person p join int_scope s using (kommunkod) where s.scope = ?`, []any{scope}, &n, &studier); err != nil {
		return fmt.Errorf("S9 notes: %w", err)
	}
	m["kohort"] = n
	m["andel_studier"], m["ref"] = nil, "ref="
	if n > 0 {
		share := float64(studier) / float64(n)
		m["andel_studier"] = share
		m["ref"] = "ref=" + table.FormatDecimal(share, 4, false)
	}
	type test struct {
		df           sql.NullInt64
		chi2, p, min sql.NullFloat64
	}
	tests := map[string]test{}
	rows, err := w.Query(ctx, `select faktor, frihetsgrader, chi2, p, forvantat_min from int_s9_test where scope = ?`, scope)
	if err != nil {
		return fmt.Errorf("S9 notes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			f string
			t test
		)
		if err := rows.Scan(&f, &t.df, &t.chi2, &t.p, &t.min); err != nil {
			return err
		}
		tests[f] = t
	}
	if err := rows.Err(); err != nil {
		return err
	}
	var out []report.Factor
	for _, f := range s9Factors {
		t := tests[f.faktor]
		rf := report.Factor{Faktor: f.faktor, Rubrik: f.rubrik}
		switch {
		case n == 0:
			rf.Lasning = "Inget test: kohorten är tom."
		case n < int64(j.cfg.SuppressBelow()):
			rf.Lasning = "Inget test: kohorten har för få personer för att visas."
		case !t.df.Valid:
			rf.Lasning = "Inget test: alla i kohorten har samma värde."
		case !t.p.Valid:
			rf.Lasning = "Inget test: antingen studerar alla i kohorten eller ingen, så det finns ingen skillnad att pröva."
		default:
			rf.Lasning = report.Reading(t.p.Float64, f.grupp)
			if t.min.Valid && t.min.Float64 < 5 {
				rf.Varning = "Minst ett förväntat antal i testet är under 5 (det minsta är " +
					table.FormatDecimal(t.min.Float64, 1, false) +
					"): chi2-testet är då osäkert, och p-värdet ska läsas med försiktighet."
			}
		}
		out = append(out, rf)
	}
	m["faktorer"] = out
	return nil
}
