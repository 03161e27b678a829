package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/browser"
	"github.com/kaa-uppfoljning/kaa/pipeline/report"
)

// printWidth is the text width of an A4 page with the reports' margins
// (210 mm − 2 × 14 mm) in CSS pixels.
const printWidth = 182 / 25.4 * 96

// TestEveryPageInTheBrowser opens every published page of the demo run and
// of the three-kommun region run in one headless Chromium, several pages at
// a time, from disk, with every network request sent to a dead proxy. On
// each page:
//   - the scripts log nothing and nothing is requested from the network;
//   - every chart container holds a drawn SVG, and every chart has a name
//     on both axes, drawn in the SVG;
//   - no visible text (tables, charts, notes; <code> aside) contains a
//     code of the contract's or the dictionary's code lists;
//   - at 390 px (a phone) the page is not wider than the screen and the
//     navigation is collapsed.
//
// The overview states the S1 cohort and its studier share in a sentence
// that matches the published s1_status table, and "Hela rapporten"
// (rapport.html) lays out under print media on an A4 text width with no
// table, chart or code block wider than the page, and prints to a PDF.
// Screenshots (1280 px full page, 390 px) and the PDFs are kept in
// $KAA_SCREENSHOT_DIR when set.
func TestEveryPageInTheBrowser(t *testing.T) {
	t.Parallel() // after the sequential tests, beside the other slow ones (no env or globals changed)
	if _, err := os.Stat(browser.Path); err != nil {
		if os.Getenv("KAA_REQUIRE_BROWSER") == "1" {
			t.Fatalf("KAA_REQUIRE_BROWSER=1 but %s is missing: apt-get install chromium", browser.Path)
		}
		t.Skipf("%s not found; set KAA_REQUIRE_BROWSER=1 to make this a failure", browser.Path)
	}
	shots := os.Getenv("KAA_SCREENSHOT_DIR")
	if shots != "" {
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	out, rout := sharedRuns(t)
	// every page but the whole report, whose sections are these pages
	// (it is laid out for print below)
	var pages []string
	for _, scope := range []string{filepath.Join(out, "2281"), filepath.Join(rout, "region")} {
		ps, _ := filepath.Glob(filepath.Join(scope, "*.html"))
		for _, p := range ps {
			if filepath.Base(p) != "rapport.html" {
				pages = append(pages, p)
			}
		}
	}
	if len(pages) < 18 {
		t.Fatalf("only %d pages to open", len(pages))
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	b, err := browser.Start(ctx, browser.Path, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	tabs := make(chan struct{}, 3) // pages open at once

	t.Run("pages", func(t *testing.T) {
		for _, page := range pages {
			scope := filepath.Base(filepath.Dir(page))
			name := scope + "-" + strings.TrimSuffix(filepath.Base(page), ".html")
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				tabs <- struct{}{}
				defer func() { <-tabs }()
				checkPage(ctx, t, b, page, name, shots)
			})
		}
	})

	// the overview's key sentence against the published table, and the
	// whole report on A4
	t.Run("print", func(t *testing.T) {
		for _, scope := range []string{filepath.Join(out, "2281"), filepath.Join(rout, "region")} {
			t.Run(filepath.Base(scope), func(t *testing.T) {
				t.Parallel()
				checkOverview(ctx, t, b, scope)
				checkPrint(ctx, t, b, filepath.Join(scope, "rapport.html"), filepath.Base(scope), shots)
			})
		}
	})
	if shots != "" {
		t.Logf("screenshots in %s", shots)
	}
}

func fileURL(path string) string { return (&url.URL{Scheme: "file", Path: path}).String() }

// chartInfo is what a page's charts say about themselves.
type chartInfo struct {
	ID       string   `json:"id"`
	Elements int      `json:"elements"`
	X, Y     string   // axis names
	Texts    []string `json:"texts"`
}

const chartsJS = `kaaCharts.ids().map(function (id) {
  var o = kaaCharts.chart(id).getOption(), el = document.getElementById(id);
  var svg = el.querySelector("svg");
  return {
    id: id,
    elements: svg ? svg.querySelectorAll("*").length : 0,
    X: (o.xAxis && o.xAxis[0] && o.xAxis[0].name) || "",
    Y: (o.yAxis && o.yAxis[0] && o.yAxis[0].name) || "",
    texts: svg ? Array.prototype.map.call(svg.querySelectorAll("text"), function (t) { return t.textContent; }) : []
  };
})`

func checkPage(ctx context.Context, t *testing.T, b *browser.Browser, file, name, shots string) {
	p, err := b.NewPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	if err := p.SetViewport(ctx, 1280, 1000, false); err != nil {
		t.Fatal(err)
	}
	if err := p.Navigate(ctx, fileURL(file)); err != nil {
		t.Fatal(err)
	}
	if c := p.Console(); len(c) > 0 {
		t.Errorf("console output:\n%s", strings.Join(c, "\n"))
	}
	if r := p.Requests(); len(r) > 0 {
		t.Errorf("requests to the network: %q", r)
	}
	var title string
	if err := p.Eval(ctx, `document.title`, &title); err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(title, " – KAA-uppföljning") || !strings.Contains(title, "Sundsvall") {
		t.Errorf("title %q does not name the scope by its kommun", title)
	}

	var containers int
	if err := p.Eval(ctx, `document.querySelectorAll("[data-kaa-chart]").length`, &containers); err != nil {
		t.Fatal(err)
	}
	// a study with no rows in its period says so instead of charting
	var empty bool
	if err := p.Eval(ctx, `document.querySelector(".empty-study") !== null`, &empty); err != nil {
		t.Fatal(err)
	}
	if empty && containers > 0 {
		t.Error("a study page without data draws charts")
	}
	if containers > 0 {
		var charts []chartInfo
		if err := p.Eval(ctx, chartsJS, &charts); err != nil {
			t.Fatal(err)
		}
		if len(charts) != containers {
			t.Errorf("%d charts set up for %d containers", len(charts), containers)
		}
		for _, c := range charts {
			if c.Elements < 4 {
				t.Errorf("chart %s: nothing drawn (%d SVG elements)", c.ID, c.Elements)
			}
			texts := strings.Join(c.Texts, "\n")
			for _, axis := range []string{c.X, c.Y} {
				if strings.TrimSpace(axis) == "" {
					t.Errorf("chart %s: an axis without a name (x %q, y %q)", c.ID, c.X, c.Y)
				} else if !strings.Contains(texts, axis) {
					t.Errorf("chart %s: axis name %q is not drawn", c.ID, axis)
				}
			}
		}
	} else if !strings.HasSuffix(file, "index.html") && !empty {
		t.Error("a study page without charts")
	}

	text, err := p.VisibleText(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, s := range text {
		for _, code := range report.CodesIn(s) {
			if !seen[code] {
				seen[code] = true
				t.Errorf("visible text shows the code %s: %q", code, s)
			}
		}
	}
	if shots != "" {
		png, err := p.Screenshot(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644)
	}

	// a phone
	if err := p.SetViewport(ctx, 390, 844, true); err != nil {
		t.Fatal(err)
	}
	if err := p.Navigate(ctx, fileURL(file)); err != nil {
		t.Fatal(err)
	}
	if n, err := p.Overflow(ctx); err != nil || n > 0 {
		t.Errorf("at 390 px the page is %d px wider than the screen (%v)", n, err)
	}
	var navShown string
	p.Eval(ctx, `getComputedStyle(document.querySelector("nav.pages ul")).display`, &navShown)
	if navShown != "none" {
		t.Errorf("at 390 px the navigation is not collapsed (display %q)", navShown)
	}
	if shots != "" {
		png, err := p.Screenshot(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(shots, name+"-390.png"), png, 0o644)
	}
}

var cohortSentence = regexp.MustCompile(`blev ([0-9\x{00a0} ]+|färre än [0-9]+|ett dolt antal) ungdomar aktuella för KAA [^.]*\. Av dessa hade ([0-9]+ %|färre än [0-9]+ personer|en dold andel) gått vidare till studier och ([0-9]+ %|färre än [0-9]+ personer|en dold andel) till arbete`)

// checkOverview reads the S1 sentence of a scope's index.html and checks
// its figures against the published s1_status.csv.
func checkOverview(ctx context.Context, t *testing.T, b *browser.Browser, scope string) {
	t.Helper()
	p, err := b.NewPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	if err := p.Navigate(ctx, fileURL(filepath.Join(scope, "index.html"))); err != nil {
		t.Fatal(err)
	}
	var s1 string
	if err := p.Eval(ctx, `document.getElementById("nyckeltal-s1").innerText.replace(/\s+/g, " ")`, &s1); err != nil {
		t.Fatal(err)
	}
	m := cohortSentence.FindStringSubmatch(s1)
	if m == nil {
		t.Fatalf("%s/index.html: no sentence with the cohort and its studier share: %q", filepath.Base(scope), s1)
	}
	f, err := os.Open(filepath.Join(scope, "tables", "s1_status.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rd := csv.NewReader(f)
	rd.Comma = ';'
	rows, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// a hidden count or share (small, or hidden to protect one) is said
	// in words; a shown one must be the table's
	words := map[string]bool{"färre än": true, "ett dolt antal": true, "en dold andel": true}
	inWords := func(s string) bool {
		for w := range words {
			if strings.HasPrefix(s, w) {
				return true
			}
		}
		return false
	}
	cohort, hiddenCount, share := 0, false, map[string]string{}
	for _, row := range rows[1:] {
		n, err := strconv.Atoi(row[1])
		if err != nil {
			hiddenCount = true
		}
		cohort += n
		if v, err := strconv.ParseFloat(strings.Replace(row[2], ",", ".", 1), 64); err == nil {
			share[row[0]] = strconv.Itoa(int(math.Floor(v*100+0.5))) + " %"
		} else {
			share[row[0]] = "hidden"
		}
	}
	digits := strings.NewReplacer("\u00a0", "", " ", "").Replace(m[1])
	if !hiddenCount && digits != strconv.Itoa(cohort) {
		t.Errorf("%s: the overview says %s ungdomar, s1_status has %d", filepath.Base(scope), m[1], cohort)
	}
	for i, status := range []string{"STUDIER", "ARBETE"} {
		got, want := m[2+i], share[status]
		if (want == "hidden") != inWords(got) || (want != "hidden" && got != want) {
			t.Errorf("%s: the overview says %s for %s; s1_status has %s", filepath.Base(scope), got, status, want)
		}
	}
}

// checkPrint lays out the whole report under print media on the A4 text
// width: no table, chart or other block reaches past the page or clips
// its content; and prints it to PDF.
func checkPrint(ctx context.Context, t *testing.T, b *browser.Browser, file, scope, shots string) {
	t.Helper()
	p, err := b.NewPage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	w := int(math.Floor(printWidth))
	if err := p.SetViewport(ctx, w, 1100, false); err != nil {
		t.Fatal(err)
	}
	if err := p.EmulateMedia(ctx, "print"); err != nil {
		t.Fatal(err)
	}
	if err := p.Navigate(ctx, fileURL(file)); err != nil {
		t.Fatal(err)
	}
	var tables int
	p.Eval(ctx, `document.querySelectorAll("table.data").length`, &tables)
	if tables < 25 {
		t.Errorf("%s: only %d tables in the whole report", scope, tables)
	}
	wide, err := p.Wider(ctx, "table.data, .table-wrap, figure.chart, .chart-canvas svg, dl, pre, p, ul, ol", float64(w))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range wide {
		t.Errorf("%s: printed, wider than the page (%d px): %s", scope, w, e)
	}
	if n, err := p.Overflow(ctx); err != nil || n > 0 {
		t.Errorf("%s: printed, the report is %d px wider than the page (%v)", scope, n, err)
	}

	pdf, err := p.PDF(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := bytes.Count(pdf, []byte("/Type /Page\n")) + bytes.Count(pdf, []byte("/Type /Page>")) + bytes.Count(pdf, []byte("/Type /Page/"))
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || len(pdf) < 100_000 {
		t.Errorf("%s: rapport.html printed to %d bytes, not a PDF report", scope, len(pdf))
	}
	if shots != "" {
		os.WriteFile(filepath.Join(shots, scope+"-rapport.pdf"), pdf, 0o644)
		t.Logf("%s: rapport.pdf, %d bytes, about %d pages", scope, len(pdf), n)
	}
}

// TestPublishedCodesHaveLabels: every value of every code column of every
// table the demo and region runs publish has a Swedish label, and every
// column has a heading of the dictionary, so that no code reaches a page
// unlabelled.
func TestPublishedCodesHaveLabels(t *testing.T) {
	out, rout := sharedRuns(t)
	files, _ := filepath.Glob(filepath.Join(out, "*", "tables", "*.csv"))
	more, _ := filepath.Glob(filepath.Join(rout, "*", "tables", "*.csv"))
	files = append(files, more...)
	if len(files) < 50 {
		t.Fatalf("only %d tables", len(files))
	}
	checked := 0
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".csv")
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rd := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
		rd.Comma = ';'
		rows, err := rd.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		head := rows[0]
		for ci, col := range head {
			if h := report.Header(name, col); strings.Contains(h, "_") || h == col {
				t.Errorf("%s: column %s has no heading in the dictionary (%q)", name, col, h)
			}
			if !report.IsCodeColumn(name, col) {
				continue
			}
			for _, row := range rows[1:] {
				v := row[ci]
				checked++
				if _, ok := report.CodeLabel(name, col, v); !ok {
					t.Errorf("%s: %s %q has no label", name, col, v)
				}
			}
		}
	}
	if checked < 200 {
		t.Errorf("only %d code cells checked", checked)
	}
}

// shared holds the demo run and the three-kommun region run that several
// tests read (never write): made once per test binary, removed by TestMain.
var shared struct {
	once           sync.Once
	dir            string
	demo, region   string
	demoR, regionR result
	err            error
}

// sharedRuns returns the out folders of the demo run (fixtures/inputs,
// demo.toml) and of the region run (fixtures/region, as of 2021-03-31),
// running both, side by side, the first time.
func sharedRuns(t *testing.T) (demoOut, regionOut string) {
	t.Helper()
	shared.once.Do(func() {
		shared.dir, shared.err = os.MkdirTemp("", "kaa-cli-runs-")
		if shared.err != nil {
			return
		}
		root := repoRoot(t)
		key := filepath.Join(shared.dir, "key")
		if shared.err = os.WriteFile(key, []byte(testKey+"\n"), 0o600); shared.err != nil {
			return
		}
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			d := filepath.Join(shared.dir, "demo")
			shared.demo = filepath.Join(d, "out")
			shared.demoR = kaa(t, "run", "--inputs", filepath.Join(root, "fixtures", "inputs"), "--config", filepath.Join(root, "fixtures", "demo.toml"),
				"--db", filepath.Join(d, "kaa.duckdb"), "--out", shared.demo, "--key-file", key)
		}()
		go func() {
			defer wg.Done()
			d := filepath.Join(shared.dir, "region")
			shared.region = filepath.Join(d, "out")
			shared.regionR = kaa(t, "run", "--inputs", filepath.Join(root, "fixtures", "region"), "--db", filepath.Join(d, "kaa.duckdb"),
				"--out", shared.region, "--as-of", "2021-03-31", "--key-file", key)
		}()
		wg.Wait()
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	if shared.demoR.code != ExitOK {
		t.Fatalf("demo run: exit %d\n%s", shared.demoR.code, shared.demoR.stderr)
	}
	if shared.regionR.code != ExitOK {
		t.Fatalf("region run: exit %d\n%s", shared.regionR.code, shared.regionR.stderr)
	}
	return shared.demo, shared.region
}
