package report

import (
	"encoding/json"
	"fmt"
	"html/template"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/kaa-uppfoljning/kaa/pipeline/table"
)

// Chart kinds.
const (
	KindBar  = "bar"
	KindHBar = "hbar"
	KindPie  = "pie"
	KindLine = "line"
)

// palette: muted, print-friendly, distinguishable in greyscale order.
var palette = []string{"#2f5d8a", "#e0902f", "#5aa469", "#b84a62", "#7a68a6", "#8c8c8c", "#3fa7b5", "#c7b446", "#1b3a57"}

const (
	colorGoalMet    = "#3b8a4a"
	colorGoalNotMet = "#d9822b"
	colorGoalLine   = "#b3261e"
)

var idSafe = regexp.MustCompile(`[^a-z0-9-]+`)

// chartData is the table data arranged for a chart.
type chartData struct {
	categories []string
	series     []string
	seriesCode []string   // the code behind each series name, if any
	values     [][]any    // [series][category]: number or nil
	hidden     [][]string // [series][category]: the suppression marker ("<5") of a hidden value, else ""
	unit       string     // "%" for shares, "" otherwise
	omitted    bool       // a value is missing (not suppressed)
	suppressed bool       // a value is hidden by suppression
}

// empty reports whether the chart has nothing to draw.
func (d chartData) empty() bool {
	for si := range d.values {
		for ci := range d.values[si] {
			if d.values[si][ci] != nil || d.hidden[si][ci] != "" {
				return false
			}
		}
	}
	return true
}

// negative reports whether a value is below 0.
func (d chartData) negative() bool {
	for si := range d.values {
		for _, v := range d.values[si] {
			if v != nil && numberOf(v) < 0 {
				return true
			}
		}
	}
	return false
}

// allZero reports whether every value is 0 (and none is hidden).
func (d chartData) allZero() bool {
	seen := false
	for si := range d.values {
		for ci, v := range d.values[si] {
			if d.hidden[si][ci] != "" || v != nil && numberOf(v) != 0 {
				return false
			}
			seen = seen || v != nil
		}
	}
	return seen
}

// hiddenMark is a value hidden by suppression: the page draws its marker
// ("<5") where the bar or point would be.
type hiddenMark struct {
	S    int    `json:"s"`
	C    int    `json:"c"`
	Text string `json:"text"`
}

// chartEnvelope is what the page's init script reads from the JSON
// element: the ECharts option plus what it needs to format numbers, lay
// out labels and draw the suppression markers.
type chartEnvelope struct {
	Kind      string         `json:"kind"`
	Unit      string         `json:"unit"`
	ValueAxis string         `json:"valueAxis,omitempty"` // "x" or "y"
	Hidden    []hiddenMark   `json:"hidden,omitempty"`
	Empty     bool           `json:"empty,omitempty"`    // no data: the chart says "Inga uppgifter"
	AllZero   bool           `json:"allZero,omitempty"`  // every value is 0: the chart says so
	HideZero  bool           `json:"hideZero,omitempty"` // no value label on a 0 (grouped bars)
	Overlap   bool           `json:"overlap,omitempty"`  // nested (cumulative) bars drawn over each other
	Stack     bool           `json:"stack,omitempty"`
	MarkLabel string         `json:"markLabel,omitempty"` // the mark line's label: "Mål" if empty
	File      string         `json:"file"`                // download file name without extension
	Option    map[string]any `json:"option"`
	// Intervals (low=, high=) are drawn by the page's script: see interval.go.
	Intervals []intervalSeries `json:"intervals,omitempty"`
}

// chartSpec is what a chart call asks for.
type chartSpec struct {
	kind      string
	goal      any  // a goal (goal=) or reference (ref=) line's value
	ref       bool // the line is a reference, not a goal: bars keep their colours
	stack     bool
	overlap   bool
	valueName string // value axis title
	catName   string // category axis title
	seriesCol string // the series= column, if any
	integer   bool   // every value column holds whole numbers: the axis steps by 1 at least
}

func (r *pageRenderer) chartFunc(kind, name, category string, args ...string) (template.HTML, error) {
	switch kind {
	case KindBar, KindHBar, KindPie, KindLine, KindForest:
	default:
		return "", r.errorf("chart kind %q: want bar, hbar, pie, line or forest", kind)
	}
	t, err := r.lookup(name)
	if err != nil {
		return "", err
	}
	var valueCols, optArgs []string
	for _, a := range args {
		if strings.Contains(a, "=") {
			optArgs = append(optArgs, a)
		} else {
			valueCols = append(valueCols, a)
		}
	}
	o, err := r.parseOptions(t, optArgs, "series", "goal", "ref", "stack", "overlap", "height", "caption", "axis", "catAxis", "low", "high")
	if err != nil {
		return "", err
	}
	if len(valueCols) == 0 {
		return "", r.errorf("chart %s of table %q: no value column", kind, name)
	}
	t = filter(t, o.where)

	cat, err := r.col(t, category)
	if err != nil {
		return "", err
	}
	vals := make([]int, len(valueCols))
	for i, v := range valueCols {
		if vals[i], err = r.col(t, v); err != nil {
			return "", err
		}
	}
	ser := -1
	if s, ok := o.kv["series"]; ok {
		if ser, err = r.col(t, s); err != nil {
			return "", err
		}
		if len(vals) != 1 {
			return "", r.errorf("chart of table %q: series=%s needs exactly one value column", name, s)
		}
	}
	if kind == KindPie && (len(vals) != 1 || ser >= 0) {
		return "", r.errorf("pie chart of table %q: one value column and no series=", name)
	}
	if kind == KindForest && (len(vals) != 1 || ser >= 0) {
		return "", r.errorf("forest chart of table %q: one value column and no series=", name)
	}
	_, hasLow := o.kv["low"]
	_, hasHigh := o.kv["high"]
	if hasLow != hasHigh || ((hasLow || hasHigh) && (kind == KindPie || len(vals) != 1)) {
		return "", r.errorf("chart of table %q: low= and high= go together, with one value column, not in a pie", name)
	}

	d, err := arrange(t, cat, vals, ser)
	if err != nil {
		return "", r.errorf("chart of table %q: %v", name, err)
	}

	var intervals []intervalSeries
	if hasLow {
		low, err := r.col(t, o.kv["low"])
		if err != nil {
			return "", err
		}
		high, err := r.col(t, o.kv["high"])
		if err != nil {
			return "", err
		}
		if intervals, err = arrangeIntervals(t, d, cat, vals[0], ser, low, high); err != nil {
			return "", r.errorf("chart of table %q: %v", name, err)
		}
	}
	var forestRef any
	if kind == KindForest {
		if forestRef, err = refValue(t, vals[0], o.kv["ref"]); err != nil {
			return "", r.errorf("chart of table %q: %v", name, err)
		}
	}

	spec := chartSpec{kind: kind, stack: o.kv["stack"] == "true", overlap: o.kv["overlap"] == "true"}
	g, ok := o.kv["goal"]
	if ref, isRef := o.kv["ref"]; isRef && kind != KindForest {
		if ok {
			return "", r.errorf("chart of table %q: goal= or ref=, not both", name)
		}
		g, ok, spec.ref = ref, true, true
	}
	if ok {
		if kind == KindPie || kind == KindForest {
			return "", r.errorf("pie chart of table %q: goal= is for bar, hbar and line", name)
		}
		if spec.goal, err = goalValue(t, vals[0], g); err != nil {
			return "", r.errorf("chart of table %q: %v", name, err)
		}
	}
	if spec.overlap && (kind != KindBar && kind != KindHBar || spec.stack || ser >= 0 || len(vals) < 2) {
		return "", r.errorf("chart of table %q: overlap=true is for bar and hbar with several value columns, no series= or stack=", name)
	}
	height := 0
	if h, ok := o.kv["height"]; ok {
		if height, err = strconv.Atoi(h); err != nil || height < 120 || height > 2000 {
			return "", r.errorf("chart of table %q: height=%s: want pixels 120..2000", name, h)
		}
	}
	if ser >= 0 {
		spec.seriesCol = t.Columns[ser].Name
	}
	spec.integer = d.unit == ""
	for _, v := range vals {
		spec.integer = spec.integer && t.Columns[v].Kind == table.Int
	}
	spec.catName = o.kv["catAxis"]
	if spec.catName == "" {
		spec.catName = Header(t.Name, t.Columns[cat].Name)
	}
	spec.valueName = o.kv["axis"]
	if spec.valueName == "" {
		spec.valueName = valueAxisName(t, vals, d.unit)
	}

	if r.site.Empty[r.page.Name] != "" {
		// a study with no rows in its period: the page says so in words
		// (the layout), and no chart of zeros is drawn
		return template.HTML(`<p class="chart-empty muted">Inget diagram: inga uppgifter för perioden.</p>`), nil
	}
	r.nCharts++
	id := "kaa-" + strings.Trim(idSafe.ReplaceAllString(strings.ToLower(r.page.Name), "-"), "-") + "-chart-" + strconv.Itoa(r.nCharts)
	var (
		env        chartEnvelope
		autoHeight int
	)
	if kind == KindForest {
		env, autoHeight = buildForest(id, d, forestRef, spec)
	} else {
		env, autoHeight = buildOption(id, d, spec)
	}
	env.Intervals = intervals
	env.File = strings.TrimPrefix(id, "kaa-")
	if r.site.Scope != "" {
		env.File = idSafe.ReplaceAllString(strings.ToLower(r.site.Scope), "-") + "-" + env.File
	}
	if height == 0 {
		height = autoHeight
	}
	js, err := json.Marshal(env) // escapes <, >, & (and U+2028/9): safe inside <script>
	if err != nil {
		return "", r.errorf("chart of table %q: %v", name, err)
	}

	caption := o.kv["caption"]
	var notes []string
	if env.Empty {
		notes = append(notes, "Inga uppgifter att visa i diagrammet.")
	}
	if d.suppressed {
		what := "utan stapel"
		if kind == KindForest || kind == KindLine {
			what = "utan punkt"
		}
		notes = append(notes, suppressedNote(d, what))
	}
	if d.omitted && !env.Empty {
		notes = append(notes, "Värden som saknas visas inte i diagrammet; se tabellen.")
	}
	if spec.goal != nil && len(d.series) == 1 && !spec.ref {
		notes = append(notes, "Grön stapel: målet är nått. Orange: under målet. Streckad linje: målet.")
	}
	if spec.overlap {
		notes = append(notes, "Staplarna ligger i varandra: "+overlapNote(d.series)+".")
	}
	switch {
	case intervals != nil && kind == KindLine:
		notes = append(notes, intervalBand)
	case intervals != nil:
		notes = append(notes, intervalNote)
	}
	if forestRef != nil {
		notes = append(notes, referenceNote)
	}
	label := caption
	if label == "" {
		label = "Diagram: " + spec.valueName + " per " + strings.ToLower(spec.catName)
	}
	var b strings.Builder
	err = chartTmpl.Execute(&b, struct {
		ID, Kind, Table, Label, Caption string
		Height                          int
		Notes                           []string
		JSON                            template.JS
	}{id, kind, name, label, caption, height, notes, template.JS(js)})
	if err != nil {
		return "", r.errorf("chart of table %q: %v", name, err)
	}
	return template.HTML(b.String()), nil
}

// suppressedText is the marker of the chart's hidden values ("<5").
// suppressedNote explains the markers a chart leaves out: "<5" for
// counts below the threshold, "x" for counts hidden so that they cannot
// be worked out, ".." for a withheld table.
func suppressedNote(d chartData, what string) string {
	seen := map[string]bool{}
	var parts []string
	for si := range d.hidden {
		for _, h := range d.hidden[si] {
			if h == "" || seen[h] {
				continue
			}
			seen[h] = true
			switch h {
			case table.Hidden:
				parts = append(parts, "x (dolt så att ett litet antal inte kan räknas fram)")
			case table.Withheld:
				parts = append(parts, ".. (tabellen visas inte här)")
			default:
				parts = append(parts, h+" (färre än tröskeln)")
			}
		}
	}
	if len(parts) == 1 && strings.HasPrefix(parts[0], "<") {
		return "Värden som är undertryckta (färre än tröskeln) visas som " + suppressedText(d) + " " + what + "; se tabellen."
	}
	return "Undertryckta värden – " + strings.Join(parts, ", ") + " – visas " + what + "; se tabellen."
}

func suppressedText(d chartData) string {
	for si := range d.hidden {
		for _, h := range d.hidden[si] {
			if h != "" {
				return h
			}
		}
	}
	return ""
}

// overlapNote says how nested series contain each other: "Inom 30 dagar
// ingår i inom 90 dagar, som ingår i avbrott".
func overlapNote(series []string) string {
	var parts []string
	for i := len(series) - 1; i > 0; i-- {
		parts = append(parts, strings.ToLower(series[i][:1])+series[i][1:])
	}
	parts = append(parts, strings.ToLower(series[0][:1])+series[0][1:])
	s := parts[0] + " ingår i " + parts[1]
	for _, p := range parts[2:] {
		s += ", som ingår i " + p
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// valueAxisName is the value axis title: the column's heading and unit
// ("Andel av kohorten (%)", "Antal (personer)", "Minuter"); for several
// columns the unit ("Andel (%)", "Antal (personer)").
func valueAxisName(t table.Table, vals []int, unit string) string {
	c := t.Columns[vals[0]]
	if len(vals) > 1 {
		if unit == "%" {
			return "Andel (%)"
		}
		if u := unitOf(t.Name, c.Name); u != "" {
			same := true
			for _, v := range vals[1:] {
				same = same && unitOf(t.Name, t.Columns[v].Name) == u
			}
			if same {
				return "Antal (" + u + ")"
			}
		}
		return "Antal"
	}
	h := Header(t.Name, c.Name)
	if unit == "%" {
		return h + " (%)"
	}
	if u := unitOf(t.Name, c.Name); u != "" && !strings.Contains(strings.ToLower(h), u) {
		return h + " (" + u + ")"
	}
	return h
}

// chartTmpl: html/template treats a script of type application/json as
// JavaScript; the JSON goes in verbatim as template.JS, which is safe
// because json.Marshal escapes '<', '>' and '&' (so no "</script"), and
// the rest is escaped by html/template.
var chartTmpl = template.Must(template.New("chart").Parse(`<figure class="chart chart-{{.Kind}}">
<div class="chart-canvas" id="{{.ID}}" data-kaa-chart="{{.Table}}" role="img" aria-label="{{.Label}}" style="height: {{.Height}}px"></div>
<script type="application/json" id="{{.ID}}-data">{{.JSON}}</script>
{{- if or .Caption .Notes}}
<figcaption>{{with .Caption}}<span class="caption">{{.}}</span> {{end}}{{range .Notes}}<span class="chart-note">{{.}}</span> {{end}}</figcaption>
{{- end}}
<div class="chart-tools">Ladda ner diagrammet: <button type="button" data-kaa-save="png" data-kaa-target="{{.ID}}">PNG</button> <button type="button" data-kaa-save="svg" data-kaa-target="{{.ID}}">SVG</button> · data: <a href="tables/{{.Table}}.csv" download>CSV</a> · <a href="tables/{{.Table}}.parquet" download>Parquet</a></div>
</figure>`))

// arrange turns the table into categories × series, with codes as their
// labels.
func arrange(t table.Table, cat int, vals []int, ser int) (chartData, error) {
	d := chartData{}
	unitOf := func(c table.Column) string {
		if c.Role == table.Share || percentColumns[t.Name+"."+c.Name] {
			return "%"
		}
		return ""
	}
	d.unit = unitOf(t.Columns[vals[0]])
	for _, v := range vals[1:] {
		if unitOf(t.Columns[v]) != d.unit {
			return d, fmt.Errorf("columns %q and %q: shares and other values cannot share an axis", t.Columns[vals[0]].Name, t.Columns[v].Name)
		}
	}
	catIdx := map[string]int{}
	serIdx := map[string]int{}
	names := colNames(t)
	label := func(ci int, row []any) string { return chartLabel(t, names, ci, row) }
	for _, row := range t.Rows {
		c := label(cat, row)
		if _, ok := catIdx[c]; !ok {
			catIdx[c] = len(d.categories)
			d.categories = append(d.categories, c)
		} else if ser < 0 {
			return d, fmt.Errorf("category %q occurs twice in column %q (use where= or series=)", c, t.Columns[cat].Name)
		}
		if ser >= 0 {
			s := label(ser, row)
			if _, ok := serIdx[s]; !ok {
				serIdx[s] = len(d.series)
				d.series = append(d.series, s)
				d.seriesCode = append(d.seriesCode, table.KeyText(row[ser]))
			}
		}
	}
	if ser < 0 {
		for _, v := range vals {
			d.series = append(d.series, Header(t.Name, t.Columns[v].Name))
			d.seriesCode = append(d.seriesCode, "")
		}
	}
	d.values = make([][]any, len(d.series))
	d.hidden = make([][]string, len(d.series))
	set := make([][]bool, len(d.series))
	for i := range d.values {
		d.values[i] = make([]any, len(d.categories))
		d.hidden[i] = make([]string, len(d.categories))
		set[i] = make([]bool, len(d.categories))
	}
	for _, row := range t.Rows {
		ci := catIdx[label(cat, row)]
		for k, v := range vals {
			si := k
			if ser >= 0 {
				si = serIdx[label(ser, row)]
				if set[si][ci] {
					return d, fmt.Errorf("two rows for %q × %q", d.categories[ci], d.series[si])
				}
			}
			if table.IsSuppressed(row[v]) {
				set[si][ci] = true
				d.hidden[si][ci] = row[v].(string)
				d.suppressed = true
				continue
			}
			n, ok, err := chartNumber(t.Columns[v], row[v])
			if err != nil {
				return d, err
			}
			set[si][ci] = true
			if ok {
				d.values[si][ci] = n
			} else {
				d.omitted = true
			}
		}
	}
	return d, nil
}

// chartLabel is a category's or series' name in a chart: a code's words,
// a value formatted as in the table.
func chartLabel(t table.Table, names []string, ci int, row []any) string {
	if row[ci] == nil {
		return "(saknas)"
	}
	if s, ok := row[ci].(string); ok && t.Columns[ci].Kind == table.Text {
		return ValueLabel(t.Name, t.Columns[ci].Name, s, names, row)
	}
	return formatText(t.Columns[ci], row[ci])
}

// goalValue is the goal in chart units: a column (all its values equal) or
// a number in the table's unit (a fraction for shares).
func goalValue(t table.Table, valCol int, g string) (any, error) {
	if ci := t.Col(g); ci >= 0 {
		var goal any
		for _, row := range t.Rows {
			// the goal is in the unit of the value column (a fraction for shares)
			n, ok, err := chartNumber(t.Columns[valCol], row[ci])
			if err != nil {
				return nil, fmt.Errorf("goal=%s: %v", g, err)
			}
			if !ok {
				continue
			}
			if goal != nil && fmt.Sprint(goal) != fmt.Sprint(n) {
				return nil, fmt.Errorf("goal=%s: the rows have different goals (%v, %v); select rows with where=", g, goal, n)
			}
			goal = n
		}
		if goal == nil {
			return nil, fmt.Errorf("goal=%s: no value", g)
		}
		return goal, nil
	}
	f, err := strconv.ParseFloat(strings.Replace(g, ",", ".", 1), 64)
	if err != nil {
		return nil, fmt.Errorf("goal=%s: neither a column nor a number", g)
	}
	n, _, err := chartNumber(t.Columns[valCol], f)
	return n, err
}

func numberOf(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return 0
}

// overlapColors: nested series from the outermost (lightest) in.
var overlapColors = []string{"#c5d3e2", "#6f93b9", "#1b3a57", "#0d1d2c"}

// seriesColors: a series whose code has a colour (S7's nivåer) gets it;
// nested series get shades of one colour; others the palette.
func seriesColors(d chartData, spec chartSpec) []string {
	out := make([]string, len(d.series))
	for i := range d.series {
		out[i] = palette[i%len(palette)]
		if spec.overlap {
			out[i] = overlapColors[min(i, len(overlapColors)-1)]
		}
	}
	if m, ok := codeColors[spec.seriesCol]; ok {
		for i, c := range d.seriesCode {
			if col, ok := m[c]; ok {
				out[i] = col
			}
		}
	}
	return out
}

// buildOption builds the ECharts option with go-echarts and returns it with
// the chart's default height in pixels.
func buildOption(id string, d chartData, spec chartSpec) (chartEnvelope, int) {
	kind, goal, stack := spec.kind, spec.goal, spec.stack
	init := charts.WithInitializationOpts(opts.Initialization{ChartID: id, Renderer: "svg", Width: "100%"})
	common := []charts.GlobalOpts{
		init,
		charts.WithAnimation(false),
		charts.WithColorsOpts(palette),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(d.series) > 1), Top: "0", Left: "center", Icon: "roundRect"}),
	}
	env := chartEnvelope{Kind: kind, Unit: d.unit, Empty: d.empty(), AllZero: d.allZero(), Overlap: spec.overlap, Stack: stack,
		HideZero: len(d.series) > 1 && kind != KindLine}
	if spec.ref {
		env.MarkLabel = "Referens"
	}
	for si := range d.hidden {
		for ci, h := range d.hidden[si] {
			if h != "" {
				env.Hidden = append(env.Hidden, hiddenMark{S: si, C: ci, Text: h})
			}
		}
	}
	n := len(d.categories)
	colors := seriesColors(d, spec)

	missing := func(v any) any {
		if v == nil {
			return "-" // ECharts' empty value
		}
		return v
	}
	goalColors := goal != nil && len(d.series) == 1 && !spec.ref
	colorFor := func(v any) *opts.ItemStyle {
		if !goalColors || v == nil {
			return nil
		}
		if numberOf(v) >= numberOf(goal) {
			return &opts.ItemStyle{Color: colorGoalMet}
		}
		return &opts.ItemStyle{Color: colorGoalNotMet}
	}
	markLine := func(axis string) []charts.SeriesOpts {
		if goal == nil {
			return nil
		}
		style := charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
			Symbol:    []string{"none", "none"},
			Label:     &opts.Label{Show: opts.Bool(true), Position: "insideEndTop", Color: colorGoalLine, FontWeight: "bold"},
			LineStyle: &opts.LineStyle{Color: colorGoalLine, Type: "dashed", Width: 2},
		})
		if axis == "x" {
			style = charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
				Symbol:    []string{"none", "none"},
				Label:     &opts.Label{Show: opts.Bool(true), Position: "start", Color: colorGoalLine, FontWeight: "bold"}, // y axis inverted: start is at the top
				LineStyle: &opts.LineStyle{Color: colorGoalLine, Type: "dashed", Width: 2},
			})
			return []charts.SeriesOpts{charts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{Name: "Mål", XAxis: goal}), style}
		}
		return []charts.SeriesOpts{charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: "Mål", YAxis: goal}), style}
	}
	showLabels := n*len(d.series) <= 40
	// the legend and the value axis title above the plot
	top := "34"
	if len(d.series) > 1 {
		top = "58"
	}
	grid := charts.WithGridOpts(opts.Grid{Left: "12", Right: "36", Top: top, Bottom: "34", ContainLabel: opts.Bool(true)})
	catLabel := &opts.AxisLabel{Show: opts.Bool(true), Interval: "0", HideOverlap: opts.Bool(false)}
	valueAxisMin := any(0)
	if d.negative() {
		valueAxisMin = nil // the axis reaches below 0 as far as the data do
	}
	minInterval := 0.0
	if spec.integer {
		minInterval = 1
	}

	// one value per category in a stack: labels go where unstacked ones do
	onePerStack := true
	for ci := 0; ci < n && stack; ci++ {
		k := 0
		for si := range d.values {
			if d.values[si][ci] != nil || d.hidden[si][ci] != "" {
				k++
			}
		}
		onePerStack = onePerStack && k <= 1
	}

	switch kind {
	case KindBar, KindHBar:
		c := charts.NewBar()
		c.SetGlobalOptions(common...)
		c.SetGlobalOptions(grid)
		pos := "top"
		if kind == KindHBar {
			pos = "right"
			c.XYReversal()
			c.SetGlobalOptions(
				charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: valueAxisMin, MinInterval: minInterval, Name: spec.valueName, NameLocation: "middle", NameGap: 30}),
				charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: catLabel, Name: spec.catName, NameLocation: "start"}),
			)
			env.ValueAxis = "x"
		} else {
			c.SetGlobalOptions(
				charts.WithXAxisOpts(opts.XAxis{Type: "category", AxisLabel: catLabel, Name: spec.catName, NameLocation: "middle", NameGap: 30}),
				charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: valueAxisMin, MinInterval: minInterval, Name: spec.valueName, NameLocation: "end"}),
			)
			env.ValueAxis = "y"
		}
		if stack && !onePerStack {
			pos = "inside"
		}
		c.SetXAxis(d.categories)
		for si, name := range d.series {
			data := make([]opts.BarData, n)
			for ci, v := range d.values[si] {
				data[ci] = opts.BarData{Value: missing(v), ItemStyle: colorFor(v)}
			}
			lpos := pos
			if spec.overlap && si > 0 {
				lpos = "insideTop"
				if kind == KindHBar {
					lpos = "insideRight"
				}
			}
			so := []charts.SeriesOpts{
				charts.WithLabelOpts(opts.Label{Show: opts.Bool(showLabels), Position: lpos}),
				charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.BarMaxWidth = "56" }),
			}
			if !goalColors {
				so = append(so, charts.WithItemStyleOpts(opts.ItemStyle{Color: colors[si]}))
			}
			if stack {
				so = append(so, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}))
			}
			if spec.overlap {
				so = append(so, charts.WithBarChartOpts(opts.BarChart{BarGap: "-100%"}))
			}
			if si == 0 {
				so = append(so, markLine(env.ValueAxis)...)
			}
			c.AddSeries(name, data, so...)
		}
		c.Validate()
		env.Option = c.JSON()
		h := 380
		if len(d.series) > 1 {
			h = 400
		}
		if kind == KindHBar {
			per := 28
			if len(d.series) > 1 && !stack && !spec.overlap {
				per = 14*len(d.series) + 14
			}
			h = 100 + n*per
			if len(d.series) > 1 {
				h += 24
			}
			if h < 180 {
				h = 180
			}
		}
		return env, h

	case KindLine:
		c := charts.NewLine()
		c.SetGlobalOptions(common...)
		c.SetGlobalOptions(grid,
			charts.WithXAxisOpts(opts.XAxis{Type: "category", AxisLabel: catLabel, Name: spec.catName, NameLocation: "middle", NameGap: 30}),
			charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: valueAxisMin, MinInterval: minInterval, Name: spec.valueName, NameLocation: "end"}),
		)
		env.ValueAxis = "y"
		c.SetXAxis(d.categories)
		for si, name := range d.series {
			data := make([]opts.LineData, n)
			for ci, v := range d.values[si] {
				data[ci] = opts.LineData{Value: missing(v)}
			}
			so := []charts.SeriesOpts{
				charts.WithLabelOpts(opts.Label{Show: opts.Bool(showLabels && len(d.series) == 1), Position: "top"}),
				charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(true), SymbolSize: 6}),
				charts.WithLineStyleOpts(opts.LineStyle{Width: 2.5, Color: colors[si]}),
				charts.WithItemStyleOpts(opts.ItemStyle{Color: colors[si]}),
			}
			if si == 0 {
				so = append(so, markLine("y")...)
			}
			c.AddSeries(name, data, so...)
		}
		c.Validate()
		env.Option = c.JSON()
		return env, 380

	default: // KindPie
		c := charts.NewPie()
		c.SetGlobalOptions(common...)
		c.SetGlobalOptions(
			charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
			charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		)
		var data []opts.PieData
		for ci, v := range d.values[0] {
			if v == nil || numberOf(v) == 0 {
				continue // no slice for missing, suppressed or zero
			}
			data = append(data, opts.PieData{Name: d.categories[ci], Value: v})
		}
		c.AddSeries(d.series[0], data,
			charts.WithPieChartOpts(opts.PieChart{Radius: []string{"38%", "66%"}, Center: []string{"50%", "52%"}}),
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "outside"}),
			charts.WithItemStyleOpts(opts.ItemStyle{BorderColor: "#ffffff", BorderWidth: 2}),
		)
		c.Validate()
		env.Option = c.JSON()
		env.Hidden = nil // a pie has no place for a marker; the caption says so
		return env, 340
	}
}
