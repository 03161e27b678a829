// Package config owns the run parameters of a kaa run. Each parameter is
// declared once, in the table of param.go (key, kind, default rule, flag,
// help, constraints); the TOML file given with --config, the command-line
// flags, the defaults of shared/spec/studies.md ("Running a study:
// parameters and outputs"), the checks that stop a run whose values
// contradict each other, the DuckDB variables of the SQL models, the
// manifest's config object and the page notes all derive from it.
//
// The flow is
//
//	f, err := config.Load(path)               // File: which keys were set, and to what
//	c, err := config.Resolve(f, overrides, today)
//	c.Values()                                // every parameter's typed value, in table order
//	c.Params()                                // the resolved values, for manifest.json
//
// Dates are calendar dates: a time.Time at midnight UTC, never a zone. The
// TOML key names are an interface that users' saved configs rely on; they
// must not change.
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"time"
)

// Values are parameter values by config key ("s1.cutoff"), each of its
// Kind's Go type: a time.Time for a Date or a Month, a float64 for a Share
// or a Number, an int for a Count, a string for a Choice. A key that is
// absent was not set.
type Values map[string]any

// File is a parsed config file: the keys it set and the path it was read
// from ("" for no file).
type File struct {
	Path   string
	Values Values
}

// Overrides are the parameters given as command-line flags; each wins over
// the config file's key.
type Overrides Values

// Config is a fully resolved, validated set of run parameters: a value for
// every parameter of the table.
type Config struct {
	values map[string]any
}

// Value is one resolved parameter.
type Value struct {
	Param Param
	Value any // of the Kind's Go type (see Values); a Date at midnight UTC, a Month its first day
}

// Resolve merges the file, the flag overrides and the defaults (flag over
// key over default) and validates the result.
//
// today is the date the run is made; only its calendar date in its own
// location matters. It is the default as_of, from which every other
// default derives (so --as-of moves them too); a default may derive from
// another resolved parameter (s1.from from s1.to, so a config setting only
// s1.to gets the two years ending there). Every value given is taken as
// its calendar date (a Month as its first day).
//
// Every problem is reported, joined with errors.Join, each naming its key,
// e.g.
//
//	config: s1.cutoff (2020-01-01) is before s1.to (2020-06-30)
//
// On error the returned Config is the zero value.
func Resolve(f File, o Overrides, today time.Time) (Config, error) {
	given := Values{}
	for k, v := range f.Values {
		given[k] = v
	}
	for k, v := range o {
		given[k] = v
	}
	var errs []error
	for _, k := range slices.Sorted(maps.Keys(given)) {
		p, ok := Lookup(k)
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("config: unknown key %s", k))
		case !p.holds(given[k]):
			errs = append(errs, fmt.Errorf("config: %s: %#v (%T) is not a %s", k, given[k], given[k], p.Kind))
		}
	}
	if len(errs) > 0 {
		return Config{}, errors.Join(errs...)
	}
	r := &resolver{today: dateOf(today), given: given, params: map[string]Param{}, values: map[string]any{}, busy: map[string]bool{}}
	for _, p := range table {
		r.params[p.Key] = p
	}
	for _, p := range table {
		r.get(p.Key)
	}
	if err := r.validate(); err != nil {
		return Config{}, err
	}
	return Config{values: r.values}, nil
}

// resolver resolves each parameter once, given value or default, the
// parameters its default reads first.
type resolver struct {
	today  time.Time
	given  Values
	params map[string]Param // the table by key
	values map[string]any
	busy   map[string]bool
}

func (r *resolver) get(key string) any {
	if v, ok := r.values[key]; ok {
		return v
	}
	p, ok := r.params[key]
	if !ok || r.busy[key] {
		panic("config: the table's defaults read an undeclared key or form a cycle at " + key)
	}
	r.busy[key] = true
	v, ok := r.given[key]
	if !ok {
		v = p.Default.of(r)
	}
	v = p.normal(v)
	r.values[key] = v
	return v
}

func (r *resolver) date(key string) time.Time { return r.get(key).(time.Time) }

// validate checks the resolved values. Per table, in table order: first
// the orders between its keys (s1.to not before s1.from), then each key's
// range (a share in [0, 1]) and bounds (not after as_of), in key order.
// Every problem is reported, joined.
func (r *resolver) validate() error {
	var errs []error
	add := func(problem string) {
		if problem != "" {
			errs = append(errs, errors.New("config: "+problem))
		}
	}
	for _, group := range tables() {
		for _, p := range group {
			for _, rule := range p.Rules {
				if rule.order {
					add(rule.check(p, r.values[p.Key], r))
				}
			}
		}
		for _, p := range group {
			add(p.inRange(r.values[p.Key]))
			for _, rule := range p.Rules {
				if !rule.order {
					add(rule.check(p, r.values[p.Key], r))
				}
			}
		}
	}
	return errors.Join(errs...)
}

// tables groups the table's parameters by TOML table, in the order of each
// table's first key; the top-level keys are the group "".
func tables() [][]Param {
	var (
		groups [][]Param
		at     = map[string]int{}
	)
	for _, p := range table {
		i, ok := at[p.Table()]
		if !ok {
			i = len(groups)
			at[p.Table()] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], p)
	}
	return groups
}

// Values returns every parameter's value, in table order.
func (c Config) Values() []Value {
	out := make([]Value, 0, len(table))
	for _, p := range table {
		out = append(out, Value{Param: p, Value: c.Get(p.Key)})
	}
	return out
}

// Get returns the value of the parameter with the config key; it panics
// for an undeclared key or an unresolved Config.
func (c Config) Get(key string) any {
	v, ok := c.values[key]
	if !ok {
		panic("config: no resolved parameter " + key)
	}
	return v
}

// AsOf is the report date (as_of).
func (c Config) AsOf() time.Time { return c.Get("as_of").(time.Time) }

// SuppressBelow is the smallest count published as it is (suppress_below).
func (c Config) SuppressBelow() int { return c.Get("suppress_below").(int) }

// MaxRejectShare is the data-quality gate (max_reject_share): a used input
// file whose rejected rows exceed this share of its read rows blocks
// publishing (inputs.md, "Data-quality gates"); 1 turns the gate off.
func (c Config) MaxRejectShare() float64 { return c.Get("max_reject_share").(float64) }

// Note is the value as the page templates get it: a Month as "YYYY-MM"
// (as in the config file), every other kind as its Go value.
func (v Value) Note() any {
	if v.Param.Kind == Month {
		return FormatMonth(v.Value.(time.Time))
	}
	return v.Value
}

// json is the value as recorded in manifest.json: dates "YYYY-MM-DD",
// months "YYYY-MM", as in the config file.
func (v Value) json() any {
	switch v.Param.Kind {
	case Date:
		return FormatDate(v.Value.(time.Time))
	case Month:
		return FormatMonth(v.Value.(time.Time))
	}
	return v.Value
}

// Params is the resolved configuration as recorded in manifest.json: the
// config file's keys and shape (a table's keys as an object), dates
// "YYYY-MM-DD" and months "YYYY-MM", so it can be written back as a config
// file that reproduces the run. Its JSON order is the table's: the
// top-level keys, then each TOML table in the order of its first key.
type Params struct {
	c Config
}

// Params returns the resolved configuration for the manifest.
func (c Config) Params() Params { return Params{c: c} }

// MarshalJSON writes the object in table order.
func (p Params) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	write := func(v any) error {
		x, err := json.Marshal(v)
		b.Write(x)
		return err
	}
	b.WriteByte('{')
	for i, group := range tables() {
		if i > 0 {
			b.WriteByte(',')
		}
		nested := group[0].Table() != ""
		if nested {
			write(group[0].Table())
			b.WriteString(":{")
		}
		for j, param := range group {
			if j > 0 {
				b.WriteByte(',')
			}
			write(param.Name())
			b.WriteByte(':')
			if err := write(Value{Param: param, Value: p.c.Get(param.Key)}.json()); err != nil {
				return nil, fmt.Errorf("config: %s: %w", param.Key, err)
			}
		}
		if nested {
			b.WriteByte('}')
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// ParseDate parses "YYYY-MM-DD" (a real calendar date) to midnight UTC.
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

// ymd is the calendar date y-m-d at midnight UTC.
func ymd(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// dateOf is t's calendar date (in t's own location) at midnight UTC.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return ymd(y, m, d)
}

// monthOf is the first day of t's month at midnight UTC.
func monthOf(t time.Time) time.Time {
	y, m, _ := t.Date()
	return ymd(y, m, 1)
}

// monthBefore is the first day of the month before t's.
func monthBefore(t time.Time) time.Time {
	return monthOf(t).AddDate(0, -1, 0) // from the first of a month: never normalises
}

// lastDay is the last day of t's month.
func lastDay(t time.Time) time.Time {
	return monthOf(t).AddDate(0, 1, -1)
}

// addYears moves t by n years, clamping 29 February to 28 February in a
// common year (time.AddDate would roll over into March).
func addYears(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	if last := lastDay(ymd(y+n, m, 1)).Day(); d > last {
		d = last
	}
	return ymd(y+n, m, d)
}

func formatFloat(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}
