package report

import (
	"math"

	"github.com/kaa-uppfoljning/kaa/pipeline/table"
)

// Factor is one background factor of S9 on its page: the factor's name in
// the tables (Faktor), its heading, the plain-Swedish reading of its
// chi-square test and whether the test rests on small expected counts.
type Factor struct {
	Faktor  string // e.g. "omrade"
	Rubrik  string // e.g. "Bostadsområde"
	Lasning string // e.g. "Skillnaden mellan områdena är inte större än slumpen kan ge, p = 0,41."
	Varning string // "" or the warning about expected counts below 5
}

// Reading is the plain-Swedish reading of a chi-square test of
// independence between the values of a factor (grupp, in the definite
// plural: "områdena") and an outcome, at the 5 % level:
//
//	p ≥ 0,05  "Skillnaden mellan områdena är inte större än slumpen kan ge, p = 0,41."
//	p < 0,05  "Skillnaden mellan områdena är större än slumpen brukar ge, p = 0,0123."
//
// p is written with 2 decimals from 0.1 up, else with 4 (the table's
// precision), and as "p < 0,0001" below that.
func Reading(p float64, grupp string) string {
	if p >= 0.05 {
		return "Skillnaden mellan " + grupp + " är inte större än slumpen kan ge, " + FormatP(p) + "."
	}
	return "Skillnaden mellan " + grupp + " är större än slumpen brukar ge, " + FormatP(p) + "."
}

// FormatP writes a p-value for a reader: "p = 0,41" (2 decimals from 0.1
// up), "p = 0,0123" (4 decimals below 0.1), "p < 0,0001".
func FormatP(p float64) string {
	switch {
	case math.IsNaN(p):
		return "p saknas"
	case p >= 0.1:
		return "p = " + table.FormatDecimal(p, 2, false)
	case p >= 0.0001:
		return "p = " + table.FormatDecimal(p, 4, false)
	}
	return "p < 0,0001"
}
