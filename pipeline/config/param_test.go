package config

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestTableNames pins every name a parameter goes by: its config key, its
// flag (users' scripts and crontabs rely on them) and its DuckDB variable.
func TestTableNames(t *testing.T) {
	want := []struct{ key, flag, variable string }{
		{"as_of", "as-of", "as_of"},
		{"suppress_below", "suppress-below", "suppress_below"},
		{"max_reject_share", "max-reject-share", "max_reject_share"},
		{"s1.from", "s1-from", "s1_from"},
		{"s1.to", "s1-to", "s1_to"},
		{"s1.cutoff", "s1-cutoff", "s1_cutoff"},
		{"s2.goal1", "s2-goal1", "s2_goal1"},
		{"s2.goal2", "s2-goal2", "s2_goal2"},
		{"s3.population", "s3-population", "s3_population"},
		{"s4.population", "s4-population", "s4_population"},
		{"s5.from", "s5-from", "s5_from"},
		{"s5.to", "s5-to", "s5_to"},
		{"s5.kaa_date", "s5-kaa-date", "s5_kaa_date"},
		{"s6.month", "month", "s6_month"},
		{"s6.target_men", "s6-target-men", "s6_target_men"},
	}
	params := Table()
	if len(params) != len(want) {
		t.Fatalf("%d parameters, want %d", len(params), len(want))
	}
	for i, w := range want {
		p := params[i]
		if p.Key != w.key || p.Flag() != w.flag || p.Variable() != w.variable {
			t.Errorf("parameter %d: %s --%s %s, want %s --%s %s", i, p.Key, p.Flag(), p.Variable(), w.key, w.flag, w.variable)
		}
		if q, ok := ByVariable(w.variable); !ok || q.Key != w.key {
			t.Errorf("ByVariable(%s) = %s, %v", w.variable, q.Key, ok)
		}
		if p.Kind == 0 || p.Help == "" || p.Default.Doc == "" || p.Default.of == nil {
			t.Errorf("%s: declaration lacks kind, help or default", p.Key)
		}
		if p.Kind == Choice && len(p.Choices) == 0 {
			t.Errorf("%s: a choice without choices", p.Key)
		}
	}
	if _, ok := ByVariable("s1_cutof"); ok {
		t.Error("ByVariable accepts an undeclared name")
	}
	// Only the report date and the reject gate govern kaa ingest.
	var ingest []string
	for _, p := range params {
		if p.Ingest {
			ingest = append(ingest, p.Key)
		}
	}
	if strings.Join(ingest, " ") != "as_of max_reject_share" {
		t.Errorf("ingest flags %v", ingest)
	}
	if p, _ := Lookup("s1.cutoff"); p.Table() != "s1" || p.Name() != "cutoff" {
		t.Errorf("s1.cutoff: table %q name %q", p.Table(), p.Name())
	}
	if p, _ := Lookup("as_of"); p.Table() != "" || p.Name() != "as_of" {
		t.Errorf("as_of: table %q name %q", p.Table(), p.Name())
	}
}

// TestUsage: the --help line carries the syntax, rules, key and default.
func TestUsage(t *testing.T) {
	for key, want := range map[string]string{
		"s1.cutoff":      "S1 follow-up date (`YYYY-MM-DD`, not before s1.to, not after as_of; config s1.cutoff; default as_of)",
		"suppress_below": `show counts 1..n-1 as "<n" in published tables; 0 = exact figures (a whole ` + "`number`" + `, 0 or more; config suppress_below; default 5)`,
		"s2.goal1":       "S2 delmål 1 threshold (a `share` 0..1; config s2.goal1; default 0.5)",
		"s6.month":       "S6 month (`YYYY-MM`, not after the month of as_of; config s6.month; default the month before as_of)",
		"s3.population":  "S3 population: the S1 cohort, or the S2 participants who have left (`kohort|avslutade_deltagare`; config s3.population; default kohort)",
	} {
		p, _ := Lookup(key)
		if got := p.Usage(); got != want {
			t.Errorf("%s:\n got %s\nwant %s", key, got, want)
		}
	}
}

// TestParseFlag: flags accept what keys accept (and a decimal comma);
// errors quote the text.
func TestParseFlag(t *testing.T) {
	for _, tt := range []struct {
		key, in string
		want    any
		err     string
	}{
		{"as_of", "2021-03-31", d("2021-03-31"), ""},
		{"as_of", "31/3", nil, `"31/3" is not a date YYYY-MM-DD`},
		{"s6.month", "2021-02", d("2021-02-01"), ""},
		{"s6.month", "2021-02-01", nil, `"2021-02-01" is not a month YYYY-MM`},
		{"s2.goal1", "0,55", 0.55, ""},
		{"s2.goal1", "hälften", nil, `"hälften" is not a number`},
		{"suppress_below", "0", 0, ""},
		{"suppress_below", "-2", -2, ""}, // refused by Resolve, naming the key
		{"suppress_below", "5.5", nil, `"5.5" is not a whole number`},
		{"s3.population", "avslutade_deltagare", "avslutade_deltagare", ""},
	} {
		p, _ := Lookup(tt.key)
		got, err := p.ParseFlag(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("--%s %s: error %v, want %q", p.Flag(), tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("--%s %s = %#v, %v; want %#v", p.Flag(), tt.in, got, err, tt.want)
		}
	}
}

// TestChoice: a population is one of its choices, in the file, by flag or
// by default.
func TestChoice(t *testing.T) {
	f, err := parse("c.toml", "[s3]\npopulation = \"avslutade_deltagare\"\n")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Resolve(f, Overrides{}, d("2021-03-31"))
	if err != nil || c.Get("s3.population") != "avslutade_deltagare" || c.Get("s4.population") != "kohort" {
		t.Fatalf("%v %v, %v", c.Get("s3.population"), c.Get("s4.population"), err)
	}
	_, err = Resolve(f, Overrides{"s4.population": "alla"}, d("2021-03-31"))
	if err == nil || err.Error() != `config: s4.population ("alla") must be "kohort" or "avslutade_deltagare"` {
		t.Errorf("bad choice: %v", err)
	}
	if _, err := parse("c.toml", "[s4]\npopulation = 1\n"); err == nil ||
		err.Error() != `c.toml: s4.population: 1 is not text; write "kohort" or "avslutade_deltagare"` {
		t.Errorf("a number: %v", err)
	}
}

// TestOverridesChecked: a Go caller's misspelt key or wrong type is an
// error, not a silent default.
func TestOverridesChecked(t *testing.T) {
	_, err := Resolve(File{}, Overrides{"s1.cutof": d("2020-12-31"), "s2.goal1": 1, "s1.to": "2020-06-30"}, d("2021-03-31"))
	want := []string{
		"config: unknown key s1.cutof",
		`config: s1.to: "2020-06-30" (string) is not a date`,
		"config: s2.goal1: 1 (int) is not a share",
	}
	if err == nil || !reflect.DeepEqual(strings.Split(err.Error(), "\n"), want) {
		t.Errorf("got %v\nwant %q", err, want)
	}
}

// TestDefaultsResolveInAnyOrder: a default that reads a parameter later in
// the table (s1.from reads s1.to) gets its resolved value, given or not.
func TestDefaultsResolveInAnyOrder(t *testing.T) {
	c, err := Resolve(File{}, Overrides{"s1.to": time.Date(2020, 2, 29, 12, 0, 0, 0, time.UTC)}, d("2021-03-31"))
	if err != nil {
		t.Fatal(err)
	}
	if got := FormatDate(c.Get("s1.from").(time.Time)); got != "2018-03-01" {
		t.Errorf("s1.from %s, want 2018-03-01", got)
	}
}
