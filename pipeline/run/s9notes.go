package run

import (
	"context"
	"fmt"

	"github.com/kaa-uppfoljning/kaa/pipeline/disclosure"
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

// scopeTable reads one scope's rows of a built model (warehouse.StudyTable).
func (j *job) scopeTable(ctx context.Context, w *warehouse.Warehouse, name, scope string) (table.Table, error) {
	m, ok := model(j.models, name)
	if !ok {
		return table.Table{}, fmt.Errorf("%s was not built", name)
	}
	return w.StudyTable(ctx, m, scope)
}

// s9Notes adds to S9's notes of a scope:
//
//	kohort         int64 or marker  cohort size, as published (the total of s1_status)
//	andel_studier  float64 or nil   share to studies of the whole cohort
//	ref            string           the forest charts' reference line, "ref=0.4700" ("ref=" for none)
//	faktorer       []report.Factor  each factor's heading, test reading and warning
//
// The share to studies is given only when the counts it is made of are
// published (the cohort size and s1_status' STUDIER and EXAMEN): otherwise
// it would give a hidden count back. The test figures are those of s9_test
// (int_s9_test, which also holds the smallest expected count); the cohort and
// its persons gone on to studies those of int_s9_kohort. When the
// cohort has 1..suppress_below−1 persons no reading is given.
func (j *job) s9Notes(ctx context.Context, w *warehouse.Warehouse, scope string, m map[string]any, pub disclosure.Published) error {
	var n, studier int64
	kohort, err := j.scopeTable(ctx, w, "int_s9_kohort", scope)
	if err != nil {
		return fmt.Errorf("S9 notes: %w", err)
	}
	for _, row := range kohort.Rows {
		n, studier = row[kohort.Col("antal")].(int64), row[kohort.Col("studier")].(int64)
	}
	m["kohort"] = pub.Totals[disclosure.TotalKey(scope, "s1_status", "antal")]
	m["andel_studier"], m["ref"] = nil, "ref="
	if n > 0 && studierShown(pub.Set[scope]["s1_status"]) && m["kohort"] == n {
		share := float64(studier) / float64(n)
		m["andel_studier"] = share
		m["ref"] = "ref=" + table.FormatDecimal(share, 4, false)
	}
	type test struct {
		df           any // int64, or nil
		chi2, p, min any // float64, or nil
	}
	tested, err := j.scopeTable(ctx, w, "int_s9_test", scope)
	if err != nil {
		return fmt.Errorf("S9 notes: %w", err)
	}
	tests := map[string]test{}
	for _, row := range tested.Rows {
		c := func(name string) any { return row[tested.Col(name)] }
		tests[c("faktor").(string)] = test{df: c("frihetsgrader"), chi2: c("chi2"), p: c("p"), min: c("forvantat_min")}
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
		case t.df == nil:
			rf.Lasning = "Inget test: alla i kohorten har samma värde."
		case t.p == nil:
			rf.Lasning = "Inget test: antingen studerar alla i kohorten eller ingen, så det finns ingen skillnad att pröva."
		default:
			rf.Lasning = report.Reading(t.p.(float64), f.grupp)
			if min, ok := t.min.(float64); ok && min < 5 {
				rf.Varning = "Minst ett förväntat antal i testet är under 5 (det minsta är " +
					table.FormatDecimal(min, 1, false) +
					"): chi2-testet är då osäkert, och p-värdet ska läsas med försiktighet."
			}
		}
		out = append(out, rf)
	}
	m["faktorer"] = out
	return nil
}

// studierShown reports whether s1_status' counts of STUDIER and EXAMEN are
// published as numbers.
func studierShown(t table.Table) bool {
	st, c := t.Col("status"), t.Col("antal")
	if st < 0 || c < 0 {
		return false
	}
	shown := 0
	for _, row := range t.Rows {
		if s := row[st]; s == "STUDIER" || s == "EXAMEN" {
			if _, ok := row[c].(int64); !ok {
				return false
			}
			shown++
		}
	}
	return shown == 2
}
