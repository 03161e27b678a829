package cli

import (
	"database/sql"
	"encoding/csv"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
	"github.com/kaa-uppfoljning/kaa/pipeline/personnummer"
)

// secrets are the values of the demo inputs that must never leave ingest:
// every personnummer in each written form, every value of a column outside
// the contract (names, addresses, phone numbers), and the pseudonyms of the
// skyddade persons.
type secrets struct {
	numbers map[string]bool // ten-digit cores YYMMDDNNNC
	strings []string        // names, addresses, phones (≥ 4 characters)
	hidden  map[string]bool // pseudonyms of skyddade persons
}

func collectSecrets(t *testing.T, inputs string) secrets {
	t.Helper()
	s := secrets{numbers: map[string]bool{}, hidden: map[string]bool{}}
	pseudo, err := personnummer.NewPseudonymizer([]byte(testKey))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	err = filepath.WalkDir(inputs, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".csv") {
			return err
		}
		kind, ok := contract.Classify(p)
		if !ok {
			return nil
		}
		known := map[string]bool{}
		for _, n := range kind.Names() {
			known[strings.ToLower(n)] = true
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		text := strings.TrimPrefix(string(b), "\ufeff")
		r := csv.NewReader(strings.NewReader(text))
		r.Comma = ';'
		if !strings.Contains(strings.SplitN(text, "\n", 2)[0], ";") {
			r.Comma = ','
		}
		r.FieldsPerRecord = -1
		rows, err := r.ReadAll()
		if err != nil || len(rows) == 0 {
			return nil // files that are not valid CSV are covered by the reject tests
		}
		header := rows[0]
		for _, row := range rows[1:] {
			skyddad := false
			var num personnummer.Number
			parsed := false
			for i, v := range row {
				if i >= len(header) {
					break
				}
				col := strings.ToLower(strings.TrimSpace(header[i]))
				v = strings.TrimSpace(v)
				switch {
				case col == "personnummer":
					digits := strings.NewReplacer("-", "", "+", "").Replace(v)
					if len(digits) == 12 {
						digits = digits[2:]
					}
					if len(digits) == 10 {
						s.numbers[digits] = true
					}
					if n, err := personnummer.Parse(v, time.Date(2021, 3, 31, 0, 0, 0, 0, time.UTC)); err == nil {
						num, parsed = n, true
					}
				case col == "skyddad":
					skyddad = strings.EqualFold(v, "J")
				case !known[col] && len(v) >= 4 && !seen[v]:
					seen[v] = true
					s.strings = append(s.strings, v)
				}
			}
			if skyddad && parsed {
				s.hidden[pseudo.Pseudonym(num)] = true
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.numbers) == 0 || len(s.strings) == 0 || len(s.hidden) == 0 {
		t.Fatalf("the demo should have personnummer (%d), personal extra columns (%d) and skyddade (%d)", len(s.numbers), len(s.strings), len(s.hidden))
	}
	return s
}

var digitRun = regexp.MustCompile(`[0-9]{6,8}[-+]?[0-9]{4}`)

// leaks reports what of s occurs in text.
func (s secrets) leaks(text string) []string {
	var out []string
	for _, m := range digitRun.FindAllString(text, -1) {
		d := strings.NewReplacer("-", "", "+", "").Replace(m)
		if len(d) == 12 {
			d = d[2:]
		}
		if s.numbers[d] {
			out = append(out, "personnummer "+m)
		}
	}
	for _, v := range s.strings {
		if strings.Contains(text, v) {
			out = append(out, fmt.Sprintf("personal value %q", v))
		}
	}
	for h := range s.hidden {
		if strings.Contains(text, h) {
			out = append(out, "pseudonym of a skyddad person")
		}
	}
	return out
}

// TestPrivacyScan runs the demo and scans every database table (read
// through DuckDB), every published and staff file and the log for raw
// personnummer in any written form, names, addresses and phone numbers of
// the inputs, and the pseudonyms of skyddade persons: none may occur.
func TestPrivacyScan(t *testing.T) {
	dir := t.TempDir()
	root := repoRoot(t)
	s := collectSecrets(t, filepath.Join(root, "fixtures", "inputs"))
	out, r := demoRun(t, dir, "-v", "--suppress-below", "0")
	if r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, l := range s.leaks(r.stdout + r.stderr) {
		t.Errorf("log: %s", l)
	}
	for _, folder := range []string{out, filepath.Join(dir, "kaa-personal")} {
		n := 0
		filepath.WalkDir(folder, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			n++
			for _, l := range s.leaks(string(b)) {
				t.Errorf("%s: %s", p, l)
			}
			return nil
		})
		if n == 0 {
			t.Errorf("%s: nothing written to scan", folder)
		}
	}

	db, err := sql.Open("duckdb", filepath.Join(dir, "kaa.duckdb")+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`select table_name, column_name from information_schema.columns
		where data_type = 'VARCHAR' order by table_name, column_name`)
	if err != nil {
		t.Fatal(err)
	}
	type tc struct{ table, column string }
	var cols []tc
	for rows.Next() {
		var c tc
		rows.Scan(&c.table, &c.column)
		cols = append(cols, c)
	}
	rows.Close()
	if len(cols) < 20 {
		t.Fatalf("only %d text columns found in the database", len(cols))
	}
	for _, c := range cols {
		vals, err := db.Query(fmt.Sprintf(`select distinct "%s" from "%s" where "%s" is not null`, c.column, c.table, c.column))
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for vals.Next() {
			var v string
			vals.Scan(&v)
			b.WriteString(v)
			b.WriteByte('\n')
		}
		vals.Close()
		for _, l := range s.leaks(b.String()) {
			t.Errorf("database %s.%s: %s", c.table, c.column, l)
		}
	}
}
