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
	// Quality is the data-quality summary of each kommun's inputs; sorted
	// by Kommun on Write.
	Quality []Quality `json:"quality"`
	// Skyddade personer are not counted here: their number goes only to
	// the run log (inputs.md); their rows count as excluded per input.
	Run Run `json:"run"`
}

// Input statuses: the role the file had in the run.
const (
	StatusUsed       = "used"       // the run's figures use this file (an event file, the only file of its kind, the latest dated export)
	StatusPart       = "part"       // one of several parts of a register export, read together with the others
	StatusSuperseded = "superseded" // a dated full export replaced by a later one of its kind and kommun (SupersededBy)
)

// Input is one file of the inputs folder.
type Input struct {
	Path         string `json:"path"` // relative to the inputs folder, slash-separated: "0180/kaa_individer_2021-03-31.csv"
	Kind         string `json:"kind"` // contract kind: kaa_individer, extens, ...
	SHA256       string `json:"sha256"`
	Encoding     string `json:"encoding"`                // as detected: "utf-8", "windows-1252"
	Delimiter    string `json:"delimiter"`               // ";", ",", "tab"
	Status       string `json:"status"`                  // StatusUsed, StatusPart or StatusSuperseded
	SupersededBy string `json:"superseded_by,omitempty"` // StatusSuperseded: the path of the export that replaces it
	// Row counts; Reconcile checks Read == Loaded + Rejected + Excluded.
	Read     int64 `json:"read"`     // data rows read (header not counted)
	Loaded   int64 `json:"loaded"`   // rows loaded and counted by the run
	Rejected int64 `json:"rejected"` // rows refused by the input contract (in rejects.csv)
	Excluded int64 `json:"excluded"` // valid rows left out by rule: skyddade personer, and ExcludedDuplicate
	// ExcludedDuplicate counts the rows of a part that repeat a row of an
	// earlier part (path order) of the same export: counted once, there.
	ExcludedDuplicate int64 `json:"excluded_duplicate"`
	// IgnoredColumns are the file's columns neither in the contract nor
	// mapped by the profile (by header name): never read or stored.
	IgnoredColumns []string `json:"ignored_columns"`
	// MissingColumns are the contract's optional columns the file lacks:
	// blank in every row (the pages say what that changes).
	MissingColumns []string `json:"missing_columns"`
}

// Quality is the data-quality summary of one kommun's inputs.
type Quality struct {
	Kommun string       `json:"kommun"`
	Files  QualityFiles `json:"files"`
	Rows   QualityRows  `json:"rows"`
	Gates  []Gate       `json:"gates"` // in a fixed order: the blocking gates, then the warnings
}

// QualityFiles counts a kommun's input files by status; Ignored lists the
// entries of its folder that are not inputs (hidden files, README.md).
type QualityFiles struct {
	Used       int      `json:"used"`
	Parts      int      `json:"parts"`
	Superseded int      `json:"superseded"`
	Ignored    []string `json:"ignored"`
}

// QualityRows sums the counts of a kommun's used and part files (as in
// Input; Read = Loaded + Rejected + Excluded).
type QualityRows struct {
	Read     int64 `json:"read"`
	Loaded   int64 `json:"loaded"`
	Rejected int64 `json:"rejected"`
	Excluded int64 `json:"excluded"`
}

// Gate is one data-quality gate of inputs.md and its outcome for a kommun:
// "passed", "failed", "off" (max_reject_share = 1), "warning" or "no data".
type Gate struct {
	Name    string `json:"name"`
	Rule    string `json:"rule"`
	Outcome string `json:"outcome"`
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
	m.Quality = sorted(m.Quality, func(a, b Quality) int { return strings.Compare(a.Kommun, b.Kommun) })
	for i := range m.Inputs { // m.Inputs and m.Quality are copies: sorted
		m.Inputs[i].IgnoredColumns = nonNil(m.Inputs[i].IgnoredColumns)
		m.Inputs[i].MissingColumns = nonNil(m.Inputs[i].MissingColumns)
	}
	for i := range m.Quality {
		m.Quality[i].Files.Ignored = nonNil(m.Quality[i].Files.Ignored)
		m.Quality[i].Gates = nonNil(m.Quality[i].Gates)
	}
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

// Reconcile checks the row counts of every input: no count is negative,
// Read == Loaded + Rejected + Excluded and ExcludedDuplicate <= Excluded;
// that every status is "used", "part" or "superseded" (with SupersededBy
// set exactly for "superseded"); and that no path is listed twice. It reports every problem,
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
		switch {
		case in.Status != StatusUsed && in.Status != StatusPart && in.Status != StatusSuperseded:
			bad("status %q is none of %q, %q, %q", in.Status, StatusUsed, StatusPart, StatusSuperseded)
		case (in.Status == StatusSuperseded) != (in.SupersededBy != ""):
			bad("status %q with superseded_by %q", in.Status, in.SupersededBy)
		}
		if in.Read < 0 || in.Loaded < 0 || in.Rejected < 0 || in.Excluded < 0 || in.ExcludedDuplicate < 0 {
			bad("negative row count (read %d, loaded %d, rejected %d, excluded %d, excluded_duplicate %d)", in.Read, in.Loaded, in.Rejected, in.Excluded, in.ExcludedDuplicate)
			continue
		}
		if sum := in.Loaded + in.Rejected + in.Excluded; sum != in.Read {
			bad("read %d, but loaded %d + rejected %d + excluded %d = %d", in.Read, in.Loaded, in.Rejected, in.Excluded, sum)
		}
		if in.ExcludedDuplicate > in.Excluded {
			bad("excluded_duplicate %d is more than excluded %d", in.ExcludedDuplicate, in.Excluded)
		}
	}
	return errors.Join(errs...)
}

// nonNil returns s, or an empty slice for nil (so JSON shows []).
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// sorted returns a sorted copy of s, never nil (so JSON shows []).
func sorted[T any](s []T, cmp func(a, b T) int) []T {
	c := make([]T, len(s))
	copy(c, s)
	slices.SortStableFunc(c, cmp)
	return c
}
