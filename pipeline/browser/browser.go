// Package browser drives one headless Chromium over the DevTools protocol
// on a pipe (--remote-debugging-pipe), for the tests that open the
// published report pages: several pages (tabs) of one browser at once,
// each with its own viewport and media, JavaScript evaluation,
// screenshots and PDF printing. It loads nothing from the network: every
// request goes to a dead proxy, and a page records any request for
// something that is not a local file.
//
//	b, err := browser.Start(ctx, browser.Path, t.TempDir())
//	defer b.Close()
//	p, err := b.NewPage(ctx)
//	err = p.Navigate(ctx, "file:///…/index.html")
//	var title string
//	err = p.Eval(ctx, `document.title`, &title)
package browser

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// Path is the Debian chromium package's launcher.
const Path = "/usr/bin/chromium"

// Browser is one running Chromium.
type Browser struct {
	cmd    *exec.Cmd
	in     io.WriteCloser // commands to the browser (its fd 3)
	out    io.ReadCloser  // answers and events (its fd 4)
	stderr lockedBuffer

	mu       sync.Mutex
	wmu      sync.Mutex
	nextID   int64
	calls    map[int64]chan reply
	sessions map[string]*Page
	done     chan struct{}
	err      error
}

type reply struct {
	Result json.RawMessage
	Err    *cdpError
}

type cdpError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    string `json:"data"`
}

func (e *cdpError) Error() string {
	return fmt.Sprintf("devtools: %s (%d) %s", e.Message, e.Code, e.Data)
}

type message struct {
	ID        int64           `json:"id,omitempty"`
	Method    string          `json:"method,omitempty"`
	SessionID string          `json:"sessionId,omitempty"`
	Params    json.RawMessage `json:"params,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
	Error     *cdpError       `json:"error,omitempty"`
}

// Start launches headless Chromium at path with a fresh profile in
// profileDir.
func Start(ctx context.Context, path, profileDir string) (*Browser, error) {
	cmdR, cmdW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		cmdR.Close()
		cmdW.Close()
		return nil, err
	}
	args := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--no-first-run", "--disable-sync", "--hide-scrollbars",
		"--disable-extensions", "--mute-audio", "--font-render-hinting=none",
		"--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
		"--remote-debugging-pipe", "--user-data-dir=" + profileDir, "about:blank",
	}
	b := &Browser{
		in: cmdW, out: outR,
		calls:    map[int64]chan reply{},
		sessions: map[string]*Page{},
		done:     make(chan struct{}),
	}
	b.cmd = exec.Command(path, args...)
	b.cmd.ExtraFiles = []*os.File{cmdR, outW} // fd 3: read by the browser, fd 4: written by it
	b.cmd.Stderr = &b.stderr
	if err := b.cmd.Start(); err != nil {
		cmdR.Close()
		cmdW.Close()
		outR.Close()
		outW.Close()
		return nil, fmt.Errorf("browser: start %s: %w", path, err)
	}
	cmdR.Close()
	outW.Close()
	go b.read()
	// the browser answers once it is up
	if _, err := b.call(ctx, "", "Browser.getVersion", nil); err != nil {
		b.Close()
		return nil, fmt.Errorf("browser: %w\n%s", err, b.Stderr())
	}
	return b, nil
}

// Stderr is what the browser printed on its standard error.
func (b *Browser) Stderr() string { return b.stderr.String() }

// lockedBuffer is a bytes.Buffer safe for one writer and readers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Close ends the browser.
func (b *Browser) Close() error {
	b.in.Close()
	ch := make(chan error, 1)
	go func() { ch <- b.cmd.Wait() }()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		b.cmd.Process.Kill()
		<-ch
	}
	return nil
}

func (b *Browser) read() {
	r := bufio.NewReaderSize(b.out, 1<<20)
	for {
		line, err := r.ReadBytes(0)
		if err != nil {
			b.mu.Lock()
			b.err = fmt.Errorf("browser: the DevTools pipe closed: %v", err)
			for id, ch := range b.calls {
				ch <- reply{Err: &cdpError{Message: b.err.Error()}}
				delete(b.calls, id)
			}
			b.mu.Unlock()
			close(b.done)
			return
		}
		var m message
		if err := json.Unmarshal(bytes.TrimSuffix(line, []byte{0}), &m); err != nil {
			continue
		}
		b.mu.Lock()
		if m.ID != 0 {
			if ch, ok := b.calls[m.ID]; ok {
				delete(b.calls, m.ID)
				ch <- reply{Result: m.Result, Err: m.Error}
			}
		} else if p := b.sessions[m.SessionID]; p != nil {
			p.event(m.Method, m.Params)
		}
		b.mu.Unlock()
	}
}

// call sends a command (to a session, or to the browser when session is
// "") and waits for its answer.
func (b *Browser) call(ctx context.Context, session, method string, params any) (json.RawMessage, error) {
	var raw json.RawMessage
	if params != nil {
		p, err := json.Marshal(params)
		if err != nil {
			return nil, err
		}
		raw = p
	}
	ch := make(chan reply, 1)
	b.mu.Lock()
	if b.err != nil {
		b.mu.Unlock()
		return nil, b.err
	}
	b.nextID++
	id := b.nextID
	b.calls[id] = ch
	b.mu.Unlock()
	msg, err := json.Marshal(message{ID: id, Method: method, SessionID: session, Params: raw})
	if err != nil {
		return nil, err
	}
	b.wmu.Lock()
	_, err = b.in.Write(append(msg, 0))
	b.wmu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("browser: %s: %w", method, err)
	}
	select {
	case r := <-ch:
		if r.Err != nil {
			return nil, fmt.Errorf("%s: %w", method, r.Err)
		}
		return r.Result, nil
	case <-ctx.Done():
		b.mu.Lock()
		delete(b.calls, id)
		b.mu.Unlock()
		return nil, fmt.Errorf("browser: %s: %w", method, ctx.Err())
	}
}

// Page is one tab.
type Page struct {
	b       *Browser
	target  string
	session string

	mu       sync.Mutex
	loaded   chan struct{}
	console  []string
	requests []string
}

// NewPage opens a tab on about:blank.
func (b *Browser) NewPage(ctx context.Context) (*Page, error) {
	res, err := b.call(ctx, "", "Target.createTarget", map[string]any{"url": "about:blank"})
	if err != nil {
		return nil, err
	}
	var t struct {
		TargetID string `json:"targetId"`
	}
	if err := json.Unmarshal(res, &t); err != nil {
		return nil, err
	}
	res, err = b.call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": t.TargetID, "flatten": true})
	if err != nil {
		return nil, err
	}
	var s struct {
		SessionID string `json:"sessionId"`
	}
	if err := json.Unmarshal(res, &s); err != nil {
		return nil, err
	}
	p := &Page{b: b, target: t.TargetID, session: s.SessionID}
	b.mu.Lock()
	b.sessions[s.SessionID] = p
	b.mu.Unlock()
	for _, m := range []string{"Page.enable", "Runtime.enable", "Network.enable"} {
		if _, err := p.call(ctx, m, nil); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (p *Page) call(ctx context.Context, method string, params any) (json.RawMessage, error) {
	return p.b.call(ctx, p.session, method, params)
}

// event is called by the reader with the browser's lock held.
func (p *Page) event(method string, params json.RawMessage) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch method {
	case "Page.loadEventFired":
		if p.loaded != nil {
			close(p.loaded)
			p.loaded = nil
		}
	case "Runtime.consoleAPICalled":
		var e struct {
			Type string `json:"type"`
			Args []struct {
				Value       any    `json:"value"`
				Description string `json:"description"`
			} `json:"args"`
		}
		json.Unmarshal(params, &e)
		var parts []string
		for _, a := range e.Args {
			if a.Value != nil {
				parts = append(parts, fmt.Sprint(a.Value))
			} else {
				parts = append(parts, a.Description)
			}
		}
		p.console = append(p.console, e.Type+": "+strings.Join(parts, " "))
	case "Runtime.exceptionThrown":
		var e struct {
			Details struct {
				Text      string `json:"text"`
				Exception struct {
					Description string `json:"description"`
				} `json:"exception"`
			} `json:"exceptionDetails"`
		}
		json.Unmarshal(params, &e)
		p.console = append(p.console, "exception: "+e.Details.Text+" "+e.Details.Exception.Description)
	case "Network.requestWillBeSent":
		var e struct {
			Request struct {
				URL string `json:"url"`
			} `json:"request"`
		}
		json.Unmarshal(params, &e)
		u := e.Request.URL
		if !strings.HasPrefix(u, "file:") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") && !strings.HasPrefix(u, "about:") {
			p.requests = append(p.requests, u)
		}
	}
}

// Console is what the page's scripts logged and threw, one line each.
func (p *Page) Console() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.console...)
}

// Requests are the URLs the page asked for that are not local (file:,
// data:, blob:, about:).
func (p *Page) Requests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.requests...)
}

// Navigate loads url and waits for its load event (the reports' scripts
// run before it: they are inline at the end of the body).
func (p *Page) Navigate(ctx context.Context, url string) error {
	ch := make(chan struct{})
	p.b.mu.Lock()
	p.mu.Lock()
	p.loaded = ch
	p.mu.Unlock()
	p.b.mu.Unlock()
	res, err := p.call(ctx, "Page.navigate", map[string]any{"url": url})
	if err != nil {
		return err
	}
	var n struct {
		ErrorText string `json:"errorText"`
	}
	json.Unmarshal(res, &n)
	if n.ErrorText != "" {
		return fmt.Errorf("browser: navigate %s: %s", url, n.ErrorText)
	}
	select {
	case <-ch:
		return nil
	case <-p.b.done:
		return errors.New("browser: exited")
	case <-ctx.Done():
		return fmt.Errorf("browser: waiting for %s to load: %w", url, ctx.Err())
	}
}

// SetViewport sets the window's size in CSS pixels; mobile emulates a
// phone (meta viewport honoured).
func (p *Page) SetViewport(ctx context.Context, width, height int, mobile bool) error {
	_, err := p.call(ctx, "Emulation.setDeviceMetricsOverride", map[string]any{
		"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile,
	})
	return err
}

// EmulateMedia sets the CSS media type ("print", "screen"; "" resets).
func (p *Page) EmulateMedia(ctx context.Context, media string) error {
	_, err := p.call(ctx, "Emulation.setEmulatedMedia", map[string]any{"media": media})
	return err
}

// Eval evaluates a JavaScript expression (awaiting a promise) and decodes
// its JSON value into out (which may be nil).
func (p *Page) Eval(ctx context.Context, expr string, out any) error {
	res, err := p.call(ctx, "Runtime.evaluate", map[string]any{
		"expression": expr, "returnByValue": true, "awaitPromise": true,
	})
	if err != nil {
		return err
	}
	var r struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		Exception *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	if err := json.Unmarshal(res, &r); err != nil {
		return err
	}
	if r.Exception != nil {
		return fmt.Errorf("browser: %s: %s", r.Exception.Text, r.Exception.Exception.Description)
	}
	if out == nil || len(r.Result.Value) == 0 {
		return nil
	}
	return json.Unmarshal(r.Result.Value, out)
}

// Screenshot is a PNG of the viewport, or of the whole page when full.
func (p *Page) Screenshot(ctx context.Context, full bool) ([]byte, error) {
	params := map[string]any{"format": "png"}
	if full {
		var size struct{ W, H float64 }
		if err := p.Eval(ctx, `({W: document.documentElement.scrollWidth, H: document.documentElement.scrollHeight})`, &size); err != nil {
			return nil, err
		}
		params["captureBeyondViewport"] = true
		params["clip"] = map[string]any{"x": 0, "y": 0, "width": size.W, "height": size.H, "scale": 1}
	}
	res, err := p.call(ctx, "Page.captureScreenshot", params)
	if err != nil {
		return nil, err
	}
	return decodeData(res)
}

// PDF prints the page as the browser's "Save as PDF" would, with the
// page size and margins of the page's CSS (@page).
func (p *Page) PDF(ctx context.Context) ([]byte, error) {
	res, err := p.call(ctx, "Page.printToPDF", map[string]any{
		"preferCSSPageSize": true, "printBackground": true,
		"paperWidth": 8.27, "paperHeight": 11.69, // A4 unless the CSS says otherwise
	})
	if err != nil {
		return nil, err
	}
	return decodeData(res)
}

func decodeData(res json.RawMessage) ([]byte, error) {
	var d struct {
		Data string `json:"data"`
	}
	if err := json.Unmarshal(res, &d); err != nil {
		return nil, err
	}
	return base64.StdEncoding.DecodeString(d.Data)
}

// Close closes the tab.
func (p *Page) Close(ctx context.Context) error {
	_, err := p.b.call(ctx, "", "Target.closeTarget", map[string]any{"targetId": p.target})
	p.b.mu.Lock()
	delete(p.b.sessions, p.session)
	p.b.mu.Unlock()
	return err
}

// visibleTextJS collects the text a reader sees: every text node of the
// body (chart SVG text included) that is rendered, except in script,
// style and code elements (file and column names of the inputs) and in
// the closed part of a details element.
const visibleTextJS = `(function () {
  var out = [];
  var skip = { SCRIPT: 1, STYLE: 1, CODE: 1, NOSCRIPT: 1, TEMPLATE: 1 };
  function hidden(el) {
    for (; el && el !== document.body; el = el.parentElement) {
      if (skip[el.tagName]) { return true; }
      if (el.parentElement && el.parentElement.tagName === "DETAILS" && !el.parentElement.open && el.tagName !== "SUMMARY") { return true; }
      var cs = getComputedStyle(el);
      if (cs.display === "none" || cs.visibility === "hidden") { return true; }
    }
    return false;
  }
  var w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (var n = w.nextNode(); n; n = w.nextNode()) {
    var t = n.nodeValue.replace(/\s+/g, " ").trim();
    if (t && !hidden(n.parentElement)) { out.push(t); }
  }
  return out;
})()`

// VisibleText returns the page's visible text, one string per text node.
func (p *Page) VisibleText(ctx context.Context) ([]string, error) {
	var out []string
	err := p.Eval(ctx, visibleTextJS, &out)
	return out, err
}

// Overflow is how many CSS pixels the page is wider than its viewport (0
// when it fits).
func (p *Page) Overflow(ctx context.Context) (int, error) {
	var n int
	err := p.Eval(ctx, `Math.max(0, document.documentElement.scrollWidth - window.innerWidth)`, &n)
	return n, err
}

// Wider lists the elements matching selector that reach past width (CSS
// pixels from the page's left edge) or whose content is wider than the
// element itself (scrolled or clipped), as "tag.class[data-table] right/scroll".
func (p *Page) Wider(ctx context.Context, selector string, width float64) ([]string, error) {
	js := `(function (sel, w) {
  var out = [];
  document.querySelectorAll(sel).forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) { return; }
    if (r.right > w + 0.5 || el.scrollWidth > el.clientWidth + 1) {
      var t = el.getAttribute("data-table") || (el.querySelector("[data-table]") || {getAttribute: function () { return ""; }}).getAttribute("data-table") || el.id || "";
      out.push(el.tagName.toLowerCase() + "." + el.className + "[" + t + "] right " + Math.round(r.right) + ", content " + el.scrollWidth + " in " + el.clientWidth);
    }
  });
  return out;
})(` + jsString(selector) + `, ` + fmt.Sprint(width) + `)`
	var out []string
	err := p.Eval(ctx, js, &out)
	return out, err
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
