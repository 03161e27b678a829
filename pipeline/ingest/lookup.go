package ingest

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/kaa-uppfoljning/kaa/pipeline/personnummer"
	"github.com/kaa-uppfoljning/kaa/pipeline/source"
)

// Match is a row of a raw export whose personnummer hashes to the pseudonym
// looked up: its line and the contract columns as written in the file.
type Match struct {
	Line    int
	Columns []string
	Values  []string
}

// Lookup reads one raw export file and returns the rows whose personnummer
// has the given pseudonym under the key. It is how KAA staff turn a
// pseudonym from a staff list back into a person, on demand, without the
// database ever holding the raw number. Rows that do not parse are skipped.
func Lookup(path string, prof source.Profile, pseudo *personnummer.Pseudonymizer, pseudonym string) ([]Match, error) {
	m, err := ClassifyName(path, prof)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	kind := m.Kind
	if !kind.Person() {
		return nil, fmt.Errorf("%s: not an export with personnummer (extens, gruus, kaa_*, deltagare)", path)
	}
	f := File{Abs: path, Kind: kind, ExtractDate: m.Date}
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	rd, err := source.Open(fh, path, kind.Names(), kind.Required(), prof.Options(kind.Name))
	if err != nil {
		return nil, err
	}
	v := newValidator(kind, f)
	var out []Match
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return out, nil
		}
		var ee *source.Error
		if errors.As(err, &ee) {
			continue
		}
		if err != nil {
			return nil, err
		}
		row, prob := v.row(rec.Values)
		if prob != nil {
			continue
		}
		if pseudo.Pseudonym(row.Number) == pseudonym {
			out = append(out, Match{Line: rec.Line, Columns: kind.Names(), Values: append([]string(nil), rec.Values...)})
		}
	}
}
