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
		"table":    r.tableFunc,
		"chart":    r.chartFunc,
		"cell":     r.cellFunc,
		"nrows":    r.nrowsFunc,
		"has":      r.hasFunc,
		"crosstab": r.crosstabFunc,
		"rows":     r.rowsFunc,
		"maxrow":   r.maxRowFunc,
		"minrow":   r.minRowFunc,
		"num":      numFunc,
		"lower":    strings.ToLower,
		"pvalue":   func(s string) string { return FormatP(numFunc(s)) },
		"sum":      r.sumFunc,
		"nonzero":  r.countFunc,
		"last":     lastRow,
		"label":    labelFunc,
		"header":   headerFunc,
		"month":    monthFunc,
		"kommun":   kommunLabel,
		"few":      fewFunc,
		"fewshare": fewShareFunc,
		"place":    placeFunc,
		"charted":  func() bool { return r.nCharts > 0 },
		"value":    FormatValue,
		"pct":      pctFunc,
		"date":     dateFunc,
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
// of the values separated by "|" (where=matt:nya|avslutade).
func filter(t table.Table, where [][2]string) table.Table {
	if len(where) == 0 {
		return t
	}
	out := table.Table{Name: t.Name, Columns: t.Columns}
	for _, row := range t.Rows {
		ok := true
		for _, w := range where {
			if !slices.Contains(strings.Split(w[1], "|"), table.KeyText(row[t.Col(w[0])])) {
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

// ---- table ----

type htmlCell struct {
	Text    string
	Class   string
	Title   string
	Code    string // the code the text stands for (data-code), if any
	Header  bool   // a row heading (th scope=row) in the body
	Scope   string // th scope in the head: "col" or "colgroup"
	Colspan int
	Rowspan int
}

type htmlTable struct {
	Name    string
	Caption string
	Class   string
	Head    [][]htmlCell
	Rows    [][]htmlCell
	NCols   int
	Legend  []codeLegend // the file's column names and codes, for the download note
}

// codeLegend is one column of the table file and the codes it shows.
type codeLegend struct {
	Column string
	Header string
	Codes  [][2]string // code, label
}

var tableTmpl = template.Must(template.New("table").Parse(`<div class="table-block">
<div class="table-wrap{{with .Class}} {{.}}{{end}}"><table class="data" data-table="{{.Name}}">
{{- with .Caption}}<caption>{{.}}</caption>{{end}}
<thead>
{{- range .Head}}
<tr>{{range .}}<th scope="{{.Scope}}"{{with .Class}} class="{{.}}"{{end}}{{if gt .Colspan 1}} colspan="{{.Colspan}}"{{end}}{{if gt .Rowspan 1}} rowspan="{{.Rowspan}}"{{end}}>{{.Text}}</th>{{end}}</tr>
{{- end}}
</thead>
<tbody>
{{- range .Rows}}
<tr>{{range .}}{{if .Header}}<th scope="row"{{if gt .Rowspan 1}} rowspan="{{.Rowspan}}"{{end}}{{with .Code}} data-code="{{.}}"{{end}}>{{.Text}}</th>{{else}}<td{{with .Class}} class="{{.}}"{{end}}{{with .Title}} title="{{.}}"{{end}}{{with .Code}} data-code="{{.}}"{{end}}>{{.Text}}</td>{{end}}{{end}}</tr>
{{- else}}
<tr><td class="empty" colspan="{{.NCols}}">Inga uppgifter.</td></tr>
{{- end}}
</tbody>
</table></div>
<div class="table-files">Tabellen som fil: <a href="tables/{{.Name}}.csv" download>CSV</a> · <a href="tables/{{.Name}}.parquet" download>Parquet</a>
{{- if .Legend}}
<details class="file-codes"><summary>Kolumner och koder i filen</summary>
<dl>{{range .Legend}}<dt><code>{{.Column}}</code></dt><dd>{{.Header}}{{if .Codes}}:{{range $i, $c := .Codes}}{{if $i}};{{end}} <code>{{index $c 0}}</code> = {{index $c 1}}{{end}}{{end}}</dd>{{end}}</dl>
</details>
{{- end}}</div>
</div>`))

// tableClass is the CSS class of a table by its shape: "wide" tables get
// a smaller font in print, "short" ones are kept on one page.
func tableClass(cols, rows int) string {
	var c []string
	if cols > 7 {
		c = append(c, "wide")
	}
	if rows <= 12 {
		c = append(c, "short")
	}
	return strings.Join(c, " ")
}

func (r *pageRenderer) tableFunc(name string, args ...string) (template.HTML, error) {
	t, err := r.lookup(name)
	if err != nil {
		return "", err
	}
	o, err := r.parseOptions(t, args, "cols", "caption", "transpose")
	if err != nil {
		return "", err
	}
	full := t
	t = filter(t, o.where)
	if tc, ok := o.kv["transpose"]; ok {
		ci, err := r.col(t, tc)
		if err != nil {
			return "", err
		}
		return r.execTable(transposed(t, ci, o.kv["caption"], legendOf(full)))
	}
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
	ht := htmlTable{Name: t.Name, Caption: o.kv["caption"], NCols: len(idx), Class: tableClass(len(idx), len(t.Rows)), Legend: legendOf(full)}
	var head []htmlCell
	for _, i := range idx {
		c := t.Columns[i]
		head = append(head, htmlCell{Text: thText(Header(t.Name, c.Name)), Class: numClass(c), Scope: "col"})
	}
	ht.Head = [][]htmlCell{head}
	for _, row := range t.Rows {
		hr := make([]htmlCell, 0, len(idx))
		for _, i := range idx {
			hr = append(hr, formatCellIn(t, i, row))
		}
		ht.Rows = append(ht.Rows, hr)
	}
	return r.execTable(ht)
}

// transposed is the table turned a quarter: one column per row (headed by
// the row's cell in column ci), one row per other column (headed by its
// heading). For a few wide rows, such as the region's kommuner.
func transposed(t table.Table, ci int, caption string, legend []codeLegend) htmlTable {
	ht := htmlTable{Name: t.Name, Caption: caption, Legend: legend, NCols: len(t.Rows) + 1}
	head := []htmlCell{{Text: "", Scope: "col"}}
	for _, row := range t.Rows {
		head = append(head, htmlCell{Text: formatCellIn(t, ci, row).Text, Scope: "col", Class: "num"})
	}
	ht.Head = [][]htmlCell{head}
	for k, c := range t.Columns {
		if k == ci {
			continue
		}
		hr := []htmlCell{{Text: Header(t.Name, c.Name), Header: true}}
		for _, row := range t.Rows {
			cell := formatCellIn(t, k, row)
			if !strings.Contains(cell.Class, "num") {
				cell.Class = strings.TrimSpace(cell.Class + " num")
			}
			hr = append(hr, cell)
		}
		ht.Rows = append(ht.Rows, hr)
	}
	ht.Class = tableClass(ht.NCols, len(ht.Rows))
	return ht
}

func (r *pageRenderer) execTable(ht htmlTable) (template.HTML, error) {
	var buf bytes.Buffer
	if err := tableTmpl.Execute(&buf, ht); err != nil {
		return "", r.errorf("table %q: %v", ht.Name, err)
	}
	return template.HTML(buf.String()), nil
}

func numClass(c table.Column) string {
	if c.Kind == table.Int || c.Kind == table.Float {
		return "num"
	}
	return ""
}

// legendOf lists the table file's columns with their HTML headings and,
// for code columns, the codes that occur with their labels.
func legendOf(t table.Table) []codeLegend {
	var out []codeLegend
	cols := colNames(t)
	for ci, c := range t.Columns {
		l := codeLegend{Column: c.Name, Header: Header(t.Name, c.Name)}
		if c.Kind == table.Text && (IsCodeColumn(t.Name, c.Name) || hasNameLabels(t.Name, c.Name)) {
			seen := map[string]bool{}
			for _, row := range t.Rows {
				v, ok := row[ci].(string)
				if !ok || seen[v] {
					continue
				}
				lab := ValueLabel(t.Name, c.Name, v, cols, row)
				if lab == v {
					continue
				}
				seen[v] = true
				l.Codes = append(l.Codes, [2]string{v, lab})
			}
		}
		out = append(out, l)
	}
	return out
}

// formatCellIn formats cell ci of a row of t for HTML: codes as their
// labels, numbers Swedish style (see formatCell).
func formatCellIn(t table.Table, ci int, row []any) htmlCell {
	c := t.Columns[ci]
	v := row[ci]
	if s, ok := v.(string); ok && c.Kind == table.Text && !table.IsSuppressed(s) {
		lab := ValueLabel(t.Name, c.Name, s, colNames(t), row)
		cell := htmlCell{Text: lab}
		if lab != s {
			cell.Code = s
		}
		return cell
	}
	if percentColumns[t.Name+"."+c.Name] {
		if f, ok := v.(float64); ok {
			return htmlCell{Text: pctText(f), Class: "num"}
		}
	}
	return formatCell(c, v)
}

// formatCell formats a cell for HTML, with its CSS class and tooltip.
func formatCell(c table.Column, v any) htmlCell {
	cls := numClass(c)
	if table.IsSuppressed(v) {
		s := v.(string)
		title := "Färre än " + strings.TrimPrefix(s, "<") + " personer: visas inte för att skydda enskilda."
		switch s {
		case table.Hidden:
			title = "Döljs så att ett litet antal inte kan räknas fram ur summor och andelar."
		case table.Withheld:
			title = "Tabellen visas inte här: små antal skulle annars kunna räknas fram."
		}
		return htmlCell{Text: s, Class: strings.TrimSpace(cls + " supp"), Title: title}
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
	t, ci, err := r.matching(name, col, args)
	if err != nil {
		return "", err
	}
	if len(t.Rows) != 1 {
		return "", r.errorf("cell %q %q %v: %d rows match, want 1", name, col, args, len(t.Rows))
	}
	return formatCellIn(t, ci, t.Rows[0]).Text, nil
}

// matching is the table NAME with only the rows matching the where=
// options of args, and the index of its column COL: the common start of
// the funcs that read one column of some rows.
func (r *pageRenderer) matching(name, col string, args []string) (table.Table, int, error) {
	t, err := r.lookup(name)
	if err != nil {
		return table.Table{}, 0, err
	}
	ci, err := r.col(t, col)
	if err != nil {
		return table.Table{}, 0, err
	}
	o, err := r.parseOptions(t, args)
	if err != nil {
		return table.Table{}, 0, err
	}
	return filter(t, o.where), ci, nil
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
