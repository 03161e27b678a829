package manifest

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

type params struct { // stands in for config.Params
	AsOf string `json:"as_of"`
	S6   struct {
		Month     string  `json:"month"`
		TargetMen float64 `json:"target_men"`
	} `json:"s6"`
}

func sample() Manifest {
	var p params
	p.AsOf, p.S6.Month, p.S6.TargetMen = "2021-03-31", "2021-02", 0.6
	return Manifest{
		Version:  "1.2.0",
		AsOf:     "2021-03-31",
		Config:   p,
		Kommuner: []string{"2281", "0180"},
		Inputs: []Input{
			{Path: "2281/kaa_individer_2021-03-31.csv", Kind: "kaa_individer", SHA256: "bb", Encoding: "windows-1252", Delimiter: ";", Status: StatusUsed, Read: 10, Loaded: 8, Rejected: 1, Excluded: 1, MissingColumns: []string{"Coach"}},
			{Path: "0180/extens_2021-03-01.csv", Kind: "extens", SHA256: "aa", Encoding: "utf-8", Delimiter: "tab", Status: StatusUsed, Read: 3, Loaded: 3, IgnoredColumns: []string{"Fornamn", "Adress"}},
			{Path: "2281/kaa_individer_2021-02-28.csv", Kind: "kaa_individer", SHA256: "cc", Encoding: "utf-8", Delimiter: ",", Status: StatusSuperseded, SupersededBy: "2281/kaa_individer_2021-03-31.csv", Read: 9, Loaded: 9},
			{Path: "2281/kaa_sysselsattning_del2.csv", Kind: "kaa_sysselsattning", SHA256: "dd", Encoding: "utf-8", Delimiter: ";", Status: StatusPart, Read: 4, Loaded: 3, Excluded: 1, ExcludedDuplicate: 1},
		},
		Quality: []Quality{
			{Kommun: "2281", Files: QualityFiles{Used: 1, Parts: 1, Superseded: 1}, Rows: QualityRows{Read: 14, Loaded: 11, Rejected: 1, Excluded: 2},
				Gates: []Gate{{Name: "rows_loaded", Rule: "every used file loads a row", Outcome: "passed"}}},
			{Kommun: "0180", Files: QualityFiles{Used: 1, Ignored: []string{"README.md"}}, Rows: QualityRows{Read: 3, Loaded: 3}},
		},
		Checks: []Check{
			{Name: "sys_after_atgard", Severity: "warn", Rule: "SysEfter <> Atgard & \"x\"", Failing: 2},
			{Name: "atgard_has_grund", Severity: "error", Rule: "an ended åtgärd has GrundAtgSlut", Passed: true},
		},
		Run: Run{
			NewFiles:  []string{"2281/kaa_individer_2021-03-31.csv", "0180/extens_2021-03-01.csv"},
			TimingsMS: []Timing{{"ingest", 120}, {"warehouse", 900}, {"publish", 15}},
		},
	}
}

const golden = `{
  "version": "1.2.0",
  "as_of": "2021-03-31",
  "config": {
    "as_of": "2021-03-31",
    "s6": {
      "month": "2021-02",
      "target_men": 0.6
    }
  },
  "kommuner": [
    "0180",
    "2281"
  ],
  "inputs": [
    {
      "path": "0180/extens_2021-03-01.csv",
      "kind": "extens",
      "sha256": "aa",
      "encoding": "utf-8",
      "delimiter": "tab",
      "status": "used",
      "read": 3,
      "loaded": 3,
      "rejected": 0,
      "excluded": 0,
      "excluded_duplicate": 0,
      "ignored_columns": [
        "Fornamn",
        "Adress"
      ],
      "missing_columns": []
    },
    {
      "path": "2281/kaa_individer_2021-02-28.csv",
      "kind": "kaa_individer",
      "sha256": "cc",
      "encoding": "utf-8",
      "delimiter": ",",
      "status": "superseded",
      "superseded_by": "2281/kaa_individer_2021-03-31.csv",
      "read": 9,
      "loaded": 9,
      "rejected": 0,
      "excluded": 0,
      "excluded_duplicate": 0,
      "ignored_columns": [],
      "missing_columns": []
    },
    {
      "path": "2281/kaa_individer_2021-03-31.csv",
      "kind": "kaa_individer",
      "sha256": "bb",
      "encoding": "windows-1252",
      "delimiter": ";",
      "status": "used",
      "read": 10,
      "loaded": 8,
      "rejected": 1,
      "excluded": 1,
      "excluded_duplicate": 0,
      "ignored_columns": [],
      "missing_columns": [
        "Coach"
      ]
    },
    {
      "path": "2281/kaa_sysselsattning_del2.csv",
      "kind": "kaa_sysselsattning",
      "sha256": "dd",
      "encoding": "utf-8",
      "delimiter": ";",
      "status": "part",
      "read": 4,
      "loaded": 3,
      "rejected": 0,
      "excluded": 1,
      "excluded_duplicate": 1,
      "ignored_columns": [],
      "missing_columns": []
    }
  ],
  "checks": [
    {
      "name": "atgard_has_grund",
      "severity": "error",
      "rule": "an ended åtgärd has GrundAtgSlut",
      "failing": 0,
      "passed": true
    },
    {
      "name": "sys_after_atgard",
      "severity": "warn",
      "rule": "SysEfter <> Atgard & \"x\"",
      "failing": 2,
      "passed": false
    }
  ],
  "quality": [
    {
      "kommun": "0180",
      "files": {
        "used": 1,
        "parts": 0,
        "superseded": 0,
        "ignored": [
          "README.md"
        ]
      },
      "rows": {
        "read": 3,
        "loaded": 3,
        "rejected": 0,
        "excluded": 0
      },
      "gates": []
    },
    {
      "kommun": "2281",
      "files": {
        "used": 1,
        "parts": 1,
        "superseded": 1,
        "ignored": []
      },
      "rows": {
        "read": 14,
        "loaded": 11,
        "rejected": 1,
        "excluded": 2
      },
      "gates": [
        {
          "name": "rows_loaded",
          "rule": "every used file loads a row",
          "outcome": "passed"
        }
      ]
    }
  ],
  "run": {
    "new_files": [
      "0180/extens_2021-03-01.csv",
      "2281/kaa_individer_2021-03-31.csv"
    ],
    "timings_ms": [
      {
        "stage": "ingest",
        "ms": 120
      },
      {
        "stage": "warehouse",
        "ms": 900
      },
      {
        "stage": "publish",
        "ms": 15
      }
    ]
  }
}
`

func TestWriteGolden(t *testing.T) {
	m := sample()
	before := sample()
	path := filepath.Join(t.TempDir(), "manifest.json")
	if err := m.Write(path); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != golden {
		t.Errorf("manifest.json:\n%s\nwant:\n%s", got, golden)
	}
	if !reflect.DeepEqual(m, before) {
		t.Error("Write reordered the caller's slices")
	}

	// Input order does not matter: the same content in another order gives
	// the same bytes.
	r := sample()
	r.Inputs[0], r.Inputs[2] = r.Inputs[2], r.Inputs[0]
	r.Quality[0], r.Quality[1] = r.Quality[1], r.Quality[0]
	r.Checks[0], r.Checks[1] = r.Checks[1], r.Checks[0]
	r.Kommuner[0], r.Kommuner[1] = r.Kommuner[1], r.Kommuner[0]
	b, err := r.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != golden {
		t.Errorf("reordered input gives different bytes:\n%s", b)
	}
}

func TestWriteEmpty(t *testing.T) {
	b, err := Manifest{Version: "dev", AsOf: "2021-03-31"}.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	want := `{
  "version": "dev",
  "as_of": "2021-03-31",
  "config": null,
  "kommuner": [],
  "inputs": [],
  "checks": [],
  "quality": [],
  "run": {
    "new_files": [],
    "timings_ms": []
  }
}
`
	if string(b) != want {
		t.Errorf("got:\n%s\nwant:\n%s", b, want)
	}
	if err := (Manifest{}).Write(filepath.Join(t.TempDir(), "no", "dir", "manifest.json")); err == nil {
		t.Error("Write into a missing directory succeeded")
	}
	if _, err := (Manifest{Config: func() {}}).Marshal(); err == nil {
		t.Error("unencodable config accepted")
	}
}

func TestReconcile(t *testing.T) {
	if err := sample().Reconcile(); err != nil {
		t.Errorf("sample: %v", err)
	}
	in := func(path string, read, loaded, rejected, excluded int64) Input {
		return Input{Path: path, Status: StatusUsed, Read: read, Loaded: loaded, Rejected: rejected, Excluded: excluded}
	}
	tests := []struct {
		name   string
		inputs []Input
		want   []string
	}{
		{"balanced", []Input{in("a.csv", 10, 7, 2, 1), in("b.csv", 0, 0, 0, 0)}, nil},
		{"rows lost", []Input{in("0180/kaa_individer.csv", 100, 90, 5, 3)},
			[]string{"manifest: 0180/kaa_individer.csv: read 100, but loaded 90 + rejected 5 + excluded 3 = 98"}},
		{"rows invented", []Input{in("x.csv", 1, 1, 1, 0)},
			[]string{"manifest: x.csv: read 1, but loaded 1 + rejected 1 + excluded 0 = 2"}},
		{"duplicates beyond the excluded", []Input{{Path: "p.csv", Status: StatusPart, Read: 2, Loaded: 1, Excluded: 1, ExcludedDuplicate: 2}},
			[]string{"manifest: p.csv: excluded_duplicate 2 is more than excluded 1"}},
		{"superseded without the file that replaces it", []Input{{Path: "s.csv", Status: StatusSuperseded}, {Path: "u.csv", Status: StatusUsed, SupersededBy: "s.csv"}},
			[]string{`manifest: s.csv: status "superseded" with superseded_by ""`, `manifest: u.csv: status "used" with superseded_by "s.csv"`}},
		{"every problem, in path order", []Input{
			in("z.csv", 5, 4, 0, 0),
			{Path: "m.csv", Status: "ignored", Read: 1, Loaded: 1},
			in("a.csv", 3, -1, 4, 0),
			in("z.csv", 5, 5, 0, 0),
		}, []string{
			"manifest: a.csv: negative row count (read 3, loaded -1, rejected 4, excluded 0, excluded_duplicate 0)",
			`manifest: m.csv: status "ignored" is none of "used", "part", "superseded"`,
			"manifest: z.csv: read 5, but loaded 4 + rejected 0 + excluded 0 = 4",
			"manifest: z.csv: listed more than once",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Manifest{Inputs: tt.inputs}.Reconcile()
			if tt.want == nil {
				if err != nil {
					t.Errorf("unexpected: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			if got := strings.Split(err.Error(), "\n"); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}
