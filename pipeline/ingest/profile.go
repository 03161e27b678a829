package ingest

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
	"github.com/kaa-uppfoljning/kaa/pipeline/source"
)

// ProfileSchema is the input contract as a mapping profile sees it: every
// file kind with its columns, dates and numbers marked.
func ProfileSchema() source.Schema {
	var s source.Schema
	for _, k := range contract.Kinds() {
		sk := source.SchemaKind{Name: k.Name, NeedsDate: k.Dated}
		for _, c := range k.Columns {
			t := source.TextValue
			switch c.Type {
			case contract.Date:
				t = source.DateValue
			case contract.Int, contract.Decimal:
				t = source.NumberValue
			}
			sk.Columns = append(sk.Columns, source.SchemaColumn{Name: c.Name, Type: t})
		}
		s = append(s, sk)
	}
	return s
}

// LoadProfile reads a kommun's mapping profile (docs/mapping.md) against
// the input contract. A missing file maps nothing.
func LoadProfile(path string) (source.Profile, error) {
	return source.LoadProfile(path, ProfileSchema())
}

// NameMatch is how a file name was classified.
type NameMatch struct {
	Kind contract.Kind
	// Rule names the rule that matched: a file pattern of the mapping
	// profile ("2281/mapping.toml:5: file = \"Extens_utdrag_{date:YYYYMMDD}.csv\"")
	// or the contract's ("extens_<YYYY-MM-DD>.csv (input contract)").
	Rule string
	// Date is the date the name carries: a profile pattern's {date}, or
	// the extract date of a canonical extens name; zero if none.
	Date time.Time
	// FromProfile: the rule is a file pattern of the mapping profile.
	FromProfile bool
}

// ClassifyName classifies a file by its base name: the mapping profile's
// file patterns first (a name matched by two kinds' patterns is an
// error), then the contract's names. A file of a Dated kind (extens)
// must carry its extract date. Errors say what was tried.
func ClassifyName(name string, prof source.Profile) (NameMatch, error) {
	base := filepath.Base(name)
	kind, pat, date, ok, err := prof.Classify(base)
	if err != nil {
		return NameMatch{}, err
	}
	if ok {
		k, _ := contract.Lookup(kind)
		return NameMatch{Kind: k, Rule: fmt.Sprintf("%s:%d: file = %s", prof.Path, pat.Line, strconv.Quote(pat.Text)), Date: date, FromProfile: true}, nil
	}
	k, ok := contract.Classify(base)
	if !ok {
		hint := "add a file pattern for its kind to " + prof.Path + " (e.g. [kaa_individer] file = \"UKA_export_individer_{date}.csv\"; see docs/mapping.md)"
		if prof.Exists && hasPatterns(prof) {
			hint = "nor any file pattern of " + prof.Path
		}
		var names []string // the first kinds' names, as examples
		for _, k := range contract.Kinds()[:3] {
			names = append(names, k.NameRule())
		}
		return NameMatch{}, fmt.Errorf("file name matches no input kind (the input contract's names: %s, ...; %s)", strings.Join(names, ", "), hint)
	}
	m := NameMatch{Kind: k, Rule: k.NameRule() + " (input contract)"}
	if k.Dated {
		d, ok := k.NameDate(base)
		if !ok {
			return NameMatch{}, fmt.Errorf("%s file name must carry the extract date as %s (or give [%s] file = \"…{date:FORMAT}…\" in %s)",
				k.Name, strings.ReplaceAll(strings.ReplaceAll(k.NameRule(), "<", ""), ">", ""), k.Name, prof.Path)
		}
		m.Date = d
	}
	return m, nil
}

func hasPatterns(p source.Profile) bool {
	for _, k := range p.Kinds {
		if len(k.Files) > 0 {
			return true
		}
	}
	return false
}
