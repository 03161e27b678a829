package ingest

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
	"github.com/kaa-uppfoljning/kaa/pipeline/personnummer"
	"github.com/kaa-uppfoljning/kaa/pipeline/source"
)

// testRun is a run with one worker, reading one file at a time from a
// reader: read is what Run does with a file.
type testRun struct {
	*run
	w *worker
}

func newTestRun(t *testing.T, profiles map[string]source.Profile) *testRun {
	t.Helper()
	p, err := personnummer.NewPseudonymizer([]byte("test-key-0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Pseudo: p, StageDir: t.TempDir(), Profiles: profiles}
	return &testRun{run: newRun(opt, map[string]bool{}), w: newWorker(opt, newIdentities(p))}
}

func (r *testRun) read(f File, src io.Reader) (Result, error) {
	var (
		loaded, excluded int64
		stageErr         error
	)
	res, _, err := r.w.read(f, src, func(p piece) bool {
		l, x, err := r.stage(f, p)
		loaded, excluded = loaded+l, excluded+x
		if stageErr == nil {
			stageErr = err
		}
		return true
	})
	res.Loaded += loaded
	res.Excluded += excluded
	if err == nil {
		err = stageErr
	}
	return res, err
}

// TestReadErrorStopsTheFile: a read error after the first 64 KiB is a
// file error (the run stops, exit 3), not a rejected row — Next keeps
// returning it, so counting it as a reject looped for ever, appending
// rejects until memory ran out.
func TestReadErrorStopsTheFile(t *testing.T) {
	kind, _ := contract.Lookup("tidsstudie")
	var b strings.Builder
	b.WriteString("Datum;Coach;Kategori;Minuter\n")
	for b.Len() < 100<<10 {
		b.WriteString("2021-02-03;AB;DELTAGARKONTAKT;30\n")
	}
	src := io.MultiReader(strings.NewReader(b.String()), iotest.ErrReader(errors.New("disk gone")))
	r := newTestRun(t, nil)
	f := File{Path: "2281/tidsstudie.csv", Abs: "/in/2281/tidsstudie.csv", Kommun: "2281", Kind: kind, ID: "x"}
	done := make(chan struct{})
	var (
		res Result
		err error
	)
	go func() {
		defer close(done)
		res, err = r.read(f, src)
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("read does not return after a read error")
	}
	if !source.IsFileError(err) || !strings.Contains(err.Error(), "disk gone") {
		t.Fatalf("error = %v, want a file error naming the read error", err)
	}
	if res.Rejected != 0 || res.Read != res.Loaded {
		t.Errorf("counts %+v: the read error was counted as a row", res.Counts)
	}
}
