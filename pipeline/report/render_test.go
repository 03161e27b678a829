package report

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
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
		"<p id=\"cell\">Ja &lt;5 29\u00a0% 1\u00a0234\u00a0567 2,5 12 false</p>",
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
	if !strings.Contains(pages["s1"], "visas som &lt;5 utan stapel") {
		t.Errorf("no note about suppressed values")
	}
	// the suppressed status is drawn as its marker
	if len(st.Hidden) != 1 || st.Hidden[0] != (hiddenMark{S: 0, C: 4, Text: "<5"}) {
		t.Errorf("chart 1 hidden marks: %+v", st.Hidden)
	}
	// axis titles: the category column's heading, the value's with its unit
	if x, y := axisName(st.Option["xAxis"]), axisName(st.Option["yAxis"]); x != "Status" || y != "Andel av kohorten (%)" {
		t.Errorf("chart 1 axis names %q, %q", x, y)
	}
	kon := s1["kaa-s1-chart-2"]
	series := kon.Option["series"].([]any)
	if len(series) != 2 || series[0].(map[string]any)["name"] != "Kvinnor" || series[1].(map[string]any)["name"] != "Män" {
		t.Errorf("chart 2 series: %v", series)
	}
	// categories are the codes' labels
	if got := jsonString(kon.Option["xAxis"].([]any)[0].(map[string]any)["data"]); got != `["Gymnasieexamen","Studier","Arbete","Kvar i KAA","Ingen uppgift"]` {
		t.Errorf("chart 2 categories: %s", got)
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

// axisName is the name of the first axis of an option's xAxis or yAxis.
func axisName(v any) string {
	a, ok := v.([]any)
	if !ok || len(a) == 0 {
		return ""
	}
	n, _ := a[0].(map[string]any)["name"].(string)
	return n
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
	if ml := jsonString(f.Option["series"]); !strings.Contains(ml, `"xAxis":30`) || !strings.Contains(ml, `"value":[39,"Kvinnor"]`) || strings.Contains(ml, `"Annat eller okänt kön"]`) {
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
		`{{define "content"}}{{chart "bar" "s1_status" "status" "andel" "ref=0.5" "goal=0.5"}}{{end}}`:               `goal= or ref=, not both`,
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

// renderX renders the sample site with one extra page x from tmpl and
// returns its HTML.
func renderX(t *testing.T, tmpl string, tables ...table.Table) string {
	t.Helper()
	requireAsset(t)
	s := sampleSite()
	for _, tb := range tables {
		s.Tables[tb.Name] = hideSmall(tb, 5)
	}
	s.Pages = []Page{{Name: "x", Title: "X", Template: "x.html.tmpl"}}
	dir := t.TempDir()
	if err := RenderFS(sampleFS(map[string]string{"x.html.tmpl": tmpl}), dir, s); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "x.html"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// s6Manad is a long matt × grupp table, as S6 publishes it.
func s6Manad() table.Table {
	tb := table.Table{Name: "s6_manad", Columns: []table.Column{textCol("matt"), textCol("grupp"), countCol("antal")}}
	for i, m := range []string{"nya", "avslutade", "aktiva", "totalt"} {
		for j, g := range []string{"alla", "K", "M", "X", "MG1", "MG2"} {
			tb.Rows = append(tb.Rows, []any{m, g, int64((i + 1) * (10 + j*7) % 97)})
		}
	}
	tb.Rows[3][2] = int64(0) // X: none
	tb.Rows[1][2] = int64(3) // suppressed
	return tb
}

func TestCrosstab(t *testing.T) {
	page := renderX(t, `{{define "content"}}{{crosstab "s6_manad" "rows=matt" "cols=grupp" "values=antal" "caption=Deltaganden"}}
<div id="two">{{crosstab "s1_status_kon" "rows=status" "cols=kon" "values=antal,andel"}}</div>{{end}}`, s6Manad())
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	tables := find(doc, func(n *html.Node) bool { return n.Data == "table" })
	if len(tables) != 2 {
		t.Fatalf("%d tables", len(tables))
	}
	// matt × grupp: 4 rows of 1 heading + 6 cells, headed by the labels
	m := tables[0]
	head := find(m, func(n *html.Node) bool { return n.Data == "th" && attr(n, "scope") == "col" })
	var hs []string
	for _, h := range head {
		hs = append(hs, textOf(h))
	}
	if got := strings.Join(hs, "|"); got != "Mått|Alla|Kvinnor|Män|Okänt kön|Målgrupp 1 (16–19 år)|Målgrupp 2 (20–24 år)" {
		t.Errorf("crosstab head: %s", got)
	}
	rows := find(m, func(n *html.Node) bool { return n.Data == "tr" })
	if len(rows) != 5 {
		t.Fatalf("%d rows, want 1 + 4", len(rows))
	}
	var cells []string
	for _, c := range find(rows[1], func(n *html.Node) bool { return n.Data == "td" || n.Data == "th" }) {
		cells = append(cells, textOf(c))
	}
	if got := strings.Join(cells, "|"); got != "Nya|10|<5|24|0|38|45" {
		t.Errorf("row nya: %s", got)
	}
	if !strings.Contains(page, `data-code="nya"`) {
		t.Errorf("row headings do not keep their code")
	}
	// status × kön with two values: a two-level head
	two := tables[1]
	trs := find(find(two, func(n *html.Node) bool { return n.Data == "thead" })[0], func(n *html.Node) bool { return n.Data == "tr" })
	if len(trs) != 2 || textOf(trs[0]) != "StatusKvinnorMän" || textOf(trs[1]) != "AntalAndelAntalAndel" {
		t.Errorf("two-level head: %q / %q", textOf(trs[0]), textOf(trs[1]))
	}
	if !strings.Contains(page, `colspan="2"`) || !strings.Contains(page, `rowspan="2"`) {
		t.Errorf("no spans in the two-level head")
	}
	// the files stay long: the links go to the table's own files
	for _, want := range []string{`href="tables/s6_manad.csv"`, `href="tables/s6_manad.parquet"`} {
		if !strings.Contains(page, want) {
			t.Errorf("crosstab lacks %s", want)
		}
	}
}

func TestCrosstabMissingAndOrder(t *testing.T) {
	// codes as they occur per period: a code only in "totalt" sorts in
	tb := table.Table{Name: "s6_utfall", Columns: []table.Column{textCol("period"), textCol("sysselsattning"), countCol("antal")},
		Rows: [][]any{{"manad", "ARBETE", int64(7)}, {"manad", "KOMVUX", int64(9)}, {"totalt", "ARBETE", int64(70)}, {"totalt", "FLYTTAT", int64(12)}, {"totalt", "KOMVUX", int64(90)}}}
	page := renderX(t, `{{define "content"}}{{crosstab "s6_utfall" "rows=sysselsattning" "cols=period" "values=antal" "missing=0"}}{{end}}`, tb)
	doc, _ := html.Parse(strings.NewReader(page))
	var lines []string
	for _, tr := range find(doc, func(n *html.Node) bool { return n.Data == "tr" }) {
		var cs []string
		for _, c := range find(tr, func(n *html.Node) bool { return n.Data == "td" || n.Data == "th" }) {
			cs = append(cs, textOf(c))
		}
		lines = append(lines, strings.ReplaceAll(strings.Join(cs, "|"), "\u00ad", ""))
	}
	if got := strings.Join(lines, "\n"); got != "Sysselsättning vid avslut|Under månaden|Totalt till och med månaden\nArbete|7|70\nFlyttat|0|12\nKomvux|9|90" {
		t.Errorf("crosstab:\n%s", got)
	}
}

func TestTransposedTable(t *testing.T) {
	tb := table.Table{Name: "region_jamforelse", Columns: []table.Column{textCol("kommunkod"), countCol("kohort"), shareCol("andel_examen")},
		Rows: [][]any{{"2262", int64(56), 0.1429}, {"2281", int64(283), 0.0212}}}
	page := renderX(t, `{{define "content"}}{{table "region_jamforelse" "transpose=kommunkod"}}{{end}}`, tb)
	for _, want := range []string{">Timrå (2262)</th>", ">Sundsvall (2281)</th>", `<th scope="row">Kohort (personer)</th><td class="num">56</td><td class="num">283</td>`, ">Andel med examen</th><td class=\"num\">14\u00a0%</td>"} {
		if !strings.Contains(page, want) {
			t.Errorf("transposed table lacks %q", want)
		}
	}
}

func TestChartKinds(t *testing.T) {
	kontroller := table.Table{Name: "s7_kontroller", Columns: []table.Column{textCol("kontroll"), textCol("niva"), countCol("antal_personer")},
		Rows: [][]any{{"sensysreg_bakat", "rod", int64(3)}, {"saknar_sensysreg", "gul", int64(20)}, {"atgard_utan_slutdatum", "gron", int64(34)}}}
	kedja := table.Table{Name: "s8_kedja", Columns: []table.Column{textCol("lasar"), countCol("avbrott"), countCol("aktualiserade_inom_30"), countCol("aktualiserade_inom_90"), countCol("ej_aktualiserade"), {Name: "median_dagar", Kind: table.Float}},
		Rows: [][]any{{"2018/19", int64(155), int64(70), int64(106), int64(40), 13.0}, {"2019/20", int64(139), int64(73), int64(98), int64(30), 12.5}}}
	empty := table.Table{Name: "s2_studieform", Columns: []table.Column{textCol("studieform"), countCol("antal")}}
	korr := table.Table{Name: "s3_korrelation", Columns: []table.Column{textCol("faktor"), {Name: "pearson", Kind: table.Float}},
		Rows: [][]any{{"Ohalsotal", -0.33}, {"Medianinkomst", 0.16}}}
	page := renderX(t, `{{define "content"}}
{{chart "hbar" "s7_kontroller" "kontroll" "antal_personer" "series=niva" "stack=true"}}
{{chart "bar" "s8_kedja" "lasar" "avbrott" "aktualiserade_inom_90" "aktualiserade_inom_30" "overlap=true"}}
{{chart "hbar" "s2_studieform" "studieform" "antal"}}
{{chart "hbar" "s3_korrelation" "faktor" "pearson" "ref=0"}}
{{chart "bar" "s6_manad" "grupp" "antal" "series=matt" "where=matt:nya|avslutade|aktiva"}}
{{end}}`, kontroller, kedja, empty, korr, s6Manad())
	specs := chartSpecs(t, page)
	// S7: one series per nivå in its colour, stacked into one bar per kontroll
	s7 := specs["kaa-x-chart-1"]
	ser := s7.Option["series"].([]any)
	var names, colors []string
	for _, s := range ser {
		names = append(names, s.(map[string]any)["name"].(string))
		colors = append(colors, s.(map[string]any)["itemStyle"].(map[string]any)["color"].(string))
	}
	if strings.Join(names, ",") != "Röd,Gul,Grön" || strings.Join(colors, ",") != "#b3261e,#e0b02f,#3b8a4a" {
		t.Errorf("S7 series %v colours %v", names, colors)
	}
	if !strings.Contains(jsonString(ser[0]), `"stack":"total"`) || len(s7.Hidden) != 1 || s7.Hidden[0].Text != "<5" {
		t.Errorf("S7: %s %+v", jsonString(ser[0]), s7.Hidden)
	}
	if got := axisName(s7.Option["yAxis"]); got != "Kontroll" {
		t.Errorf("S7 category axis %q", got)
	}
	if got := axisName(s7.Option["xAxis"]); got != "Antal personer" {
		t.Errorf("S7 value axis %q", got)
	}
	// S8: nested bars drawn over each other, widest first
	s8 := specs["kaa-x-chart-2"]
	if !s8.Overlap || !strings.Contains(jsonString(s8.Option["series"]), `"barGap":"-100%"`) {
		t.Errorf("S8 chain not overlapped: %s", jsonString(s8.Option["series"]))
	}
	if !strings.Contains(page, "Aktualiserade inom 30 dagar ingår i aktualiserade inom 90 dagar, som ingår i avbrott.") {
		t.Errorf("no note on the nesting")
	}
	if got := axisName(s8.Option["yAxis"]); got != "Antal (personer)" {
		t.Errorf("S8 value axis %q", got)
	}
	// no rows: the chart says so
	if !specs["kaa-x-chart-3"].Empty || !strings.Contains(page, "Inga uppgifter att visa i diagrammet.") {
		t.Errorf("empty chart not marked")
	}
	// negative values: the axis is not cut at 0; a reference line keeps the bars' colours
	k := specs["kaa-x-chart-4"]
	if _, cut := k.Option["xAxis"].([]any)[0].(map[string]any)["min"]; cut || k.MarkLabel != "Referens" || strings.Contains(jsonString(k.Option["series"]), colorGoalNotMet) {
		t.Errorf("correlation chart: %s", jsonString(k.Option))
	}
	// where= with alternatives; counts step by whole numbers
	m := specs["kaa-x-chart-5"]
	if n := len(m.Option["series"].([]any)); n != 3 {
		t.Errorf("s6_manad chart has %d series, want nya, avslutade, aktiva", n)
	}
	if !strings.Contains(jsonString(m.Option["yAxis"]), `"minInterval":1`) || !m.HideZero {
		t.Errorf("count axis: %s", jsonString(m.Option["yAxis"]))
	}
	// every chart offers its image and its table's files
	for _, want := range []string{`data-kaa-save="png" data-kaa-target="kaa-x-chart-1"`, `data-kaa-save="svg" data-kaa-target="kaa-x-chart-1"`, `href="tables/s7_kontroller.csv"`} {
		if !strings.Contains(page, want) {
			t.Errorf("no %s", want)
		}
	}
}

func TestSentenceFuncs(t *testing.T) {
	page := renderX(t, `{{define "content"}}<p id="f">{{few "<5"}}|{{few "12"}}|{{fewshare "<5"}}|{{month "2021-02"}}|{{place "2281"}}|{{place "region"}}|{{sum "s5_kon" "minuter"}}|{{sum "s1_status" "antal"}}|{{nonzero "s1_status" "antal"}}|{{with maxrow "s1_status" "andel"}}{{.status}} {{.andel}}{{end}}|{{with last (rows "s6_trend")}}{{.manad}}{{end}}|{{label "s6_manad.matt" "totalt"}}|{{header "mal_uppnatt"}}</p>{{end}}`)
	want := "färre än 5|12|färre än 5 personer|februari 2021|i Sundsvall|i regionen|30\u00a0476||5|Studier 34\u00a0%|2020-03|Totalt registrerade|Mål uppnått"
	if !strings.Contains(page, `<p id="f">`+want+`</p>`) {
		i := strings.Index(page, `<p id="f">`)
		t.Errorf("got %s\nwant %s", page[i:i+300], want)
	}
}

// TestReportPage: rapport.html holds every page's content in order, each
// in its section, with unique chart ids and links to the sections.
func TestReportPage(t *testing.T) {
	dir, _ := renderSample(t)
	b, err := os.ReadFile(filepath.Join(dir, "rapport.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	var order []int
	for _, id := range []string{`<section class="report-study" id="index">`, `<section class="report-study" id="s1">`, `<section class="report-study" id="demo">`} {
		i := strings.Index(page, id)
		if i < 0 {
			t.Fatalf("rapport.html lacks %s", id)
		}
		order = append(order, i)
	}
	if !slices.IsSorted(order) {
		t.Errorf("sections out of order: %v", order)
	}
	ids := regexp.MustCompile(`id="(kaa-[a-z0-9-]+-chart-\d+)"`).FindAllStringSubmatch(page, -1)
	seen := map[string]bool{}
	for _, m := range ids {
		if seen[m[1]] {
			t.Errorf("chart id %s twice", m[1])
		}
		seen[m[1]] = true
	}
	if len(seen) != 4+8 {
		t.Errorf("%d charts in the report, want 12", len(seen))
	}
	for _, want := range []string{`class="report-page"`, `<a href="#s1">`, `<a href="rapport.html" aria-current="page">Hela rapporten</a>`, "echarts.init"} {
		if !strings.Contains(page, want) {
			t.Errorf("rapport.html lacks %q", want)
		}
	}
	idx, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	if !strings.Contains(string(idx), `<a href="rapport.html">Hela rapporten</a>`) {
		t.Errorf("the index does not link the whole report")
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

// TestClosesScript: any case of "</script" in the library would end the
// element it is inlined into; nothing else does.
func TestClosesScript(t *testing.T) {
	for js, want := range map[string]bool{
		`a="</script>"`:     true,
		`a="</SCRIPT"`:      true,
		`a="</sc</ScRiPt "`: true,
		`a="</scrip"`:       false,
		`a="<\/script>"`:    false,
		`a="</div></"`:      false,
		``:                  false,
	} {
		if got := closesScript([]byte(js)); got != want {
			t.Errorf("closesScript(%q) = %v, want %v", js, got, want)
		}
	}
}
