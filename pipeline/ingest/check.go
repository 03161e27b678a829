package ingest

import (
	"errors"
	"io"
	"os"

	"github.com/kaa-uppfoljning/kaa/pipeline/source"
)

// Rejected is a cell of a row that a read would reject: its line, the
// rule and the field, and the offending value as the rejects file shows
// it (a personnummer masked). Run rejects a row for its first problem
// (First); Check reports every cell that breaks a rule.
type Rejected struct {
	Line               int
	Rule, Field, Value string
	First              bool
}

// Checked is what reading one file would give.
type Checked struct {
	Encoding, Delimiter string
	Fields              []source.Field // the header's fields and the columns each feeds
	// Counts: Excluded counts the rows marked Skyddad=J in the file itself
	// (persons marked skyddade by other files are known only to a run).
	Counts
}

// Check reads one file as Run would — the same export reader, mapping
// profile and contract rules, the same counts — without a key, a
// database or anything written, and calls reject for every cell of every
// row Run would reject (one call per broken rule, the run's own first).
// A file that cannot be read gives the same *source.Error as Run.
func Check(f File, prof source.Profile, reject func(Rejected)) (Checked, error) {
	var c Checked
	fh, err := os.Open(f.Abs)
	if err != nil {
		return c, err
	}
	defer fh.Close()
	kind := f.Kind
	opt := prof.Options(kind.Name)
	opt.CellErrors = true
	rd, err := source.Open(fh, f.Abs, kind.Names(), kind.Required(), opt)
	if err != nil {
		return c, err
	}
	c.Delimiter, c.Fields = delimiterName(rd.Delimiter()), rd.Fields()
	v := newValidator(kind, f)
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if source.IsFileError(err) {
			return c, err
		}
		c.Read++
		if err != nil {
			var ee *source.Error
			if !errors.As(err, &ee) {
				return c, err
			}
			c.Rejected++
			reject(Rejected{Line: ee.Line, Rule: ee.Rule, Field: ee.Field, Value: rejectValue(kind, ee.Field, ee.Value), First: true})
			continue
		}
		var probs []Rejected
		failed := map[string]bool{}
		for _, e := range rd.CellErrors() {
			failed[e.Field] = true
			probs = append(probs, Rejected{Line: rec.Line, Rule: e.Rule, Field: e.Field, Value: rejectValue(kind, e.Field, e.Value)})
		}
		for _, p := range v.Validate(rec.Values) {
			if !failed[p.Field] {
				probs = append(probs, Rejected{Line: rec.Line, Rule: p.Rule, Field: p.Field, Value: p.Value})
			}
		}
		if len(probs) > 0 {
			if _, ok := v.SkyddadNumber(rec.Values); ok && !failed["Skyddad"] && !failed["Personnummer"] {
				c.Excluded++
				continue
			}
			c.Rejected++
			probs[0].First = true
			for _, p := range probs {
				reject(p)
			}
			continue
		}
		row, _ := v.row(rec.Values)
		if row.Skyddad {
			c.Excluded++
			continue
		}
		c.Loaded++
	}
	c.Encoding = rd.Encoding() // decided by the first non-ASCII record
	return c, nil
}
