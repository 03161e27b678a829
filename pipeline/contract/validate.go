package contract

import (
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"

	"github.com/kaa-uppfoljning/kaa/pipeline/personnummer"
	"github.com/kaa-uppfoljning/kaa/pipeline/source"
)

// Problem is a rule a row breaks: the rule, the canonical column, and the
// offending value as the rejects file shows it (Shown; a personnummer
// masked, never echoed).
type Problem struct{ Rule, Field, Value string }

// Value is one parsed cell: Null for a blank one, else the field of its
// column's Type (S for Text, Code and Postnummer; D, B, I, F).
type Value struct {
	Null bool
	S    string
	I    int64
	F    float64
	B    bool
	D    time.Time
}

// Row is a row that passed every rule.
type Row struct {
	// Values are the parsed cells, by column (the Personnummer column's
	// is zero). They are reused by the validator's next call.
	Values  []Value
	Number  personnummer.Number // a person kind's personnummer
	Skyddad bool                // a Protects column says J
	Kon     string              // a PersonKon column's code, "" if blank
}

// Validator applies a kind's rules to the rows of one file. It does no
// I/O: the same rows give the same answers.
type Validator struct {
	kind    Kind
	extract time.Time // the file's extract date (Dated kinds), else zero
	pnr     int       // the Personnummer column, -1 if none
	ref     int       // the PersonRef column, -1: the extract date
	protect int       // the Protects column, -1 if none
	kon     int       // the PersonKon column, -1 if none
	after   []int     // NotAfterExtract columns
	values  []Value
}

// NewValidator returns the validator of a kind's file whose extract date
// is extract (zero for a kind that is not Dated).
func NewValidator(k Kind, extract time.Time) *Validator {
	v := &Validator{kind: k, extract: extract, pnr: -1, ref: -1, protect: -1, kon: -1, values: make([]Value, len(k.Columns))}
	for i, c := range k.Columns {
		switch {
		case c.Type == Personnummer:
			v.pnr = i
		case c.PersonRef:
			v.ref = i
		}
		if c.Protects {
			v.protect = i
		}
		if c.PersonKon {
			v.kon = i
		}
		if c.NotAfterExtract {
			v.after = append(v.after, i)
		}
	}
	return v
}

// Validate returns every rule a row breaks, cell by cell: each column's
// own rules in column order (type, code list, blank, bounds, a
// personnummer where none belongs), then the personnummer, then the dates
// after the extract date. values are the row's cells in Columns order.
// An empty result means Parse accepts the row.
func (v *Validator) Validate(values []string) []Problem {
	_, probs := v.check(values, true)
	return probs
}

// Parse parses a row whose cells are values (in Columns order). It stops
// at the row's first problem, the first that Validate returns, and
// returns it; a run rejects the row for it.
func (v *Validator) Parse(values []string) (Row, *Problem) {
	r, probs := v.check(values, false)
	if len(probs) > 0 {
		return r, &probs[0]
	}
	return r, nil
}

// check applies the rules; all: every problem, else only the first.
func (v *Validator) check(values []string, all bool) (Row, []Problem) {
	r := Row{Values: v.values}
	var probs []Problem
	failed := false
	for i := range v.kind.Columns {
		if i == v.pnr {
			continue
		}
		c := &v.kind.Columns[i] // not copied: this runs for every cell
		val := values[i]
		cl, p := parseCell(c, val)
		if p == nil && personnummer.Contains(val) {
			// an identifier typed into another column must not be stored
			p = &Problem{Rule: RuleStrayNumber, Field: c.Name, Value: Shown(val)}
		}
		if p != nil {
			if probs = append(probs, *p); !all {
				return r, probs
			}
			failed = true
			r.Values[i] = Value{Null: true}
			continue
		}
		r.Values[i] = cl
	}
	if v.pnr >= 0 {
		raw := values[v.pnr]
		ref := v.extract
		if v.ref >= 0 && !r.Values[v.ref].Null {
			ref = r.Values[v.ref].D
		}
		var p *Problem
		if raw == "" {
			p = &Problem{Rule: "missing value", Field: "Personnummer"}
		} else if n, err := personnummer.Parse(raw, ref); err != nil {
			p = &Problem{Rule: err.Error(), Field: "Personnummer", Value: personnummer.Mask(raw)}
		} else {
			r.Number = n
		}
		if p != nil {
			if probs = append(probs, *p); !all {
				return r, probs
			}
			failed = true
		}
	}
	for _, i := range v.after {
		if cl := r.Values[i]; !cl.Null && cl.D.After(v.extract) {
			p := Problem{Rule: "after the extract date " + v.extract.Format("2006-01-02"), Field: v.kind.Columns[i].Name, Value: Shown(values[i])}
			if probs = append(probs, p); !all {
				return r, probs
			}
			failed = true
		}
	}
	if failed {
		return r, probs
	}
	if v.protect >= 0 {
		r.Skyddad = !r.Values[v.protect].Null && r.Values[v.protect].B
	}
	if v.kon >= 0 && !r.Values[v.kon].Null {
		r.Kon = r.Values[v.kon].S
	}
	return r, nil
}

// SkyddadNumber returns the personnummer of a row whose Protects cell
// says J and whose personnummer is valid, whatever its other cells: the
// mark must never be lost to a reject.
func (v *Validator) SkyddadNumber(values []string) (personnummer.Number, bool) {
	if v.protect < 0 || v.pnr < 0 {
		return personnummer.Number{}, false
	}
	if b, err := source.ParseYesNo(values[v.protect]); err != nil || !b {
		return personnummer.Number{}, false
	}
	n, err := personnummer.Parse(values[v.pnr], v.extract)
	return n, err == nil
}

// parseCell applies a column's own rules to one cell.
func parseCell(c *Column, val string) (Value, *Problem) {
	if val == "" {
		if c.NotBlank {
			return Value{}, &Problem{Rule: "missing value", Field: c.Name}
		}
		return Value{Null: true}, nil
	}
	bad := func(rule string) (Value, *Problem) {
		return Value{}, &Problem{Rule: rule, Field: c.Name, Value: Shown(val)}
	}
	switch c.Type {
	case Code:
		up := strings.ToUpper(val)
		for _, code := range c.Codes {
			if up == code {
				return Value{S: code}, nil
			}
		}
		return bad("unknown code")
	case Date:
		d, err := source.ParseDate(val)
		if err != nil {
			return bad(err.Error())
		}
		if d.Year() < 1900 {
			// no date of these registers is this old; 1899-12-30 is what
			// an empty Excel date cell becomes, and a period ending then
			// would silently never have been aktuell
			return bad(RuleBefore1900)
		}
		return Value{D: d}, nil
	case Bool:
		b, err := source.ParseYesNo(val)
		if err != nil {
			return bad(err.Error())
		}
		return Value{B: b}, nil
	case Int:
		i, err := source.ParseInt(val)
		if err != nil {
			return bad(err.Error())
		}
		if i > math.MaxInt32 || i < math.MinInt32 {
			// No count, year, age or minutes is this large; the bound
			// keeps the studies' sums within 64 bits.
			return bad(source.ErrRange.Error())
		}
		if c.Positive && i <= 0 {
			return bad("must be greater than 0")
		}
		if i < 0 {
			return bad("must not be negative")
		}
		if c.Min > 0 && i < c.Min {
			return bad(fmt.Sprintf("must be at least %d (%s)", c.Min, c.MinWhy))
		}
		if c.Max > 0 && i > c.Max {
			return bad(fmt.Sprintf("must be at most %d (%s)", c.Max, c.MaxWhy))
		}
		return Value{I: i}, nil
	case Decimal:
		f, err := source.ParseDecimal(val)
		if err != nil {
			return bad(err.Error())
		}
		if math.Abs(f) > maxDecimal {
			return bad(source.ErrRange.Error())
		}
		if c.Percent && (f < 0 || f > 100) {
			return bad(RulePercent)
		}
		return Value{F: f}, nil
	case Postnummer:
		p := strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' {
				return -1
			}
			return r
		}, val)
		if !isPostnummer(p) && !personnummer.Contains(val) { // a personnummer breaks RuleStrayNumber
			return bad(RulePostnummer)
		}
		return Value{S: p}, nil
	default:
		return Value{S: val}, nil
	}
}

// RulePostnummer rejects a postnummer not written as five digits, the
// first not 0, with spaces anywhere (85230, 852 30): one written another
// way would match no område and move its person to OKÄNT unseen.
const RulePostnummer = "not a postnummer (85230 or 852 30)"

func isPostnummer(p string) bool {
	if len(p) != 5 || p[0] == '0' {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
	}
	return true
}

// RuleBefore1900 is the rule a date before 1900 breaks.
const RuleBefore1900 = "a date before 1900 (an empty Excel date is 1899-12-30)"

// RulePercent is the rule a share outside 0–100 breaks.
const RulePercent = "not a share in percent (0–100)"

// maxDecimal bounds decimal values (shares in percent, incomes, ohälsotal):
// far above any real one, and low enough that the studies' sums, squares
// and standard deviations stay finite.
const maxDecimal = 1e12

// RuleStrayNumber rejects a row with a personnummer or samordningsnummer
// in any written form (personnummer.Contains) in a column other than
// Personnummer: free text, a school name, a postnummer.
const RuleStrayNumber = "personnummer outside the Personnummer column"

// Shown is what the rejects file shows of an offending value: "***" if
// it holds something written like a personnummer (personnummer.Redact: a
// value in the wrong column must not leak one); control characters as \xHH and invisible
// format characters as \uHHHH (a value stays one visible line); at most
// 80 bytes, cut at a character boundary (the rejects are stored as UTF-8
// text, and half a character is not UTF-8).
func Shown(s string) string {
	if r := personnummer.Redact(s); r != s {
		return r
	}
	const max = 80
	var b strings.Builder
	for _, r := range s {
		var part string
		switch {
		case unicode.IsControl(r):
			part = fmt.Sprintf("\\x%02x", r)
		case unicode.Is(unicode.Cf, r): // invisible: bidi overrides, zero widths
			part = fmt.Sprintf("\\u%04x", r)
		default:
			part = string(r)
		}
		if b.Len()+len(part) > max {
			return b.String() + "…"
		}
		b.WriteString(part)
	}
	return b.String()
}
