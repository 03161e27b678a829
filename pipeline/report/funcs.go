package report

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/table"
)

const (
	nbsp      = "\u00a0"
	emptyMark = "–"
)

// pageRenderer holds the state of one page's execution: the site and the
// number of charts rendered so far (for deterministic element ids).
type pageRenderer struct {
	site    *Site
	page    Page
	nCharts int
}

func (r *pageRenderer) funcs() template.FuncMap {
	return template.FuncMap{
		"table":   r.tableFunc,
		"chart":   r.chartFunc,
		"cell":    r.cellFunc,
		"nrows":   r.nrowsFunc,
		"has":     r.hasFunc,
		"charted": func() bool { return r.nCharts > 0 },
		"value":   FormatValue,
		"pct":     pctFunc,
		"date":    dateFunc,
	}
}

// errorf makes an error that names the template.
func (r *pageRenderer) errorf(format string, args ...any) error {
	return fmt.Errorf("template %s: "+format, append([]any{r.page.Template}, args...)...)
}

func (r *pageRenderer) lookup(name string) (table.Table, error) {
	t, ok := r.site.Tables[name]
	if !ok {
		return table.Table{}, r.errorf("table %q is not in the site's tables", name)
	}
	if t.Name == "" {
		t.Name = name
	}
	if err := t.Validate(); err != nil {
		return table.Table{}, r.errorf("%v", err)
	}
	return t, nil
}

func (r *pageRenderer) col(t table.Table, name string) (int, error) {
	i := t.Col(name)
	if i < 0 {
		return -1, r.errorf("table %q has no column %q", t.Name, name)
	}
	return i, nil
}

// options splits "key=value" arguments; where= is collected in order.
type options struct {
	where [][2]string
	kv    map[string]string
}

func (r *pageRenderer) parseOptions(t table.Table, args []string, allowed ...string) (options, error) {
	o := options{kv: map[string]string{}}
	for _, a := range args {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			return o, r.errorf("table %q: option %q is not key=value", t.Name, a)
		}
		if k == "where" {
			c, val, ok := strings.Cut(v, ":")
			if !ok {
				return o, r.errorf("table %q: %q: want where=COLUMN:VALUE", t.Name, a)
			}
			if _, err := r.col(t, c); err != nil {
				return o, err
			}
			o.where = append(o.where, [2]string{c, val})
			continue
		}
		known := false
		for _, al := range allowed {
			known = known || al == k
		}
		if !known {
			return o, r.errorf("table %q: unknown option %q (known: where, %s)", t.Name, k, strings.Join(allowed, ", "))
		}
		o.kv[k] = v
	}
	return o, nil
}

// filter keeps the rows matching every where= condition; a cell matches
// when its raw text (as in CSV, without quoting) equals the value, or one
// of the values separated by '|' (where=status:STUDIER|ARBETE).
func filter(t table.Table, where [][2]string) table.Table {
	if len(where) == 0 {
		return t
	}
	out := table.Table{Name: t.Name, Columns: t.Columns}
	for _, row := range t.Rows {
		ok := true
		for _, w := range where {
			if !slices.Contains(strings.Split(w[1], "|"), rawText(row[t.Col(w[0])])) {
				ok = false
				break
			}
		}
		if ok {
			out.Rows = append(out.Rows, row)
		}
	}
	return out
}

func rawText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case time.Time:
		return table.FormatDate(x)
	}
	return fmt.Sprint(v)
}

// ---- table ----

type htmlCell struct {
	Text  string
	Class string
	Title string
}

type htmlTable struct {
	Name    string
	Caption string
	Head    []htmlCell
	Rows    [][]htmlCell
}

var tableTmpl = template.Must(template.New("table").Parse(`<div class="table-wrap"><table class="data" data-table="{{.Name}}">
{{- with .Caption}}<caption>{{.}}</caption>{{end}}
<thead><tr>{{range .Head}}<th scope="col"{{with .Class}} class="{{.}}"{{end}}>{{.Text}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr>{{range .}}<td{{with .Class}} class="{{.}}"{{end}}{{with .Title}} title="{{.}}"{{end}}>{{.Text}}</td>{{end}}</tr>
{{- else}}
<tr><td class="empty" colspan="{{len .Head}}">Inga rader.</td></tr>
{{- end}}
</tbody>
</table></div>`))

func (r *pageRenderer) tableFunc(name string, args ...string) (template.HTML, error) {
	t, err := r.lookup(name)
	if err != nil {
		return "", err
	}
	o, err := r.parseOptions(t, args, "cols", "caption")
	if err != nil {
		return "", err
	}
	t = filter(t, o.where)
	idx := make([]int, 0, len(t.Columns))
	if cols, ok := o.kv["cols"]; ok {
		for _, c := range strings.Split(cols, ",") {
			i, err := r.col(t, strings.TrimSpace(c))
			if err != nil {
				return "", err
			}
			idx = append(idx, i)
		}
	} else {
		for i := range t.Columns {
			idx = append(idx, i)
		}
	}
	ht := htmlTable{Name: t.Name, Caption: o.kv["caption"]}
	for _, i := range idx {
		c := t.Columns[i]
		cls := ""
		if c.Kind == table.Int || c.Kind == table.Float {
			cls = "num"
		}
		ht.Head = append(ht.Head, htmlCell{Text: c.Name, Class: cls})
	}
	for _, row := range t.Rows {
		hr := make([]htmlCell, 0, len(idx))
		for _, i := range idx {
			hr = append(hr, formatCell(t.Columns[i], row[i]))
		}
		ht.Rows = append(ht.Rows, hr)
	}
	var buf bytes.Buffer
	if err := tableTmpl.Execute(&buf, ht); err != nil {
		return "", r.errorf("table %q: %v", name, err)
	}
	return template.HTML(buf.String()), nil
}

// formatCell formats a cell for HTML, with its CSS class and tooltip.
func formatCell(c table.Column, v any) htmlCell {
	num := c.Kind == table.Int || c.Kind == table.Float
	cls := ""
	if num {
		cls = "num"
	}
	if table.IsSuppressed(v) {
		s := v.(string)
		return htmlCell{Text: s, Class: strings.TrimSpace(cls + " supp"), Title: "Färre än " + s[1:] + " personer: visas inte för att skydda enskilda."}
	}
	return htmlCell{Text: formatText(c, v), Class: cls}
}

// formatText is the HTML text of a cell (see the package doc).
func formatText(c table.Column, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		if c.Role == table.Share {
			return pctText(float64(x))
		}
		return groupInt(strconv.FormatInt(x, 10))
	case float64:
		if c.Role == table.Share {
			return pctText(x)
		}
		if c.Kind == table.Int {
			return groupNumber(table.FormatDecimal(x, 0, false))
		}
		return groupNumber(table.FormatDecimal(x, 4, true))
	case time.Time:
		return table.FormatDate(x)
	}
	return fmt.Sprint(v)
}

func pctText(f float64) string {
	p, ok := table.Percent(f)
	if !ok {
		return ""
	}
	return strconv.FormatInt(p, 10) + nbsp + "%"
}

// groupInt groups the digits of an integer with no-break spaces from
// 10 000 on ("12 345"); shorter numbers are left as they are ("1234").
func groupInt(s string) string {
	neg := strings.HasPrefix(s, "-")
	d := strings.TrimPrefix(s, "-")
	if len(d) < 5 {
		return s
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, ch := range d {
		if i > 0 && (len(d)-i)%3 == 0 {
			b.WriteString(nbsp)
		}
		b.WriteRune(ch)
	}
	return b.String()
}

// groupNumber groups the integer part of a decimal with a decimal comma.
func groupNumber(s string) string {
	ip, frac, hasFrac := strings.Cut(s, ",")
	ip = groupInt(ip)
	if hasFrac {
		return ip + "," + frac
	}
	return ip
}

// ---- small funcs ----

func (r *pageRenderer) cellFunc(name, col string, args ...string) (string, error) {
	t, err := r.lookup(name)
	if err != nil {
		return "", err
	}
	ci, err := r.col(t, col)
	if err != nil {
		return "", err
	}
	o, err := r.parseOptions(t, args)
	if err != nil {
		return "", err
	}
	f := filter(t, o.where)
	if len(f.Rows) != 1 {
		return "", r.errorf("cell %q %q %v: %d rows match, want 1", name, col, args, len(f.Rows))
	}
	return formatCell(t.Columns[ci], f.Rows[0][ci]).Text, nil
}

func (r *pageRenderer) nrowsFunc(name string) (int, error) {
	t, err := r.lookup(name)
	if err != nil {
		return 0, err
	}
	return len(t.Rows), nil
}

func (r *pageRenderer) hasFunc(name string) bool {
	_, ok := r.site.Tables[name]
	return ok
}

// FormatValue formats any value Swedish style for the method notes:
// integers grouped from 10 000, decimals with a decimal comma (at most 4
// decimals), time.Time as YYYY-MM-DD, bool as Ja/Nej, nil as "–", a Fact as
// "Label: value".
func FormatValue(v any) string {
	switch x := v.(type) {
	case nil:
		return emptyMark
	case string:
		return x
	case int:
		return groupInt(strconv.Itoa(x))
	case int32:
		return groupInt(strconv.FormatInt(int64(x), 10))
	case int64:
		return groupInt(strconv.FormatInt(x, 10))
	case float32:
		return groupNumber(table.FormatDecimal(float64(x), 4, true))
	case float64:
		return groupNumber(table.FormatDecimal(x, 4, true))
	case bool:
		if x {
			return "Ja"
		}
		return "Nej"
	case time.Time:
		if x.IsZero() {
			return emptyMark
		}
		return table.FormatDate(x)
	case Fact:
		return x.Label + ": " + FormatValue(x.Value)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

func pctFunc(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return emptyMark, nil
	case float64:
		return pctText(x), nil
	case float32:
		return pctText(float64(x)), nil
	case int64:
		return pctText(float64(x)), nil
	case int:
		return pctText(float64(x)), nil
	}
	return "", fmt.Errorf("pct: %T is not a number", v)
}

func dateFunc(v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return emptyMark, nil
	case time.Time:
		return FormatValue(x), nil
	case string:
		return x, nil
	}
	return "", fmt.Errorf("date: %T is not a date", v)
}

// chartNumber is the value drawn for a cell: whole percent for shares,
// the integer for counts, other decimals rounded to 4 decimals. ok is
// false for missing and suppressed cells.
func chartNumber(c table.Column, v any) (n any, ok bool, err error) {
	switch x := v.(type) {
	case nil:
		return nil, false, nil
	case string:
		if table.IsSuppressed(x) {
			return nil, false, nil
		}
		return nil, false, fmt.Errorf("column %q holds text (%q), not a number", c.Name, x)
	case int64:
		if c.Role == table.Share {
			p, _ := table.Percent(float64(x))
			return p, true, nil
		}
		return x, true, nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, false, nil
		}
		if c.Role == table.Share {
			p, _ := table.Percent(x)
			return p, true, nil
		}
		r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 4, 64), 64)
		return r, true, nil
	}
	return nil, false, fmt.Errorf("column %q: a %T cannot be charted", c.Name, v)
}
