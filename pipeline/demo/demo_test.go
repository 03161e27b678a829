package demo

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
)

// small is a quick run with every kind of file and the bad rows.
func small() Options {
	return Options{Kommuner: 2, Years: 1, End: DefaultEnd, Seed: 7, Scale: 0.3, BadRows: true}
}

// readTree returns every file under dir by its slash path relative to dir.
func readTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	sa, err := generate(a, small(), 4)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := generate(b, small(), 1) // other parallelism, same bytes
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sa) != fmt.Sprint(sb) || !slices.Equal(sa.BadRows, sb.BadRows) {
		t.Errorf("stats differ:\n%v\n%v", sa, sb)
	}
	fa, fb := readTree(t, a), readTree(t, b)
	if len(fa) != len(fb) {
		t.Fatalf("%d files vs %d", len(fa), len(fb))
	}
	for name, x := range fa {
		if !bytes.Equal(x, fb[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
	other := small()
	other.Seed++
	c := t.TempDir()
	if _, err := Generate(c, other); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(fa["2281/kaa_individer.csv"], readTree(t, c)["2281/kaa_individer.csv"]) {
		t.Error("another seed gave the same register")
	}
}

// row is one data row of a generated file.
type row struct {
	file   string
	line   int
	fields map[string]string
}

// parseFile decodes a generated file (BOM, Windows-1252, delimiter) into
// its header and rows.
func parseFile(t *testing.T, name string, b []byte) ([]string, []row) {
	t.Helper()
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	if !utf8.Valid(b) {
		d, err := charmap.Windows1252.NewDecoder().Bytes(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b = d
	}
	lines := strings.Split(strings.TrimSuffix(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n"), "\n")
	delim := ";"
	if !strings.Contains(lines[0], ";") && strings.Contains(lines[0], ",") {
		delim = ","
	}
	header := strings.Split(lines[0], delim)
	var rows []row
	for i, l := range lines[1:] {
		f := strings.Split(l, delim)
		if len(f) != len(header) {
			t.Fatalf("%s:%d: %d fields, header has %d", name, i+2, len(f), len(header))
		}
		m := map[string]string{}
		for j, h := range header {
			m[h] = f[j]
		}
		rows = append(rows, row{name, i + 2, m})
	}
	return header, rows
}

// checkPnr validates a personnummer independently of the generator:
// shape, calendar date (samordningsnummer: day − 60) and Luhn digit.
func checkPnr(s string) string {
	digits := strings.NewReplacer("-", "", "+", "").Replace(s)
	switch {
	case len(digits) != 10 && len(digits) != 12:
		return RulePersonnummer
	case strings.Trim(digits, "0123456789") != "":
		return RulePersonnummer
	}
	if len(digits) == 12 {
		digits = digits[2:]
	}
	m, _ := strconv.Atoi(digits[2:4])
	d, _ := strconv.Atoi(digits[4:6])
	if d > 60 {
		d -= 60
	}
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return RulePersonnummer
	}
	sum := 0
	for i := 0; i < 9; i++ {
		v := int(digits[i]-'0') * (2 - i%2)
		sum += v/10 + v%10
	}
	if (10-sum%10)%10 != int(digits[9]-'0') {
		return RuleCheckDigit
	}
	return ""
}

func TestLuhn(t *testing.T) {
	// Skatteverket's example number 811218-9876.
	d := [9]byte{8, 1, 1, 2, 1, 8, 9, 8, 7}
	if c := luhn(&d); c != 6 {
		t.Errorf("luhn(811218987) = %d, want 6", c)
	}
	p := pnr{birth: mkday(1981, 12, 18), serial: 987}
	for f, want := range map[pnrFormat]string{fmtLong: "19811218-9876", fmtShort: "811218-9876", fmtDigits: "198112189876"} {
		if got := string(p.appendTo(nil, f, false)); got != want {
			t.Errorf("format %d: %s, want %s", f, got, want)
		}
	}
	p.samordning = true
	if got := string(p.appendTo(nil, fmtLong, false)); got != "19811278-987"+string('0'+p.check()) || checkPnr(got) != "" {
		t.Errorf("samordningsnummer %s", got)
	}
}

func TestDays(t *testing.T) {
	for tm := time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC); tm.Year() < 2101; tm = tm.AddDate(0, 0, 1) {
		d := dayOf(tm)
		if int64(d) != tm.Unix()/86400 {
			t.Fatalf("%s: day %d", tm.Format("2006-01-02"), d)
		}
		if y, m, dd := d.civil(); y != tm.Year() || m != int(tm.Month()) || dd != tm.Day() {
			t.Fatalf("%s: civil %d-%d-%d", tm.Format("2006-01-02"), y, m, dd)
		}
		if d.weekday() != (int(tm.Weekday())+6)%7 {
			t.Fatalf("%s: weekday %d", tm.Format("2006-01-02"), d.weekday())
		}
	}
	leapling := mkday(2004, 2, 29)
	for _, c := range []struct {
		on   day
		want int
	}{{mkday(2020, 2, 28), 15}, {mkday(2020, 2, 29), 16}, {mkday(2021, 2, 28), 16}, {mkday(2021, 3, 1), 17}} {
		if a := age(leapling, c.on); a != c.want {
			t.Errorf("age on %s = %d, want %d", c.on, a, c.want)
		}
	}
	if b := birthday(leapling, 17); b != mkday(2021, 3, 1) {
		t.Errorf("17th birthday %s", b)
	}
}

// TestContract checks every generated file against the contract package
// (the columns and codes of inputs.md): headers, personnummer with valid
// Luhn digits, codes, dates and numbers — and that the rows that break a
// rule are exactly the deliberately bad rows.
func TestContract(t *testing.T) {
	dir := t.TempDir()
	opt := small()
	st, err := Generate(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]string{} // "file:line" → rule
	note := func(r row, rule string) {
		key := r.file + ":" + strconv.Itoa(r.line)
		if _, dup := found[key]; !dup {
			found[key] = rule
		}
	}
	files := readTree(t, dir)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	seenKinds := map[string]map[string]bool{}
	kindFiles, kindRows := map[string]int{}, map[string]int64{}
	rejected := map[string]bool{} // "file:line" of the rows contract.Validate refuses
	for _, name := range names {
		kod, base := filepath.Split(name)
		kod = strings.TrimSuffix(kod, "/")
		kind, ok := contract.Classify(base)
		if !ok {
			t.Errorf("%s: not a file kind of the contract", name)
			continue
		}
		if seenKinds[kod] == nil {
			seenKinds[kod] = map[string]bool{}
		}
		seenKinds[kod][kind.Name] = true
		header, rows := parseFile(t, name, files[name])
		for _, c := range kind.Columns {
			if !slices.Contains(header, c.Name) {
				t.Errorf("%s: no column %s", name, c.Name)
			}
		}
		kindFiles[kind.Name]++
		kindRows[kind.Name] += int64(len(rows))
		var extract day
		var extractDate time.Time
		if kind.Name == "extens" {
			tm, err := time.Parse("2006-01-02", strings.TrimSuffix(strings.TrimPrefix(base, "extens_"), ".csv"))
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			extract, extractDate = dayOf(tm), tm
		}
		v := contract.NewValidator(kind, extractDate)
		for _, r := range rows {
			values := make([]string, len(kind.Columns))
			for i, c := range kind.Columns {
				values[i] = r.fields[c.Name]
			}
			if len(v.Validate(values)) > 0 {
				rejected[r.file+":"+strconv.Itoa(r.line)] = true
			}
			for _, c := range kind.Columns {
				v := r.fields[c.Name]
				if v == "" {
					if c.NotBlank {
						t.Errorf("%s:%d: %s is blank", name, r.line, c.Name)
					}
					continue
				}
				switch c.Type {
				case contract.Personnummer:
					if rule := checkPnr(v); rule != "" {
						note(r, rule)
					}
				case contract.Code:
					if !slices.Contains(c.Codes, v) {
						note(r, RuleCode)
					}
				case contract.Date:
					if _, err := time.Parse("2006-01-02", v); err != nil {
						note(r, RuleDate)
					}
				case contract.Int:
					n, err := strconv.Atoi(v)
					if err != nil || (c.Positive && n <= 0) {
						if kind.Name == "tidsstudie" && c.Name == "Minuter" {
							note(r, RuleMinutes)
						} else {
							t.Errorf("%s:%d: %s=%q", name, r.line, c.Name, v)
						}
					}
				case contract.Decimal:
					if _, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64); err != nil {
						t.Errorf("%s:%d: %s=%q", name, r.line, c.Name, v)
					}
				case contract.Bool:
					if v != "J" && v != "N" {
						t.Errorf("%s:%d: %s=%q", name, r.line, c.Name, v)
					}
				case contract.Postnummer:
					if len(strings.ReplaceAll(v, " ", "")) != 5 {
						t.Errorf("%s:%d: %s=%q", name, r.line, c.Name, v)
					}
				}
			}
			if kind.Name == "extens" {
				if a := r.fields["Avgangsdatum"]; a != "" {
					if tm, err := time.Parse("2006-01-02", a); err == nil && dayOf(tm) > extract {
						note(r, RuleAvgang)
					}
				}
				if k := r.fields["Kon"]; k != "" && checkPnr(r.fields["Personnummer"]) == "" {
					digits := strings.ReplaceAll(r.fields["Personnummer"], "-", "")
					male := (digits[len(digits)-2]-'0')%2 == 1
					if male != (k == "M") {
						t.Errorf("%s:%d: Kon %s does not match the personnummer", name, r.line, k)
					}
				}
			}
		}
	}
	for kod, kinds := range seenKinds {
		for _, k := range contract.Kinds() {
			if !kinds[k.Name] {
				t.Errorf("%s: no %s file", kod, k.Name)
			}
		}
	}
	for _, k := range contract.Kinds() {
		if st.Files[k.Name] != kindFiles[k.Name] || st.Rows[k.Name] != kindRows[k.Name] {
			t.Errorf("%s: Stats say %d files, %d rows; the contract classifies %d files, %d rows as %s",
				k.Name, st.Files[k.Name], st.Rows[k.Name], kindFiles[k.Name], kindRows[k.Name], k.Name)
		}
	}
	if !slices.Equal(slices.Sorted(slices.Values(Kinds)), slices.Sorted(slices.Values(contractNames()))) {
		t.Errorf("demo kinds %v, the contract's %v", Kinds, contractNames())
	}
	want := map[string]string{}
	for _, b := range st.BadRows {
		want[b.File+":"+strconv.Itoa(b.Line)] = b.Rule
	}
	for k := range want {
		if !rejected[k] {
			t.Errorf("bad row %s: contract.Validate accepts it", k)
		}
	}
	for k := range rejected {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: contract.Validate rejects it, but it is not listed as a bad row", k)
		}
	}
	if len(st.BadRows) != 8 {
		t.Errorf("%d bad rows, want 8: %v", len(st.BadRows), st.BadRows)
	}
	for k, rule := range found {
		if want[k] != rule {
			t.Errorf("%s breaks %q but is not listed as a bad row (%q)", k, rule, want[k])
		}
	}
	for k, rule := range want {
		if found[k] != rule {
			t.Errorf("bad row %s (%s) was not found (%q)", k, rule, found[k])
		}
		if !strings.HasPrefix(k, "2281/") {
			t.Errorf("bad row %s outside the first kommun", k)
		}
	}
}

func TestEncodings(t *testing.T) {
	dir := t.TempDir()
	if _, err := Generate(dir, Options{Years: 1, Scale: 0.1}); err != nil {
		t.Fatal(err)
	}
	files := readTree(t, dir)
	om := files["2281/omraden.csv"]
	if utf8.Valid(om) || !bytes.Contains(om, []byte("Aln\xf6\r\n")) {
		t.Errorf("omraden.csv is not Windows-1252 with CRLF: %q", om[:min(len(om), 80)])
	}
	gs := files["2281/grundskolor.csv"]
	if !bytes.HasPrefix(gs, []byte("\uFEFFSkola,Huvudman,Ar,Sistaarselever\n")) {
		t.Errorf("grundskolor.csv has no BOM or is not comma-separated: %q", gs[:min(len(gs), 60)])
	}
	for name, b := range files {
		if name != "2281/omraden.csv" && !utf8.Valid(b) {
			t.Errorf("%s is not UTF-8", name)
		}
	}
}

// TestSundsvall checks the reference data of 2281 against the seed report
// and the demo's planted cases.
func TestSundsvall(t *testing.T) {
	dir := t.TempDir()
	st, err := Generate(dir, Options{Years: 2, Scale: 0.5, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(st.BadRows) != 0 {
		t.Errorf("bad rows without BadRows: %v", st.BadRows)
	}
	if st.Files["extens"] != 104 || st.Files["gruus"] != 3 {
		t.Errorf("files: %v", st.Files)
	}
	files := readTree(t, dir)
	_, schools := parseFile(t, "grundskolor", files["2281/grundskolor.csv"])
	total, kommunal, fri := 0, 0, 0
	for _, r := range schools {
		if r.fields["Ar"] == "2020" {
			n, _ := strconv.Atoi(r.fields["Sistaarselever"])
			total += n
			if r.fields["Huvudman"] == "KOMMUNAL" {
				kommunal++
			} else {
				fri++
			}
		}
	}
	if total != 1184 || kommunal != 9 || fri != 7 {
		t.Errorf("2020: %d pupils, %d kommunala, %d fristående; want 1184, 9, 7", total, kommunal, fri)
	}
	_, aliases := parseFile(t, "skolalias", files["2281/skolalias.csv"])
	names := map[string]bool{}
	for _, r := range schools {
		names[r.fields["Skola"]] = true
	}
	for _, a := range aliases {
		if !names[a.fields["Skola"]] {
			t.Errorf("alias %s → %s: no such school", a.fields["Alias"], a.fields["Skola"])
		}
	}

	// The skyddade: three persons, one marked J in a single extract only,
	// all in the KAA register.
	skydd := map[string]int{} // personnummer → extracts marked J
	rowsOf := map[string]int{}
	grund := map[string]int{}
	for name, b := range files {
		if !strings.HasPrefix(name, "2281/extens_") {
			continue
		}
		_, rows := parseFile(t, name, b)
		for _, r := range rows {
			pn := canonical(r.fields["Personnummer"])
			rowsOf[pn]++
			if r.fields["Skyddad"] == "J" {
				skydd[pn]++
			}
			switch g := r.fields["Grundskola"]; {
			case g == "":
				grund["blank"]++
			case names[g]:
				grund["listed"]++
			case slices.ContainsFunc(aliases, func(a row) bool { return a.fields["Alias"] == g }):
				grund["alias"]++
			default:
				grund["external"]++
			}
		}
	}
	once := 0
	_, individer := parseFile(t, "kaa_individer", files["2281/kaa_individer.csv"])
	_, deltagare := parseFile(t, "deltagare", files["2281/deltagare.csv"])
	inRegister := func(rows []row, pn string) bool {
		return slices.ContainsFunc(rows, func(r row) bool { return canonical(r.fields["Personnummer"]) == pn })
	}
	inProject := 0
	for pn, n := range skydd {
		if n == 1 && rowsOf[pn] > 1 {
			once++
		} else if n != rowsOf[pn] {
			t.Errorf("a skyddad person is marked in %d of %d extracts", n, rowsOf[pn])
		}
		if !inRegister(individer, pn) {
			t.Error("a skyddad person is not in kaa_individer")
		}
		if inRegister(deltagare, pn) {
			inProject++
		}
	}
	if len(skydd) != 3 || once != 1 || inProject < 2 {
		t.Errorf("%d skyddade, %d marked once, %d participants; want 3, 1, ≥2", len(skydd), once, inProject)
	}
	all := grund["blank"] + grund["listed"] + grund["alias"] + grund["external"]
	t.Logf("grundskola in extens rows: %v", grund)
	if grund["alias"] == 0 || grund["external"]*100 < all || grund["external"]*100 > 8*all || grund["blank"]*100 < 6*all || grund["blank"]*100 > 16*all {
		t.Errorf("grundskola mix off: %v", grund)
	}
}

// canonical returns the 12-digit form of a generated personnummer.
func canonical(s string) string {
	d := strings.ReplaceAll(s, "-", "")
	if len(d) == 10 {
		d = "20" + d // the demo's youths are born after 1990…
		if d[2] == '9' {
			d = "19" + d[2:]
		}
	}
	return d
}

func TestTwoKommuner(t *testing.T) {
	dir := t.TempDir()
	st, err := Generate(dir, Options{Kommuner: 2, Years: 1, Scale: 0.2, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(st.Kommuner, []string{"2281", "2262"}) {
		t.Errorf("kommuner %v", st.Kommuner)
	}
	for _, kod := range st.Kommuner {
		entries, err := os.ReadDir(filepath.Join(dir, kod))
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 52+3+9 { // extracts, three läsår of GRUUS (2018/19–2020/21), the other nine kinds
			t.Errorf("%s: %d files", kod, len(entries))
		}
	}
	if st.Files["extens"] != 104 || st.Rows["extens"] == 0 || st.Rows["kaa_individer"] == 0 {
		t.Errorf("stats %v", st)
	}
	files := readTree(t, dir)
	if !bytes.Contains(files["2262/grundskolor.csv"], []byte("Skola 1,")) || !bytes.Contains(files["2262/omraden.csv"], []byte(";Omr\xe5de A\r\n")) {
		t.Error("2262 lacks generic school or område names")
	}
	var total int64
	for _, b := range files {
		total += int64(len(b))
	}
	if total != st.Bytes {
		t.Errorf("Stats.Bytes %d, files %d", st.Bytes, total)
	}
	// a second run into the same folder must refuse
	if _, err := Generate(dir, Options{Kommuner: 1, Years: 1, Scale: 0.2}); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("generate into a full folder: %v", err)
	}
}

func TestOptions(t *testing.T) {
	for _, o := range []Options{{Kommuner: -1}, {Kommuner: maxKommuner + 1}, {Years: -1}, {Years: 21}, {Scale: -1}, {End: time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)}} {
		if _, err := Generate(t.TempDir(), o); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	specs := kommunSpecs(290, 1)
	seen := map[string]bool{}
	for _, s := range specs {
		if len(s.kod) != 4 || strings.Trim(s.kod, "0123456789") != "" || seen[s.kod] || s.sizePct < 1 {
			t.Errorf("kommun %+v", s)
		}
		seen[s.kod] = true
	}
	if specs[0].kod != "2281" || specs[0].sizePct != 100 {
		t.Errorf("first kommun %+v", specs[0])
	}
}

// BenchmarkGenerate writes four kommuner with a year of weekly extracts
// (the benchmark of the pipeline uses 290 kommuner and three years).
func BenchmarkGenerate(b *testing.B) {
	base := b.TempDir()
	opt := Options{Kommuner: 4, Years: 1, Seed: 1, Scale: 1}
	var st Stats
	i := 0
	start := time.Now()
	for b.Loop() {
		dir := filepath.Join(base, strconv.Itoa(i))
		var err error
		if st, err = Generate(dir, opt); err != nil {
			b.Fatal(err)
		}
		os.RemoveAll(dir)
		i++
	}
	sec := time.Since(start).Seconds()
	b.ReportMetric(float64(st.Rows["extens"])*float64(i)/sec, "extens-rows/s")
	b.ReportMetric(float64(st.Bytes)*float64(i)/sec/1e6, "MB/s")
}

// TestWriteFixtures regenerates the committed fixtures when
// KAA_WRITE_FIXTURES=1:
//
//	KAA_WRITE_FIXTURES=1 go test ./pipeline/demo/ -run TestWriteFixtures -v
//
// fixtures/inputs is DemoOptions, fixtures/region is RegionOptions,
// fixtures/vendor is VendorOptions.
func TestWriteFixtures(t *testing.T) {
	if os.Getenv("KAA_WRITE_FIXTURES") != "1" {
		t.Skip("set KAA_WRITE_FIXTURES=1 to rewrite fixtures/inputs, fixtures/region and fixtures/vendor")
	}
	root := filepath.Join("..", "..", "fixtures")
	for _, c := range []struct {
		dir string
		opt Options
	}{{"inputs", DemoOptions()}, {"region", RegionOptions()}, {"vendor", VendorOptions()}} {
		dir := filepath.Join(root, c.dir)
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		st, err := Generate(dir, c.opt)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %v", c.dir, st)
		for _, b := range st.BadRows {
			t.Logf("  bad row %s:%d %s (%s %q)", b.File, b.Line, b.Rule, b.Field, b.Value)
		}
	}
}

func contractNames() []string {
	var out []string
	for _, k := range contract.Kinds() {
		out = append(out, k.Name)
	}
	return out
}
