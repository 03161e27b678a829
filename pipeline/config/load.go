package config

import (
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Load reads a TOML config file with the keys of studies.md:
//
//	as_of = "2021-03-31"   suppress_below = 5   max_reject_share = 0.02
//	[s1] from, to, cutoff  [s2] goal1, goal2
//	[s3] population        [s4] population ("kohort" or "avslutade_deltagare")
//	[s5] from, to, kaa_date [s6] month ("YYYY-MM"), target_men
//
// Dates are strings "YYYY-MM-DD" (a bare TOML date, as_of = 2021-03-31, is
// accepted too); goals and targets are numbers (an integer such as 1 is
// accepted); suppress_below is an integer; max_reject_share a number. The returned File records which
// keys were set. Values are checked against each other only by Resolve.
//
// Errors name the file and the key, e.g. "config.toml: unknown key s1.form"
// or `config.toml: s1.from: "2020-13-01" is not a date YYYY-MM-DD`; all
// problems of the file are reported (errors.Join), in key order. A TOML
// syntax error is reported with its line.
func Load(path string) (File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return File{}, err
	}
	return parse(path, string(data))
}

// keys of each table; "" is the top level.
var schema = map[string][]string{
	"":   {"as_of", "suppress_below", "max_reject_share", "s1", "s2", "s3", "s4", "s5", "s6"},
	"s1": {"from", "to", "cutoff"},
	"s2": {"goal1", "goal2"},
	"s3": {"population"},
	"s4": {"population"},
	"s5": {"from", "to", "kaa_date"},
	"s6": {"month", "target_men"},
}

func parse(path, data string) (File, error) {
	f := File{Path: path}
	var raw map[string]any
	if _, err := toml.Decode(data, &raw); err != nil {
		return File{}, fmt.Errorf("%s: %w", path, err)
	}

	var errs []error
	fail := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s: %s", path, key, fmt.Sprintf(format, args...)))
	}

	// Unknown keys first, so a misspelt key is the first thing the user reads.
	var unknown []string
	for _, k := range sortedKeys(raw) {
		if !known("", k) {
			unknown = append(unknown, k)
			continue
		}
		if tbl, ok := raw[k].(map[string]any); ok && schema[k] != nil {
			for _, sub := range sortedKeys(tbl) {
				if !known(k, sub) {
					unknown = append(unknown, k+"."+sub)
				}
			}
		}
	}
	for _, k := range unknown {
		errs = append(errs, fmt.Errorf("%s: unknown key %s", path, k))
	}

	date := func(key string, v any) *time.Time {
		switch x := v.(type) {
		case string:
			t, err := ParseDate(x)
			if err != nil {
				fail(key, "%v", err)
				return nil
			}
			return &t
		case time.Time:
			// A bare TOML local date (as_of = 2021-03-31). Local date-times
			// and offset date-times are not dates.
			if x.Location().String() == "date-local" {
				t := dateOf(x)
				return &t
			}
		}
		fail(key, "%s is not a date; write it as \"YYYY-MM-DD\"", tomlValue(v))
		return nil
	}
	number := func(key string, v any) *float64 {
		switch x := v.(type) {
		case float64:
			return &x
		case int64:
			y := float64(x)
			return &y
		}
		fail(key, "%s is not a number", tomlValue(v))
		return nil
	}

	for _, k := range sortedKeys(raw) {
		v := raw[k]
		switch k {
		case "as_of":
			f.AsOf = date(k, v)
		case "suppress_below":
			x, ok := v.(int64)
			if !ok || x > math.MaxInt32 || x < math.MinInt32 {
				fail(k, "%s is not an integer", tomlValue(v))
				continue
			}
			n := int(x)
			f.SuppressBelow = &n
		case "max_reject_share":
			f.MaxRejectShare = number(k, v)
		case "s1", "s2", "s3", "s4", "s5", "s6":
			tbl, ok := v.(map[string]any)
			if !ok {
				fail(k, "must be a table [%s], not %s", k, tomlValue(v))
				continue
			}
			for _, sub := range sortedKeys(tbl) {
				key, sv := k+"."+sub, tbl[sub]
				switch key {
				case "s1.from":
					f.S1From = date(key, sv)
				case "s1.to":
					f.S1To = date(key, sv)
				case "s1.cutoff":
					f.S1Cutoff = date(key, sv)
				case "s2.goal1":
					f.S2Goal1 = number(key, sv)
				case "s2.goal2":
					f.S2Goal2 = number(key, sv)
				case "s5.from":
					f.S5From = date(key, sv)
				case "s5.to":
					f.S5To = date(key, sv)
				case "s5.kaa_date":
					f.S5KaaDate = date(key, sv)
				case "s6.month":
					s, ok := sv.(string)
					if !ok {
						fail(key, "%s is not a month; write it as \"YYYY-MM\"", tomlValue(sv))
						continue
					}
					t, err := ParseMonth(s)
					if err != nil {
						fail(key, "%v", err)
						continue
					}
					f.S6Month = &t
				case "s3.population", "s4.population":
					p, ok := sv.(string)
					if !ok {
						fail(key, "%s is not text; write \"%s\" or \"%s\"", tomlValue(sv), PopulationKohort, PopulationAvslutade)
						continue
					}
					if key == "s3.population" {
						f.S3Population = &p
					} else {
						f.S4Population = &p
					}
				case "s6.target_men":
					f.S6TargetMen = number(key, sv)
				}
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return File{}, err
	}
	return f, nil
}

func known(table, key string) bool {
	for _, k := range schema[table] {
		if k == key {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// tomlValue shows a decoded value the way the user wrote it, roughly.
func tomlValue(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%q", x)
	case map[string]any:
		return "a table"
	case []any, []map[string]any:
		return "an array"
	case time.Time:
		return strings.TrimSuffix(x.Format(time.RFC3339Nano), "Z")
	default:
		return fmt.Sprint(x)
	}
}
