package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeInputs makes an inputs folder with the given files (path under
// inputs → content).
func writeInputs(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func byPath(files []File) map[string]File {
	out := map[string]File{}
	for _, f := range files {
		out[f.Path] = f
	}
	return out
}

// TestRoles: of dated full exports the latest is used and the others are
// superseded by it; several parts are read together, in path order; a lone
// part and every event file are simply used.
func TestRoles(t *testing.T) {
	dir := writeInputs(t, map[string]string{
		"2281/kaa_individer_2021-01-31.csv":    "x\n",
		"2281/kaa_individer_2021-03-31.csv":    "y\n",
		"2281/kaa_individer_2020-12-31.csv":    "z\n",
		"2281/kaa_sysselsattning_del2.csv":     "a\n",
		"2281/kaa_sysselsattning_del1.csv":     "b\n",
		"2281/kaa_atgarder.csv":                "c\n",
		"2281/omradesstatistik_2019.csv":       "d\n",
		"2281/omradesstatistik_2020.csv":       "e\n",
		"2281/extens_2021-03-01.csv":           "f\n",
		"2281/extens_2021-03-08.csv":           "g\n",
		"2281/gruus_2020-21.csv":               "h\n",
		"2262/kaa_individer_2021-02-28.csv":    "i\n",
		"2262/kaa_sysselsattning.csv":          "j\n",
		"2281/README.md":                       "notes\n",
		"2281/.DS_Store":                       "\x00",
		"2262/deltagare_2021-03-31.csv":        "k\n",
		"2262/omraden_a.csv":                   "l\n",
		"2262/grundskolor_2021-03-31_copy.csv": "m\n",
	})
	kommuner, files, err := Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		role Role
		by   string
		part int
	}{
		"2281/kaa_individer_2021-03-31.csv":    {RoleUsed, "", 0},
		"2281/kaa_individer_2021-01-31.csv":    {RoleSuperseded, "2281/kaa_individer_2021-03-31.csv", 0},
		"2281/kaa_individer_2020-12-31.csv":    {RoleSuperseded, "2281/kaa_individer_2021-03-31.csv", 0},
		"2281/kaa_sysselsattning_del1.csv":     {RolePart, "", 1},
		"2281/kaa_sysselsattning_del2.csv":     {RolePart, "", 2},
		"2281/kaa_atgarder.csv":                {RoleUsed, "", 0},
		"2281/omradesstatistik_2019.csv":       {RolePart, "", 1}, // "…_2019.csv" is a part
		"2281/omradesstatistik_2020.csv":       {RolePart, "", 2},
		"2281/extens_2021-03-01.csv":           {RoleUsed, "", 0},
		"2281/extens_2021-03-08.csv":           {RoleUsed, "", 0},
		"2281/gruus_2020-21.csv":               {RoleUsed, "", 0},
		"2262/kaa_individer_2021-02-28.csv":    {RoleUsed, "", 0}, // each kommun on its own
		"2262/kaa_sysselsattning.csv":          {RoleUsed, "", 0},
		"2262/deltagare_2021-03-31.csv":        {RoleUsed, "", 0},
		"2262/omraden_a.csv":                   {RoleUsed, "", 0},
		"2262/grundskolor_2021-03-31_copy.csv": {RoleUsed, "", 0}, // the name does not end in the date: a part
	}
	got := byPath(files)
	if len(got) != len(want) {
		t.Errorf("%d files, want %d: %v", len(got), len(want), files)
	}
	for p, w := range want {
		f, ok := got[p]
		if !ok {
			t.Errorf("%s not found", p)
			continue
		}
		if f.Role != w.role || f.SupersededBy != w.by || f.Part != w.part {
			t.Errorf("%s: role %q by %q part %d, want %q by %q part %d", p, f.Role, f.SupersededBy, f.Part, w.role, w.by, w.part)
		}
	}
	if d := got["2281/kaa_individer_2021-01-31.csv"].ExportDate.Format("2006-01-02"); d != "2021-01-31" {
		t.Errorf("export date %s", d)
	}
	for i := 1; i < len(files); i++ {
		if files[i-1].Path >= files[i].Path {
			t.Errorf("files not in path order: %s before %s", files[i-1].Path, files[i].Path)
		}
	}
	for _, k := range kommuner {
		if k.Code == "2281" && strings.Join(k.Skipped, ",") != ".DS_Store,README.md" {
			t.Errorf("2281 skipped %q, want .DS_Store and README.md", k.Skipped)
		}
	}
}

// TestRoleProblems: a folder with both dated exports and parts of a kind,
// two latest dated exports of the same date, or a dated name with an
// impossible date cannot be read as meant: each is an input error naming
// every file involved, all gathered.
func TestRoleProblems(t *testing.T) {
	dir := writeInputs(t, map[string]string{
		"2281/kaa_individer.csv":            "a\n",
		"2281/kaa_individer_2021-03-31.csv": "b\n",
		"2281/deltagare_2021-03-31.csv":     "c\n",
		"2281/DELTAGARE_2021-03-31.csv":     "d\n",
		"2281/deltagare_2021-01-31.csv":     "e\n",
		"2281/grundskolor_2021-02-30.csv":   "f\n",
		"2281/kaa_atgarder_del1.csv":        "g\n",
		"2281/kaa_atgarder_del2.csv":        "h\n",
	})
	_, _, err := Scan(dir)
	if err == nil {
		t.Fatal("no error")
	}
	msg := err.Error()
	for _, want := range []string{
		filepath.Join(dir, "2281", "kaa_individer.csv") + ", " + filepath.Join(dir, "2281", "kaa_individer_2021-03-31.csv") +
			": both dated full exports (kaa_individer_YYYY-MM-DD.csv) and parts (any other name) of kaa_individer in one kommun folder",
		filepath.Join(dir, "2281", "DELTAGARE_2021-03-31.csv") + ", " + filepath.Join(dir, "2281", "deltagare_2021-03-31.csv") +
			": dated full exports of deltagare with the same latest date",
		filepath.Join(dir, "2281", "grundskolor_2021-02-30.csv") + ": the name ends in 2021-02-30, which is not a date",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "kaa_atgarder") || strings.Contains(msg, "deltagare_2021-01-31") {
		t.Errorf("error names files that are fine:\n%s", msg)
	}
}

// TestIDFollowsProfile: a file's ID, under which its rows are cached,
// changes when the kommun's mapping profile changes, and only then; the
// other kommun's files keep theirs.
func TestIDFollowsProfile(t *testing.T) {
	dir := writeInputs(t, map[string]string{
		"2281/kaa_individer.csv": "a\n",
		"2262/kaa_individer.csv": "a\n",
	})
	ids := func() map[string]string {
		t.Helper()
		_, files, err := Scan(dir)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, f := range files {
			out[f.Path] = f.ID
		}
		return out
	}
	first := ids()
	if first["2281/kaa_individer.csv"] == first["2262/kaa_individer.csv"] {
		t.Error("the same bytes in two kommuner share an ID")
	}
	if again := ids(); again["2281/kaa_individer.csv"] != first["2281/kaa_individer.csv"] {
		t.Error("the ID changed without any change")
	}
	prof := filepath.Join(dir, "2281", "mapping.toml")
	if err := os.WriteFile(prof, []byte("[kaa_individer.columns]\nPersonnummer = \"Pnr\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	second := ids()
	if second["2281/kaa_individer.csv"] == first["2281/kaa_individer.csv"] {
		t.Error("a new mapping profile left the ID as it was")
	}
	if second["2262/kaa_individer.csv"] != first["2262/kaa_individer.csv"] {
		t.Error("another kommun's profile changed this kommun's ID")
	}
	if err := os.WriteFile(prof, []byte("[kaa_individer.columns]\nPersonnummer = \"PNR\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if third := ids(); third["2281/kaa_individer.csv"] == second["2281/kaa_individer.csv"] {
		t.Error("an edited mapping profile left the ID as it was")
	}
}

// TestSymlinkedKommunFolder: a kommun folder that is a symlink to a folder
// is read as that folder; one to nothing is named as such, not as "not a
// kommun folder".
func TestSymlinkedKommunFolder(t *testing.T) {
	elsewhere := writeInputs(t, map[string]string{"2281/extens_2021-03-01.csv": "f\n"})
	dir := writeInputs(t, map[string]string{"2262/kaa_atgarder.csv": "c\n"})
	if err := os.Symlink(filepath.Join(elsewhere, "2281"), filepath.Join(dir, "2281")); err != nil {
		t.Fatal(err)
	}
	kommuner, files, err := Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(kommuner) != 2 || byPath(files)["2281/extens_2021-03-01.csv"].Kind.Name != "extens" {
		t.Errorf("kommuner %v, files %v: the symlinked 2281 was not read", kommuner, files)
	}

	if err := os.Symlink(filepath.Join(elsewhere, "0180"), filepath.Join(dir, "0180")); err != nil {
		t.Fatal(err)
	}
	_, _, err = Scan(dir)
	if err == nil || !strings.Contains(err.Error(), "0180: a symlink to nothing that can be read") {
		t.Errorf("dangling symlink: %v", err)
	}
}
