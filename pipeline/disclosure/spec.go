package disclosure

import (
	"fmt"
	"regexp"
	"strings"
)

// Spec is the declaration of one study table: its file, the roles of its
// columns and the structure a reader can use against it (see the package
// doc for the format).
type Spec struct {
	File  string // e.g. "sql/studies/s1_status.sql", for messages
	Table string

	Counts []string // "counts:" person counts (every integer column not plain is one anyway)
	Plain  []string // "plain:" never hidden: reference figures, minutes, ages, ids
	Shares []string // "shares:" hidden with their row's counts (unless also plain)
	Keys   []string // "key:" the columns that name a row (default: the text columns)
	Totals []string // "total:" columns whose sum over the table is published on its page

	RegionPrefix []string // "region: prefix COL": the region labels COL "<kommunkod> <value>"
	RegionNocase []string // "region: nocase COL": the region groups COL case-insensitively

	Sums   []Sum
	Ratios []Ratio
}

// Sum is a "sum:" line: Left Op Right, for each combination of the By
// columns' values.
type Sum struct {
	Line        int
	Text        string
	Left, Right Expr
	AtLeast     bool // ">=" instead of "="
	By          []string
	Where       []Sel // "by key=value": only the rows with that value
}

// Ratio is a "ratio:" line: the share column Col of the rows matching Sel
// is Num / Den.
type Ratio struct {
	Line     int
	Text     string
	Col      string
	Sel      []Sel
	Num, Den Expr
}

// Expr is a sum of terms.
type Expr []Term

// Term is one (signed) reference; Sum marks sum(REF [by KEYS]): the sum
// over the rows agreeing on SumBy only, instead of the context's keys.
type Term struct {
	Neg   bool
	Ref   Ref
	Sum   bool
	SumBy []string
}

// Ref names count cells: column Col of Table (the spec's own table when
// empty) in the rows that agree with the context and match Sel, in the
// scope named by the context row's column Scope (the same scope when
// empty).
type Ref struct {
	Table string
	Col   string
	Sel   []Sel
	Scope string
}

// Sel restricts the rows of a reference: Key = Value, Key = the context
// row's column Value (FromRow), or a position: Pos "prev" (the row before
// the context row) or "last" (the table's last row).
type Sel struct {
	Key, Value string
	FromRow    bool
	Pos        string
}

var ident = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// Parse reads the declaration from the leading comment lines of a study
// model: file names the file in messages, table is the model's name.
func Parse(file, table, sqlText string) (Spec, error) {
	s := Spec{File: file, Table: table}
	var problems []string
	for n, raw := range strings.Split(sqlText, "\n") {
		line := strings.TrimSpace(raw)
		if !strings.HasPrefix(line, "--") {
			if line == "" {
				continue
			}
			break
		}
		body := strings.TrimSpace(strings.TrimPrefix(line, "--"))
		key, rest, ok := strings.Cut(body, ":")
		if !ok || !ident.MatchString(key) {
			continue // prose
		}
		rest = strings.TrimSpace(rest)
		fail := func(format string, args ...any) {
			problems = append(problems, fmt.Sprintf("%s:%d: %s: %s", file, n+1, key, fmt.Sprintf(format, args...)))
		}
		switch key {
		case "counts", "plain", "shares", "key", "total":
			cols, err := columnList(rest)
			if err != nil {
				fail("%v", err)
				continue
			}
			switch key {
			case "counts":
				s.Counts = append(s.Counts, cols...)
			case "plain":
				s.Plain = append(s.Plain, cols...)
			case "shares":
				s.Shares = append(s.Shares, cols...)
			case "key":
				s.Keys = append(s.Keys, cols...)
			case "total":
				s.Totals = append(s.Totals, cols...)
			}
		case "region":
			how, col, _ := strings.Cut(rest, " ")
			col = strings.TrimSpace(col)
			if !ident.MatchString(col) || (how != "prefix" && how != "nocase") {
				fail("want \"prefix COLUMN\" or \"nocase COLUMN\"")
				continue
			}
			if how == "prefix" {
				s.RegionPrefix = append(s.RegionPrefix, col)
			} else {
				s.RegionNocase = append(s.RegionNocase, col)
			}
		case "sum":
			sm, err := parseSum(rest)
			if err != nil {
				fail("%v", err)
				continue
			}
			sm.Line, sm.Text = n+1, rest
			s.Sums = append(s.Sums, sm)
		case "ratio":
			r, err := parseRatio(rest)
			if err != nil {
				fail("%v", err)
				continue
			}
			r.Line, r.Text = n+1, rest
			s.Ratios = append(s.Ratios, r)
		}
	}
	if len(problems) > 0 {
		return s, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	return s, nil
}

func columnList(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !ident.MatchString(f) {
			return nil, fmt.Errorf("%q is not a column name", f)
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no columns")
	}
	return out, nil
}

// topLevel returns the index of the first occurrence of sep in s outside
// brackets and parentheses, or -1.
func topLevel(s, sep string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[', '(':
			depth++
		case ']', ')':
			depth--
		}
		if depth == 0 && strings.HasPrefix(s[i:], sep) {
			return i
		}
	}
	return -1
}

// splitBy cuts a trailing " by a, b" (outside brackets) off s.
func splitBy(s string) (string, []string, error) {
	i := topLevel(s, " by ")
	if i < 0 {
		return s, nil, nil
	}
	keys, err := columnList(s[i+4:])
	return strings.TrimSpace(s[:i]), keys, err
}

func parseSum(s string) (Sum, error) {
	var sm Sum
	body := s
	if i := topLevel(s, " by "); i >= 0 {
		body = strings.TrimSpace(s[:i])
		for _, f := range strings.Split(s[i+4:], ",") {
			k, v, filter := strings.Cut(strings.TrimSpace(f), "=")
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			if !ident.MatchString(k) || (filter && v == "") {
				return sm, fmt.Errorf("%q: by names columns, or COLUMN=VALUE", f)
			}
			sm.By = append(sm.By, k)
			if filter {
				sm.Where = append(sm.Where, Sel{Key: k, Value: v})
			}
		}
	}
	var err error
	op := ">="
	i := topLevel(body, op)
	if i < 0 {
		op = "="
		i = topLevel(body, op)
	}
	if i < 0 {
		return sm, fmt.Errorf("want LEFT = RIGHT or LEFT >= RIGHT")
	}
	sm.AtLeast = op == ">="
	if sm.Left, err = parseExpr(body[:i]); err != nil {
		return sm, err
	}
	if sm.Right, err = parseExpr(body[i+len(op):]); err != nil {
		return sm, err
	}
	return sm, nil
}

func parseRatio(s string) (Ratio, error) {
	var r Ratio
	i := topLevel(s, "=")
	if i < 0 {
		return r, fmt.Errorf("want COLUMN = NUMERATOR / DENOMINATOR")
	}
	lhs, err := parseRef(strings.TrimSpace(s[:i]))
	if err != nil {
		return r, err
	}
	if lhs.Table != "" || lhs.Scope != "" {
		return r, fmt.Errorf("the share must be a column of this table")
	}
	r.Col, r.Sel = lhs.Col, lhs.Sel
	rhs := s[i+1:]
	j := topLevel(rhs, "/")
	if j < 0 {
		return r, fmt.Errorf("want COLUMN = NUMERATOR / DENOMINATOR")
	}
	if r.Num, err = parseExpr(rhs[:j]); err != nil {
		return r, err
	}
	if r.Den, err = parseExpr(rhs[j+1:]); err != nil {
		return r, err
	}
	return r, nil
}

// parseExpr parses TERM { (+|-) TERM }, optionally in parentheses.
func parseExpr(s string) (Expr, error) {
	s = strings.TrimSpace(s)
	for strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") && topLevel(s, ")") == len(s)-1 {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	if s == "" {
		return nil, fmt.Errorf("empty expression")
	}
	var out Expr
	neg := false
	start := 0
	depth := 0
	flush := func(end int) error {
		part := strings.TrimSpace(s[start:end])
		t, err := parseTerm(part)
		if err != nil {
			return err
		}
		t.Neg = neg
		out = append(out, t)
		return nil
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '[' || c == '(':
			depth++
		case c == ']' || c == ')':
			depth--
		case depth == 0 && (c == '+' || c == '-') && i > 0 && s[i-1] == ' ':
			if err := flush(i); err != nil {
				return nil, err
			}
			neg = c == '-'
			start = i + 1
		}
	}
	if err := flush(len(s)); err != nil {
		return nil, err
	}
	return out, nil
}

func parseTerm(s string) (Term, error) {
	if inner, ok := strings.CutPrefix(s, "sum("); ok {
		if !strings.HasSuffix(inner, ")") {
			return Term{}, fmt.Errorf("%q: unclosed sum(", s)
		}
		body, by, err := splitBy(strings.TrimSuffix(inner, ")"))
		if err != nil {
			return Term{}, err
		}
		r, err := parseRef(body)
		return Term{Ref: r, Sum: true, SumBy: by}, err
	}
	r, err := parseRef(s)
	return Term{Ref: r}, err
}

// parseRef parses [TABLE.]COL[SEL, ...][@SCOPECOL].
func parseRef(s string) (Ref, error) {
	var r Ref
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, "@"); i >= 0 && !strings.Contains(s[i:], "]") {
		r.Scope = strings.TrimSpace(s[i+1:])
		if !ident.MatchString(r.Scope) {
			return r, fmt.Errorf("%q: @ must name a column", s)
		}
		s = strings.TrimSpace(s[:i])
	}
	if i := strings.Index(s, "["); i >= 0 {
		if !strings.HasSuffix(s, "]") {
			return r, fmt.Errorf("%q: unclosed [", s)
		}
		for _, part := range strings.Split(s[i+1:len(s)-1], ",") {
			part = strings.TrimSpace(part)
			switch {
			case part == "prev" || part == "last":
				r.Sel = append(r.Sel, Sel{Pos: part})
			default:
				k, v, ok := strings.Cut(part, "=")
				k, v = strings.TrimSpace(k), strings.TrimSpace(v)
				if !ok || !ident.MatchString(k) || v == "" {
					return r, fmt.Errorf("%q: a selector is KEY=VALUE, KEY=$COLUMN, prev or last", part)
				}
				sel := Sel{Key: k, Value: v}
				if col, ok := strings.CutPrefix(v, "$"); ok {
					if !ident.MatchString(col) {
						return r, fmt.Errorf("%q: $ must name a column", part)
					}
					sel.Value, sel.FromRow = col, true
				}
				r.Sel = append(r.Sel, sel)
			}
		}
		s = strings.TrimSpace(s[:i])
	}
	if t, c, ok := strings.Cut(s, "."); ok {
		r.Table, s = t, c
		if !ident.MatchString(r.Table) {
			return r, fmt.Errorf("%q is not a table name", r.Table)
		}
	}
	if !ident.MatchString(s) {
		return r, fmt.Errorf("%q is not a column name", s)
	}
	r.Col = s
	return r, nil
}
