package warehouse

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func tree(files map[string]string) fstest.MapFS {
	fs := fstest.MapFS{}
	for _, d := range []string{"staging", "intermediate", "studies", "staff", "checks"} {
		fs[d+"/.keep"] = &fstest.MapFile{}
	}
	for k, v := range files {
		fs[k] = &fstest.MapFile{Data: []byte(v)}
	}
	return fs
}

// TestModelsOrderByReference: within a layer a model comes after the models
// it reads (whatever their names), layers in flow order, annotations read.
func TestModelsOrderByReference(t *testing.T) {
	fs := tree(map[string]string{
		"staging/stg_b.sql":       "select 1 as x",
		"staging/stg_a.sql":       "select * from stg_b",
		"intermediate/int_a.sql":  "select * from int_z -- int_q is only mentioned in a comment\n",
		"intermediate/int_q.sql":  "select * from int_a",
		"intermediate/int_z.sql":  "select * from stg_a",
		"studies/s1_x.sql":        "-- A table.\n-- counts: antal, n\n-- shares: andel\nselect 'a' as scope, 1 as antal",
		"staff/staff_s1_list.sql": "select * from int_q",
	})
	// the .keep files are not .sql: remove them from the layers the test fills
	for _, d := range []string{"staging", "intermediate", "studies", "staff"} {
		delete(fs, d+"/.keep")
	}
	models, err := Models(fs)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, m := range models {
		names = append(names, m.Name)
	}
	want := "stg_b stg_a int_z int_a int_q s1_x staff_s1_list"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("order %q, want %q", got, want)
	}
	s1 := models[5]
	if strings.Join(s1.Counts, ",") != "antal,n" || strings.Join(s1.Shares, ",") != "andel" || s1.Object != "table" {
		t.Errorf("s1_x: counts %v shares %v object %s", s1.Counts, s1.Shares, s1.Object)
	}
	if models[0].Object != "view" {
		t.Errorf("staging models are views, got %s", models[0].Object)
	}
	need := Needed(models, []string{"staff_s1_list"})
	var got []string
	for _, m := range need {
		got = append(got, m.Name)
	}
	if strings.Join(got, " ") != "stg_b stg_a int_z int_a int_q staff_s1_list" {
		t.Errorf("Needed(staff_s1_list) = %v", got)
	}
}

// TestModelNamingIsAContract: a misnamed file is an error naming it, not
// skipped; a cycle is an error.
func TestModelNamingIsAContract(t *testing.T) {
	cases := map[string]struct {
		files map[string]string
		want  string
	}{
		"prefix":  {map[string]string{"intermediate/person.sql": "select 1"}, "sql/intermediate/person.sql: a intermediate model's name must be int_<name>"},
		"study":   {map[string]string{"studies/status.sql": "select 1"}, "sql/studies/status.sql"},
		"case":    {map[string]string{"staging/stg_Extens.sql": "select 1"}, "sql/staging/stg_Extens.sql"},
		"not sql": {map[string]string{"staging/stg_a.txt": "select 1"}, "sql/staging/stg_a.txt: not a .sql model file"},
		"cycle":   {map[string]string{"intermediate/int_a.sql": "select * from int_b", "intermediate/int_b.sql": "select * from int_a"}, "cycle"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			fs := tree(c.files)
			for _, d := range []string{"staging", "intermediate", "studies", "staff", "checks"} {
				delete(fs, d+"/.keep")
				fs[d] = &fstest.MapFile{Mode: 0o755 | 1<<31}
			}
			_, err := Models(fs)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
}

// TestChecksNeedSeverityAndRule: a check without its leading comments is
// refused with the file named.
func TestChecksNeedSeverityAndRule(t *testing.T) {
	fs := fstest.MapFS{
		"checks/ok.sql":  {Data: []byte("-- severity: error\n-- rule: no rows\nselect 1 where false")},
		"checks/bad.sql": {Data: []byte("-- severity: fatal\nselect 1")},
	}
	_, err := Checks(fs)
	if err == nil || !strings.Contains(err.Error(), "sql/checks/bad.sql") || strings.Contains(err.Error(), "ok.sql") {
		t.Fatalf("error %v, want one naming bad.sql only", err)
	}
	delete(fs, "checks/bad.sql")
	cs, err := Checks(fs)
	if err != nil || len(cs) != 1 || cs[0].Severity != "error" || cs[0].Rule != "no rows" {
		t.Fatalf("Checks = %+v, %v", cs, err)
	}
}

// TestGetvariableIsARunParameter: a misspelt getvariable would read NULL
// and make a study silently empty; the SQL loader refuses it, naming the
// file and the name, in models and checks alike. Names in comments do not
// count; a name must be quoted.
func TestGetvariableIsARunParameter(t *testing.T) {
	fs := tree(map[string]string{
		"staging/stg_a.sql":      "-- getvariable('in_a_comment') is not read\nselect getvariable('as_of') as d, GetVariable( 's1_cutoff' ) as c",
		"studies/s1_x.sql":       "select * from stg_a where d <= getvariable('s1_cutof')",
		"studies/s1_y.sql":       "select getvariable(name) from stg_a",
		"intermediate/int_a.sql": "select getvariable('s2_goal1'), getvariable('as_of'), getvariable('s2_goal1')",
	})
	for _, d := range []string{"staging", "intermediate", "studies", "staff", "checks"} {
		delete(fs, d+"/.keep")
		fs[d] = &fstest.MapFile{Mode: 0o755 | 1<<31}
	}
	_, err := Models(fs)
	if err == nil {
		t.Fatal("a misspelt getvariable was accepted")
	}
	msg := err.Error()
	for _, want := range []string{
		"sql/studies/s1_x.sql: getvariable('s1_cutof'): no such run parameter (pipeline/config declares as_of, suppress_below,",
		"sql/studies/s1_y.sql: getvariable must name a run parameter in quotes",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "in_a_comment") || strings.Contains(msg, "stg_a.sql") || strings.Contains(msg, "int_a.sql") {
		t.Errorf("error names a good file:\n%s", msg)
	}

	delete(fs, "studies/s1_x.sql")
	delete(fs, "studies/s1_y.sql")
	models, err := Models(fs)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, m := range models {
		got[m.Name] = strings.Join(m.Params, " ")
	}
	if got["stg_a"] != "as_of s1_cutoff" || got["int_a"] != "as_of s2_goal1" {
		t.Errorf("Params %v", got)
	}

	checks := fstest.MapFS{"checks/c.sql": {Data: []byte("-- severity: warn\n-- rule: r\nselect 1 where getvariable('max_reject_shar') > 0")}}
	if _, err := Checks(checks); err == nil || !strings.Contains(err.Error(), "sql/checks/c.sql: getvariable('max_reject_shar'): no such run parameter") {
		t.Errorf("check: %v", err)
	}
}

// TestSetVariableStatements: each kind is set with its exact DuckDB type.
func TestSetVariableStatements(t *testing.T) {
	for _, tt := range []struct {
		name string
		v    any
		want string
	}{
		{"as_of", time.Date(2021, 3, 31, 0, 0, 0, 0, time.UTC), "SET VARIABLE as_of = DATE '2021-03-31'"},
		{"s1_from", time.Date(2018, 7, 1, 0, 0, 0, 0, time.UTC), "SET VARIABLE s1_from = DATE '2018-07-01'"},
		{"s2_goal1", 0.5, "SET VARIABLE s2_goal1 = CAST(0.5 AS DOUBLE)"},
		{"s6_month", time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC), "SET VARIABLE s6_month = DATE '2020-03-01'"},
		{"s6_target_men", 0.6, "SET VARIABLE s6_target_men = CAST(0.6 AS DOUBLE)"},
		{"suppress_below", 5, "SET VARIABLE suppress_below = CAST(5 AS INTEGER)"},
		{"s3_population", "kohort", "SET VARIABLE s3_population = CAST('kohort' AS VARCHAR)"},
		{"x", "it's", "SET VARIABLE x = CAST('it''s' AS VARCHAR)"},
	} {
		if got := setVariable(tt.name, tt.v); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
