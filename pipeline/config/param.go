package config

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Kind is the type of a parameter: how it is written in a config file and
// on the command line, which values it admits, and its Go value.
type Kind int

const (
	Date   Kind = iota + 1 // "YYYY-MM-DD" (or a bare TOML date); a time.Time at midnight UTC
	Month                  // "YYYY-MM"; a time.Time, the first day of the month at midnight UTC
	Share                  // a number in [0, 1]; a float64
	Number                 // a finite number; a float64
	Count                  // a whole number, 0 or more; an int
	Choice                 // one of Param.Choices; a string
)

func (k Kind) String() string {
	switch k {
	case Date:
		return "date"
	case Month:
		return "month"
	case Share:
		return "share"
	case Number:
		return "number"
	case Count:
		return "count"
	case Choice:
		return "choice"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Param declares one run parameter. Everything else about it derives from
// this declaration: its config key and the messages that name it, its
// flag and --help line, its default, its checks, its DuckDB variable, its
// place in manifest.json and its page notes.
type Param struct {
	// Key is the TOML path: "as_of" at the top level, "s1.cutoff" for the
	// key cutoff of table [s1]. Users' saved configs rely on it.
	Key  string
	Kind Kind
	// Choices are the values a Choice admits.
	Choices []string
	// Default gives the value when neither a flag nor the config file does.
	Default Default
	// Rules are constraints against other parameters; the Kind's own range
	// (a share in [0, 1], ...) is implied.
	Rules []Rule
	// Help is the flag's description; the syntax, the rules, the config key
	// and the default are added to it (see Usage).
	Help string
	// Hint follows the message refusing a value outside the Kind's range.
	Hint string
	// Ingest: kaa ingest takes the flag too, as the parameter governs
	// loading or the data checks; the others are flags of the verbs that
	// build and publish studies only.
	Ingest bool
	// flag, if set, is the flag name instead of the one derived from Key.
	flag string
}

// Default is a parameter's default rule.
type Default struct {
	Doc string // the rule in words, for --help: "today", "as_of", "5"
	of  func(r *resolver) any
}

// Rule is a constraint of a parameter's value against another's.
type Rule struct {
	Doc string // the rule in words, for --help: "not before s1.from"
	// order: an order between two keys of one table, checked before the
	// keys' own ranges and bounds (see validate).
	order bool
	// check returns the problem ("" if none), worded after "config: ".
	check func(p Param, v any, r *resolver) string
}

// table is every run parameter. Its order is the order of manifest.json's
// config object (a table's keys follow its first key) and of the
// messages.
var table = []Param{
	{Key: "as_of", Kind: Date, Ingest: true,
		Default: derived("today", func(r *resolver) any { return r.today }),
		Rules:   []Rule{notAfterToday()},
		Help:    "report date; nothing dated later is used"},
	{Key: "suppress_below", Kind: Count, Default: fixed(5),
		Help: `show counts 1..n-1 as "<n" in published tables; 0 = exact figures`,
		Hint: "0 turns suppression off"},
	{Key: "max_reject_share", Kind: Share, Default: fixed(0.02), Ingest: true,
		Help: "data-quality gate: a used input file rejecting more than this share of its rows stops the run; 1 = off"},

	{Key: "s1.from", Kind: Date,
		Default: derived("s1.to minus two years plus one day", func(r *resolver) any {
			return addYears(r.date("s1.to"), -2).AddDate(0, 0, 1)
		}),
		Rules: []Rule{notAfter("as_of")},
		Help:  "S1 cohort window start"},
	{Key: "s1.to", Kind: Date,
		Default: derived("the last day of the month six months before as_of's month", func(r *resolver) any {
			return lastDay(monthOf(r.date("as_of")).AddDate(0, -6, 0))
		}),
		Rules: []Rule{notBefore("s1.from"), notAfter("as_of")},
		Help:  "S1 cohort window end"},
	{Key: "s1.cutoff", Kind: Date, Default: sameAs("as_of"),
		Rules: []Rule{notBefore("s1.to"), notAfter("as_of")},
		Help:  "S1 follow-up date"},

	{Key: "s2.goal1", Kind: Share, Default: fixed(0.50), Help: "S2 delmål 1 threshold"},
	{Key: "s2.goal2", Kind: Share, Default: fixed(0.50), Help: "S2 delmål 2 threshold"},

	{Key: "s3.population", Kind: Choice, Choices: []string{"kohort", "avslutade_deltagare"}, Default: fixed("kohort"),
		Help: "S3 population: the S1 cohort, or the S2 participants who have left"},
	{Key: "s4.population", Kind: Choice, Choices: []string{"kohort", "avslutade_deltagare"}, Default: fixed("kohort"),
		Help: "S4 population: the S1 cohort, or the S2 participants who have left"},

	{Key: "s5.from", Kind: Date,
		Default: derived("the first day of the month before as_of", func(r *resolver) any { return monthBefore(r.date("as_of")) }),
		Rules:   []Rule{notAfter("as_of")},
		Help:    "S5 time-study period start"},
	{Key: "s5.to", Kind: Date,
		Default: derived("the last day of the month before as_of", func(r *resolver) any { return lastDay(monthBefore(r.date("as_of"))) }),
		Rules:   []Rule{notBefore("s5.from"), notAfter("as_of")},
		Help:    "S5 time-study period end"},
	{Key: "s5.kaa_date", Kind: Date, Default: sameAs("as_of"),
		Rules: []Rule{notAfter("as_of")},
		Help:  "S5 date of the KAA comparison"},

	{Key: "s6.month", Kind: Month, flag: "month",
		Default: derived("the month before as_of", func(r *resolver) any { return monthBefore(r.date("as_of")) }),
		Rules:   []Rule{notAfterMonthOf("as_of")},
		Help:    "S6 month"},
	{Key: "s6.target_men", Kind: Share, Default: fixed(0.60), Help: "S6 target share of men"},
}

// Table returns the declarations of every run parameter, in table order.
func Table() []Param { return append([]Param(nil), table...) }

// Lookup returns the parameter with the config key ("s1.cutoff").
func Lookup(key string) (Param, bool) {
	for _, p := range table {
		if p.Key == key {
			return p, true
		}
	}
	return Param{}, false
}

// ByVariable returns the parameter whose DuckDB variable is name
// ("s1_cutoff").
func ByVariable(name string) (Param, bool) {
	for _, p := range table {
		if p.Variable() == name {
			return p, true
		}
	}
	return Param{}, false
}

// Variable is the parameter's DuckDB variable, read by the SQL models as
// getvariable('<name>'): the key with "." as "_" (s1.cutoff → s1_cutoff).
func (p Param) Variable() string { return strings.ReplaceAll(p.Key, ".", "_") }

// Table is the TOML table the key belongs to ("s1"), "" at the top level.
func (p Param) Table() string {
	t, _, ok := strings.Cut(p.Key, ".")
	if !ok {
		return ""
	}
	return t
}

// Name is the key within its table ("cutoff").
func (p Param) Name() string { return p.Key[strings.LastIndex(p.Key, ".")+1:] }

// Flag is the command-line flag's name: the key with "." and "_" as "-"
// (s5.kaa_date → s5-kaa-date) unless the declaration names another.
func (p Param) Flag() string {
	if p.flag != "" {
		return p.flag
	}
	return strings.NewReplacer(".", "-", "_", "-").Replace(p.Key)
}

// Usage is the flag's --help text: the description, then the syntax, the
// rules, the config key and the default, e.g.
//
//	S1 follow-up date (YYYY-MM-DD, not before s1.to, not after as_of; config s1.cutoff; default as_of)
//
// The syntax's placeholder is back-quoted for flag.PrintDefaults.
func (p Param) Usage() string {
	parts := []string{p.syntax()}
	for _, r := range p.Rules {
		parts = append(parts, r.Doc)
	}
	return fmt.Sprintf("%s (%s; config %s; default %s)", p.Help, strings.Join(parts, ", "), p.Key, p.Default.Doc)
}

func (p Param) syntax() string {
	switch p.Kind {
	case Date:
		return "`YYYY-MM-DD`"
	case Month:
		return "`YYYY-MM`"
	case Share:
		return "a `share` 0..1"
	case Number:
		return "a `number`"
	case Count:
		return "a whole `number`, 0 or more"
	case Choice:
		return "`" + strings.Join(p.Choices, "|") + "`"
	}
	panic(p.bad())
}

// ParseFlag parses a flag's text into the parameter's value. Numbers may
// have a decimal comma; a value's range is checked by Resolve, as a key's
// is.
func (p Param) ParseFlag(s string) (any, error) {
	switch p.Kind {
	case Date:
		return ParseDate(s)
	case Month:
		return ParseMonth(s)
	case Share, Number:
		f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
		if err != nil {
			return nil, fmt.Errorf("%q is not a number", s)
		}
		return f, nil
	case Count:
		n, err := strconv.Atoi(s)
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", s)
		}
		return n, nil
	case Choice:
		return s, nil
	}
	panic(p.bad())
}

// holds reports whether v is a value of the parameter's Go type.
func (p Param) holds(v any) bool {
	switch p.Kind {
	case Date, Month:
		_, ok := v.(time.Time)
		return ok
	case Share, Number:
		_, ok := v.(float64)
		return ok
	case Count:
		_, ok := v.(int)
		return ok
	case Choice:
		_, ok := v.(string)
		return ok
	}
	panic(p.bad())
}

// normal is v as the Kind keeps it: a date at midnight UTC, a month as its
// first day.
func (p Param) normal(v any) any {
	switch p.Kind {
	case Date:
		return dateOf(v.(time.Time))
	case Month:
		return monthOf(v.(time.Time))
	}
	return v
}

// text is v as written in a config file: "2021-03-31", "2021-03", 0.5, 5,
// "kohort".
func (p Param) text(v any) string {
	switch p.Kind {
	case Date:
		return FormatDate(v.(time.Time))
	case Month:
		return FormatMonth(v.(time.Time))
	case Share, Number:
		return formatFloat(v.(float64))
	case Count:
		return strconv.Itoa(v.(int))
	case Choice:
		return strconv.Quote(v.(string))
	}
	panic(p.bad())
}

// inRange returns the problem of a value outside the Kind's range, "" if
// none.
func (p Param) inRange(v any) string {
	var problem string
	switch p.Kind {
	case Share:
		if x := v.(float64); !(x >= 0 && x <= 1) { // also catches NaN
			problem = "is outside [0, 1]"
		}
	case Number:
		if x := v.(float64); math.IsNaN(x) || math.IsInf(x, 0) {
			problem = "is not a finite number"
		}
	case Count:
		if v.(int) < 0 {
			problem = "is negative"
		}
	case Choice:
		ok := false
		for _, c := range p.Choices {
			ok = ok || c == v
		}
		if !ok {
			problem = "must be " + p.choices()
		}
	}
	if problem == "" {
		return ""
	}
	msg := fmt.Sprintf("%s (%s) %s", p.Key, p.text(v), problem)
	if p.Hint != "" {
		msg += "; " + p.Hint
	}
	return msg
}

// choices lists the Choices quoted: "a", "b" or "c".
func (p Param) choices() string {
	var q []string
	for _, c := range p.Choices {
		q = append(q, strconv.Quote(c))
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

func (p Param) bad() string { return fmt.Sprintf("config: parameter %s has no kind", p.Key) }

// fixed is a constant default.
func fixed(v any) Default {
	doc := fmt.Sprint(v)
	if f, ok := v.(float64); ok {
		doc = formatFloat(f)
	}
	return Default{Doc: doc, of: func(*resolver) any { return v }}
}

// sameAs defaults to another date parameter's value.
func sameAs(key string) Default {
	return Default{Doc: key, of: func(r *resolver) any { return r.get(key) }}
}

// derived is a default computed from other parameters (r.get resolves
// them first) or from today.
func derived(doc string, of func(r *resolver) any) Default { return Default{Doc: doc, of: of} }

// notBefore: a date not before another date of its table.
func notBefore(key string) Rule {
	return Rule{Doc: "not before " + key, order: true, check: func(p Param, v any, r *resolver) string {
		ref := r.date(key)
		if v.(time.Time).Before(ref) {
			return fmt.Sprintf("%s (%s) is before %s (%s)", p.Key, p.text(v), key, FormatDate(ref))
		}
		return ""
	}}
}

// notAfter: a date not after another date.
func notAfter(key string) Rule {
	return Rule{Doc: "not after " + key, check: func(p Param, v any, r *resolver) string {
		ref := r.date(key)
		if v.(time.Time).After(ref) {
			return fmt.Sprintf("%s (%s) is after %s (%s)", p.Key, p.text(v), key, FormatDate(ref))
		}
		return ""
	}}
}

// notAfterToday: a date not after the day the run is made (a report
// cannot be made as of a day that has not come).
func notAfterToday() Rule {
	return Rule{Doc: "not after today", check: func(p Param, v any, r *resolver) string {
		if v.(time.Time).After(r.today) {
			return fmt.Sprintf("%s (%s) is after today (%s): a report date cannot be in the future", p.Key, p.text(v), FormatDate(r.today))
		}
		return ""
	}}
}

// notAfterMonthOf: a month not after the month of a date.
func notAfterMonthOf(key string) Rule {
	return Rule{Doc: "not after the month of " + key, check: func(p Param, v any, r *resolver) string {
		ref := r.date(key)
		if v.(time.Time).After(monthOf(ref)) {
			return fmt.Sprintf("%s (%s) is after the month of %s (%s)", p.Key, p.text(v), key, FormatDate(ref))
		}
		return ""
	}}
}
