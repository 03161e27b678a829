// Package config owns the run parameters of a kaa run: the TOML file given
// with --config, the command-line overrides, the defaults of
// shared/spec/studies.md ("Running a study: parameters and outputs"), and
// the checks that stop a run whose dates contradict each other.
//
// The flow is
//
//	f, err := config.Load(path)               // File: which keys were set, and to what
//	c, err := config.Resolve(f, overrides, today)
//	c.Variables()                             // DuckDB variables for the SQL models
//	c.Params()                                // the resolved values, for manifest.json
//
// Dates are calendar dates: a time.Time at midnight UTC, never a zone. The
// TOML key names are an interface that users' saved configs rely on; they
// must not change.
package config

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Config is a fully resolved, validated set of run parameters. Every date is
// at midnight UTC. S6.Month is the first day of the month.
type Config struct {
	AsOf          time.Time
	SuppressBelow int
	// MaxRejectShare is the data-quality gate: a used input file whose
	// rejected rows exceed this share of its read rows blocks publishing
	// (inputs.md, "Data-quality gates"); 1 turns the gate off.
	MaxRejectShare float64
	S1             struct{ From, To, Cutoff time.Time }
	S2             struct{ Goal1, Goal2 float64 }
	S3             struct{ Population string } // PopulationKohort or PopulationAvslutade
	S4             struct{ Population string } // PopulationKohort or PopulationAvslutade
	S5             struct{ From, To, KaaDate time.Time }
	S6             struct {
		Month     time.Time // first day of the month
		TargetMen float64
	}
}

// Values holds parameters that may or may not have been given: a nil field
// was not set. It is the content of a config file (File) and of the
// command-line flags (Overrides). Dates are midnight UTC; S6Month is the
// first day of its month.
type Values struct {
	AsOf           *time.Time
	SuppressBelow  *int
	MaxRejectShare *float64
	S1From         *time.Time
	S1To           *time.Time
	S1Cutoff       *time.Time
	S2Goal1        *float64
	S2Goal2        *float64
	S3Population   *string
	S4Population   *string
	S5From         *time.Time
	S5To           *time.Time
	S5KaaDate      *time.Time
	S6Month        *time.Time
	S6TargetMen    *float64
}

// File is a parsed config file: the keys it set (non-nil fields) and the
// path it was read from ("" for no file).
type File struct {
	Path string
	Values
}

// Overrides are the parameters given as command-line flags; a non-nil field
// wins over the config file's key.
type Overrides Values

// Defaults of studies.md.
const (
	DefaultSuppressBelow  = 5
	DefaultMaxRejectShare = 0.02
	DefaultGoal           = 0.50
	DefaultTargetMen      = 0.60
)

// The populations of S3 and S4 (keys s3.population, s4.population): the S1
// cohort (the default) or the S2 participants who have left the project.
const (
	PopulationKohort    = "kohort"
	PopulationAvslutade = "avslutade_deltagare"
)

// Resolve merges the file, the flag overrides and the defaults (flag over
// key over default) and validates the result.
//
// today is the date the run is made; only its calendar date in its own
// location matters. It is the default as_of. Every other default derives
// from the resolved as_of (so --as-of moves them too):
//
//   - suppress_below 5; max_reject_share 0.02
//   - s1.cutoff = as_of; s1.to = last day of the month six months before
//     as_of's month; s1.from = s1.to minus two years plus one day (from the
//     resolved s1.to, so a config setting only s1.to gets the two years
//     ending there)
//   - s2.goal1, s2.goal2 = 0.50
//   - s3.population, s4.population = "kohort"
//   - s5.from, s5.to = first and last day of the month before as_of;
//     s5.kaa_date = as_of
//   - s6.month = the month before as_of; s6.target_men = 0.60
//
// Validation: s1.to before s1.from, s1.cutoff before s1.to, s5.to before
// s5.from, any date after as_of (s6.month: a month after as_of's month),
// goals, targets and max_reject_share outside [0, 1], suppress_below < 0,
// a population other than "kohort" or "avslutade_deltagare"; and, checked
// here since only Resolve knows today, an as_of after today (a report
// cannot be made as of a day that has not come). Every problem is
// reported, joined with errors.Join, each naming its key, e.g.
//
//	config: s1.cutoff (2020-01-01) is before s1.to (2020-06-30)
//
// On error the returned Config is the zero value.
func Resolve(f File, o Overrides, today time.Time) (Config, error) {
	v := merge(Values(o), f.Values)
	var c Config

	c.AsOf = dateOf(today)
	if v.AsOf != nil {
		c.AsOf = dateOf(*v.AsOf)
	}
	asOfMonth := monthOf(c.AsOf)
	prevMonth := asOfMonth.AddDate(0, -1, 0) // first of month: never normalises

	c.SuppressBelow = orInt(v.SuppressBelow, DefaultSuppressBelow)
	c.MaxRejectShare = orFloat(v.MaxRejectShare, DefaultMaxRejectShare)

	c.S1.Cutoff = orDate(v.S1Cutoff, c.AsOf)
	c.S1.To = orDate(v.S1To, lastDay(asOfMonth.AddDate(0, -6, 0)))
	c.S1.From = orDate(v.S1From, addYears(c.S1.To, -2).AddDate(0, 0, 1))

	c.S2.Goal1 = orFloat(v.S2Goal1, DefaultGoal)
	c.S2.Goal2 = orFloat(v.S2Goal2, DefaultGoal)

	c.S3.Population = orString(v.S3Population, PopulationKohort)
	c.S4.Population = orString(v.S4Population, PopulationKohort)

	c.S5.From = orDate(v.S5From, prevMonth)
	c.S5.To = orDate(v.S5To, lastDay(prevMonth))
	c.S5.KaaDate = orDate(v.S5KaaDate, c.AsOf)

	c.S6.Month = prevMonth
	if v.S6Month != nil {
		c.S6.Month = monthOf(*v.S6Month)
	}
	c.S6.TargetMen = orFloat(v.S6TargetMen, DefaultTargetMen)

	err := c.Validate()
	if c.AsOf.After(dateOf(today)) {
		err = errors.Join(fmt.Errorf("config: as_of (%s) is after today (%s): a report date cannot be in the future", FormatDate(c.AsOf), FormatDate(dateOf(today))), err)
	}
	if err != nil {
		return Config{}, err
	}
	return c, nil
}

// Validate checks a resolved Config; see Resolve for the rules. It reports
// every problem, joined, in a fixed order.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("config: "+format, args...))
	}
	before := func(key string, d time.Time, refKey string, ref time.Time) {
		if d.Before(ref) {
			bad("%s (%s) is before %s (%s)", key, FormatDate(d), refKey, FormatDate(ref))
		}
	}
	afterAsOf := func(key string, d time.Time) {
		if d.After(c.AsOf) {
			bad("%s (%s) is after as_of (%s)", key, FormatDate(d), FormatDate(c.AsOf))
		}
	}
	share := func(key string, x float64) {
		if !(x >= 0 && x <= 1) { // also catches NaN
			bad("%s (%s) is outside [0, 1]", key, formatFloat(x))
		}
	}

	if c.SuppressBelow < 0 {
		bad("suppress_below (%d) is negative; 0 turns suppression off", c.SuppressBelow)
	}
	share("max_reject_share", c.MaxRejectShare)
	before("s1.to", c.S1.To, "s1.from", c.S1.From)
	before("s1.cutoff", c.S1.Cutoff, "s1.to", c.S1.To)
	afterAsOf("s1.from", c.S1.From)
	afterAsOf("s1.to", c.S1.To)
	afterAsOf("s1.cutoff", c.S1.Cutoff)
	share("s2.goal1", c.S2.Goal1)
	share("s2.goal2", c.S2.Goal2)
	population := func(key, p string) {
		if p != PopulationKohort && p != PopulationAvslutade {
			bad("%s (%q) must be %q or %q", key, p, PopulationKohort, PopulationAvslutade)
		}
	}
	population("s3.population", c.S3.Population)
	population("s4.population", c.S4.Population)
	before("s5.to", c.S5.To, "s5.from", c.S5.From)
	afterAsOf("s5.from", c.S5.From)
	afterAsOf("s5.to", c.S5.To)
	afterAsOf("s5.kaa_date", c.S5.KaaDate)
	if c.S6.Month.After(monthOf(c.AsOf)) {
		bad("s6.month (%s) is after the month of as_of (%s)", FormatMonth(c.S6.Month), FormatDate(c.AsOf))
	}
	share("s6.target_men", c.S6.TargetMen)
	return errors.Join(errs...)
}

// Variable is one DuckDB variable of the SQL models (getvariable(Name)).
// Value is a time.Time (midnight UTC) for DATE, a float64 for DOUBLE, an
// int for INTEGER, a string for VARCHAR.
type Variable struct {
	Name  string
	Value any
}

// SQLType is the DuckDB type of the variable: DATE, DOUBLE, VARCHAR or
// INTEGER.
func (v Variable) SQLType() string {
	switch v.Value.(type) {
	case time.Time:
		return "DATE"
	case float64:
		return "DOUBLE"
	case string:
		return "VARCHAR"
	default:
		return "INTEGER"
	}
}

// Statement is the SQL that sets the variable with its exact type, e.g.
// SET VARIABLE as_of = DATE '2021-03-31' or
// SET VARIABLE s2_goal1 = CAST(0.5 AS DOUBLE). (A bound time.Time would
// arrive as a TIMESTAMP and a bare 0.5 as a DECIMAL; this avoids both.)
func (v Variable) Statement() string {
	var lit string
	switch x := v.Value.(type) {
	case time.Time:
		lit = "DATE '" + FormatDate(x) + "'"
	case float64:
		lit = "CAST(" + strconv.FormatFloat(x, 'g', -1, 64) + " AS DOUBLE)"
	case int:
		lit = "CAST(" + strconv.Itoa(x) + " AS INTEGER)"
	case string:
		lit = "'" + strings.ReplaceAll(x, "'", "''") + "'"
	default:
		panic(fmt.Sprintf("config: variable %s has unexpected type %T", v.Name, v.Value))
	}
	return "SET VARIABLE " + v.Name + " = " + lit
}

// Variables returns the DuckDB variables of the SQL models, always in this
// order: as_of, s1_from, s1_to, s1_cutoff, s2_goal1, s2_goal2,
// s3_population, s4_population, s5_from, s5_to, s5_kaa_date, s6_month
// (first day of month), s6_target_men, suppress_below.
func (c Config) Variables() []Variable {
	return []Variable{
		{"as_of", c.AsOf},
		{"s1_from", c.S1.From},
		{"s1_to", c.S1.To},
		{"s1_cutoff", c.S1.Cutoff},
		{"s2_goal1", c.S2.Goal1},
		{"s2_goal2", c.S2.Goal2},
		{"s3_population", c.S3.Population},
		{"s4_population", c.S4.Population},
		{"s5_from", c.S5.From},
		{"s5_to", c.S5.To},
		{"s5_kaa_date", c.S5.KaaDate},
		{"s6_month", c.S6.Month},
		{"s6_target_men", c.S6.TargetMen},
		{"suppress_below", c.SuppressBelow},
	}
}

// Params is the resolved configuration as recorded in manifest.json: the
// config file's key names and shape, dates "YYYY-MM-DD", s6.month
// "YYYY-MM" (as in the config file). Its JSON key order is fixed by the
// struct, and it can be written back as a config file that reproduces the
// run.
type Params struct {
	AsOf           string  `json:"as_of"`
	SuppressBelow  int     `json:"suppress_below"`
	MaxRejectShare float64 `json:"max_reject_share"`
	S1             struct {
		From   string `json:"from"`
		To     string `json:"to"`
		Cutoff string `json:"cutoff"`
	} `json:"s1"`
	S2 struct {
		Goal1 float64 `json:"goal1"`
		Goal2 float64 `json:"goal2"`
	} `json:"s2"`
	S3 struct {
		Population string `json:"population"`
	} `json:"s3"`
	S4 struct {
		Population string `json:"population"`
	} `json:"s4"`
	S5 struct {
		From    string `json:"from"`
		To      string `json:"to"`
		KaaDate string `json:"kaa_date"`
	} `json:"s5"`
	S6 struct {
		Month     string  `json:"month"`
		TargetMen float64 `json:"target_men"`
	} `json:"s6"`
}

// Params returns the resolved configuration for the manifest.
func (c Config) Params() Params {
	var p Params
	p.AsOf = FormatDate(c.AsOf)
	p.SuppressBelow = c.SuppressBelow
	p.MaxRejectShare = c.MaxRejectShare
	p.S1.From = FormatDate(c.S1.From)
	p.S1.To = FormatDate(c.S1.To)
	p.S1.Cutoff = FormatDate(c.S1.Cutoff)
	p.S2.Goal1 = c.S2.Goal1
	p.S2.Goal2 = c.S2.Goal2
	p.S3.Population = c.S3.Population
	p.S4.Population = c.S4.Population
	p.S5.From = FormatDate(c.S5.From)
	p.S5.To = FormatDate(c.S5.To)
	p.S5.KaaDate = FormatDate(c.S5.KaaDate)
	p.S6.Month = FormatMonth(c.S6.Month)
	p.S6.TargetMen = c.S6.TargetMen
	return p
}

// ParseDate parses "YYYY-MM-DD" (a real calendar date) to midnight UTC.
// The CLI uses it for date flags so that flags and keys accept the same
// text.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date YYYY-MM-DD", s)
	}
	return t, nil
}

// ParseMonth parses "YYYY-MM" to the first day of that month, midnight UTC.
func ParseMonth(s string) (time.Time, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a month YYYY-MM", s)
	}
	return t, nil
}

// FormatDate formats a date as "YYYY-MM-DD".
func FormatDate(t time.Time) string { return t.Format(time.DateOnly) }

// FormatMonth formats a month as "YYYY-MM".
func FormatMonth(t time.Time) string { return t.Format("2006-01") }

// Date returns the calendar date y-m-d at midnight UTC.
func Date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// dateOf is t's calendar date (in t's own location) at midnight UTC.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return Date(y, m, d)
}

// monthOf is the first day of t's month at midnight UTC.
func monthOf(t time.Time) time.Time {
	y, m, _ := t.Date()
	return Date(y, m, 1)
}

// lastDay is the last day of t's month.
func lastDay(t time.Time) time.Time {
	return monthOf(t).AddDate(0, 1, -1)
}

// addYears moves t by n years, clamping 29 February to 28 February in a
// common year (time.AddDate would roll over into March).
func addYears(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	if last := lastDay(Date(y+n, m, 1)).Day(); d > last {
		d = last
	}
	return Date(y+n, m, d)
}

// merge returns a with every nil field taken from b.
func merge(a, b Values) Values {
	pick := func(x, y *time.Time) *time.Time {
		if x != nil {
			return x
		}
		return y
	}
	pickF := func(x, y *float64) *float64 {
		if x != nil {
			return x
		}
		return y
	}
	r := Values{
		AsOf:           pick(a.AsOf, b.AsOf),
		MaxRejectShare: pickF(a.MaxRejectShare, b.MaxRejectShare),
		S1From:         pick(a.S1From, b.S1From),
		S1To:           pick(a.S1To, b.S1To),
		S1Cutoff:       pick(a.S1Cutoff, b.S1Cutoff),
		S2Goal1:        pickF(a.S2Goal1, b.S2Goal1),
		S2Goal2:        pickF(a.S2Goal2, b.S2Goal2),
		S5From:         pick(a.S5From, b.S5From),
		S5To:           pick(a.S5To, b.S5To),
		S5KaaDate:      pick(a.S5KaaDate, b.S5KaaDate),
		S6Month:        pick(a.S6Month, b.S6Month),
		S6TargetMen:    pickF(a.S6TargetMen, b.S6TargetMen),
	}
	r.S3Population, r.S4Population = a.S3Population, a.S4Population
	if r.S3Population == nil {
		r.S3Population = b.S3Population
	}
	if r.S4Population == nil {
		r.S4Population = b.S4Population
	}
	r.SuppressBelow = a.SuppressBelow
	if r.SuppressBelow == nil {
		r.SuppressBelow = b.SuppressBelow
	}
	return r
}

func orDate(p *time.Time, def time.Time) time.Time {
	if p == nil {
		return def
	}
	return dateOf(*p)
}

func orFloat(p *float64, def float64) float64 {
	if p == nil {
		return def
	}
	return *p
}

func orString(p *string, def string) string {
	if p == nil {
		return def
	}
	return *p
}

func orInt(p *int, def int) int {
	if p == nil {
		return def
	}
	return *p
}

func formatFloat(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}
