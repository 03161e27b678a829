package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/net/html"

	"github.com/kaa-uppfoljning/kaa/pipeline/table"
	"github.com/kaa-uppfoljning/kaa/reports"
)

func requireAsset(t *testing.T) {
	t.Helper()
	if _, err := reports.FS.Open(EChartsAsset); err != nil {
		t.Fatalf("reports/%s is not embedded: run `make assets` before testing", EChartsAsset)
	}
}

func renderSample(t *testing.T) (string, map[string]string) {
	t.Helper()
	requireAsset(t)
	dir := t.TempDir()
	if err := RenderFS(sampleFS(nil), dir, sampleSite()); err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{}
	for _, n := range []string{"index", "s1", "demo"} {
		b, err := os.ReadFile(filepath.Join(dir, n+".html"))
		if err != nil {
			t.Fatal(err)
		}
		pages[n] = string(b)
	}
	return dir, pages
}

func TestRenderPages(t *testing.T) {
	_, pages := renderSample(t)
	s1 := pages["s1"]
	for _, want := range []string{
		`<html lang="sv">`,
		`Sundsvall (2281)`,
		`Rapportdatum 2021-03-31`,
		`<a href="index.html">Översikt</a>`,
		`<a href="s1.html" aria-current="page">S1 Uppföljning av aktualiserade</a>`,
		`<a href="demo.html">Diagramtyper</a>`,
		`id="kaa-s1-chart-1"`, `id="kaa-s1-chart-4"`,
		"<td class=\"num\">34\u00a0%</td>",                // 41/120 = 0.3417
		`<td class="num supp" title="Färre än 5 personer`, // 3 → <5
		`>&lt;5</td>`,
		`<dd>2018-07-01 – 2020-06-30</dd>`,
		`<dt>Avvisade rader</dt><dd>12</dd>`,
		`@media print`,
	} {
		if !strings.Contains(s1, want) {
			t.Errorf("s1.html lacks %q", want)
		}
	}
	if strings.Contains(s1, "kaa-s1-chart-5") {
		t.Errorf("s1.html has a fifth chart")
	}
	if strings.Contains(s1, "<no value>") || strings.Contains(pages["index"], "<no value>") {
		t.Errorf("a page prints <no value>")
	}
	// The index has no chart, so no ECharts.
	if strings.Contains(pages["index"], "echarts.init") || len(pages["index"]) > 100_000 {
		t.Errorf("index.html inlines ECharts")
	}
	if !strings.Contains(s1, "echarts.init") || len(s1) < 1_000_000 {
		t.Errorf("s1.html does not inline ECharts")
	}
	demo := pages["demo"]
	for _, want := range []string{
		"<p id=\"cell\">J &lt;5 29\u00a0% 1\u00a0234\u00a0567 2,5 12 false</p>",
		`data-kaa-chart="s6_trend"`,
		`<span class="caption">Antal per status och kön</span>`,
		"<td class=\"num\">12\u00a0840</td>",
	} {
		if !strings.Contains(demo, want) {
			t.Errorf("demo.html lacks %q", want)
		}
	}
}

// chartSpecs returns the JSON chart specs of a page by element id.
func chartSpecs(t *testing.T, page string) map[string]chartEnvelope {
	t.Helper()
	re := regexp.MustCompile(`(?s)<script type="application/json" id="([a-z0-9-]+)-data">(.*?)</script>`)
	out := map[string]chartEnvelope{}
	for _, m := range re.FindAllStringSubmatch(page, -1) {
		var env chartEnvelope
		if err := json.Unmarshal([]byte(m[2]), &env); err != nil {
			t.Fatalf("chart %s: %v", m[1], err)
		}
		out[m[1]] = env
	}
	return out
}

func TestChartOptions(t *testing.T) {
	_, pages := renderSample(t)
	s1 := chartSpecs(t, pages["s1"])
	if len(s1) != 4 {
		t.Fatalf("s1 charts: %d", len(s1))
	}
	st := s1["kaa-s1-chart-1"]
	if st.Kind != "bar" || st.Unit != "%" || st.ValueAxis != "y" || st.Option["animation"] != false {
		t.Errorf("chart 1: %+v", st)
	}
	data := st.Option["series"].([]any)[0].(map[string]any)["data"].([]any)
	var vals []any
	for _, d := range data {
		vals = append(vals, d.(map[string]any)["value"])
	}
	// 18/120=15 %, 41/120=34 %, 27/120=23 %, 31/120=26 %, 3 → suppressed
	if got := strings.TrimSpace(strings.Join(strings.Fields(strings.Trim(jsonString(vals), "[]")), "")); got != `15,34,23,26,"-"` {
		t.Errorf("chart 1 values: %s", got)
	}
	if !strings.Contains(pages["s1"], "visas inte i diagrammet") {
		t.Errorf("no note about omitted values")
	}
	kon := s1["kaa-s1-chart-2"]
	series := kon.Option["series"].([]any)
	if len(series) != 2 || series[0].(map[string]any)["name"] != "K" || series[1].(map[string]any)["name"] != "M" {
		t.Errorf("chart 2 series: %v", series)
	}

	demo := chartSpecs(t, pages["demo"])
	goal := demo["kaa-demo-chart-1"].Option["series"].([]any)[0].(map[string]any)
	ml := jsonString(goal["markLine"])
	if !strings.Contains(ml, `"yAxis":50`) {
		t.Errorf("goal line: %s", ml)
	}
	gd := jsonString(goal["data"])
	if !strings.Contains(gd, `{"itemStyle":{"color":"`+colorGoalMet+`"},"value":58}`) || !strings.Contains(gd, `{"itemStyle":{"color":"`+colorGoalNotMet+`"},"value":49}`) {
		t.Errorf("goal colours: %s", gd)
	}
	h := demo["kaa-demo-chart-2"]
	if h.ValueAxis != "x" || !strings.Contains(jsonString(h.Option["series"]), `"xAxis":60`) {
		t.Errorf("hbar goal: %s", jsonString(h.Option["series"]))
	}
	if demo["kaa-demo-chart-3"].Kind != "line" || len(demo["kaa-demo-chart-3"].Option["series"].([]any)) != 3 {
		t.Errorf("line chart: %+v", demo["kaa-demo-chart-3"])
	}
	if !strings.Contains(jsonString(demo["kaa-demo-chart-4"].Option["series"]), `"stack":"total"`) {
		t.Errorf("stacked bars not stacked")
	}
	if demo["kaa-demo-chart-5"].Unit != "" || demo["kaa-demo-chart-5"].Kind != "pie" {
		t.Errorf("pie: %+v", demo["kaa-demo-chart-5"])
	}
}

// TestIntervalCharts: low= and high= give each series its interval in
// chart units (whole percent from the 4-decimal share), null where the row
// is suppressed; forest charts carry the reference line.
func TestIntervalCharts(t *testing.T) {
	_, pages := renderSample(t)
	s1 := chartSpecs(t, pages["s1"])
	// Wilson: 18/120 0.0970–0.2247, 41/120 0.2629–0.4303, 27/120
	// 0.1595–0.3076, 31/120 0.1884–0.3433; 3/120 is suppressed.
	if got := jsonString(s1["kaa-s1-chart-1"].Intervals); got != `[{"series":0,"data":[[10,22],[26,43],[16,31],[19,34],null]}]` {
		t.Errorf("s1 chart 1 intervals: %s", got)
	}
	if iv := s1["kaa-s1-chart-2"].Intervals; len(iv) != 2 || iv[1].Series != 1 {
		t.Errorf("s1 chart 2: one interval series per kön: %s", jsonString(iv))
	}
	if !strings.Contains(pages["s1"], "95 % konfidensintervall (Wilson)") {
		t.Errorf("s1: no note on the intervals")
	}
	demo := chartSpecs(t, pages["demo"])
	f := demo["kaa-demo-chart-6"]
	// 7/18 0.2031–0.6138; 0/9 0–0.2991; 2/3 suppressed
	if f.Kind != KindForest || f.ValueAxis != "x" || f.MarkLabel != "Alla" ||
		jsonString(f.Intervals) != `[{"series":0,"data":[[20,61],[0,30],null]}]` {
		t.Errorf("forest: %+v %s", f, jsonString(f.Intervals))
	}
	if ml := jsonString(f.Option["series"]); !strings.Contains(ml, `"xAxis":30`) || !strings.Contains(ml, `"value":[39,"K"]`) || strings.Contains(ml, `"X"]`) {
		t.Errorf("forest series: %s", ml)
	}
	if ml := jsonString(demo["kaa-demo-chart-7"].Option["series"]); strings.Contains(ml, "markLine") {
		t.Errorf("ref= draws a line: %s", ml)
	}
	l := demo["kaa-demo-chart-8"]
	if len(l.Option["series"].([]any)) != 2 ||
		jsonString(l.Intervals) != `[{"series":0,"data":[[28,54],[38,66],[44,70]]},{"series":1,"data":[[19,44],null,[14,36]]}]` {
		t.Errorf("line bands: %s", jsonString(l.Intervals))
	}
	if !strings.Contains(pages["demo"], "Det skuggade bandet") || !strings.Contains(pages["demo"], "andelen bland alla") {
		t.Errorf("demo: no note on bands or the reference line")
	}
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestDeterministic(t *testing.T) {
	d1, _ := renderSample(t)
	d2, _ := renderSample(t)
	for _, n := range []string{"index.html", "s1.html", "demo.html"} {
		a, _ := os.ReadFile(filepath.Join(d1, n))
		b, _ := os.ReadFile(filepath.Join(d2, n))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two renders", n)
		}
	}
}

// TestEscaping: the payloads appear only as text, in tables and in chart
// JSON, and never as markup.
func TestEscaping(t *testing.T) {
	_, pages := renderSample(t)
	s1 := pages["s1"]
	for _, p := range []string{xssScript, xssImg, xssClose, "document.title='PWNED'</script>"} {
		if strings.Contains(s1, p) {
			t.Errorf("s1.html contains the raw payload %q", p)
		}
	}
	if !strings.Contains(s1, `<td>&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;</td>`) {
		t.Errorf("table cell not escaped as text")
	}
	if !strings.Contains(s1, `\u003cscript\u003edocument.title='PWNED'\u003c/script\u003e`) {
		t.Errorf("chart JSON does not hold the escaped payload")
	}
	// Structure: exactly the scripts we put there, none from the data.
	doc, err := html.Parse(strings.NewReader(s1))
	if err != nil {
		t.Fatal(err)
	}
	var scripts, imgs int
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script":
				scripts++
			case "img":
				imgs++
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if scripts != 4+2 || imgs != 0 { // one JSON element per chart, ECharts, init
		t.Errorf("s1.html has %d script and %d img elements, want 6 and 0", scripts, imgs)
	}
}

func TestMissingTable(t *testing.T) {
	requireAsset(t)
	s := sampleSite()
	delete(s.Tables, "s1_forsorjning")
	err := RenderFS(sampleFS(nil), t.TempDir(), s)
	if err == nil || !strings.Contains(err.Error(), "s1.html.tmpl") || !strings.Contains(err.Error(), `"s1_forsorjning"`) {
		t.Fatalf("err = %v, want one naming s1.html.tmpl and s1_forsorjning", err)
	}
}

func TestTemplateErrors(t *testing.T) {
	requireAsset(t)
	cases := map[string]string{
		`{{define "content"}}{{table "s1_status" "cols=status,nope"}}{{end}}`:                                        `no column "nope"`,
		`{{define "content"}}{{chart "radar" "s1_status" "status" "andel"}}{{end}}`:                                  `chart kind "radar"`,
		`{{define "content"}}{{chart "bar" "s1_status" "status" "antal" "andel"}}{{end}}`:                            `shares and other values`,
		`{{define "content"}}{{chart "bar" "s1_status_kon" "status" "andel"}}{{end}}`:                                `occurs twice`,
		`{{define "content"}}{{chart "bar" "s2_delmal" "delmal" "andel" "where=bas:utskrivning" "goal=mal"}}{{end}}`: `different goals`,
		`{{define "content"}}{{chart "pie" "s1_status" "status" "andel" "goal=0.5"}}{{end}}`:                         `goal= is for`,
		`{{define "content"}}{{cell "s2_delmal" "andel" "where=delmal:1"}}{{end}}`:                                   `3 rows match`,
		`{{define "content"}}{{table "s1_status" "bogus=1"}}{{end}}`:                                                 `unknown option "bogus"`,
		`{{define "content"}}{{chart "bar" "s1_status" "status" "andel" "low=andel_lag"}}{{end}}`:                    `low= and high= go together`,
		`{{define "content"}}{{chart "bar" "s1_status" "status" "andel" "ref=0.5"}}{{end}}`:                          `ref= is for forest`,
		`{{define "content"}}{{chart "forest" "s1_status_kon" "status" "andel" "series=kon"}}{{end}}`:                `forest chart`,
		`{{define "content"}}{{chart "bar" "s1_status" "status" "andel" "low=antal" "high=andel_hog"}}{{end}}`:       `not in the unit`,
		`<p>no content block</p>`: `does not define "content"`,
	}
	for tmpl, want := range cases {
		s := sampleSite()
		s.Pages = []Page{{Name: "x", Title: "X", Template: "x.html.tmpl"}}
		err := RenderFS(sampleFS(map[string]string{"x.html.tmpl": tmpl}), t.TempDir(), s)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "x.html.tmpl") {
			t.Errorf("%s: err = %v, want %q", tmpl, err, want)
		}
	}
}

func TestMissingAsset(t *testing.T) {
	fsys := fstest.MapFS{
		"layout.html.tmpl": {Data: []byte(`{{template "content" .}}`)},
		"index.html.tmpl":  {Data: []byte(`{{define "content"}}x{{end}}`)},
	}
	err := RenderFS(fsys, t.TempDir(), Site{Scope: "2281"})
	if err == nil || !strings.Contains(err.Error(), "run `make assets`") {
		t.Fatalf("err = %v", err)
	}
}

func TestPageNames(t *testing.T) {
	requireAsset(t)
	for _, p := range []Page{{Name: "index", Title: "x", Template: "index.html.tmpl"}, {Name: "../x", Title: "x", Template: "s1.html.tmpl"}, {Name: "S1", Title: "x", Template: "s1.html.tmpl"}} {
		s := sampleSite()
		s.Pages = []Page{p}
		if err := Render(t.TempDir(), s); err == nil {
			t.Errorf("page %q accepted", p.Name)
		}
	}
}

func TestFormatting(t *testing.T) {
	share := table.Column{Name: "andel", Kind: table.Float, Role: table.Share}
	count := table.Column{Name: "antal", Kind: table.Int, Role: table.Count}
	plain := table.Column{Name: "x", Kind: table.Float}
	cases := []struct {
		c    table.Column
		v    any
		want string
	}{
		{share, 0.41666, "42\u00a0%"}, {share, 0.285, "29\u00a0%"}, {share, nil, ""}, {share, "<5", "<5"},
		{count, int64(1234), "1234"}, {count, int64(12345), "12\u00a0345"}, {count, int64(0), "0"},
		{plain, 1234567.891, "1\u00a0234\u00a0567,891"}, {plain, -0.43219, "-0,4322"}, {plain, 3.0, "3"},
	}
	for _, c := range cases {
		if got := formatCell(c.c, c.v).Text; got != c.want {
			t.Errorf("formatCell(%s, %v) = %q, want %q", c.c.Name, c.v, got, c.want)
		}
	}
}

func TestReading(t *testing.T) {
	for _, c := range []struct {
		p    float64
		want string
	}{
		{0.41, "Skillnaden mellan områdena är inte större än slumpen kan ge, p = 0,41."},
		{0.05, "Skillnaden mellan områdena är inte större än slumpen kan ge, p = 0,0500."},
		{0.0499, "Skillnaden mellan områdena är större än slumpen brukar ge, p = 0,0499."},
		{0.1, "Skillnaden mellan områdena är inte större än slumpen kan ge, p = 0,10."},
		{0.00001, "Skillnaden mellan områdena är större än slumpen brukar ge, p < 0,0001."},
	} {
		if got := Reading(c.p, "områdena"); got != c.want {
			t.Errorf("Reading(%v) = %q, want %q", c.p, got, c.want)
		}
	}
}
