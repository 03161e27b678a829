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

func testRun(t *testing.T) *run {
	t.Helper()
	p, err := personnummer.NewPseudonymizer([]byte("test-key-0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	return newRun(Options{Pseudo: p, StageDir: t.TempDir()}, map[string]bool{})
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
	r := testRun(t)
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
