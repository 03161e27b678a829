// Package manifest owns <out>/manifest.json, the record of one run: the
// program version, as_of, the resolved configuration, the kommuner, every
// input file with its hash and row counts, the data checks and the run's
// timings.
//
// Contract: two runs on the same inputs, config and as_of write
// byte-identical manifests except for the "run" object (timings, files new
// to the database this run). Write guarantees that by sorting every list
// whose order carries no meaning (kommuner, inputs by path, checks by
// name, new files) and by fixing the key order (struct field order);
// Config must be a value with a deterministic JSON encoding (such as
// config.Params, which encodes in the parameter table's order, a struct or
// a map).
package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
)

// Manifest is the content of manifest.json.
type Manifest struct {
	Version  string   `json:"version"`
	AsOf     string   `json:"as_of"` // YYYY-MM-DD
	Config   any      `json:"config"`
	Kommuner []string `json:"kommuner"` // sorted on Write
	Inputs   []Input  `json:"inputs"`   // sorted by Path on Write
	Checks   []Check  `json:"checks"`   // sorted by Name on Write
	// Skyddade personer are not counted here: their number goes only to
	// the run log (inputs.md); their rows count as excluded per input.
	Run Run `json:"run"`
}

// Input statuses.
const (
	StatusUsed       = "used"       // the run's figures use this file
	StatusSuperseded = "superseded" // a register export replaced by a later one of its kind and kommun
)

// Input is one file of the inputs folder.
type Input struct {
	Path      string `json:"path"` // relative to the inputs folder, slash-separated: "0180/kaa_individer_2021-03.csv"
	Kind      string `json:"kind"` // contract kind: kaa_individer, extens, ...
	SHA256    string `json:"sha256"`
	Encoding  string `json:"encoding"`  // as detected: "UTF-8", "Windows-1252", ...
	Delimiter string `json:"delimiter"` // ";", ",", "\t"
	Status    string `json:"status"`    // StatusUsed or StatusSuperseded
	// Row counts; Reconcile checks Read == Loaded + Rejected + Excluded.
	Read     int64 `json:"read"`     // data rows read (header not counted)
	Loaded   int64 `json:"loaded"`   // rows loaded into the database
	Rejected int64 `json:"rejected"` // rows refused by the input contract (in rejects.csv)
	Excluded int64 `json:"excluded"` // valid rows left out by rule (e.g. skyddade personer)
}

// Check is one data check of sql/checks.
type Check struct {
	Name     string `json:"name"`
	Severity string `json:"severity"` // "error" (blocking) or "warn"
	Rule     string `json:"rule"`
	Failing  int64  `json:"failing"` // rows the check returned
	Passed   bool   `json:"passed"`  // Failing == 0
}

// Run is the only part of the manifest that differs between two identical
// runs.
type Run struct {
	NewFiles  []string `json:"new_files"`  // input paths first loaded into the database by this run; sorted on Write
	TimingsMS []Timing `json:"timings_ms"` // in stage order, as given
}

// Timing is the wall time of one stage in milliseconds.
type Timing struct {
	Stage string `json:"stage"`
	MS    int64  `json:"ms"`
}

// Marshal returns the manifest as written by Write: indented JSON (two
// spaces), no HTML escaping, a trailing newline, lists sorted as described
// on Manifest and nil lists written as []. The receiver is not modified.
func (m Manifest) Marshal() ([]byte, error) {
	m.Kommuner = sorted(m.Kommuner, strings.Compare)
	m.Inputs = sorted(m.Inputs, func(a, b Input) int { return strings.Compare(a.Path, b.Path) })
	m.Checks = sorted(m.Checks, func(a, b Check) int { return strings.Compare(a.Name, b.Name) })
	m.Run.NewFiles = sorted(m.Run.NewFiles, strings.Compare)
	if m.Run.TimingsMS == nil {
		m.Run.TimingsMS = []Timing{}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil { // Encode ends with "\n"
		return nil, fmt.Errorf("manifest: %w", err)
	}
	return buf.Bytes(), nil
}

// Write writes the manifest to path (see Marshal). It is meant for the
// staging directory of pipeline/publish, which makes the set atomic, so the
// file is written in place.
func (m Manifest) Write(path string) error {
	b, err := m.Marshal()
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	return nil
}

// Reconcile checks the row counts of every input: no count is negative and
// Read == Loaded + Rejected + Excluded; and that every status is "used" or
// "superseded" and no path is listed twice. It reports every problem,
// joined, in path order, e.g.
//
//	manifest: 0180/kaa_individer.csv: read 100, but loaded 90 + rejected 5 + excluded 3 = 98
func (m Manifest) Reconcile() error {
	var errs []error
	seen := map[string]bool{}
	for _, in := range sorted(m.Inputs, func(a, b Input) int { return strings.Compare(a.Path, b.Path) }) {
		bad := func(format string, args ...any) {
			errs = append(errs, fmt.Errorf("manifest: %s: "+format, append([]any{in.Path}, args...)...))
		}
		if seen[in.Path] {
			bad("listed more than once")
			continue
		}
		seen[in.Path] = true
		if in.Status != StatusUsed && in.Status != StatusSuperseded {
			bad("status %q is neither %q nor %q", in.Status, StatusUsed, StatusSuperseded)
		}
		if in.Read < 0 || in.Loaded < 0 || in.Rejected < 0 || in.Excluded < 0 {
			bad("negative row count (read %d, loaded %d, rejected %d, excluded %d)", in.Read, in.Loaded, in.Rejected, in.Excluded)
			continue
		}
		if sum := in.Loaded + in.Rejected + in.Excluded; sum != in.Read {
			bad("read %d, but loaded %d + rejected %d + excluded %d = %d", in.Read, in.Loaded, in.Rejected, in.Excluded, sum)
		}
	}
	return errors.Join(errs...)
}

// sorted returns a sorted copy of s, never nil (so JSON shows []).
func sorted[T any](s []T, cmp func(a, b T) int) []T {
	c := make([]T, len(s))
	copy(c, s)
	slices.SortStableFunc(c, cmp)
	return c
}
