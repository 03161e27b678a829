package report

import (
	"bytes"
	"context"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
)

// chromiumPath is the Debian chromium package's launcher.
const chromiumPath = "/usr/bin/chromium"

// TestBrowser opens the rendered sample pages from disk in headless
// Chromium: it takes screenshots (kept in $KAA_SCREENSHOT_DIR if set),
// dumps the DOM after the scripts ran and checks that every chart was
// drawn as SVG and that no injected script ran. Without Chromium the test
// is skipped, unless KAA_REQUIRE_BROWSER=1 (CI), which makes it fail.
func TestBrowser(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("KAA_REQUIRE_BROWSER") == "1" {
			t.Fatalf("KAA_REQUIRE_BROWSER=1 but %s is missing: apt-get install chromium", chromiumPath)
		}
		t.Skipf("%s not found (apt-get install chromium); set KAA_REQUIRE_BROWSER=1 to make this a failure", chromiumPath)
	}
	requireAsset(t)
	site := sampleSite()
	dir := t.TempDir()
	if err := RenderFS(sampleFS(nil), dir, site); err != nil {
		t.Fatal(err)
	}
	shots := os.Getenv("KAA_SCREENSHOT_DIR")
	if shots == "" {
		shots = t.TempDir()
	} else if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}

	pages := map[string]struct {
		title  string
		charts int
	}{
		"index": {"Översikt", 0},
		"s1":    {site.Pages[0].Title, 4},
		"demo":  {site.Pages[1].Title, 8},
	}
	for name, want := range pages {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(dir, name+".html")
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			srcDoc, err := html.Parse(bytes.NewReader(src))
			if err != nil {
				t.Fatal(err)
			}
			assertOffline(t, "source", srcDoc)

			pageURL := (&url.URL{Scheme: "file", Path: file}).String()

			// (a) screenshot
			png1 := filepath.Join(shots, name+".png")
			runChromium(t, "--screenshot="+png1, "--window-size=1280,2000", pageURL)
			assertPicture(t, png1)

			// (b) DOM after the scripts ran
			dom := runChromium(t, "--dump-dom", "--virtual-time-budget=5000", "--window-size=1280,2000", pageURL)
			doc, err := html.Parse(bytes.NewReader(dom))
			if err != nil {
				t.Fatal(err)
			}
			wantTitle := want.title + " – Sundsvall (2281) – KAA-uppföljning"
			if got := textOf(find(doc, func(n *html.Node) bool { return n.Data == "title" })...); got != wantTitle {
				t.Errorf("title after scripts = %q, want %q (an injected script ran?)", got, wantTitle)
			}
			if imgs := find(doc, func(n *html.Node) bool { return n.Data == "img" }); len(imgs) > 0 {
				t.Errorf("the DOM has %d <img> elements (injected markup)", len(imgs))
			}
			assertOffline(t, "DOM", doc)

			containers := find(doc, func(n *html.Node) bool { return attr(n, "data-kaa-chart") != "" })
			if len(containers) != want.charts {
				t.Errorf("%d chart containers, want %d", len(containers), want.charts)
			}
			for _, c := range containers {
				id := attr(c, "id")
				svgs := findIn(c, func(n *html.Node) bool { return n.Data == "svg" || n.Data == "canvas" })
				if len(svgs) == 0 {
					t.Errorf("chart %s: no <svg> or <canvas> drawn", id)
					continue
				}
				paths := findIn(svgs[0], func(n *html.Node) bool {
					return n.Data == "path" && len(attr(n, "d")) > 10 && attr(n, "fill") != "none" || n.Data == "rect" && attr(n, "width") != "0"
				})
				texts := findIn(svgs[0], func(n *html.Node) bool { return n.Data == "text" && strings.TrimSpace(textOf(n)) != "" })
				if len(paths) < 2 || len(texts) < 2 {
					t.Errorf("chart %s: svg has %d filled shapes and %d texts, want a drawn chart", id, len(paths), len(texts))
				}
			}
			// The payload is visible as text in a chart of s1 (pie labels).
			if name == "s1" {
				var labels []string
				for _, n := range find(doc, func(n *html.Node) bool { return n.Data == "text" }) {
					labels = append(labels, textOf(n))
				}
				if !strings.Contains(strings.Join(labels, "\n"), "<script>document.title='PWNED'</script>") {
					t.Errorf("the chart does not show the payload as text; labels: %q", labels)
				}
			}
		})
	}
	if os.Getenv("KAA_SCREENSHOT_DIR") != "" {
		t.Logf("screenshots in %s", shots)
	}
}

// runChromium runs headless Chromium with a fresh profile and returns its
// standard output.
func runChromium(t *testing.T, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update",
		"--no-first-run", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir=" + t.TempDir(),
	}
	cmd := exec.CommandContext(ctx, chromiumPath, append(base, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, tail(stderr.String(), 2000))
	}
	return stdout.Bytes()
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// assertPicture checks that the screenshot is 1280×2000 and not blank.
func assertPicture(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	b := img.Bounds()
	if b.Dx() != 1280 || b.Dy() != 2000 {
		t.Errorf("%s: %dx%d, want 1280x2000", path, b.Dx(), b.Dy())
	}
	colored := 0
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xe000 || g < 0xe000 || bl < 0xe000 {
				colored++
			}
		}
	}
	if colored < 2000 {
		t.Errorf("%s looks blank (%d non-white samples)", path, colored)
	}
}

// assertOffline fails on any reference that would make the browser load
// something from another host: src, href and similar attributes with an
// http(s) or protocol-relative URL, CSS url()/@import of such a URL, and
// elements that embed other documents. Links in text are fine.
func assertOffline(t *testing.T, what string, doc *html.Node) {
	t.Helper()
	external := func(v string) bool {
		v = strings.ToLower(strings.TrimSpace(v))
		return strings.HasPrefix(v, "http:") || strings.HasPrefix(v, "https:") || strings.HasPrefix(v, "//")
	}
	for _, n := range find(doc, func(*html.Node) bool { return true }) {
		switch n.Data {
		case "iframe", "object", "embed", "base", "link":
			t.Errorf("%s: <%s> element", what, n.Data)
		case "style":
			css := strings.ToLower(textOf(n))
			if strings.Contains(css, "@import") || strings.Contains(css, "url(") {
				t.Errorf("%s: <style> imports or references a URL", what)
			}
		}
		for _, a := range n.Attr {
			switch strings.ToLower(a.Key) {
			case "src", "href", "srcset", "action", "formaction", "poster", "data", "background", "xlink:href", "ping", "manifest":
				if external(a.Val) {
					t.Errorf("%s: <%s %s=%q> refers to another host", what, n.Data, a.Key, a.Val)
				}
			case "style":
				if strings.Contains(strings.ToLower(a.Val), "url(") {
					t.Errorf("%s: <%s style=%q> references a URL", what, n.Data, a.Val)
				}
			}
		}
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// find returns the element nodes of the tree under n (n included) that
// match.
func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func findIn(n *html.Node, match func(*html.Node) bool) []*html.Node { return find(n, match) }

// textOf is the text content of the nodes.
func textOf(nodes ...*html.Node) string {
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
	for _, n := range nodes {
		walk(n)
	}
	return b.String()
}
