package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
	"github.com/kaa-uppfoljning/kaa/pipeline/source"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestExampleProfilesLoad: the documented example and the demo's vendor
// profile are valid against the contract.
func TestExampleProfilesLoad(t *testing.T) {
	for _, p := range []string{"../../docs/mapping.example.toml", "../../fixtures/vendor/1402/mapping.toml"} {
		prof, err := LoadProfile(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if !prof.Exists || len(prof.Kinds) < 5 {
			t.Errorf("%s: %d kinds", p, len(prof.Kinds))
		}
	}
}

func TestClassifyName(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "2281", "mapping.toml")
	writeFile(t, path, `
[extens]
file = "Extens_utdrag_{date:YYYYMMDD}.csv"
[kaa_individer]
file = "UKA_export_individer_{date}.csv"
[deltagare]
file = "ESF_deltagarlista_*.csv"
`)
	prof, err := LoadProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	tests := []struct {
		name, kind, rule string
		date             time.Time
		fromProfile      bool
	}{
		{"Extens_utdrag_20180101.csv", "extens", path + `:3: file = "Extens_utdrag_{date:YYYYMMDD}.csv"`, day("2018-01-01"), true},
		{"UKA_export_individer_2021-03-31.csv", "kaa_individer", path + `:5: file = "UKA_export_individer_{date}.csv"`, day("2021-03-31"), true},
		{"ESF_deltagarlista_Partille.csv", "deltagare", path + `:7: file = "ESF_deltagarlista_*.csv"`, time.Time{}, true},
		{"extens_2020-03-02.csv", "extens", "extens_<YYYY-MM-DD>.csv (input contract)", day("2020-03-02"), false},
		{"kaa_individer_del1.csv", "kaa_individer", "kaa_individer*.csv (input contract)", time.Time{}, false},
	}
	for _, tt := range tests {
		m, err := ClassifyName(tt.name, prof)
		if err != nil || m.Kind.Name != tt.kind || m.Rule != tt.rule || !m.Date.Equal(tt.date) || m.FromProfile != tt.fromProfile {
			t.Errorf("%s: %+v %v", tt.name, m, err)
		}
	}
	for name, want := range map[string]string{
		"Elevlista.csv":              "file name matches no input kind (the input contract's names: extens_<YYYY-MM-DD>.csv, gruus_*.csv, kaa_individer*.csv, ...; nor any file pattern of " + path + ")",
		"extens_v12.csv":             "extens file name must carry the extract date as extens_YYYY-MM-DD.csv (or give [extens] file = \"…{date:FORMAT}…\" in " + path + ")",
		"Extens_utdrag_20181345.csv": path + `:3: "20181345" is not a date in the format YYYYMMDD of the file pattern "Extens_utdrag_{date:YYYYMMDD}.csv"`,
	} {
		if _, err := ClassifyName(name, prof); err == nil || err.Error() != want {
			t.Errorf("%s:\n got %v\nwant %s", name, err, want)
		}
	}
}

// TestScanUsesProfilePatterns: files named as the kommun's systems name
// them are classified by the profile, the extract date coming from the
// pattern; a name no rule matches stops the scan with a hint.
func TestScanUsesProfilePatterns(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "1402", "mapping.toml"), "[extens]\nfile = \"Extens_utdrag_{date:YYYYMMDD}.csv\"\n")
	writeFile(t, filepath.Join(dir, "1402", "Extens_utdrag_20200302.csv"), "Personnummer\n")
	writeFile(t, filepath.Join(dir, "1402", "extens_2020-03-09.csv"), "Personnummer\n")
	_, files, err := Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || files[0].Kind.Name != "extens" || files[0].ExtractDate.Format("2006-01-02") != "2020-03-02" ||
		!strings.Contains(files[0].NameRule, "mapping.toml:2") || files[0].NameDate.IsZero() ||
		files[1].ExtractDate.Format("2006-01-02") != "2020-03-09" || !files[1].NameDate.IsZero() {
		t.Errorf("files: %+v", files)
	}
	writeFile(t, filepath.Join(dir, "1402", "UKA_export.csv"), "Personnummer\n")
	if _, _, err := Scan(dir); err == nil || !strings.Contains(err.Error(), "UKA_export.csv: file name matches no input kind") {
		t.Errorf("unmatched name: %v", err)
	}
}

// TestSkyddadSurvivesProfileRules: a row marking its person skyddad
// excludes the person even when a profile rule cannot read another of
// its cells (the mark must never be lost to a reject).
func TestSkyddadSurvivesProfileRules(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "2281", "mapping.toml")
	writeFile(t, path, "[extens.columns]\nAvgangsdatum = { date_format = \"YYYY-MM-DD hh:mm:ss\" }\n")
	prof, err := LoadProfile(path)
	if err != nil {
		t.Fatal(err)
	}
	kind, _ := contract.Lookup("extens")
	r := newTestRun(t, map[string]source.Profile{"2281": prof})
	f := File{Path: "2281/extens_2020-03-02.csv", Abs: "/in/2281/extens_2020-03-02.csv", Kommun: "2281", Kind: kind, ID: "x",
		ExtractDate: time.Date(2020, 3, 2, 0, 0, 0, 0, time.UTC)}
	data := "Personnummer;Skyddad;Avgangsdatum\n" +
		"20030501-0019;J;2020-01-01\n" + // skyddad, bad date for the profile: excluded
		"20030501-0027;N;2020-01-01\n" + // bad date: rejected, value shown
		"20030501-0035;N;2020-01-01 00:00:00\n"
	res, err := r.read(f, strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if res.Read != 3 || res.Loaded != 1 || res.Rejected != 1 || res.Excluded != 1 || len(r.newBlocks) != 1 {
		t.Errorf("counts %+v, %d new blockmarks", res.Counts, len(r.newBlocks))
	}
}
