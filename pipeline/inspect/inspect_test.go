package inspect

import (
	"errors"
	"strings"
	"testing"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
	"github.com/kaa-uppfoljning/kaa/pipeline/ingest"
)

func counted(read, loaded, rejected, excluded int64) File {
	var f File
	f.Read, f.Loaded, f.Rejected, f.Excluded = read, loaded, rejected, excluded
	return f
}

// TestVerdictIsTheRunsGate: inspect says "would fail" exactly when a run's
// gates (quality.Check) would stop on the file's counts.
func TestVerdictIsTheRunsGate(t *testing.T) {
	for _, c := range []struct {
		name  string
		f     File
		share float64
		want  string // a part of the verdict; "" for none
	}{
		{"clean", counted(100, 100, 0, 0), 0.02, ""},
		{"at the limit", counted(100, 98, 2, 0), 0.02, ""},
		{"over the limit", counted(100, 97, 3, 0), 0.02, "3.0 % of the rows would be rejected, over max_reject_share 0.02"},
		{"nothing loaded", counted(10, 0, 10, 0), 0.02, "no row would load"},
		{"only skyddade", counted(4, 0, 0, 4), 0.02, ""},
		{"gate off", counted(10, 0, 10, 0), 1, ""},
		{"empty file", counted(0, 0, 0, 0), 0.02, ""},
		{"bad name", File{NameErr: errors.New("x")}, 0.02, "file name matches no rule"},
		{"unreadable", File{OpenErr: errors.New("x"), Checked: ingest.Checked{}}, 0.02, "cannot be read"},
	} {
		got := c.f.Verdict(c.share)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: verdict %q, want %q", c.name, got, c.want)
		}
	}
}

// TestNameWordsAreTheContractsKinds: every kind a file name's words may
// suggest is a kind of the contract, and every kind of the contract has
// a word whose guess (guessName) is that kind.
func TestNameWordsAreTheContractsKinds(t *testing.T) {
	guessed := map[string]bool{}
	for _, w := range nameWords {
		if _, ok := contract.Lookup(w.kind); !ok {
			t.Errorf("word %q suggests %q, not a kind of the contract", w.word, w.kind)
		}
		name := "Export_" + w.word + "_20210301.csv"
		if m, ok := guessName(name); ok && m.Kind.Name == w.kind {
			guessed[w.kind] = true
		}
	}
	for _, k := range contract.Kinds() {
		if !guessed[k.Name] {
			t.Errorf("no word of a file name is guessed as %s", k.Name)
		}
	}
}
