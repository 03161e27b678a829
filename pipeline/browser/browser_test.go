package browser

import (
	"bytes"
	"context"
	"image/png"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestPage opens a local page in two tabs at once: scripts run, media
// and viewport emulation apply, a request to another host is recorded and
// fails, console output is kept, and screenshots and PDFs are made.
func TestPage(t *testing.T) {
	if _, err := os.Stat(Path); err != nil {
		if os.Getenv("KAA_REQUIRE_BROWSER") == "1" {
			t.Fatalf("KAA_REQUIRE_BROWSER=1 but %s is missing", Path)
		}
		t.Skipf("%s not found", Path)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := t.TempDir()
	page := filepath.Join(dir, "p.html")
	os.WriteFile(page, []byte(`<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width, initial-scale=1"><style>
p { color: rgb(1, 2, 3); } @media print { p { color: rgb(4, 5, 6); } }</style></head>
<body><p id="x">hej</p><img src="https://example.invalid/x.png">
<script>document.getElementById("x").textContent = "hej " + window.innerWidth; console.log("loaded", 42);</script></body></html>`), 0o644)
	u := (&url.URL{Scheme: "file", Path: page}).String()

	b, err := Start(ctx, Path, filepath.Join(dir, "profile"))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	done := make(chan error, 2)
	for _, w := range []int{390, 1280} {
		go func(w int) {
			done <- func() error {
				p, err := b.NewPage(ctx)
				if err != nil {
					return err
				}
				defer p.Close(ctx)
				if err := p.SetViewport(ctx, w, 800, w < 500); err != nil {
					return err
				}
				if err := p.Navigate(ctx, u); err != nil {
					return err
				}
				var text string
				if err := p.Eval(ctx, `document.getElementById("x").textContent`, &text); err != nil {
					return err
				}
				if want := "hej " + strconv.Itoa(w); text != want {
					t.Errorf("text %q, want %q", text, want)
				}
				var color string
				p.EmulateMedia(ctx, "print")
				p.Eval(ctx, `getComputedStyle(document.getElementById("x")).color`, &color)
				if color != "rgb(4, 5, 6)" {
					t.Errorf("print colour %q", color)
				}
				p.EmulateMedia(ctx, "")
				shot, err := p.Screenshot(ctx, true)
				if err != nil {
					return err
				}
				img, err := png.Decode(bytes.NewReader(shot))
				if err != nil {
					return err
				}
				if img.Bounds().Dx() != w {
					t.Errorf("screenshot %d wide, want %d", img.Bounds().Dx(), w)
				}
				pdf, err := p.PDF(ctx)
				if err != nil {
					return err
				}
				if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
					t.Errorf("not a PDF")
				}
				var sum int
				if err := p.Eval(ctx, `new Promise(r => setTimeout(() => r(40 + 2), 10))`, &sum); err != nil || sum != 42 {
					t.Errorf("promise: %d, %v", sum, err)
				}
				if c := strings.Join(p.Console(), "\n"); !strings.Contains(c, "log: loaded 42") {
					t.Errorf("console: %q", c)
				}
				if r := p.Requests(); len(r) != 1 || r[0] != "https://example.invalid/x.png" {
					t.Errorf("requests: %q", r)
				}
				return nil
			}()
		}(w)
	}
	for range 2 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
