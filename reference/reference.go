// Package reference holds public reference data shipped with kaa,
// embedded into the binary.
//
//   - kommuner.csv — the 290 kommuner of Sweden with their four-digit
//     kommunkod, name and län (SCB's list of kommunkoder, valid since
//     2007 when Knivsta was the last kommun formed), UTF-8, ';'-separated,
//     header kommunkod;kommun;lanskod;lan. The reports name a kommun as
//     "Sundsvall (2281)".
package reference

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
)

// Kommun is one row of kommuner.csv.
type Kommun struct {
	Kod     string // e.g. "2281"
	Namn    string // e.g. "Sundsvall"
	Lanskod string // e.g. "22"
	Lan     string // e.g. "Västernorrlands län"
}

//go:embed kommuner.csv
var kommunerCSV string

var (
	kommuner []Kommun
	byKod    = map[string]Kommun{}
)

func init() {
	var err error
	if kommuner, err = parseKommuner(kommunerCSV); err != nil {
		panic(err)
	}
	for _, k := range kommuner {
		byKod[k.Kod] = k
	}
}

// parseKommuner reads kommuner.csv: every code four digits beginning with
// its län code, no code twice, names not blank.
func parseKommuner(s string) ([]Kommun, error) {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	if len(lines) == 0 || lines[0] != "kommunkod;kommun;lanskod;lan" {
		return nil, fmt.Errorf("reference/kommuner.csv:1: want the header kommunkod;kommun;lanskod;lan")
	}
	var out []Kommun
	seen := map[string]bool{}
	for i, l := range lines[1:] {
		f := strings.Split(l, ";")
		if len(f) != 4 {
			return nil, fmt.Errorf("reference/kommuner.csv:%d: want 4 fields, got %d", i+2, len(f))
		}
		k := Kommun{Kod: f[0], Namn: f[1], Lanskod: f[2], Lan: f[3]}
		if len(k.Kod) != 4 || strings.Trim(k.Kod, "0123456789") != "" || !strings.HasPrefix(k.Kod, k.Lanskod) || k.Namn == "" || k.Lan == "" {
			return nil, fmt.Errorf("reference/kommuner.csv:%d: bad row %q", i+2, l)
		}
		if seen[k.Kod] {
			return nil, fmt.Errorf("reference/kommuner.csv:%d: kommunkod %s twice", i+2, k.Kod)
		}
		seen[k.Kod] = true
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Kod < out[j].Kod })
	return out, nil
}

// Kommuner returns every kommun, ordered by kommunkod.
func Kommuner() []Kommun { return append([]Kommun(nil), kommuner...) }

// LookupKommun returns the kommun with the given kommunkod.
func LookupKommun(kod string) (Kommun, bool) {
	k, ok := byKod[kod]
	return k, ok
}

// KommunLabel is how the reports name a kommun: "Sundsvall (2281)"; a
// code that is not a kommunkod (e.g. a synthetic one in a benchmark) is
// "Kommun 3001".
func KommunLabel(kod string) string {
	if k, ok := byKod[kod]; ok {
		return k.Namn + " (" + k.Kod + ")"
	}
	return "Kommun " + kod
}
