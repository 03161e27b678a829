package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// Hostile strings put into every free-text field of the inputs.
var (
	htmlPayloads = []string{
		`<script>document.title='pwned'</script>`,
		`<img src=x onerror=alert(1)>`,
		`"><svg onload=alert(1)>`,
		`</script><script>alert(1)</script>`,
	}
	csvPayloads = []string{
		`=HYPERLINK("http://x")`,
		`+1+1`,
		`-2+3`,
		`@SUM(A1)`,
	}
	// rawMarkers must never occur in a page's source: each is the start
	// of a payload's markup, unescaped.
	rawMarkers = []string{`<script>document.title`, `<img src=x`, `<svg onload`, `</script><script>alert`}
)

// injChromium is the Debian chromium package's launcher.
const injChromium = "/usr/bin/chromium"

// csvQuote quotes a field for an input file.
func csvQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// injectionInputs writes one kommun's valid inputs in which every
// free-text field that reaches a report, a table or a staff list carries
// a payload: Grundskola, Gymnasieskola and Program in extens (Postnummer
// is five digits or the row is rejected),
// Skola and Program in gruus, Coach in kaa_individer, deltagare and
// tidsstudie, Omrade in omraden and omradesstatistik, Skola in
// grundskolor, Alias and Skola in skolalias. Person i carries payload i;
// every school, område and gymnasieskola has one person of the S1 cohort.
func injectionInputs(t *testing.T, dir string) []string {
	t.Helper()
	payloads := append(append([]string(nil), htmlPayloads...), csvPayloads...)
	k := filepath.Join(dir, "2281")
	if err := os.MkdirAll(k, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]*strings.Builder{}
	add := func(name, header string, cells ...string) {
		b := files[name]
		if b == nil {
			b = &strings.Builder{}
			b.WriteString(header + "\n")
			files[name] = b
		}
		for i, c := range cells {
			if i > 0 {
				b.WriteByte(';')
			}
			b.WriteString(csvQuote(c))
		}
		b.WriteByte('\n')
	}
	for i, p := range payloads {
		pnr := synthetic(10 + i)
		alias := p + " (gamla namnet)"
		grundskola := p
		if i%2 == 1 {
			grundskola = alias // resolved through skolalias
		}
		kon := "KM"[i%2 : i%2+1]
		postnummer := strconv.Itoa(85230 + i)
		add("extens_2020-09-28.csv", "Personnummer;Kon;Postnummer;Skyddad;Grundskola;Gymnasieskola;Program;Inskriven;Avgangsdatum;Avgangstyp;Examen",
			pnr, kon, postnummer, "N", grundskola, p, p, "J", "", "", "N")
		add("kaa_individer.csv", "Personnummer;Aktualiserad;Registreringsorsak;SenSysReg;Avaktualiserad;Avaktualiseringsorsak;Kontaktstatus;Coach",
			pnr, "2019-09-01", "AVBROTT_NP", "", "", "", "NADD", p)
		add("kaa_sysselsattning.csv", "Personnummer;Datum;Sysselsattning;Forsorjning", pnr, "2020-12-01", "KOMVUX", "CSN")
		add("gruus_2019-20.csv", "Personnummer;Skola;Program;Handelse;Handelsedatum;Rapportdatum",
			pnr, p, p, "AVBROTT", "2020-03-02", "2020-03-05")
		add("deltagare.csv", "Personnummer;Inskriven;Utskriven;SysVidAvslut;AnvisadStodinsats;Coach",
			pnr, "2020-01-15", "", "", "", p)
		add("tidsstudie_2021-02.csv", "Datum;Coach;Kategori;Minuter;Kon;Alder",
			"2021-02-03", p, "DELTAGARKONTAKT", "30", kon, "17")
		add("grundskolor.csv", "Skola;Huvudman;Ar;Sistaarselever", p, "KOMMUNAL", "2020", fmt.Sprint(10+i))
		add("skolalias.csv", "Alias;Skola", alias, p)
		add("omraden.csv", "Postnummer;Omrade", postnummer, p)
		add("omradesstatistik.csv", "Omrade;Ar;Befolkning0_19;Befolkning;AndelForgymnasial;AndelOppetArbetslosa;AndelEkonomisktBistand;Medianinkomst;Ohalsotal;SjalvskattadHalsa",
			p, "2020", fmt.Sprint(100+10*i), fmt.Sprint(1000+50*i), fmt.Sprint(10+i), fmt.Sprint(5+i%3), fmt.Sprint(3+i%4), fmt.Sprint(250000+1000*i), fmt.Sprint(20+i), fmt.Sprint(70-i))
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(k, name), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return payloads
}

// TestInjection runs a whole small input whose free-text fields carry HTML
// and JavaScript payloads and spreadsheet formulas, and checks that (a) no
// page holds a payload's markup unescaped while every payload is shown as
// injText, (b) every cell of every written CSV table (published and staff)
// that would start with = + - @ is guarded with a leading apostrophe, and
// (c) with headless Chromium (required when KAA_REQUIRE_BROWSER=1) that no
// payload ran or became an element once the pages' scripts have run.
func TestInjection(t *testing.T) {
	t.Parallel() // after the sequential tests, beside the other slow ones (no env or globals changed)
	dir := t.TempDir()
	inputs := filepath.Join(dir, "inputs")
	payloads := injectionInputs(t, inputs)
	out := filepath.Join(dir, "out")
	staff := filepath.Join(dir, "kaa-personal")
	r := kaa(t, "run", "--inputs", inputs, "--db", filepath.Join(dir, "kaa.duckdb"), "--out", out,
		"--as-of", "2021-03-31", "--key-file", writeKey(t, dir), "--suppress-below", "0")
	if r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	rejects, err := os.ReadFile(filepath.Join(out, "rejects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(rejects), "\r\n"); n != 1 {
		t.Fatalf("the input is meant to be valid, but rows were rejected:\n%s", rejects)
	}

	pages := checkPagesInert(t, out, payloads)
	checkCSVGuarded(t, []string{out, staff}, payloads)

	if _, err := os.Stat(injChromium); err != nil {
		if os.Getenv("KAA_REQUIRE_BROWSER") == "1" {
			t.Fatalf("KAA_REQUIRE_BROWSER=1 but %s is missing: apt-get install chromium", injChromium)
		}
		t.Skipf("%s not found: the pages were not opened in a browser (set KAA_REQUIRE_BROWSER=1 to require it)", injChromium)
	}
	for _, p := range pages {
		t.Run("browser/"+filepath.Base(p), func(t *testing.T) { checkBrowserInert(t, p) })
	}
}

// checkPagesInert checks the source of every page under out and returns
// their paths.
func checkPagesInert(t *testing.T, out string, payloads []string) []string {
	t.Helper()
	var pages []string
	shown := map[string]bool{}
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		pages = append(pages, p)
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name, _ := filepath.Rel(out, p)
		for _, m := range rawMarkers {
			if bytes.Contains(src, []byte(m)) {
				t.Errorf("%s: holds the raw payload markup %q", name, m)
			}
		}
		doc, err := html.Parse(bytes.NewReader(src))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, n := range injElements(doc) {
			switch n.Data {
			case "img", "svg", "iframe", "object", "embed":
				t.Errorf("%s: a <%s> element in the source", name, n.Data)
			case "script":
				body := injText(n)
				if typ := injAttr(n, "type"); typ == "application/json" {
					if strings.ContainsAny(body, "<>") || !json.Valid([]byte(body)) {
						t.Errorf("%s: chart data is not inert JSON: %.200q", name, body)
					}
				} else if strings.Contains(body, "pwned") || strings.Contains(body, "alert(1)") {
					t.Errorf("%s: a script holds a payload", name)
				}
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					t.Errorf("%s: <%s %s=%q>: an event handler attribute", name, n.Data, a.Key, a.Val)
				}
			}
		}
		// The payloads are there, as text.
		all := injVisibleText(doc)
		for _, p := range payloads {
			if strings.Contains(all, p) {
				shown[p] = true
			}
		}
		return nil
	})
	if len(pages) < 9 {
		t.Fatalf("%d pages written, want the index and 8 study pages", len(pages))
	}
	for _, p := range payloads {
		if !shown[p] {
			t.Errorf("payload %q is not shown as text on any page: the test does not reach the tables", p)
		}
	}
	sort.Strings(pages)
	return pages
}

// numberCell is a number as the table writer writes it (not text, so not
// guarded): a spreadsheet reads "-0,5" as a number, not a formula.
var numberCell = regexp.MustCompile(`^-?[0-9]+(,[0-9]+)?$`)

// checkCSVGuarded reads every CSV file under dirs and checks every cell.
func checkCSVGuarded(t *testing.T, dirs []string, payloads []string) {
	t.Helper()
	guarded := map[string]bool{}
	files := 0
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".csv") {
				return err
			}
			files++
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
			r.Comma = ';'
			rows, err := r.ReadAll()
			if err != nil {
				t.Errorf("%s: %v", p, err)
				return nil
			}
			for i, row := range rows {
				for j, cell := range row {
					if cell == "" {
						continue
					}
					switch cell[0] {
					case '=', '+', '-', '@', '\t', '\r':
						if !numberCell.MatchString(cell) {
							t.Errorf("%s: row %d column %d: %q would be read as a formula", p, i+1, j+1, cell)
						}
					case '\'':
						guarded[cell[1:]] = true
					}
				}
			}
			return nil
		})
	}
	if files < 10 {
		t.Fatalf("only %d CSV files found", files)
	}
	for _, p := range csvPayloads {
		if !guarded[p] {
			t.Errorf("payload %q is in no table as the guarded cell %q", p, "'"+p)
		}
	}
}

// checkBrowserInert opens a page in headless Chromium and checks the DOM
// after its scripts ran: the title is the one written, and no element came
// from the data — no <img>, no <svg> outside the chart containers, no
// event-handler attribute, no script beyond those written.
func checkBrowserInert(t *testing.T, page string) {
	t.Helper()
	src, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	srcDoc, err := html.Parse(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, injChromium,
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--no-first-run", "--disable-sync",
		"--user-data-dir="+t.TempDir(),
		"--dump-dom", "--virtual-time-budget=3000",
		(&url.URL{Scheme: "file", Path: page}).String())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, injTail(stderr.String(), 2000))
	}
	doc, err := html.Parse(&stdout)
	if err != nil {
		t.Fatal(err)
	}
	want := injTitle(srcDoc)
	if got := injTitle(doc); got != want || !strings.Contains(got, "KAA-uppföljning") {
		t.Errorf("title after the scripts ran = %q, want %q (an injected script ran?)", got, want)
	}
	scripts := 0
	for _, n := range injElements(doc) {
		switch n.Data {
		case "img", "iframe", "object", "embed":
			t.Errorf("a <%s> element in the DOM (injected markup)", n.Data)
		case "svg":
			if !injInsideChart(n) {
				t.Errorf("an <svg> outside the chart containers (injected markup)")
			}
		case "script":
			scripts++
		}
		for _, a := range n.Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("<%s %s=%q> in the DOM: an event handler from the data?", n.Data, a.Key, a.Val)
			}
		}
	}
	if want := len(injFind(srcDoc, "script")); scripts != want {
		t.Errorf("%d script elements after the scripts ran, %d written", scripts, want)
	}
	if strings.Contains(stdout.String(), "<script>document.title") {
		t.Errorf("the DOM holds the payload as markup")
	}
}

func injInsideChart(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if injAttr(p, "data-kaa-chart") != "" {
			return true
		}
	}
	return false
}

func injTitle(doc *html.Node) string {
	if ts := injFind(doc, "title"); len(ts) > 0 {
		return injText(ts[0])
	}
	return ""
}

// injElements returns every element node under n.
func injElements(n *html.Node) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func injFind(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	for _, e := range injElements(n) {
		if e.Data == tag {
			out = append(out, e)
		}
	}
	return out
}

func injAttr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// injText is the text content of n.
func injText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// injVisibleText is the text of the document outside script and style
// injElements, one text node a line.
func injVisibleText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style") {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data + "\n")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func injTail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}
