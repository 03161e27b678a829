package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/kaa-uppfoljning/kaa/pipeline/table"
)

// KindForest is a forest plot: one point per category (a share) with its
// interval as a horizontal line, categories top to bottom, and an optional
// reference line (ref=).
const KindForest = "forest"

// intervalSeries is the interval of each category of one series of a
// chart, drawn by the page's script: as error bars on bars and points, as
// a band around a line. Data holds [low, high] in chart units, or nil
// where the interval is missing or suppressed.
type intervalSeries struct {
	Series int   `json:"series"` // index into option.series
	Data   []any `json:"data"`   // per category: [low, high] or null
}

const (
	colorRefLine  = "#5b6675"
	intervalNote  = "Strecken visar 95 % konfidensintervall (Wilson): med så många personer kan andelen rimligen ligga var som helst inom strecket."
	intervalBand  = "Det skuggade bandet visar 95 % konfidensintervall (Wilson)."
	referenceNote = "Streckad linje: andelen bland alla."
)

// arrangeIntervals reads the low and high columns beside the value column
// of each series: categories and series as arrange made them.
func arrangeIntervals(t table.Table, d chartData, cat, val, ser, low, high int) ([]intervalSeries, error) {
	for _, c := range []int{low, high} {
		if t.Columns[c].Role != t.Columns[val].Role {
			return nil, fmt.Errorf("interval column %q is not in the unit of %q", t.Columns[c].Name, t.Columns[val].Name)
		}
	}
	catIdx := map[string]int{}
	for i, c := range d.categories {
		catIdx[c] = i
	}
	serIdx := map[string]int{}
	for i, s := range d.series {
		serIdx[s] = i
	}
	out := make([]intervalSeries, len(d.series))
	for si := range out {
		out[si] = intervalSeries{Series: si, Data: make([]any, len(d.categories))}
	}
	names := colNames(t)
	for _, row := range t.Rows {
		ci := catIdx[chartLabel(t, names, cat, row)]
		si := 0
		if ser >= 0 {
			si = serIdx[chartLabel(t, names, ser, row)]
		}
		lo, okLo, err := chartNumber(t.Columns[low], row[low])
		if err != nil {
			return nil, err
		}
		hi, okHi, err := chartNumber(t.Columns[high], row[high])
		if err != nil {
			return nil, err
		}
		if okLo && okHi {
			out[si].Data[ci] = [2]float64{numberOf(lo), numberOf(hi)}
		}
	}
	return out, nil
}

// refValue is the reference line of a forest plot in chart units: a number
// in the table's unit (a fraction for shares); "" draws none.
func refValue(t table.Table, valCol int, g string) (any, error) {
	if strings.TrimSpace(g) == "" {
		return nil, nil
	}
	f, err := strconv.ParseFloat(strings.Replace(g, ",", ".", 1), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("ref=%s: not a number", g)
	}
	n, _, err := chartNumber(t.Columns[valCol], f)
	return n, err
}

// buildForest builds a forest plot: a point per category (in table order,
// top to bottom) on a value axis from 0 (to 100 % for shares), the
// reference line at ref, the intervals added by the page's script.
func buildForest(id string, d chartData, ref any, spec chartSpec) (chartEnvelope, int) {
	c := charts.NewScatter()
	c.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{ChartID: id, Renderer: "svg", Width: "100%"}),
		charts.WithAnimation(false),
		charts.WithColorsOpts(palette),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "12", Right: "36", Top: "34", Bottom: "34", ContainLabel: opts.Bool(true)}),
	)
	xAxis := opts.XAxis{Type: "value", Min: 0, Name: spec.valueName, NameLocation: "middle", NameGap: 30}
	if d.unit == "%" {
		xAxis.Max = 100
	}
	c.SetGlobalOptions(
		charts.WithXAxisOpts(xAxis),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), Data: d.categories,
			AxisLabel: &opts.AxisLabel{Show: opts.Bool(true), Interval: "0"}, Name: spec.catName, NameLocation: "start"}),
	)
	for si, name := range d.series {
		data := make([]opts.ScatterData, 0, len(d.categories))
		for ci, v := range d.values[si] {
			if v == nil {
				continue
			}
			data = append(data, opts.ScatterData{Value: []any{v, d.categories[ci]}})
		}
		so := []charts.SeriesOpts{
			charts.WithScatterChartOpts(opts.ScatterChart{Symbol: "circle", SymbolSize: 10}),
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(false)}),
		}
		if si == 0 && ref != nil {
			so = append(so,
				charts.WithMarkLineNameXAxisItemOpts(opts.MarkLineNameXAxisItem{Name: "Alla", XAxis: ref}),
				charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
					Symbol:    []string{"none", "none"},
					Label:     &opts.Label{Show: opts.Bool(true), Position: "start", Color: colorRefLine},
					LineStyle: &opts.LineStyle{Color: colorRefLine, Type: "dashed", Width: 1.5},
				}))
		}
		c.AddSeries(name, data, so...)
	}
	c.Validate()
	env := chartEnvelope{Kind: KindForest, Unit: d.unit, ValueAxis: "x", MarkLabel: "Alla", Option: c.JSON(), Empty: d.empty()}
	for si := range d.hidden {
		for ci, h := range d.hidden[si] {
			if h != "" {
				env.Hidden = append(env.Hidden, hiddenMark{S: si, C: ci, Text: h})
			}
		}
	}
	h := 100 + 30*len(d.categories)
	if h < 180 {
		h = 180
	}
	return env, h
}
