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
	values     [][]any // [series][category]: number or nil
	unit       string  // "%" for shares, "" otherwise
	omitted    bool    // a suppressed or missing value was left out
}

// chartEnvelope is what the page's init script reads from the JSON
// element: the ECharts option plus what it needs to format numbers.
type chartEnvelope struct {
	Kind      string         `json:"kind"`
	Unit      string         `json:"unit"`
	ValueAxis string         `json:"valueAxis,omitempty"` // "x" or "y"
	MarkLabel string         `json:"markLabel,omitempty"` // the mark line's label: "Mål" if empty
	Option    map[string]any `json:"option"`
	// Intervals (low=, high=) are drawn by the page's script: see interval.go.
	Intervals []intervalSeries `json:"intervals,omitempty"`
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
	o, err := r.parseOptions(t, optArgs, "series", "goal", "stack", "height", "caption", "low", "high", "ref")
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
	if _, ok := o.kv["ref"]; ok && kind != KindForest {
		return "", r.errorf("chart of table %q: ref= is for forest charts (bar, hbar and line have goal=)", name)
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
	ref, err := refValue(t, vals[0], o.kv["ref"])
	if err != nil {
		return "", r.errorf("chart of table %q: %v", name, err)
	}

	var goal any
	if g, ok := o.kv["goal"]; ok {
		if kind == KindPie || kind == KindForest {
			return "", r.errorf("pie chart of table %q: goal= is for bar, hbar and line", name)
		}
		if goal, err = goalValue(t, vals[0], g); err != nil {
			return "", r.errorf("chart of table %q: %v", name, err)
		}
	}
	height := 0
	if h, ok := o.kv["height"]; ok {
		if height, err = strconv.Atoi(h); err != nil || height < 120 || height > 2000 {
			return "", r.errorf("chart of table %q: height=%s: want pixels 120..2000", name, h)
		}
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
		env, autoHeight = buildForest(id, d, ref)
	} else {
		env, autoHeight = buildOption(kind, id, d, goal, o.kv["stack"] == "true")
	}
	env.Intervals = intervals
	if height == 0 {
		height = autoHeight
	}
	js, err := json.Marshal(env) // escapes <, >, & (and U+2028/9): safe inside <script>
	if err != nil {
		return "", r.errorf("chart of table %q: %v", name, err)
	}

	caption := o.kv["caption"]
	var notes []string
	if d.omitted {
		notes = append(notes, "Värden som är undertryckta (färre än tröskeln) eller saknas visas inte i diagrammet; se tabellen.")
	}
	if goal != nil && len(d.series) == 1 {
		notes = append(notes, "Grön stapel: målet är nått. Orange: under målet. Streckad linje: målet.")
	}
	switch {
	case intervals != nil && kind == KindLine:
		notes = append(notes, intervalBand)
	case intervals != nil:
		notes = append(notes, intervalNote)
	}
	if ref != nil {
		notes = append(notes, referenceNote)
	}
	label := caption
	if label == "" {
		label = "Diagram över tabellen " + name
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
</figure>`))

// arrange turns the table into categories × series.
func arrange(t table.Table, cat int, vals []int, ser int) (chartData, error) {
	d := chartData{}
	unitOf := func(c table.Column) string {
		if c.Role == table.Share {
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
	label := func(c table.Column, v any) string {
		if v == nil {
			return "(saknas)"
		}
		return formatText(c, v)
	}
	for _, row := range t.Rows {
		c := label(t.Columns[cat], row[cat])
		if _, ok := catIdx[c]; !ok {
			catIdx[c] = len(d.categories)
			d.categories = append(d.categories, c)
		} else if ser < 0 {
			return d, fmt.Errorf("category %q occurs twice in column %q (use where= or series=)", c, t.Columns[cat].Name)
		}
		if ser >= 0 {
			s := label(t.Columns[ser], row[ser])
			if _, ok := serIdx[s]; !ok {
				serIdx[s] = len(d.series)
				d.series = append(d.series, s)
			}
		}
	}
	if ser < 0 {
		for _, v := range vals {
			d.series = append(d.series, displayName(t.Columns[v].Name))
		}
	}
	d.values = make([][]any, len(d.series))
	set := make([][]bool, len(d.series))
	for i := range d.values {
		d.values[i] = make([]any, len(d.categories))
		set[i] = make([]bool, len(d.categories))
	}
	for _, row := range t.Rows {
		ci := catIdx[label(t.Columns[cat], row[cat])]
		for k, v := range vals {
			si := k
			if ser >= 0 {
				si = serIdx[label(t.Columns[ser], row[ser])]
				if set[si][ci] {
					return d, fmt.Errorf("two rows for %q × %q", d.categories[ci], d.series[si])
				}
			}
			n, ok, err := chartNumber(t.Columns[v], row[v])
			if err != nil {
				return d, err
			}
			set[si][ci] = true
			if ok {
				d.values[si][ci] = n
			}
		}
	}
	for si := range d.values {
		for ci := range d.values[si] {
			if d.values[si][ci] == nil {
				d.omitted = true
			}
		}
	}
	return d, nil
}

// displayName makes a column name a series label: "andel_kohort" → "Andel kohort".
func displayName(col string) string {
	s := strings.ReplaceAll(col, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
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

// buildOption builds the ECharts option with go-echarts and returns it with
// the chart's default height in pixels.
func buildOption(kind, id string, d chartData, goal any, stack bool) (chartEnvelope, int) {
	init := charts.WithInitializationOpts(opts.Initialization{ChartID: id, Renderer: "svg", Width: "100%"})
	common := []charts.GlobalOpts{
		init,
		charts.WithAnimation(false),
		charts.WithColorsOpts(palette),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(len(d.series) > 1), Top: "0", Left: "center", Icon: "roundRect"}),
	}
	env := chartEnvelope{Kind: kind, Unit: d.unit}
	n := len(d.categories)

	missing := func(v any) any {
		if v == nil {
			return "-" // ECharts' empty value
		}
		return v
	}
	goalColors := goal != nil && len(d.series) == 1
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
	top := "16"
	if len(d.series) > 1 {
		top = "40"
	}
	grid := charts.WithGridOpts(opts.Grid{Left: "8", Right: "32", Top: top, Bottom: "8", ContainLabel: opts.Bool(true)})
	catLabel := &opts.AxisLabel{Show: opts.Bool(true), Interval: "0", HideOverlap: opts.Bool(false)}
	// Rotate category labels that would not fit side by side at print width.
	maxLen := 0
	for _, c := range d.categories {
		if l := len([]rune(c)); l > maxLen {
			maxLen = l
		}
	}
	if kind != KindHBar && n*(maxLen*7+12) > 760 {
		catLabel.Rotate = 30
	}
	valueAxisMin := any(0)

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
				charts.WithXAxisOpts(opts.XAxis{Type: "value", Min: valueAxisMin}),
				charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: catLabel}),
			)
			env.ValueAxis = "x"
		} else {
			c.SetGlobalOptions(
				charts.WithXAxisOpts(opts.XAxis{Type: "category", AxisLabel: catLabel}),
				charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: valueAxisMin}),
			)
			env.ValueAxis = "y"
		}
		if stack {
			pos = "inside"
		}
		c.SetXAxis(d.categories)
		for si, name := range d.series {
			data := make([]opts.BarData, n)
			for ci, v := range d.values[si] {
				data[ci] = opts.BarData{Value: missing(v), ItemStyle: colorFor(v)}
			}
			so := []charts.SeriesOpts{
				charts.WithLabelOpts(opts.Label{Show: opts.Bool(showLabels), Position: pos}),
				charts.WithSeriesOpts(func(s *charts.SingleSeries) { s.BarMaxWidth = "56" }),
			}
			if stack {
				so = append(so, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}))
			}
			if si == 0 {
				so = append(so, markLine(env.ValueAxis)...)
			}
			c.AddSeries(name, data, so...)
		}
		c.Validate()
		env.Option = c.JSON()
		h := 360
		if kind == KindHBar {
			per := 26
			if len(d.series) > 1 && !stack {
				per = 14*len(d.series) + 12
			}
			h = 60 + n*per
			if len(d.series) > 1 {
				h += 30
			}
			if h < 160 {
				h = 160
			}
		}
		return env, h

	case KindLine:
		c := charts.NewLine()
		c.SetGlobalOptions(common...)
		c.SetGlobalOptions(grid,
			charts.WithXAxisOpts(opts.XAxis{Type: "category", AxisLabel: catLabel}),
			charts.WithYAxisOpts(opts.YAxis{Type: "value", Min: valueAxisMin}),
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
				charts.WithLineStyleOpts(opts.LineStyle{Width: 2.5}),
			}
			if si == 0 {
				so = append(so, markLine("y")...)
			}
			c.AddSeries(name, data, so...)
		}
		c.Validate()
		env.Option = c.JSON()
		return env, 340

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
		return env, 340
	}
}
