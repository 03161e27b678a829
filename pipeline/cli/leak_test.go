package cli

import (
	"database/sql"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
)

// strayNumber returns the n-th synthetic personnummer as its 12 digits
// YYYYMMDDNNNC: born 2003-2005, check digit computed here.
func strayNumber(n int) string {
	d := time.Date(2003, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n/50)
	nine := d.Format("060102") + fmt.Sprintf("%03d", 100+n%50*7%900)
	sum := 0
	for i, c := range nine {
		v := int(c - '0')
		if i%2 == 0 {
			v *= 2
		}
		sum += v/10 + v%10
	}
	return d.Format("2006") + nine[2:] + fmt.Sprint((10-sum%10)%10)
}

// forms writes a 12-digit number in one of the ways a person may type it
// into a text column.
var forms = []func(d string) string{
	func(d string) string { return d },
	func(d string) string { return d[:8] + "-" + d[8:] },
	func(d string) string { return d[:8] + " " + d[8:] },
	func(d string) string { return d[:8] + "\u2013" + d[8:] },
	func(d string) string { return d[:8] + "\u00a0" + d[8:] },
	func(d string) string { return d[2:] },
	func(d string) string { return d[2:8] + "-" + d[8:] },
	func(d string) string { return d[2:8] + "+" + d[8:] },
	func(d string) string { return d[2:8] + " " + d[8:] },
	func(d string) string { return d[2:8] + "\u2013" + d[8:] },
	func(d string) string { return d[2:8] + "\u00a0" + d[8:] },
	func(d string) string { return "Ring " + d[:8] + "-" + d[8:] + " efter lunch" },
}

// goodValue is a valid value of a column for filler row i.
func goodValue(k contract.Kind, c contract.Column, i int) string {
	switch c.Type {
	case contract.Personnummer:
		return strayNumber(i)
	case contract.Code:
		return c.Codes[0]
	case contract.Date:
		switch c.Name {
		case "Avgangsdatum", "Avaktualiserad", "Utskriven", "Slut", "Rapportdatum":
			return ""
		case "Datum":
			if k.Name == "tidsstudie" {
				return "2021-02-01"
			}
		}
		return "2020-09-01"
	case contract.Bool:
		return "N"
	case contract.Int:
		switch c.Name {
		case "Ar":
			return "2020"
		case "Alder":
			return "17"
		}
		return "30"
	case contract.Decimal:
		return "1,5"
	case contract.Postnummer:
		return fmt.Sprintf("8%04d", i)
	}
	if c.Name == "Skola" && k.Name == "skolalias" {
		return fmt.Sprintf("Skola %d", i)
	}
	return fmt.Sprintf("%s %d", c.Name, i)
}

// strayInputs writes, for every kind, a file whose every text column
// (free text, names, postnummer) holds a synthetic personnummer in one of
// the written forms in one row each, among valid rows; and a kaa_atgarder
// file (no text column) whose Atgard code and Start date do. It returns
// the numbers (12 digits) with the file, line and column they sit in.
func strayInputs(t *testing.T, dir string) map[string][3]string {
	t.Helper()
	kdir := filepath.Join(dir, "2281")
	if err := os.MkdirAll(kdir, 0o755); err != nil {
		t.Fatal(err)
	}
	planted := map[string][3]string{}
	n := 1000 // numbers planted are strayNumber(1000...), fillers strayNumber(0...)
	for _, k := range contract.Kinds() {
		var bad []int // column indexes to plant in
		for i, c := range k.Columns {
			if c.Type == contract.Text || c.Type == contract.Postnummer || (k.Name == "kaa_atgarder" && (c.Name == "Atgard" || c.Name == "Start")) {
				bad = append(bad, i)
			}
		}
		if len(bad) == 0 {
			continue
		}
		name := k.Name + ".csv"
		switch k.Name {
		case "extens":
			name = "extens_2021-03-01.csv"
		case "gruus":
			name = "gruus_2020-21.csv"
		case "tidsstudie":
			name = "tidsstudie_2021-02.csv"
		}
		var b strings.Builder
		b.WriteString(strings.Join(k.Names(), ";") + "\n")
		line := 1
		row := 0
		for _, ci := range bad {
			// 60 valid rows per planted one: a file's reject share stays low
			for j := 0; j < 60; j++ {
				vals := make([]string, len(k.Columns))
				for i, c := range k.Columns {
					vals[i] = goodValue(k, c, row)
				}
				b.WriteString(strings.Join(vals, ";") + "\n")
				line++
				row++
			}
			vals := make([]string, len(k.Columns))
			for i, c := range k.Columns {
				vals[i] = goodValue(k, c, row)
			}
			d := strayNumber(n)
			vals[ci] = forms[n%len(forms)](d)
			n++
			b.WriteString(strings.Join(vals, ";") + "\n")
			line++
			row++
			planted[d] = [3]string{"2281/" + name, fmt.Sprint(line), k.Columns[ci].Name}
		}
		if err := os.WriteFile(filepath.Join(kdir, name), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return planted
}

// separators are what may stand between a number's parts.
var separators = strings.NewReplacer("-", "", "+", "", " ", "", "\t", "", "\u00a0", "", "\u202f", "", "\u2009", "", "\u2212", "",
	"\u2010", "", "\u2011", "", "\u2012", "", "\u2013", "", "\u2014", "", "\u2015", "")

// holds reports whether text holds the number (its last ten digits) in
// any written form.
func holds(text, digits string) bool {
	return strings.Contains(separators.Replace(text), digits[2:])
}

// TestStrayPersonnummerNeverSurvivesIngest: a personnummer typed into any
// text column of any kind (free text, school and område names, postnummer),
// in any written form, rejects its row with a rule naming the column; the
// value is masked in rejects.csv; and the number occurs in no DuckDB table
// (read through DuckDB), no published or staff file and not in the log.
// Codes and dates holding one are rejected by their own rule, masked too.
func TestStrayPersonnummerNeverSurvivesIngest(t *testing.T) {
	dir := t.TempDir()
	inputs := filepath.Join(dir, "inputs")
	planted := strayInputs(t, inputs)
	if len(planted) < 15 {
		t.Fatalf("only %d numbers planted", len(planted))
	}
	out := filepath.Join(dir, "out")
	db := filepath.Join(dir, "kaa.duckdb")
	r := kaa(t, "run", "-v", "--inputs", inputs, "--db", db, "--out", out, "--as-of", "2021-03-31", "--key-file", writeKey(t, dir))
	if r.code != ExitOK {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	rejects, err := os.ReadFile(filepath.Join(out, "rejects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	for d, where := range planted {
		rule := ruleFor(where[2])
		want := fmt.Sprintf("%s;%s;%s;%s;***\r\n", where[0], where[1], rule, where[2])
		if !strings.Contains(string(rejects), want) {
			t.Errorf("%s line %s (%s): no reject %q", where[0], where[1], where[2], want)
		}
		if holds(r.stdout+r.stderr, d) {
			t.Errorf("log holds the number planted in %s %s", where[0], where[2])
		}
	}
	for _, folder := range []string{out, filepath.Join(dir, "kaa-personal")} {
		filepath.WalkDir(folder, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			for d, where := range planted {
				if holds(string(b), d) {
					t.Errorf("%s holds the number planted in %s %s", p, where[0], where[2])
				}
			}
			return nil
		})
	}
	conn, err := sql.Open("duckdb", db+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`select table_name, column_name from information_schema.columns where data_type = 'VARCHAR' order by all`)
	if err != nil {
		t.Fatal(err)
	}
	var cols [][2]string
	for rows.Next() {
		var c [2]string
		rows.Scan(&c[0], &c[1])
		cols = append(cols, c)
	}
	rows.Close()
	for _, c := range cols {
		vals, err := conn.Query(fmt.Sprintf(`select distinct "%s" from "%s" where "%s" is not null`, c[1], c[0], c[1]))
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for vals.Next() {
			var v string
			vals.Scan(&v)
			b.WriteString(v + "\n")
		}
		vals.Close()
		for d, where := range planted {
			if holds(b.String(), d) {
				t.Errorf("database %s.%s holds the number planted in %s %s", c[0], c[1], where[0], where[2])
			}
		}
	}
	// the filler rows are loaded: only the planted rows are rejected
	var loaded int
	if err := conn.QueryRow(`select count(*) from raw_kaa_individer`).Scan(&loaded); err != nil || loaded == 0 {
		t.Errorf("raw_kaa_individer: %d rows, %v", loaded, err)
	}
}

// ruleFor is the rule a planted value breaks in a column.
func ruleFor(column string) string {
	switch column {
	case "Atgard":
		return "unknown code"
	case "Start":
		return "bad date"
	}
	return ruleStray
}

// ruleStray is the reject rule for a personnummer outside its column (as
// pipeline/ingest writes it).
const ruleStray = "personnummer outside the Personnummer column"

// TestNotARegularFileStops: a FIFO, a device (a symlink to /dev/zero), a
// socket or a name that is not valid UTF-8 in the inputs folder stops the
// run with exit 3 naming it, at once: nothing blocks on opening it.
func TestNotARegularFileStops(t *testing.T) {
	cases := map[string]struct {
		make func(t *testing.T, kdir string) string // returns the name the message must hold
	}{
		"fifo": {func(t *testing.T, kdir string) string {
			p := filepath.Join(kdir, "kaa_individer.csv")
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Skip("no FIFOs here:", err)
			}
			return p
		}},
		"device": {func(t *testing.T, kdir string) string {
			p := filepath.Join(kdir, "extens_2021-03-01.csv")
			if err := os.Symlink("/dev/zero", p); err != nil {
				t.Fatal(err)
			}
			return p
		}},
		"socket": {func(t *testing.T, kdir string) string {
			p := filepath.Join(kdir, "gruus_2020-21.csv")
			l, err := net.Listen("unix", p)
			if err != nil {
				t.Skip("no unix sockets here:", err)
			}
			t.Cleanup(func() { l.Close() })
			return p
		}},
		"mapping fifo": {func(t *testing.T, kdir string) string {
			p := filepath.Join(kdir, "mapping.toml")
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				t.Skip("no FIFOs here:", err)
			}
			return p
		}},
		"not utf-8": {func(t *testing.T, kdir string) string {
			p := filepath.Join(kdir, "kaa_individer_\xff\xfe.csv")
			if err := os.WriteFile(p, []byte("Personnummer;Aktualiserad\n"), 0o644); err != nil {
				t.Skip("the file system refuses the name:", err)
			}
			return fmt.Sprintf("%q", p)
		}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			dir, _ := filepath.EvalSymlinks(t.TempDir())
			kdir := filepath.Join(dir, "inputs", "2281")
			if err := os.MkdirAll(kdir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(kdir, "deltagare.csv"), []byte("Personnummer;Inskriven\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			want := c.make(t, kdir)
			done := make(chan result, 1)
			go func() {
				done <- kaa(t, "run", "--inputs", filepath.Join(dir, "inputs"), "--db", filepath.Join(dir, "kaa.duckdb"),
					"--out", filepath.Join(dir, "out"), "--as-of", "2021-03-31", "--key-file", writeKey(t, dir))
			}()
			select {
			case r := <-done:
				if r.code != ExitInput || !strings.Contains(r.stderr, want) {
					t.Errorf("exit %d, want %d naming %s\n%s", r.code, ExitInput, want, r.stderr)
				}
				if !strings.Contains(name, "utf") && !strings.Contains(r.stderr, "regular file") {
					t.Errorf("the message does not say why: %s", r.stderr)
				}
				if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
					t.Error("something was published")
				}
			case <-time.After(60 * time.Second):
				t.Fatal("the run did not stop within a minute: it blocks on the file")
			}
		})
	}
}
