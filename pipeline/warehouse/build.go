package warehouse

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/config"
)

// Layers of sql/, in build order, with the prefix each file name must carry
// and what the warehouse makes of a file. Staff models are person lists
// (pseudonyms) for the KAA staff: written apart, never published.
var layers = []struct {
	dir, prefix, object string
}{
	{"staging", "stg_", "view"},
	{"intermediate", "int_", "table"},
	{"studies", "", "table"}, // s<N>_<table>, or region_<table> (region scope only)
	{"staff", "staff_", "table"},
}

// Model is one SQL file of a layer: its file name is the object it makes.
type Model struct {
	Name   string // table or view name = file stem
	Layer  string
	Object string // "view" or "table"
	SQL    string
	Counts []string // "-- counts:" annotation: person-count columns
	Shares []string // "-- shares:" annotation: fraction columns
	Plain  []string // "-- plain:" annotation: integer columns that are not person counts
	Params []string // the run parameters it reads, getvariable('<name>'), sorted
}

var (
	namePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	studyName   = regexp.MustCompile(`^(s[0-9]+|region)_[a-z0-9_]+$`)
	identifier  = regexp.MustCompile(`[a-z_][a-z0-9_]*`)
	getvariable = regexp.MustCompile(`(?i)\bgetvariable\s*\(`)
	paramName   = regexp.MustCompile(`^\s*'([^']*)'\s*\)`)
)

// Models reads and orders every model of fsys (the sql/ tree). File naming
// is a contract: a file outside the layer's naming is an error. So is a
// getvariable whose name is not a run parameter of pipeline/config (it
// would read NULL), or not a quoted name.
func Models(fsys fs.FS) ([]Model, error) {
	var (
		all      []Model
		problems []string
	)
	for _, l := range layers {
		entries, err := fs.ReadDir(fsys, l.dir)
		if err != nil {
			return nil, fmt.Errorf("sql/%s: %w", l.dir, err)
		}
		var layer []Model
		for _, e := range entries {
			file := path.Join(l.dir, e.Name())
			stem, ok := strings.CutSuffix(e.Name(), ".sql")
			if e.IsDir() || !ok {
				problems = append(problems, fmt.Sprintf("sql/%s: not a .sql model file", file))
				continue
			}
			if !namePattern.MatchString(stem) || !strings.HasPrefix(stem, l.prefix) || (l.dir == "studies" && !studyName.MatchString(stem)) {
				want := l.prefix + "<name>"
				if l.dir == "studies" {
					want = "s<N>_<name> or region_<name>"
				}
				problems = append(problems, fmt.Sprintf("sql/%s: a %s model's name must be %s in lowercase", file, l.dir, want))
				continue
			}
			b, err := fs.ReadFile(fsys, file)
			if err != nil {
				return nil, err
			}
			m := Model{Name: stem, Layer: l.dir, Object: l.object, SQL: string(b)}
			m.Counts = annotation(m.SQL, "counts")
			m.Shares = annotation(m.SQL, "shares")
			m.Plain = annotation(m.SQL, "plain")
			var bad []string
			m.Params, bad = params("sql/"+file, m.SQL)
			problems = append(problems, bad...)
			layer = append(layer, m)
		}
		problems = append(problems, gather(l.dir, layer)...)
		ordered, err := order(layer)
		if err != nil {
			problems = append(problems, err.Error())
		}
		all = append(all, ordered...)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return all, nil
}

// gatherLine is a gathering model's annotation "-- gather: rows:
// int_s7_kontroll_<kontroll>" or "-- gather: list: int_s7_kontroll_<kontroll>
// with sort, niva".
var gatherLine = regexp.MustCompile(`^(rows|list): ([a-z][a-z0-9_]*_)<([a-z][a-z0-9_]*)>(?: with ([a-z_][a-z0-9_]*(?:, [a-z_][a-z0-9_]*)*))?$`)

// gather writes the SQL of the layer's gathering models: a model file of
// only comments whose leading annotation "-- gather: rows: <prefix><col>"
// makes it the union of the rows of every model of its layer named
// <prefix><name> (one file per part, e.g. one per S7 check), each row
// with <col> = '<name>' first; "-- gather: list: <prefix><col> with a, b"
// makes it one row per part: <col> and each part's own "-- a: <value>"
// annotations (a whole number as INTEGER, else text). Parts in name
// order. A gathering model without parts, or a part without a listed
// annotation, is a problem naming the file.
func gather(dir string, layer []Model) []string {
	var problems []string
	for i, m := range layer {
		spec := annotation(m.SQL, "gather")
		if spec == nil {
			continue
		}
		file := "sql/" + dir + "/" + m.Name + ".sql"
		g := gatherLine.FindStringSubmatch(strings.Join(spec, ", "))
		if g == nil || strings.TrimSpace(stripComments(m.SQL)) != "" {
			problems = append(problems, fmt.Sprintf("%s: a gathering model is only comments, with \"-- gather: rows: <prefix><column>\" or \"-- gather: list: <prefix><column> with a, b\"", file))
			continue
		}
		kind, prefix, col := g[1], g[2], g[3]
		var cols []string
		if g[4] != "" {
			cols = strings.Split(g[4], ", ")
		}
		var parts []Model
		for _, p := range layer {
			if strings.HasPrefix(p.Name, prefix) && annotation(p.SQL, "gather") == nil {
				parts = append(parts, p)
			}
		}
		sort.Slice(parts, func(a, b int) bool { return parts[a].Name < parts[b].Name })
		if len(parts) == 0 {
			problems = append(problems, fmt.Sprintf("%s: no model %s<name> to gather", file, prefix))
			continue
		}
		var sel []string
		for _, p := range parts {
			name := quote(strings.TrimPrefix(p.Name, prefix))
			if kind == "rows" {
				sel = append(sel, fmt.Sprintf("select %s as %s, * from %s", name, col, p.Name))
				continue
			}
			vals := []string{name}
			for _, c := range cols {
				v := annotation(p.SQL, c)
				if len(v) != 1 {
					problems = append(problems, fmt.Sprintf("sql/%s/%s.sql: gathered by %s, it needs one \"-- %s: <value>\"", dir, p.Name, m.Name, c))
					continue
				}
				if _, err := strconv.Atoi(v[0]); err == nil {
					vals = append(vals, v[0])
				} else {
					vals = append(vals, quote(v[0]))
				}
			}
			sel = append(sel, "("+strings.Join(vals, ", ")+")")
		}
		body := strings.Join(sel, "\nunion all\n")
		if kind == "list" {
			body = fmt.Sprintf("select * from (values\n%s\n) t(%s)", strings.Join(sel, ",\n"), strings.Join(append([]string{col}, cols...), ", "))
		}
		layer[i].SQL = m.SQL + body + "\n"
	}
	return problems
}

// annotation reads a leading "-- key: a, b" comment line.
func annotation(sqlText, key string) []string {
	for _, line := range strings.Split(sqlText, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "--") {
			if line == "" {
				continue
			}
			break
		}
		rest, ok := strings.CutPrefix(strings.TrimSpace(strings.TrimPrefix(line, "--")), key+":")
		if !ok {
			continue
		}
		var out []string
		for _, f := range strings.Split(rest, ",") {
			if f = strings.TrimSpace(f); f != "" {
				out = append(out, f)
			}
		}
		return out
	}
	return nil
}

// params returns the run parameters sqlText reads (getvariable('<name>'),
// outside comments), sorted, and a problem naming file for each name that
// is not a declared parameter and each getvariable not given a quoted name.
func params(file, sqlText string) (names, problems []string) {
	text := stripComments(sqlText)
	seen := map[string]bool{}
	for _, loc := range getvariable.FindAllStringIndex(text, -1) {
		m := paramName.FindStringSubmatch(text[loc[1]:])
		if m == nil {
			problems = append(problems, fmt.Sprintf("%s: getvariable must name a run parameter in quotes, e.g. getvariable('as_of')", file))
			continue
		}
		if _, ok := config.ByVariable(m[1]); !ok {
			problems = append(problems, fmt.Sprintf("%s: getvariable('%s'): no such run parameter (pipeline/config declares %s)", file, m[1], strings.Join(declared(), ", ")))
			continue
		}
		if !seen[m[1]] {
			seen[m[1]] = true
			names = append(names, m[1])
		}
	}
	sort.Strings(names)
	return names, problems
}

// declared lists the DuckDB variables of every run parameter.
func declared() []string {
	var out []string
	for _, p := range config.Table() {
		out = append(out, p.Variable())
	}
	return out
}

// order sorts a layer's models so each comes after the models of the same
// layer it references; ties by name. A cycle is an error.
func order(layer []Model) ([]Model, error) {
	sort.SliceStable(layer, func(i, j int) bool { return layer[i].Name < layer[j].Name })
	idx := map[string]int{}
	for i, m := range layer {
		idx[m.Name] = i
	}
	deps := map[string][]string{}
	for _, m := range layer {
		seen := map[string]bool{}
		for _, id := range identifier.FindAllString(code(strings.ToLower(m.SQL)), -1) {
			if _, ok := idx[id]; ok && id != m.Name && !seen[id] {
				seen[id] = true
				deps[m.Name] = append(deps[m.Name], id)
			}
		}
		sort.Strings(deps[m.Name])
	}
	var (
		out   []Model
		state = map[string]int{} // 1 visiting, 2 done
		visit func(name string) error
	)
	visit = func(name string) error {
		switch state[name] {
		case 1:
			return fmt.Errorf("sql: models reference each other in a cycle through %s", name)
		case 2:
			return nil
		}
		state[name] = 1
		for _, d := range deps[name] {
			if err := visit(d); err != nil {
				return err
			}
		}
		state[name] = 2
		out = append(out, layer[idx[name]])
		return nil
	}
	for _, m := range layer {
		if err := visit(m.Name); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// References returns the names of the models that sqlText refers to:
// identifiers outside comments and string literals ('s2_migration' in a
// list of table names is a value, not a reference).
func References(sqlText string, models []Model) []string {
	names := map[string]bool{}
	for _, m := range models {
		names[m.Name] = true
	}
	seen := map[string]bool{}
	var out []string
	for _, id := range identifier.FindAllString(code(strings.ToLower(sqlText)), -1) {
		if names[id] && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// Needed returns, in build order, the models named in roots and every model
// they refer to, directly or not.
func Needed(models []Model, roots []string) []Model {
	byName := map[string]Model{}
	for _, m := range models {
		byName[m.Name] = m
	}
	keep := map[string]bool{}
	var visit func(string)
	visit = func(name string) {
		m, ok := byName[name]
		if !ok || keep[name] {
			return
		}
		keep[name] = true
		for _, d := range References(m.SQL, models) {
			visit(d)
		}
	}
	for _, r := range roots {
		visit(r)
	}
	var out []Model
	for _, m := range models {
		if keep[m.Name] {
			out = append(out, m)
		}
	}
	return out
}

// code returns sqlText without its comments and with every string literal
// emptied, so that only the SQL's own words remain.
func code(sqlText string) string {
	var b strings.Builder
	inString := false
	for i := 0; i < len(sqlText); i++ {
		c := sqlText[i]
		switch {
		case inString && c == '\'' && i+1 < len(sqlText) && sqlText[i+1] == '\'':
			i++ // '' inside a literal
		case inString && c == '\'':
			inString = false
			b.WriteByte(c)
		case inString:
		case c == '\'':
			inString = true
			b.WriteByte(c)
		case c == '-' && i+1 < len(sqlText) && sqlText[i+1] == '-':
			for i < len(sqlText) && sqlText[i] != '\n' {
				i++
			}
			b.WriteByte('\n')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func stripComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i]
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// SetParams sets on the pinned connection, as DuckDB variables, the run
// parameters that the models and checks read (their Params), in name
// order; the others are not set.
func (w *Warehouse) SetParams(ctx context.Context, cfg config.Config, models []Model, checks []Check) error {
	read := map[string]bool{}
	for _, m := range models {
		for _, n := range m.Params {
			read[n] = true
		}
	}
	for _, c := range checks {
		for _, n := range c.Params {
			read[n] = true
		}
	}
	var names []string
	for n := range read {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p, ok := config.ByVariable(n)
		if !ok {
			return fmt.Errorf("variable %s: not a run parameter", n)
		}
		if err := w.Exec(ctx, setVariable(n, cfg.Get(p.Key))); err != nil {
			return fmt.Errorf("variable %s: %w", n, err)
		}
	}
	return nil
}

// setVariable is the statement that sets a variable with its exact type:
// DATE for a date (a month as its first day), DOUBLE for a share or a
// number, INTEGER for a count, VARCHAR for a choice, e.g.
// SET VARIABLE as_of = DATE '2021-03-31' or
// SET VARIABLE s2_goal1 = CAST(0.5 AS DOUBLE). (A bound time.Time would
// arrive as a TIMESTAMP and a bare 0.5 as a DECIMAL; typed literals avoid
// both.)
func setVariable(name string, v any) string {
	var lit string
	switch x := v.(type) {
	case time.Time:
		lit = "DATE '" + x.Format(time.DateOnly) + "'"
	case float64:
		lit = "CAST(" + strconv.FormatFloat(x, 'g', -1, 64) + " AS DOUBLE)"
	case int:
		lit = "CAST(" + strconv.Itoa(x) + " AS INTEGER)"
	case string:
		lit = "CAST(" + quote(x) + " AS VARCHAR)"
	default:
		panic(fmt.Sprintf("warehouse: variable %s has unexpected type %T", name, v))
	}
	return "SET VARIABLE " + name + " = " + lit
}

// Build makes every model in order. If done is not nil it is called after
// each model with the time its statement took.
func (w *Warehouse) Build(ctx context.Context, models []Model, done func(m Model, took time.Duration)) error {
	w.studyCols = nil
	for _, m := range models {
		q := fmt.Sprintf("create or replace %s %s as\n%s", m.Object, m.Name, strings.TrimRight(strings.TrimSpace(m.SQL), ";"))
		start := time.Now()
		if err := w.Exec(ctx, q); err != nil {
			return fmt.Errorf("sql/%s/%s.sql: %w", m.Layer, m.Name, err)
		}
		if done != nil {
			done(m, time.Since(start))
		}
	}
	return nil
}

// Check is one data test of sql/checks: a query returning failing rows.
type Check struct {
	Name     string
	Severity string // "error" blocks publication; "warn" is reported
	Rule     string
	SQL      string
	Params   []string // the run parameters it reads, as Model.Params
	Failing  int64
	// Examples are the first failing rows (at most maxExamples, in the
	// order of all their columns), each as "column=value, …"; columns
	// named person or blockmark are left out.
	Examples []string
}

// maxExamples is how many failing rows of a check its message shows.
const maxExamples = 3

// Checks reads the checks of fsys (sql/checks); like Models, it refuses a
// getvariable that does not read a run parameter.
func Checks(fsys fs.FS) ([]Check, error) {
	entries, err := fs.ReadDir(fsys, "checks")
	if err != nil {
		return nil, fmt.Errorf("sql/checks: %w", err)
	}
	var (
		out      []Check
		problems []string
	)
	for _, e := range entries {
		stem, ok := strings.CutSuffix(e.Name(), ".sql")
		if e.IsDir() || !ok || !namePattern.MatchString(stem) {
			problems = append(problems, fmt.Sprintf("sql/checks/%s: a check file is <name>.sql in lowercase", e.Name()))
			continue
		}
		b, err := fs.ReadFile(fsys, path.Join("checks", e.Name()))
		if err != nil {
			return nil, err
		}
		c := Check{Name: stem, SQL: string(b)}
		sev := annotation(c.SQL, "severity")
		rule := annotation(c.SQL, "rule")
		if len(sev) != 1 || (sev[0] != "error" && sev[0] != "warn") || len(rule) == 0 {
			problems = append(problems, fmt.Sprintf("sql/checks/%s: needs leading comments \"-- severity: error|warn\" and \"-- rule: ...\"", e.Name()))
			continue
		}
		c.Severity, c.Rule = sev[0], strings.Join(rule, ", ")
		var bad []string
		if c.Params, bad = params("sql/checks/"+e.Name(), c.SQL); len(bad) > 0 {
			problems = append(problems, bad...)
			continue
		}
		out = append(out, c)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return out, nil
}

// RunChecks counts each check's failing rows.
func (w *Warehouse) RunChecks(ctx context.Context, checks []Check) ([]Check, error) {
	out := make([]Check, len(checks))
	for i, c := range checks {
		q := fmt.Sprintf("select count(*) from (\n%s\n)", subquery(c.SQL))
		if err := w.conn.QueryRowContext(ctx, q).Scan(&c.Failing); err != nil {
			return nil, fmt.Errorf("sql/checks/%s.sql: %w", c.Name, err)
		}
		if c.Failing > 0 {
			ex, err := w.examples(ctx, c.SQL)
			if err != nil {
				return nil, fmt.Errorf("sql/checks/%s.sql: %w", c.Name, err)
			}
			c.Examples = ex
		}
		out[i] = c
	}
	return out, nil
}

// subquery is a check's query as the body of a subquery (no trailing ';').
func subquery(query string) string { return strings.TrimRight(strings.TrimSpace(query), ";") }

// examples returns the first failing rows of a check's query, as
// Check.Examples.
func (w *Warehouse) examples(ctx context.Context, query string) ([]string, error) {
	q := fmt.Sprintf("select * from (\n%s\n) order by all limit %d", subquery(query), maxExamples)
	rows, err := w.conn.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for k := range vals {
			ptrs[k] = &vals[k]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		var parts []string
		for k, col := range cols {
			if col == "person" || col == "blockmark" {
				continue
			}
			v := "NULL"
			switch x := vals[k].(type) {
			case nil:
			case time.Time:
				v = x.Format("2006-01-02")
			default:
				v = fmt.Sprint(x)
			}
			parts = append(parts, col+"="+v)
		}
		out = append(out, strings.Join(parts, ", "))
	}
	return out, rows.Err()
}
