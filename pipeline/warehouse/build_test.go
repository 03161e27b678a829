package warehouse

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/table"
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
		"staging/stg_b.sql":      "select 1 as x",
		"staging/stg_a.sql":      "select * from stg_b",
		"intermediate/int_a.sql": "select * from int_z -- int_q is only mentioned in a comment\n",
		"intermediate/int_q.sql": "select * from int_a",
		// a name in a string literal is a value: were it a reference, int_z
		// → int_q → int_a → int_z would be a cycle
		"intermediate/int_z.sql":  "select *, 'int_q -- not a comment, and it''s int_a' as s from stg_a",
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

// TestStudyTableFailsClosed: an integer column is a person count unless
// it is declared plain, and an annotation naming a column the table lacks
// (a misspelt counts: line) stops with the file and the name instead of
// publishing the count unsuppressed.
func TestStudyTableFailsClosed(t *testing.T) {
	ctx := context.Background()
	w, err := Open(ctx, filepath.Join(t.TempDir(), "t.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := w.Exec(ctx, `create table s1_x as select '2281' as scope, 'A' as status, cast(3 as bigint) as antal, cast(7 as bigint) as minuter, cast(1 as bigint) as delmal`); err != nil {
		t.Fatal(err)
	}
	m := Model{Name: "s1_x", Layer: "studies", Plain: []string{"minuter"}}
	tb, err := w.StudyTable(ctx, m, "2281")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		col  string
		role table.Role
	}{{"antal", table.Count}, {"delmal", table.Count}, {"minuter", table.Plain}, {"status", table.Plain}} {
		if got := tb.Columns[tb.Col(c.col)].Role; got != c.role {
			t.Errorf("%s: role %s, want %s", c.col, got, c.role)
		}
	}
	for _, bad := range []Model{
		{Name: "s1_x", Layer: "studies", Counts: []string{"antall"}},
		{Name: "s1_x", Layer: "studies", Plain: []string{"minuterr"}},
		{Name: "s1_x", Layer: "studies", Shares: []string{"andel"}},
	} {
		w.studyCols = nil
		_, err := w.StudyTable(ctx, bad, "2281")
		if err == nil || !strings.Contains(err.Error(), "sql/studies/s1_x.sql") {
			t.Errorf("%+v: err %v, want one naming sql/studies/s1_x.sql", bad, err)
		}
	}
}

// TestGatherModels: a gathering model is the union of its parts' rows, or
// the list of its parts with their declared values, and comes after them;
// a part without a listed annotation is an error naming it.
func TestGatherModels(t *testing.T) {
	files := map[string]string{
		"intermediate/int_k_b.sql":   "-- sort: 2\n-- niva: gul\nselect 1 as x",
		"intermediate/int_k_a.sql":   "-- sort: 1\n-- niva: rod\nselect 2 as x",
		"intermediate/int_rader.sql": "-- every part's rows\n-- gather: rows: int_k_<kontroll>\n",
		"intermediate/int_lista.sql": "-- gather: list: int_k_<kontroll> with sort, niva\n",
		"intermediate/int_last.sql":  "select * from int_rader join int_lista using (kontroll)",
		"staging/stg_x.sql":          "select 1",
		"studies/s1_x.sql":           "select 'a' as scope",
		"staff/staff_s1_x.sql":       "select 1",
	}
	layers := func() fstest.MapFS {
		fs := tree(files)
		for _, d := range []string{"staging", "intermediate", "studies", "staff"} {
			delete(fs, d+"/.keep")
		}
		return fs
	}
	models, err := Models(layers())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	sqlOf := map[string]string{}
	for _, m := range models {
		if m.Layer == "intermediate" {
			names = append(names, m.Name)
			sqlOf[m.Name] = m.SQL
		}
	}
	if got := strings.Join(names, " "); got != "int_k_a int_k_b int_lista int_rader int_last" {
		t.Errorf("order %q", got)
	}
	if want := "-- every part's rows\n-- gather: rows: int_k_<kontroll>\nselect 'a' as kontroll, * from int_k_a\nunion all\nselect 'b' as kontroll, * from int_k_b\n"; sqlOf["int_rader"] != want {
		t.Errorf("int_rader:\n%s\nwant\n%s", sqlOf["int_rader"], want)
	}
	if want := "-- gather: list: int_k_<kontroll> with sort, niva\nselect * from (values\n('a', 1, 'rod'),\n('b', 2, 'gul')\n) t(kontroll, sort, niva)\n"; sqlOf["int_lista"] != want {
		t.Errorf("int_lista:\n%s\nwant\n%s", sqlOf["int_lista"], want)
	}

	files["intermediate/int_k_c.sql"] = "-- sort: 3\nselect 3 as x"
	if _, err := Models(layers()); err == nil || !strings.Contains(err.Error(), `sql/intermediate/int_k_c.sql: gathered by int_lista, it needs one "-- niva: <value>"`) {
		t.Errorf("a part without its niva: %v", err)
	}
}

// TestCheckExamples: a failing check gives its first rows in the order of
// their columns, at most three, without person or blockmark; a passing
// check gives none.
func TestCheckExamples(t *testing.T) {
	ctx := context.Background()
	w, err := Open(ctx, filepath.Join(t.TempDir(), "t.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	checks, err := w.RunChecks(ctx, []Check{
		{Name: "bad", Severity: "error", Rule: "r", SQL: `select * from (values ('b.csv', 2, 'p2', date '2021-03-01'), ('a.csv', 9, 'p1', null),
			('b.csv', 1, 'p3', null), ('c.csv', 1, 'p4', null)) t(path, line, person, datum);`},
		{Name: "ok", Severity: "error", Rule: "r", SQL: `select 1 as x where false`},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"path=a.csv, line=9, datum=NULL", "path=b.csv, line=1, datum=NULL", "path=b.csv, line=2, datum=2021-03-01"}
	if checks[0].Failing != 4 || !slices.Equal(checks[0].Examples, want) {
		t.Errorf("failing %d, examples %q, want 4, %q", checks[0].Failing, checks[0].Examples, want)
	}
	if checks[1].Failing != 0 || checks[1].Examples != nil {
		t.Errorf("passing check: %d, %q", checks[1].Failing, checks[1].Examples)
	}
}
