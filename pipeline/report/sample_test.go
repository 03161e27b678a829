package report

import (
	"io/fs"
	"math"
	"testing/fstest"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/table"
	"github.com/kaa-uppfoljning/kaa/reports"
)

// Payloads that would change the page title if any of them ran.
const (
	xssScript = `<script>document.title='PWNED'</script>`
	xssImg    = `<img src=x onerror="document.title='PWNED'">`
	xssClose  = `</script><script>document.title='PWNED'</script>`
)

var (
	textCol  = func(n string) table.Column { return table.Column{Name: n, Kind: table.Text} }
	countCol = func(n string) table.Column { return table.Column{Name: n, Kind: table.Int, Role: table.Count} }
	shareCol = func(n string) table.Column { return table.Column{Name: n, Kind: table.Float, Role: table.Share} }
)

// wilson is the 95 % Wilson interval of k of n (as the warehouse's
// wilson_lag, wilson_hog).
func wilson(k, n int64) (float64, float64) {
	z := 1.959964
	kf, nf := float64(k), float64(n)
	c := (kf + z*z/2) / (nf + z*z)
	h := z * math.Sqrt(kf*(nf-kf)/nf+z*z/4) / (nf + z*z)
	return math.Max(0, c-h), math.Min(1, c+h)
}

func statusRows(counts []int64) [][]any {
	names := []string{"EXAMEN", "STUDIER", "ARBETE", "KVAR_I_KAA", "INGEN_UPPGIFT"}
	var total int64
	for _, c := range counts {
		total += c
	}
	rows := make([][]any, len(names))
	for i, n := range names {
		lo, hi := wilson(counts[i], total)
		rows[i] = []any{n, counts[i], float64(counts[i]) / float64(total), lo, hi}
	}
	return rows
}

// sampleSite is a site with the S1 tables (suppressed at 5), one table
// cell per XSS payload, and a demo page with every chart kind.
func sampleSite() Site {
	tables := []table.Table{
		{Name: "s1_status", Columns: []table.Column{textCol("status"), countCol("antal"), shareCol("andel"), shareCol("andel_lag"), shareCol("andel_hog")},
			Rows: statusRows([]int64{18, 41, 27, 31, 3})},
		{Name: "s1_status_kon", Columns: []table.Column{textCol("status"), textCol("kon"), countCol("antal"), shareCol("andel"), shareCol("andel_lag"), shareCol("andel_hog")}},
		{Name: "s1_forsorjning", Columns: []table.Column{textCol("forsorjning"), countCol("antal"), shareCol("andel")},
			Rows: [][]any{
				{"AKTIVITETSERSATTNING", int64(6), 6.0 / 52},
				{"EKONOMISKT_BISTAND", int64(14), 14.0 / 52},
				{"FORALDRAR", int64(19), 19.0 / 52},
				{"STUDIEMEDEL", int64(2), 2.0 / 52},
				{"OKAND", int64(11), 11.0 / 52},
			}},
		{Name: "s1_registreringsorsak", Columns: []table.Column{textCol("registreringsorsak"), countCol("antal"), shareCol("andel")},
			Rows: [][]any{
				{"AVBROTT", int64(52), 52.0 / 120},
				{"EJ_BORJAT", int64(30), 30.0 / 120},
				{"FLYTTAT_IN", int64(17), 17.0 / 120},
				{"OKAND", int64(9), 9.0 / 120},
				{xssScript, int64(5), 5.0 / 120},
				{xssImg, int64(5), 5.0 / 120},
				{xssClose, int64(2), 2.0 / 120},
			}},
		{Name: "s2_delmal", Columns: []table.Column{
			{Name: "delmal", Kind: table.Int}, textCol("bas"), countCol("uppfyllda"), countCol("antal"), shareCol("andel"),
			shareCol("andel_lag"), shareCol("andel_hog"), {Name: "mal", Kind: table.Float}, textCol("mal_uppnatt")},
			Rows: [][]any{
				delmalRow(1, "inskrivning_mogna", 23, 40, 0.5, "J"),
				delmalRow(1, "inskrivning_alla", 30, 61, 0.5, "N"),
				delmalRow(1, "utskrivning", 19, 44, 0.5, "N"),
				delmalRow(2, "inskrivning", 28, 39, 0.6, "J"),
				delmalRow(2, "utskrivning", 3, 4, 0.6, "J"),
			}},
		{Name: "s9_utfall", Columns: []table.Column{textCol("faktor"), textCol("varde"), countCol("antal"), countCol("studier"),
			shareCol("andel_studier"), shareCol("andel_lag"), shareCol("andel_hog")},
			Rows: [][]any{
				forestRow("kon", "K", 7, 18), forestRow("kon", "M", 0, 9), forestRow("kon", "X", 2, 3),
				forestRow("omrade", xssScript, 10, 10), forestRow("omrade", "OKÄNT", 0, 0),
			}},
		{Name: "s10_utfall", Columns: []table.Column{textCol("kohort"), textCol("status"), countCol("antal"), shareCol("andel"), shareCol("andel_lag"), shareCol("andel_hog")},
			Rows: [][]any{
				kohortRow("2019H1", "STUDIER", 20, 50), kohortRow("2019H1", "ARBETE", 15, 50),
				kohortRow("2019H2", "STUDIER", 25, 48), kohortRow("2019H2", "ARBETE", 2, 48),
				kohortRow("2020H1", "STUDIER", 30, 52), kohortRow("2020H1", "ARBETE", 12, 52),
			}},
		{Name: "s6_trend", Columns: []table.Column{textCol("manad"), countCol("nya"), countCol("avslutade"), countCol("aktiva")}},
		{Name: "s5_kon", Columns: []table.Column{textCol("kon"), {Name: "minuter", Kind: table.Int}, shareCol("andel")},
			Rows: [][]any{{"K", int64(12840), 0.4213}, {"M", int64(17560), 0.5762}, {"X", int64(76), 0.0025}}},
	}
	kon := tables[1]
	for i, st := range []string{"EXAMEN", "STUDIER", "ARBETE", "KVAR_I_KAA", "INGEN_UPPGIFT"} {
		k := []int64{10, 22, 11, 13, 1}[i]
		m := []int64{8, 19, 16, 18, 2}[i]
		klo, khi := wilson(k, 57)
		mlo, mhi := wilson(m, 63)
		kon.Rows = append(kon.Rows, []any{st, "K", k, float64(k) / 57, klo, khi}, []any{st, "M", m, float64(m) / 63, mlo, mhi})
	}
	tables[1] = kon
	ti := 0
	for i, tb := range tables {
		if tb.Name == "s6_trend" {
			ti = i
		}
	}
	trend := tables[ti]
	for i := 0; i < 12; i++ {
		m := time.Date(2019, time.April+time.Month(i), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
		trend.Rows = append(trend.Rows, []any{m, int64(8 + i%5*3), int64(5 + i%4*2), int64(60 + i*3)})
	}
	tables[ti] = trend

	s := Site{
		Scope:      "2281",
		ScopeLabel: "Sundsvall (2281)",
		AsOf:       time.Date(2021, 3, 31, 0, 0, 0, 0, time.UTC),
		Pages: []Page{
			{Name: "s1", Title: "S1 Uppföljning av aktualiserade", Template: "s1.html.tmpl"},
			{Name: "demo", Title: "Diagramtyper", Template: "demo.html.tmpl"},
		},
		Tables: map[string]table.Table{},
		Notes: map[string]any{
			"s1": map[string]any{
				"from":           time.Date(2018, 7, 1, 0, 0, 0, 0, time.UTC),
				"to":             time.Date(2020, 6, 30, 0, 0, 0, 0, time.UTC),
				"cutoff":         time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC),
				"kohort":         120,
				"suppress_below": 5,
				"kvalitet": []Fact{
					{Label: "Inlästa filer", Value: 4},
					{Label: "Avvisade rader", Value: int64(12)},
					{Label: "Personer utan sysselsättningsuppgift", Value: 7},
					{Label: "Anmärkning", Value: xssScript},
				},
			},
		},
	}
	for _, t := range tables {
		s.Tables[t.Name] = hideSmall(t, 5)
	}
	return s
}

// hideSmall marks counts 1..below-1 and the shares of their rows as
// published tables do (package disclosure decides this in a run).
func hideSmall(t table.Table, below int) table.Table {
	out := table.Table{Name: t.Name, Columns: t.Columns}
	for _, row := range t.Rows {
		nr := append([]any(nil), row...)
		hit := false
		for i, c := range t.Columns {
			if n, ok := nr[i].(int64); ok && c.Role == table.Count && n >= 1 && n < int64(below) {
				nr[i], hit = table.SuppressedText(below), true
			}
		}
		for i, c := range t.Columns {
			if hit && c.Role == table.Share && nr[i] != nil {
				nr[i] = table.SuppressedText(below)
			}
		}
		out.Rows = append(out.Rows, nr)
	}
	return out
}

// demoTemplate is a test-only page with every chart kind and option.
const demoTemplate = `{{define "content"}}
<h2>Delmål 1</h2>
{{chart "bar" "s2_delmal" "bas" "andel" "where=delmal:1" "goal=mal"}}
{{table "s2_delmal" "where=delmal:1"}}
<h2>Delmål, liggande</h2>
{{chart "hbar" "s2_delmal" "bas" "andel" "where=delmal:2" "goal=mal"}}
<h2>Trend</h2>
{{chart "line" "s6_trend" "manad" "nya" "avslutade" "aktiva"}}
{{table "s6_trend"}}
<h2>Staplat</h2>
{{chart "bar" "s1_status_kon" "status" "antal" "series=kon" "stack=true" "caption=Antal per status och kön"}}
<h2>Minuter per kön</h2>
{{chart "pie" "s5_kon" "kon" "minuter"}}
{{table "s5_kon"}}
<h2>Intervall</h2>
{{chart "forest" "s9_utfall" "varde" "andel_studier" "where=faktor:kon" "low=andel_lag" "high=andel_hog" "ref=0.30"}}
{{chart "forest" "s9_utfall" "varde" "andel_studier" "where=faktor:omrade" "low=andel_lag" "high=andel_hog" "ref="}}
{{chart "line" "s10_utfall" "kohort" "andel" "series=status" "where=status:STUDIER|ARBETE" "low=andel_lag" "high=andel_hog"}}
<p id="cell">{{cell "s2_delmal" "mal_uppnatt" "where=delmal:1" "where=bas:inskrivning_mogna"}} {{cell "s2_delmal" "andel" "where=delmal:2" "where=bas:utskrivning"}} {{pct 0.285}} {{value 1234567}} {{value 2.50}} {{nrows "s6_trend"}} {{has "nope"}}</p>
{{end}}`

func delmalRow(delmal int64, bas string, k, n int64, mal float64, met string) []any {
	lo, hi := wilson(k, n)
	return []any{delmal, bas, k, n, float64(k) / float64(n), lo, hi, mal, met}
}

func forestRow(faktor, varde string, k, n int64) []any {
	if n == 0 {
		return []any{faktor, varde, n, k, nil, nil, nil}
	}
	lo, hi := wilson(k, n)
	return []any{faktor, varde, n, k, float64(k) / float64(n), lo, hi}
}

func kohortRow(kohort, status string, k, n int64) []any {
	lo, hi := wilson(k, n)
	return []any{kohort, status, k, float64(k) / float64(n), lo, hi}
}

// overlay serves the files of top before those of base.
type overlay struct {
	top  fstest.MapFS
	base fs.FS
}

func (o overlay) Open(name string) (fs.File, error) {
	if f, err := o.top.Open(name); err == nil {
		return f, nil
	}
	return o.base.Open(name)
}

// sampleFS is the embedded reports plus the demo page (and any extra files).
func sampleFS(extra map[string]string) fs.FS {
	top := fstest.MapFS{"demo.html.tmpl": {Data: []byte(demoTemplate)}}
	for k, v := range extra {
		top[k] = &fstest.MapFile{Data: []byte(v)}
	}
	return overlay{top: top, base: reports.FS}
}
