package config

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// The example of studies.md, "Running a study: parameters and outputs".
const specExample = `as_of = "2021-03-31"        # report date; nothing dated later is used
suppress_below = 5          # counts 1..n-1 shown as "<n" in published tables; 0 = off
[s1]
from = "2018-07-01"
to = "2020-06-30"
cutoff = "2020-12-31"
[s2]
goal1 = 0.50
goal2 = 0.50
[s5]
from = "2020-02-01"
to = "2020-02-29"
kaa_date = "2020-03-09"
[s6]
month = "2020-03"           # default: the month before as_of
target_men = 0.60
[s3]
population = "kohort"       # or "avslutade_deltagare"; the same key in [s4]
`

func d(s string) time.Time {
	t, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

// fieldKeys are the parameters the tests below pin by value; fields
// flattens them for readable comparisons (a month as its first day).
var fieldKeys = []string{"as_of", "suppress_below", "s1.from", "s1.to", "s1.cutoff", "s2.goal1", "s2.goal2",
	"s3.population", "s4.population", "s5.from", "s5.to", "s5.kaa_date", "s6.month", "s6.target_men"}

func fields(c Config) map[string]string {
	m := map[string]string{}
	for _, k := range fieldKeys {
		switch v := c.Get(k).(type) {
		case time.Time:
			m[k] = FormatDate(v)
		case float64:
			m[k] = formatFloat(v)
		case int:
			m[k] = formatFloat(float64(v))
		default:
			m[k] = fmt.Sprint(v)
		}
	}
	return m
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSpecExample(t *testing.T) {
	p := writeFile(t, specExample)
	f, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	want := Values{
		"as_of": d("2021-03-31"), "suppress_below": 5,
		"s1.from": d("2018-07-01"), "s1.to": d("2020-06-30"), "s1.cutoff": d("2020-12-31"),
		"s2.goal1": 0.5, "s2.goal2": 0.5, "s3.population": "kohort",
		"s5.from": d("2020-02-01"), "s5.to": d("2020-02-29"), "s5.kaa_date": d("2020-03-09"),
		"s6.month": d("2020-03-01"), "s6.target_men": 0.6,
	}
	if !reflect.DeepEqual(f.Values, want) {
		t.Errorf("Load:\n got %+v\nwant %+v", f.Values, want)
	}
	if f.Path != p {
		t.Errorf("Path = %q, want %q", f.Path, p)
	}
	// today is irrelevant: the file sets everything.
	c, err := Resolve(f, Overrides{}, d("2030-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	wantFields := map[string]string{
		"as_of": "2021-03-31", "suppress_below": "5",
		"s1.from": "2018-07-01", "s1.to": "2020-06-30", "s1.cutoff": "2020-12-31",
		"s2.goal1": "0.5", "s2.goal2": "0.5", "s3.population": "kohort", "s4.population": "kohort",
		"s5.from": "2020-02-01", "s5.to": "2020-02-29", "s5.kaa_date": "2020-03-09",
		"s6.month": "2020-03-01", "s6.target_men": "0.6",
	}
	if got := fields(c); !reflect.DeepEqual(got, wantFields) {
		t.Errorf("Resolve:\n got %v\nwant %v", got, wantFields)
	}
}

func TestDefaults(t *testing.T) {
	// Hand-computed: S1 to = last day of (as_of's month - 6 months);
	// S1 from = to - 2 years + 1 day; S5 = month before as_of; S6 month =
	// month before as_of.
	tests := []struct {
		asOf                  string
		s1From, s1To          string
		s5From, s5To, s6Month string
	}{
		{"2021-03-31", "2018-10-01", "2020-09-30", "2021-02-01", "2021-02-28", "2021-02-01"},
		{"2021-08-31", "2019-03-01", "2021-02-28", "2021-07-01", "2021-07-31", "2021-07-01"},
		// to = 29 Feb of a leap year; two years earlier has no 29 Feb.
		{"2020-08-15", "2018-03-01", "2020-02-29", "2020-07-01", "2020-07-31", "2020-07-01"},
		// two years before 28 Feb 2022 is 28 Feb 2020; the window starts on the leap day.
		{"2022-08-01", "2020-02-29", "2022-02-28", "2022-07-01", "2022-07-31", "2022-07-01"},
		// S5 over a leap February.
		{"2020-03-01", "2017-10-01", "2019-09-30", "2020-02-01", "2020-02-29", "2020-02-01"},
		// year boundaries.
		{"2021-01-15", "2018-08-01", "2020-07-31", "2020-12-01", "2020-12-31", "2020-12-01"},
		{"2021-06-30", "2019-01-01", "2020-12-31", "2021-05-01", "2021-05-31", "2021-05-01"},
		{"2021-07-01", "2019-02-01", "2021-01-31", "2021-06-01", "2021-06-30", "2021-06-01"},
	}
	for _, tt := range tests {
		t.Run(tt.asOf, func(t *testing.T) {
			// as_of from today, from the file, and from the flag: same defaults.
			for name, in := range map[string]struct {
				f     File
				o     Overrides
				today time.Time
			}{
				"today": {File{}, Overrides{}, d(tt.asOf)},
				"key":   {File{Values: Values{"as_of": d(tt.asOf)}}, Overrides{}, d("2035-01-01")},
				"flag":  {File{Values: Values{"as_of": d("2035-01-01")}}, Overrides{"as_of": d(tt.asOf)}, d("2036-01-01")},
			} {
				c, err := Resolve(in.f, in.o, in.today)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				want := map[string]string{
					"as_of": tt.asOf, "suppress_below": "5",
					"s1.from": tt.s1From, "s1.to": tt.s1To, "s1.cutoff": tt.asOf,
					"s2.goal1": "0.5", "s2.goal2": "0.5", "s3.population": "kohort", "s4.population": "kohort",
					"s5.from": tt.s5From, "s5.to": tt.s5To, "s5.kaa_date": tt.asOf,
					"s6.month": tt.s6Month, "s6.target_men": "0.6",
				}
				if got := fields(c); !reflect.DeepEqual(got, want) {
					t.Errorf("%s:\n got %v\nwant %v", name, got, want)
				}
			}
		})
	}
}

func TestTodayInOtherZone(t *testing.T) {
	// The calendar date in today's own zone counts, whatever the UTC date:
	// 23:30 on 31 March CEST is 21:30 UTC the same day.
	cest := time.FixedZone("CEST", 2*3600)
	c, err := Resolve(File{}, Overrides{}, time.Date(2021, 3, 31, 23, 30, 0, 0, cest))
	if err != nil {
		t.Fatal(err)
	}
	if !c.AsOf().Equal(ymd(2021, 3, 31)) || c.AsOf().Location() != time.UTC {
		t.Errorf("AsOf = %v, want 2021-03-31 00:00 UTC", c.AsOf())
	}
	// 00:30 on 1 April in CEST is 31 March in UTC; still 1 April.
	c, _ = Resolve(File{}, Overrides{}, time.Date(2021, 4, 1, 0, 30, 0, 0, cest))
	if got := FormatDate(c.AsOf()); got != "2021-04-01" {
		t.Errorf("AsOf = %s, want 2021-04-01", got)
	}
}

func TestOverridesWin(t *testing.T) {
	f, err := parse("config.toml", specExample)
	if err != nil {
		t.Fatal(err)
	}
	o := Overrides{
		"as_of": d("2021-06-30"), "suppress_below": 0,
		"s1.from": d("2019-01-01"), "s1.to": d("2020-12-31"), "s1.cutoff": d("2021-06-30"),
		"s2.goal1": 0.7, "s2.goal2": 0.3, "s3.population": "avslutade_deltagare", "s4.population": "avslutade_deltagare",
		"s5.from": d("2021-05-01"), "s5.to": d("2021-05-31"), "s5.kaa_date": d("2021-06-01"),
		"s6.month": d("2021-05-01"), "s6.target_men": 0.55,
	}
	c, err := Resolve(f, o, d("2030-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"as_of": "2021-06-30", "suppress_below": "0",
		"s1.from": "2019-01-01", "s1.to": "2020-12-31", "s1.cutoff": "2021-06-30",
		"s2.goal1": "0.7", "s2.goal2": "0.3", "s3.population": "avslutade_deltagare", "s4.population": "avslutade_deltagare",
		"s5.from": "2021-05-01", "s5.to": "2021-05-31", "s5.kaa_date": "2021-06-01",
		"s6.month": "2021-05-01", "s6.target_men": "0.55",
	}
	if got := fields(c); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}

	// A flag --as-of moves the defaults of keys the file does not set, and
	// leaves the keys it does set alone.
	f, err = parse("config.toml", "as_of = \"2021-03-31\"\n[s1]\nto = \"2020-06-30\"\n")
	if err != nil {
		t.Fatal(err)
	}
	c, err = Resolve(f, Overrides{"as_of": d("2021-08-31")}, d("2030-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	want = map[string]string{
		"as_of": "2021-08-31", "suppress_below": "5",
		"s1.from": "2018-07-01", "s1.to": "2020-06-30", "s1.cutoff": "2021-08-31",
		"s2.goal1": "0.5", "s2.goal2": "0.5", "s3.population": "kohort", "s4.population": "kohort",
		"s5.from": "2021-07-01", "s5.to": "2021-07-31", "s5.kaa_date": "2021-08-31",
		"s6.month": "2021-07-01", "s6.target_men": "0.6",
	}
	if got := fields(c); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}

	// An override date with a clock or zone is taken as its calendar date;
	// an S6 month given as any day is the first of that month.
	c, err = Resolve(File{}, Overrides{
		"as_of":    time.Date(2021, 3, 31, 15, 0, 0, 0, time.FixedZone("X", -5*3600)),
		"s6.month": d("2021-01-17"),
	}, d("2030-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	if month := c.Get("s6.month").(time.Time); !c.AsOf().Equal(ymd(2021, 3, 31)) || !month.Equal(ymd(2021, 1, 1)) {
		t.Errorf("as_of %v s6.month %v", c.AsOf(), month)
	}
}

func TestValidation(t *testing.T) {
	asOf := d("2021-03-31")
	tests := []struct {
		name string
		v    Values
		want []string // every message, in order
	}{
		{"s1 to before from", Values{"as_of": asOf, "s1.from": d("2020-07-01"), "s1.to": d("2020-06-30")},
			[]string{"config: s1.to (2020-06-30) is before s1.from (2020-07-01)"}},
		{"s1 cutoff before to", Values{"as_of": asOf, "s1.to": d("2020-06-30"), "s1.cutoff": d("2020-01-01")},
			[]string{"config: s1.cutoff (2020-01-01) is before s1.to (2020-06-30)"}},
		{"s1 to after as_of", Values{"as_of": asOf, "s1.to": d("2021-04-30")},
			[]string{
				"config: s1.cutoff (2021-03-31) is before s1.to (2021-04-30)",
				"config: s1.to (2021-04-30) is after as_of (2021-03-31)",
			}},
		{"s1 from after as_of", Values{"as_of": asOf, "s1.from": d("2021-04-01"), "s1.to": d("2021-05-01"), "s1.cutoff": d("2021-06-01")},
			[]string{
				"config: s1.from (2021-04-01) is after as_of (2021-03-31)",
				"config: s1.to (2021-05-01) is after as_of (2021-03-31)",
				"config: s1.cutoff (2021-06-01) is after as_of (2021-03-31)",
			}},
		{"s1 cutoff after as_of", Values{"as_of": asOf, "s1.cutoff": d("2021-04-01")},
			[]string{"config: s1.cutoff (2021-04-01) is after as_of (2021-03-31)"}},
		{"goal1 above 1", Values{"as_of": asOf, "s2.goal1": 1.5},
			[]string{"config: s2.goal1 (1.5) is outside [0, 1]"}},
		{"goal2 negative", Values{"as_of": asOf, "s2.goal2": -0.1},
			[]string{"config: s2.goal2 (-0.1) is outside [0, 1]"}},
		{"goal NaN", Values{"as_of": asOf, "s2.goal1": math.NaN()},
			[]string{"config: s2.goal1 (NaN) is outside [0, 1]"}},
		{"target_men", Values{"as_of": asOf, "s6.target_men": 60.0},
			[]string{"config: s6.target_men (60) is outside [0, 1]"}},
		{"unknown population", Values{"as_of": asOf, "s3.population": "avslutade", "s4.population": "Kohort"},
			[]string{
				`config: s3.population ("avslutade") must be "kohort" or "avslutade_deltagare"`,
				`config: s4.population ("Kohort") must be "kohort" or "avslutade_deltagare"`,
			}},
		{"suppress_below negative", Values{"as_of": asOf, "suppress_below": -1},
			[]string{"config: suppress_below (-1) is negative; 0 turns suppression off"}},
		{"s5 to before from", Values{"as_of": asOf, "s5.from": d("2021-02-10"), "s5.to": d("2021-02-01")},
			[]string{"config: s5.to (2021-02-01) is before s5.from (2021-02-10)"}},
		{"s5 dates after as_of", Values{"as_of": asOf, "s5.from": d("2021-04-01"), "s5.to": d("2021-04-30"), "s5.kaa_date": d("2021-04-02")},
			[]string{
				"config: s5.from (2021-04-01) is after as_of (2021-03-31)",
				"config: s5.to (2021-04-30) is after as_of (2021-03-31)",
				"config: s5.kaa_date (2021-04-02) is after as_of (2021-03-31)",
			}},
		{"s6 month after as_of", Values{"as_of": asOf, "s6.month": d("2021-04-01")},
			[]string{"config: s6.month (2021-04) is after the month of as_of (2021-03-31)"}},
		// Boundaries that are allowed: equal dates, goals 0 and 1, s6.month = as_of's month.
		{"boundaries ok", Values{"as_of": asOf, "suppress_below": 0,
			"s1.from": d("2021-03-31"), "s1.to": d("2021-03-31"), "s1.cutoff": d("2021-03-31"),
			"s2.goal1": 0.0, "s2.goal2": 1.0, "s5.from": d("2021-03-31"), "s5.to": d("2021-03-31"),
			"s5.kaa_date": d("2021-03-31"), "s6.month": d("2021-03-01"), "s6.target_men": 1.0}, nil},
		{"all problems at once", Values{"as_of": asOf, "suppress_below": -3,
			"s1.from": d("2020-07-01"), "s1.to": d("2020-06-30"), "s1.cutoff": d("2020-01-01"),
			"s2.goal1": 2.0, "s5.from": d("2021-03-02"), "s5.to": d("2021-03-01")},
			[]string{
				"config: suppress_below (-3) is negative; 0 turns suppression off",
				"config: s1.to (2020-06-30) is before s1.from (2020-07-01)",
				"config: s1.cutoff (2020-01-01) is before s1.to (2020-06-30)",
				"config: s2.goal1 (2) is outside [0, 1]",
				"config: s5.to (2021-03-01) is before s5.from (2021-03-02)",
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Resolve(File{Values: tt.v}, Overrides{}, d("2030-01-01"))
			if tt.want == nil {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("errors:\n got %q\nwant %q", got, tt.want)
			}
			if !reflect.DeepEqual(c, Config{}) {
				t.Errorf("Config on error = %+v, want zero", c)
			}
		})
	}

	// A flag fixes what the file got wrong.
	_, err := Resolve(File{Values: Values{"as_of": asOf, "s2.goal1": 3.0}}, Overrides{"s2.goal1": 0.4}, d("2030-01-01"))
	if err != nil {
		t.Errorf("override should replace the bad key: %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, toml string
		want       []string
	}{
		{"misspelt key", "[s1]\nform = \"2020-01-01\"\n",
			[]string{"config.toml: unknown key s1.form"}},
		{"unknown top-level key", "asof = \"2021-03-31\"\n",
			[]string{"config.toml: unknown key asof"}},
		{"unknown table", "[s7]\nfrom = \"2020-01-01\"\n",
			[]string{"config.toml: unknown key s7"}},
		{"unknown key of s3", "[s3]\nfrom = \"2020-01-01\"\n",
			[]string{"config.toml: unknown key s3.from"}},
		{"population not text", "[s4]\npopulation = 1\n",
			[]string{`config.toml: s4.population: 1 is not text; write "kohort" or "avslutade_deltagare"`}},
		{"unknown sub-table", "[s1.extra]\nx = 1\n",
			[]string{"config.toml: unknown key s1.extra"}},
		{"bad date", "[s1]\nfrom = \"2020-13-01\"\n",
			[]string{`config.toml: s1.from: "2020-13-01" is not a date YYYY-MM-DD`}},
		{"no such day", "as_of = \"2021-02-29\"\n",
			[]string{`config.toml: as_of: "2021-02-29" is not a date YYYY-MM-DD`}},
		{"swedish date", "[s5]\nkaa_date = \"9/3 2020\"\n",
			[]string{`config.toml: s5.kaa_date: "9/3 2020" is not a date YYYY-MM-DD`}},
		{"date as number", "as_of = 20210331\n",
			[]string{`config.toml: as_of: 20210331 is not a date; write it as "YYYY-MM-DD"`}},
		{"date-time", "as_of = 2021-03-31T10:00:00\n",
			[]string{`config.toml: as_of: 2021-03-31T10:00:00 is not a date; write it as "YYYY-MM-DD"`}},
		{"bad month", "[s6]\nmonth = \"2020-03-01\"\n",
			[]string{`config.toml: s6.month: "2020-03-01" is not a month YYYY-MM`}},
		{"month not a string", "[s6]\nmonth = 202003\n",
			[]string{`config.toml: s6.month: 202003 is not a month; write it as "YYYY-MM"`}},
		{"goal as string", "[s2]\ngoal1 = \"50%\"\n",
			[]string{`config.toml: s2.goal1: "50%" is not a number`}},
		{"suppress_below float", "suppress_below = 5.5\n",
			[]string{`config.toml: suppress_below: 5.5 is not an integer`}},
		{"table as value", "s1 = 5\n",
			[]string{`config.toml: s1: must be a table [s1], not 5`}},
		{"several problems, unknown keys first", "as_of = \"x\"\nzzz = 1\n[s2]\ngoal1 = \"a\"\ngoal3 = 1\n",
			[]string{
				"config.toml: unknown key s2.goal3",
				"config.toml: unknown key zzz",
				`config.toml: as_of: "x" is not a date YYYY-MM-DD`,
				`config.toml: s2.goal1: "a" is not a number`,
			}},
		{"syntax error", "as_of = \"2021-03-31\"\n[s1\n",
			nil}, // worded by the TOML library; checked below
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse("config.toml", tt.toml)
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			got := strings.Split(err.Error(), "\n")
			if tt.name == "syntax error" {
				// The TOML library words the message; we own the prefix, it gives the line.
				if !strings.HasPrefix(err.Error(), "config.toml: toml: line ") || !strings.Contains(err.Error(), "table name") {
					t.Errorf("got %q", err)
				}
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("errors:\n got %q\nwant %q", got, tt.want)
			}
		})
	}

	if _, err := Load(filepath.Join(t.TempDir(), "missing.toml")); !os.IsNotExist(err) {
		t.Errorf("missing file: %v, want not-exist", err)
	}
}

func TestLoadLenient(t *testing.T) {
	// A bare TOML date and integer goals are accepted; an empty file sets nothing.
	f, err := parse("c.toml", "as_of = 2021-03-31\n[s2]\ngoal1 = 1\ngoal2 = 0\n")
	if err != nil {
		t.Fatal(err)
	}
	want := Values{"as_of": d("2021-03-31"), "s2.goal1": 1.0, "s2.goal2": 0.0}
	if !reflect.DeepEqual(f.Values, want) {
		t.Errorf("got %+v, want %+v", f.Values, want)
	}
	if loc := f.Values["as_of"].(time.Time).Location(); loc != time.UTC {
		t.Errorf("bare TOML date kept location %v", loc)
	}
	f, err = parse("c.toml", "# nothing\n")
	if err != nil || !reflect.DeepEqual(f.Values, Values{}) {
		t.Errorf("empty file: %+v, %v", f.Values, err)
	}
}

func exampleConfig(t *testing.T) Config {
	t.Helper()
	f, err := parse("config.toml", specExample)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Resolve(f, Overrides{}, d("2030-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestValues: every parameter in table order, typed (a month as its first
// day); the example sets all but the later keys, which take their defaults.
func TestValues(t *testing.T) {
	c := exampleConfig(t)
	want := []struct {
		key string
		v   any
	}{
		{"as_of", d("2021-03-31")},
		{"suppress_below", 5},
		{"max_reject_share", 0.02},
		{"s1.from", d("2018-07-01")},
		{"s1.to", d("2020-06-30")},
		{"s1.cutoff", d("2020-12-31")},
		{"s2.goal1", 0.5},
		{"s2.goal2", 0.5},
		{"s3.population", "kohort"},
		{"s4.population", "kohort"},
		{"s5.from", d("2020-02-01")},
		{"s5.to", d("2020-02-29")},
		{"s5.kaa_date", d("2020-03-09")},
		{"s6.month", d("2020-03-01")},
		{"s6.target_men", 0.6},
	}
	got := c.Values()
	if len(got) != len(want) {
		t.Fatalf("%d values, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Param.Key != w.key || !reflect.DeepEqual(got[i].Value, w.v) {
			t.Errorf("value %d = %s %#v, want %s %#v", i, got[i].Param.Key, got[i].Value, w.key, w.v)
		}
	}
	if c.AsOf() != d("2021-03-31") || c.SuppressBelow() != 5 || c.MaxRejectShare() != 0.02 {
		t.Errorf("accessors: %v %v %v", c.AsOf(), c.SuppressBelow(), c.MaxRejectShare())
	}
	// the page notes' form: a month as in the config file
	if n := got[13].Note(); n != "2020-03" {
		t.Errorf("s6.month note %#v, want \"2020-03\"", n)
	}
	if n := got[0].Note(); n != d("2021-03-31") {
		t.Errorf("as_of note %#v, want the date", n)
	}
}

func TestParamsJSON(t *testing.T) {
	b, err := json.Marshal(exampleConfig(t).Params())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"as_of":"2021-03-31","suppress_below":5,"max_reject_share":0.02,` +
		`"s1":{"from":"2018-07-01","to":"2020-06-30","cutoff":"2020-12-31"},` +
		`"s2":{"goal1":0.5,"goal2":0.5},` +
		`"s3":{"population":"kohort"},"s4":{"population":"kohort"},` +
		`"s5":{"from":"2020-02-01","to":"2020-02-29","kaa_date":"2020-03-09"},` +
		`"s6":{"month":"2020-03","target_men":0.6}}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	// written back as a config file, the manifest's object reproduces the run
	var tree map[string]any
	if err := json.Unmarshal(b, &tree); err != nil {
		t.Fatal(err)
	}
	var toml strings.Builder
	for _, k := range slices.Sorted(maps.Keys(tree)) {
		if m, ok := tree[k].(map[string]any); ok {
			fmt.Fprintf(&toml, "[%s]\n", k)
			for _, sub := range slices.Sorted(maps.Keys(m)) {
				fmt.Fprintf(&toml, "%s = %s\n", sub, mustJSON(m[sub]))
			}
		}
	}
	top := ""
	for _, k := range slices.Sorted(maps.Keys(tree)) {
		if _, ok := tree[k].(map[string]any); !ok {
			top += fmt.Sprintf("%s = %s\n", k, mustJSON(tree[k]))
		}
	}
	f, err := parse("manifest.toml", top+toml.String())
	if err != nil {
		t.Fatal(err)
	}
	again, err := Resolve(f, Overrides{}, d("2035-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, exampleConfig(t)) {
		t.Errorf("the manifest's config does not reproduce the run:\n%s", top+toml.String())
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestParseDateMonth(t *testing.T) {
	for _, tt := range []struct {
		in    string
		month bool
		want  string // "" = error
	}{
		{"2020-02-29", false, "2020-02-29"},
		{"2021-02-29", false, ""},
		{"2021-2-1", false, ""},
		{" 2021-02-01", false, ""},
		{"2021-02-01T00:00:00Z", false, ""},
		{"2020-03", true, "2020-03-01"},
		{"2020-3", true, ""},
		{"2020-13", true, ""},
	} {
		parse := ParseDate
		if tt.month {
			parse = ParseMonth
		}
		got, err := parse(tt.in)
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("%q: no error, got %v", tt.in, got)
		case tt.want != "" && (err != nil || FormatDate(got) != tt.want || got.Location() != time.UTC):
			t.Errorf("%q: got %v, %v; want %s UTC", tt.in, got, err, tt.want)
		}
	}
}

// TestMaxRejectShare: the key and the flag set the gate's share (flag over
// key over the default 0.02); a share outside [0, 1] names the key.
func TestMaxRejectShare(t *testing.T) {
	today := d("2030-01-01")
	c, err := Resolve(File{}, Overrides{}, today)
	if err != nil || c.MaxRejectShare() != 0.02 {
		t.Fatalf("default: %v, %v", c.MaxRejectShare(), err)
	}
	f, err := parse("c.toml", "max_reject_share = 0.1\n")
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := Resolve(f, Overrides{}, today); c.MaxRejectShare() != 0.1 {
		t.Errorf("key: %v, want 0.1", c.MaxRejectShare())
	}
	if c, _ := Resolve(f, Overrides{"max_reject_share": 1.0}, today); c.MaxRejectShare() != 1 {
		t.Errorf("flag: %v, want 1", c.MaxRejectShare())
	}
	if _, err := parse("c.toml", "max_reject_share = \"x\"\n"); err == nil || !strings.Contains(err.Error(), "c.toml: max_reject_share: \"x\" is not a number") {
		t.Errorf("a string: %v", err)
	}
	_, err = Resolve(File{}, Overrides{"max_reject_share": 1.5}, today)
	if err == nil || !strings.Contains(err.Error(), "config: max_reject_share (1.5) is outside [0, 1]") {
		t.Errorf("1.5: %v", err)
	}
}

// TestAsOfInTheFuture: a report date after today is refused, naming both
// dates; today itself is fine.
func TestAsOfInTheFuture(t *testing.T) {
	today := time.Date(2021, 3, 31, 23, 30, 0, 0, time.FixedZone("CEST", 2*3600))
	if _, err := Resolve(File{}, Overrides{"as_of": d("2021-03-31")}, today); err != nil {
		t.Errorf("as_of today: %v", err)
	}
	_, err := Resolve(File{}, Overrides{"as_of": d("2021-04-01")}, today)
	if err == nil || !strings.Contains(err.Error(), "config: as_of (2021-04-01) is after today (2021-03-31)") {
		t.Errorf("as_of tomorrow: %v", err)
	}
}
