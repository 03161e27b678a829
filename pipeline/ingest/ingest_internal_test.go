package ingest

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

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

func TestShown(t *testing.T) {
	long := "x" + strings.Repeat("Ö", 50)
	tests := []struct{ in, want string }{
		{"AVHOPP", "AVHOPP"},
		{"2021-13-01", "2021-13-01"},
		{"20030501-0019", "***"},
		{"200305010019", "***"},
		{"030501+0019", "***"},
		{"Pnr 030501-0019 (fel kolumn)", "***"},
		{"20210101", "20210101"},
		{"a\x07b\r\nc", `a\x07b\x0d\x0ac`},
		{"\u202eevil", `\u202eevil`},
		{long, "x" + strings.Repeat("Ö", 39) + "…"},
		{strings.Repeat("a", 80), strings.Repeat("a", 80)},
		{strings.Repeat("a", 81), strings.Repeat("a", 80) + "…"},
	}
	for _, tt := range tests {
		got := shown(tt.in)
		if got != tt.want {
			t.Errorf("shown(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("shown(%q) = %q: not UTF-8", tt.in, got)
		}
	}
}

func TestNumberBounds(t *testing.T) {
	minuter := contract.Column{Name: "Minuter", Type: contract.Int, Positive: true}
	andel := contract.Column{Name: "AndelForgymnasial", Type: contract.Decimal}
	tests := []struct {
		c    contract.Column
		in   string
		rule string // "" = accepted
	}{
		{minuter, "30", ""},
		{minuter, "2147483647", ""},
		{minuter, "2147483648", "number out of range"},
		{minuter, "9000000000000000000", "number out of range"},
		{andel, "12,5", ""},
		{andel, "-999999999999", ""},
		{andel, fmt.Sprintf("1%013d", 0), "number out of range"},
		{andel, "1" + strings.Repeat("0", 300), "number out of range"},
	}
	for _, tt := range tests {
		_, p := parseCell(tt.c, tt.in)
		switch {
		case tt.rule == "" && p != nil:
			t.Errorf("%s %q: rejected (%s)", tt.c.Name, tt.in, p.rule)
		case tt.rule != "" && (p == nil || p.rule != tt.rule):
			t.Errorf("%s %q: problem %+v, want rule %q", tt.c.Name, tt.in, p, tt.rule)
		}
	}
}
