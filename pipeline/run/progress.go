package run

import (
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress draws one bar per stage on a terminal: done and total (files,
// bytes, models or scopes), rows where known, and the time left. A stage
// with no count of its own (load, checks, commit) shows a spinner. A nil
// *progress draws nothing.
type progress struct {
	w   *gate
	bar *progressbar.ProgressBar
	// files and rows of the ingest stage, for its description
	mu          sync.Mutex
	stage       string
	files, rows int64
	totalFiles  int
}

// newProgress returns the run's progress on stderr (a terminal), drawn
// from open on.
func newProgress(stderr io.Writer, open time.Time) *progress {
	return &progress{w: &gate{w: stderr, open: open}}
}

// gate passes writes through from open on.
type gate struct {
	w    io.Writer
	open time.Time
}

func (g *gate) Write(b []byte) (int, error) {
	if time.Now().Before(g.open) {
		return len(b), nil
	}
	return g.w.Write(b)
}

// begin starts a stage's bar: total is its count (-1 unknown: a spinner),
// bytes whether the count is in bytes.
func (p *progress) begin(stage string, total int64, bytes bool) {
	if p == nil {
		return
	}
	p.end()
	p.mu.Lock()
	p.stage, p.files, p.rows = stage, 0, 0
	p.mu.Unlock()
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(fmt.Sprintf("%-8s", stage)),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100 * time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
	}
	if total >= 0 {
		opts = append(opts, progressbar.OptionShowCount())
	}
	if bytes {
		opts = append(opts, progressbar.OptionShowBytes(true))
	}
	p.bar = progressbar.NewOptions64(total, opts...)
	p.bar.Add(0)
}

// add counts n more of the stage's total.
func (p *progress) add(n int64) {
	if p == nil || p.bar == nil {
		return
	}
	p.bar.Add64(n)
}

// ingested counts one more file read by the ingest, with its size and rows.
func (p *progress) ingested(size, rows int64) {
	if p == nil || p.bar == nil {
		return
	}
	p.mu.Lock()
	p.files++
	p.rows += rows
	desc := fmt.Sprintf("%-8s %d/%d files, %d rows", p.stage, p.files, p.totalFiles, p.rows)
	p.mu.Unlock()
	p.bar.Describe(desc)
	p.bar.Add64(size)
}

// counted counts one more file of a stage without a known total (scan).
func (p *progress) counted() {
	if p == nil || p.bar == nil {
		return
	}
	p.mu.Lock()
	p.files++
	desc := fmt.Sprintf("%-8s %d files", p.stage, p.files)
	p.mu.Unlock()
	p.bar.Describe(desc)
}

// end finishes and clears the stage's bar.
func (p *progress) end() {
	if p == nil || p.bar == nil {
		return
	}
	p.bar.Finish()
	p.bar = nil
}

// clear takes the bar off the line so a log line can be written; the next
// update draws it again.
func (p *progress) clear() {
	if p == nil || p.bar == nil {
		return
	}
	p.bar.Clear()
}
