package cli

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

const chromium = "/usr/bin/chromium"

// TestEveryPageInTheBrowser opens every published page of the demo run and
// the region pages of the three-kommun run in headless Chromium, from disk,
// with every network request sent to a dead proxy: each chart container
// must hold a drawn SVG (or canvas), and the page must log nothing to the
// console. Screenshots are kept in $KAA_SCREENSHOT_DIR when set (CI keeps
// them under out/screenshots).
func TestEveryPageInTheBrowser(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		if os.Getenv("KAA_REQUIRE_BROWSER") == "1" {
			t.Fatalf("KAA_REQUIRE_BROWSER=1 but %s is missing: apt-get install chromium", chromium)
		}
		t.Skipf("%s not found; set KAA_REQUIRE_BROWSER=1 to make this a failure", chromium)
	}
	shots := os.Getenv("KAA_SCREENSHOT_DIR")
	dir := t.TempDir()
	out, r := demoRun(t, dir)
	if r.code != ExitOK {
		t.Fatalf("demo run: exit %d\n%s", r.code, r.stderr)
	}
	pages, _ := filepath.Glob(filepath.Join(out, "2281", "*.html"))

	rdir := t.TempDir()
	root := repoRoot(t)
	rr := kaa(t, "run", "--inputs", filepath.Join(root, "fixtures", "region"), "--db", filepath.Join(rdir, "kaa.duckdb"),
		"--out", filepath.Join(rdir, "out"), "--as-of", "2021-03-31", "--key-file", writeKey(t, rdir))
	if rr.code != ExitOK {
		t.Fatalf("region run: exit %d\n%s", rr.code, rr.stderr)
	}
	regionPages, _ := filepath.Glob(filepath.Join(rdir, "out", "region", "*.html"))
	pages = append(pages, regionPages...)
	if len(pages) < 18 {
		t.Fatalf("only %d pages to open", len(pages))
	}
	for _, page := range pages {
		scope := filepath.Base(filepath.Dir(page))
		name := scope + "-" + strings.TrimSuffix(filepath.Base(page), ".html")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			u := (&url.URL{Scheme: "file", Path: page}).String()
			if shots != "" {
				browse(t, "--screenshot="+filepath.Join(shots, name+".png"), "--window-size=1280,2400", u)
			}
			dom, console := browse(t, "--dump-dom", "--virtual-time-budget=5000", "--window-size=1280,2400", u)
			if console != "" {
				t.Errorf("console output:\n%s", console)
			}
			doc, err := html.Parse(bytes.NewReader(dom))
			if err != nil {
				t.Fatal(err)
			}
			charts := 0
			walk(doc, func(n *html.Node) {
				if attrOf(n, "data-kaa-chart") == "" {
					return
				}
				charts++
				drawn := 0
				walk(n, func(c *html.Node) {
					if c.Type == html.ElementNode && (c.Data == "svg" || c.Data == "canvas") {
						walk(c, func(d *html.Node) {
							if d.Type == html.ElementNode {
								drawn++
							}
						})
					}
				})
				if drawn < 4 {
					t.Errorf("chart %s: nothing drawn (%d SVG elements)", attrOf(n, "id"), drawn)
				}
			})
			// a study with no rows in its period says so instead of charting
			empty := bytes.Contains(dom, []byte(`class="empty-study"`))
			if !strings.HasSuffix(page, "index.html") && charts == 0 && !empty {
				t.Error("a study page without charts")
			}
			if empty && charts > 0 {
				t.Error("a study page without data draws charts")
			}
		})
	}
}

// browse runs headless Chromium on a page and returns its standard output
// and the console lines it logged.
func browse(t *testing.T, args ...string) ([]byte, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--no-first-run", "--disable-sync", "--hide-scrollbars",
		"--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
		"--enable-logging=stderr", "--v=0", "--user-data-dir=" + t.TempDir()}
	cmd := exec.CommandContext(ctx, chromium, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, stderr.String())
	}
	var console []string
	for _, l := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(l, "CONSOLE") {
			console = append(console, l)
		}
	}
	return stdout.Bytes(), strings.Join(console, "\n")
}

func walk(n *html.Node, fn func(*html.Node)) {
	fn(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, fn)
	}
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
