package config

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Load reads a TOML config file whose keys are the parameters of the table
// (Table): top-level keys such as as_of = "2021-03-31", and tables such as
// [s1] with from, to, cutoff.
//
// Dates are strings "YYYY-MM-DD" (a bare TOML date, as_of = 2021-03-31, is
// accepted too), months strings "YYYY-MM"; shares and numbers are numbers
// (an integer such as 1 is accepted); counts are integers; choices are
// strings. The returned File records which keys were set. Values are
// checked against their ranges and each other only by Resolve.
//
// Errors name the file and the key, e.g. "config.toml: unknown key s1.form"
// or `config.toml: s1.from: "2020-13-01" is not a date YYYY-MM-DD`; all
// problems of the file are reported (errors.Join): first the unknown keys,
// then the others, each in key order. A TOML syntax error is reported with
// its line.
func Load(path string) (File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return File{}, err
	}
	return parse(path, string(data))
}

func parse(path, data string) (File, error) {
	f := File{Path: path, Values: Values{}}
	var raw map[string]any
	if _, err := toml.Decode(data, &raw); err != nil {
		return File{}, fmt.Errorf("%s: %w", path, err)
	}
	isTable := map[string]bool{}
	for _, p := range table {
		if t := p.Table(); t != "" {
			isTable[t] = true
		}
	}

	var errs []error
	// Unknown keys first, so a misspelt key is the first thing the user reads.
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		if _, ok := Lookup(k); ok {
			continue
		}
		tbl, ok := raw[k].(map[string]any)
		if !isTable[k] {
			errs = append(errs, fmt.Errorf("%s: unknown key %s", path, k))
			continue
		}
		if !ok {
			continue // reported below
		}
		for _, sub := range slices.Sorted(maps.Keys(tbl)) {
			if _, ok := Lookup(k + "." + sub); !ok {
				errs = append(errs, fmt.Errorf("%s: unknown key %s.%s", path, k, sub))
			}
		}
	}

	set := func(p Param, v any) {
		x, problem := fromTOML(p, v)
		if problem != "" {
			errs = append(errs, fmt.Errorf("%s: %s: %s", path, p.Key, problem))
			return
		}
		f.Values[p.Key] = x
	}
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		if p, ok := Lookup(k); ok {
			set(p, raw[k])
			continue
		}
		if !isTable[k] {
			continue
		}
		tbl, ok := raw[k].(map[string]any)
		if !ok {
			errs = append(errs, fmt.Errorf("%s: %s: must be a table [%s], not %s", path, k, k, tomlValue(raw[k])))
			continue
		}
		for _, sub := range slices.Sorted(maps.Keys(tbl)) {
			if p, ok := Lookup(k + "." + sub); ok {
				set(p, tbl[sub])
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return File{}, err
	}
	return f, nil
}

// fromTOML converts a decoded TOML value to the parameter's Go value, or
// says why it cannot.
func fromTOML(p Param, v any) (any, string) {
	switch p.Kind {
	case Date:
		switch x := v.(type) {
		case string:
			t, err := ParseDate(x)
			if err != nil {
				return nil, err.Error()
			}
			return t, ""
		case time.Time:
			// A bare TOML local date (as_of = 2021-03-31). Local date-times
			// and offset date-times are not dates.
			if x.Location().String() == "date-local" {
				return dateOf(x), ""
			}
		}
		return nil, fmt.Sprintf("%s is not a date; write it as \"YYYY-MM-DD\"", tomlValue(v))
	case Month:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Sprintf("%s is not a month; write it as \"YYYY-MM\"", tomlValue(v))
		}
		t, err := ParseMonth(s)
		if err != nil {
			return nil, err.Error()
		}
		return t, ""
	case Share, Number:
		switch x := v.(type) {
		case float64:
			return x, ""
		case int64:
			return float64(x), ""
		}
		return nil, fmt.Sprintf("%s is not a number", tomlValue(v))
	case Count:
		x, ok := v.(int64)
		if !ok || x > math.MaxInt32 || x < math.MinInt32 {
			return nil, fmt.Sprintf("%s is not an integer", tomlValue(v))
		}
		return int(x), ""
	case Choice:
		s, ok := v.(string)
		if !ok {
			return nil, fmt.Sprintf("%s is not text; write %s", tomlValue(v), p.choices())
		}
		return s, ""
	}
	panic(p.bad())
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
