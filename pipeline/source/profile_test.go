package source

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// testSchema is a part of the input contract, enough for the profile's
// features.
var testSchema = Schema{
	{Name: "extens", NeedsDate: true, Columns: []SchemaColumn{
		{"Personnummer", TextValue}, {"Kon", TextValue}, {"Postnummer", TextValue}, {"Skyddad", TextValue},
		{"Grundskola", TextValue}, {"Avgangsdatum", DateValue}, {"Avgangstyp", TextValue},
	}},
	{Name: "kaa_individer", Columns: []SchemaColumn{
		{"Personnummer", TextValue}, {"Aktualiserad", DateValue}, {"SenSysReg", TextValue}, {"Avaktualiserad", DateValue},
	}},
	{Name: "kaa_sysselsattning", Columns: []SchemaColumn{
		{"Personnummer", TextValue}, {"Datum", DateValue}, {"Sysselsattning", TextValue}, {"Forsorjning", TextValue},
	}},
	{Name: "omradesstatistik", Columns: []SchemaColumn{
		{"Omrade", TextValue}, {"Ar", NumberValue}, {"Befolkning", NumberValue}, {"Medianinkomst", NumberValue}, {"AndelForgymnasial", NumberValue},
	}},
}

func schemaColumns(kind string) []string {
	k, _ := testSchema.kind(kind)
	return columnNames(k)
}

func writeProfile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "mapping.toml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func loadProfile(t *testing.T, text string) Profile {
	t.Helper()
	p, err := LoadProfile(writeProfile(t, text), testSchema)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func utf16Bytes(s string, big, bom bool) []byte {
	var b bytes.Buffer
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xFEFF}, units...)
	}
	for _, u := range units {
		if big {
			binary.Write(&b, binary.BigEndian, u)
		} else {
			binary.Write(&b, binary.LittleEndian, u)
		}
	}
	return b.Bytes()
}

// values reads every record of a file and returns their values.
func values(t *testing.T, data []byte, kind string, opt Options) [][]string {
	t.Helper()
	required := []string{"Personnummer"}
	if kind == "omradesstatistik" {
		required = nil
	}
	rd, err := Open(bytes.NewReader(data), "f.csv", schemaColumns(kind), required, opt)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	var out [][]string
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatalf("row: %v", err)
		}
		out = append(out, rec.Values)
	}
}

// TestProfileFeatures: each feature of the profile, on a vendor-shaped
// file, gives exactly the values of the same data in the canonical layout.
func TestProfileFeatures(t *testing.T) {
	const sysCanon = "Personnummer;Datum;Sysselsattning;Forsorjning\n20030501-0019;2020-03-02;KOMVUX;CSN\n20030502-0018;2020-04-01;ARBETE;LON\n20030503-0017;2020-05-04;OKAND;OKAND\n"
	const codes = `
[codes.sysselsattning]
ignore_case = true
[codes.sysselsattning.values]
"Studier på Komvux" = "KOMVUX"
"Arbete" = "ARBETE"
"Okänd" = "OKAND"
`
	tests := []struct {
		name, profile, kind string
		vendor              []byte
		canonical           string
	}{
		{"renamed headers", `
[kaa_sysselsattning.columns]
Personnummer = "Pnr"
Datum = "Datum för kontakt"
Sysselsattning = "Sysselsättning"
Forsorjning = "Försörjning"
`, "kaa_sysselsattning",
			[]byte("Pnr;Datum för kontakt;Sysselsättning;Försörjning\n20030501-0019;2020-03-02;KOMVUX;CSN\n20030502-0018;2020-04-01;ARBETE;LON\n20030503-0017;2020-05-04;OKAND;OKAND\n"), sysCanon},
		{"alternative header names", `
[kaa_sysselsattning.columns]
Personnummer = ["Pnr", "Personnr"]
`, "kaa_sysselsattning",
			[]byte("Personnr;Datum;Sysselsattning;Forsorjning\n20030501-0019;2020-03-02;KOMVUX;CSN\n20030502-0018;2020-04-01;ARBETE;LON\n20030503-0017;2020-05-04;OKAND;OKAND\n"), sysCanon},
		{"date-time format of a column", `
[kaa_sysselsattning.columns]
Datum = { date_format = "YYYY-MM-DD hh:mm:ss" }
`, "kaa_sysselsattning",
			[]byte("Personnummer;Datum;Sysselsattning;Forsorjning\n20030501-0019;2020-03-02 00:00:00;KOMVUX;CSN\n20030502-0018;2020-04-01 13:45:10;ARBETE;LON\n20030503-0017;2020-05-04 23:59:59;OKAND;OKAND\n"), sysCanon},
		{"date formats of a kind, two accepted", `
[kaa_sysselsattning]
date_format = ["D/M/YYYY", "YYYY-MM-DDThh:mm"]
`, "kaa_sysselsattning",
			[]byte("Personnummer;Datum;Sysselsattning;Forsorjning\n20030501-0019;2/3/2020;KOMVUX;CSN\n20030502-0018;2020-04-01T08:00;ARBETE;LON\n20030503-0017;04/05/2020;OKAND;OKAND\n"), sysCanon},
		{"date format for every kind", `
date_format = "YYYYMMDD"
`, "kaa_individer",
			[]byte("Personnummer;Aktualiserad;Avaktualiserad\n20030501-0019;20190901;\n20030502-0018;20191001;20200115\n"),
			"Personnummer;Aktualiserad;Avaktualiserad\n20030501-0019;2019-09-01;\n20030502-0018;2019-10-01;2020-01-15\n"},
		{"number format with thousands", `
[omradesstatistik]
decimal = ","
thousands = " "
`, "omradesstatistik",
			[]byte("Omrade;Ar;Befolkning;Medianinkomst;AndelForgymnasial\nNacksta;2020;12 345;301 000;12,5\nCentrum;2020;\u00a0987;1\u00a0234 567,25;7\n"),
			"Omrade;Ar;Befolkning;Medianinkomst;AndelForgymnasial\nNacksta;2020;12345;301000;12.5\nCentrum;2020;987;1234567.25;7\n"},
		{"number format of a column", `
[omradesstatistik.columns]
Medianinkomst = { thousands = "." }
`, "omradesstatistik",
			[]byte("Omrade;Ar;Befolkning;Medianinkomst;AndelForgymnasial\nNacksta;2020;12;301.000,5;12,5\n"),
			"Omrade;Ar;Befolkning;Medianinkomst;AndelForgymnasial\nNacksta;2020;12;301000.5;12,5\n"},
		{"extract with a regular expression", `
[extens.columns]
Postnummer = { header = "Postadress", extract = '^(\d{3} ?\d{2})\b' }
`, "extens",
			[]byte("Personnummer;Postadress\n20030501-0019;852 30 SUNDSVALL\n20030502-0018;85231  Sundsvall\n20030503-0017;\n"),
			"Personnummer;Postnummer\n20030501-0019;852 30\n20030502-0018;85231\n20030503-0017;\n"},
		{"two columns from one header", `
[extens.columns]
Postnummer = { header = "Adress", extract = '(\d{3} \d{2})' }
Grundskola = { header = "Adress", extract = '^skola: ([^,]*),' }
`, "extens",
			[]byte("Personnummer;Adress\n20030501-0019;skola: Nacksta, 852 30\n"),
			"Personnummer;Postnummer;Grundskola\n20030501-0019;852 30;Nacksta\n"},
		{"recodes", `
[extens.columns]
Kon = { header = "Kön", values = { Kvinna = "K", Man = "M" } }
`, "extens",
			[]byte("Personnummer;Kön\n20030501-0019;Man\n20030502-0018;Kvinna\n20030503-0017;\n"),
			"Personnummer;Kon\n20030501-0019;M\n20030502-0018;K\n20030503-0017;\n"},
		{"v1 recodes", `
[extens.values.Avgangstyp]
"Avbrutit" = "AVBROTT"
`, "extens",
			[]byte("Personnummer;Avgangstyp\n20030501-0019;Avbrutit\n20030502-0018;EXAMEN\n"),
			"Personnummer;Avgangstyp\n20030501-0019;AVBROTT\n20030502-0018;EXAMEN\n"},
		{"code list shared by kinds, case ignored", codes + `
[kaa_sysselsattning.columns]
Sysselsattning = { codes = "sysselsattning" }
[kaa_individer.columns]
SenSysReg = { codes = "sysselsattning" }
`, "kaa_sysselsattning",
			[]byte("Personnummer;Datum;Sysselsattning;Forsorjning\n20030501-0019;2020-03-02;studier på komvux;CSN\n20030502-0018;2020-04-01;ARBETE;LON\n20030503-0017;2020-05-04;okänd;OKAND\n"), sysCanon},
		{"code list used by the other kind", codes + `
[kaa_sysselsattning.columns]
Sysselsattning = { codes = "sysselsattning" }
[kaa_individer.columns]
SenSysReg = { header = "Sysselsättning vid registrering", codes = "sysselsattning" }
`, "kaa_individer",
			[]byte("Personnummer;Aktualiserad;Sysselsättning vid registrering\n20030501-0019;2019-09-01;Studier på komvux\n"),
			"Personnummer;Aktualiserad;SenSysReg\n20030501-0019;2019-09-01;KOMVUX\n"},
		{"explicit default for unlisted values", `
[kaa_sysselsattning.columns]
Forsorjning = { values = { "Studiemedel" = "CSN", "Lön" = "LON" }, default = "OKAND" }
`, "kaa_sysselsattning",
			[]byte("Personnummer;Datum;Sysselsattning;Forsorjning\n20030501-0019;2020-03-02;KOMVUX;Studiemedel\n20030502-0018;2020-04-01;ARBETE;Lön\n20030503-0017;2020-05-04;OKAND;uppgift saknas\n"), sysCanon},
		{"recode of an empty cell", `
[kaa_sysselsattning.columns]
Forsorjning = { values = { "" = "OKAND", "Studiemedel" = "CSN", "Lön" = "LON" } }
`, "kaa_sysselsattning",
			[]byte("Personnummer;Datum;Sysselsattning;Forsorjning\n20030501-0019;2020-03-02;KOMVUX;Studiemedel\n20030502-0018;2020-04-01;ARBETE;Lön\n20030503-0017;2020-05-04;OKAND;\n"), sysCanon},
		{"recode before date format", `
[kaa_individer.columns]
Avaktualiserad = { values = { "pågår" = "" }, date_format = "YYYY-MM-DD hh:mm" }
`, "kaa_individer",
			[]byte("Personnummer;Aktualiserad;Avaktualiserad\n20030501-0019;2019-09-01;pågår\n20030502-0018;2019-10-01;2020-01-15 10:00\n"),
			"Personnummer;Aktualiserad;Avaktualiserad\n20030501-0019;2019-09-01;\n20030502-0018;2019-10-01;2020-01-15\n"},
		{"title lines above the header", `
[kaa_sysselsattning]
header_line = 3
`, "kaa_sysselsattning",
			[]byte("Export från UKA; 2021-03-31\n\"Alla\" sysselsättningar, tab\tsep\nPersonnummer;Datum;Sysselsattning;Forsorjning\n20030501-0019;2020-03-02;KOMVUX;CSN\n20030502-0018;2020-04-01;ARBETE;LON\n20030503-0017;2020-05-04;OKAND;OKAND\n"), sysCanon},
		{"skip lines", `
skip_lines = 1
`, "kaa_sysselsattning",
			[]byte("Sysselsättning per person,,,\r\nPersonnummer,Datum,Sysselsattning,Forsorjning\r\n20030501-0019,2020-03-02,KOMVUX,CSN\r\n20030502-0018,2020-04-01,ARBETE,LON\r\n20030503-0017,2020-05-04,OKAND,OKAND\r\n"), sysCanon},
		{"forced delimiter", `
[kaa_sysselsattning]
delimiter = "|"
`, "kaa_sysselsattning",
			[]byte("Personnummer|Datum|Sysselsattning|Forsorjning\n20030501-0019|2020-03-02|KOMVUX|CSN\n20030502-0018|2020-04-01|ARBETE|LON\n20030503-0017|2020-05-04|OKAND|OKAND\n"), sysCanon},
		{"forced windows-1252", `
encoding = "windows-1252"
[kaa_sysselsattning.columns]
Forsorjning = { header = "Försörjning", values = { "Lön" = "LON" } }
`, "kaa_sysselsattning",
			cp1252("Personnummer;Datum;Sysselsattning;Försörjning\n20030501-0019;2020-03-02;KOMVUX;CSN\n20030502-0018;2020-04-01;ARBETE;Lön\n20030503-0017;2020-05-04;OKAND;OKAND\n"), sysCanon},
		{"utf-16 le with bom, detected", ``, "kaa_sysselsattning",
			utf16Bytes(strings.ReplaceAll(sysCanon, "\n", "\r\n"), false, true), sysCanon},
		{"utf-16 be with bom, detected", ``, "kaa_sysselsattning",
			utf16Bytes(sysCanon, true, true), sysCanon},
		{"utf-16 le without bom, detected", ``, "kaa_sysselsattning",
			utf16Bytes(strings.ReplaceAll(sysCanon, ";", "\t"), false, false), sysCanon},
		{"utf-16 be without bom, forced", `
[kaa_sysselsattning]
encoding = "utf-16be"
`, "kaa_sysselsattning",
			utf16Bytes(sysCanon, true, false), sysCanon},
		{"utf-16 with title line and Swedish headers", `
[kaa_sysselsattning]
encoding = "utf-16"
header_line = 2
[kaa_sysselsattning.columns]
Sysselsattning = { header = "Sysselsättning", codes = "sysselsattning" }
` + codes, "kaa_sysselsattning",
			utf16Bytes("Utdrag\r\nPersonnummer\tDatum\tSysselsättning\tForsorjning\r\n20030501-0019\t2020-03-02\tStudier på komvux\tCSN\r\n20030502-0018\t2020-04-01\tArbete\tLON\r\n20030503-0017\t2020-05-04\tOkänd\tOKAND\r\n", false, true), sysCanon},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := loadProfile(t, tt.profile)
			got := values(t, tt.vendor, tt.kind, p.Options(tt.kind))
			want := values(t, []byte(tt.canonical), tt.kind, Options{})
			if len(want) == 0 || !reflect.DeepEqual(got, want) {
				t.Errorf("vendor file read as\n %q\ncanonical file\n %q", got, want)
			}
		})
	}
}

// TestProfileRowErrors: a value a profile rule cannot read is a row error
// naming the column and the rule's profile line, never the value; the
// value is in Error.Value for a masked rejects file.
func TestProfileRowErrors(t *testing.T) {
	p := loadProfile(t, `[extens]
date_format = "YYYY-MM-DD hh:mm:ss"
[extens.columns]
Postnummer = { header = "Postadress", extract = '^(\d{3} ?\d{2})' }
[omradesstatistik]
thousands = " "
`)
	short := filepath.Base(filepath.Dir(p.Path)) + "/mapping.toml"
	tests := []struct {
		kind, data, want, value string
	}{
		{"extens", "Personnummer;Postadress;Avgangsdatum\n1;852 30 X;2020-03-02\n", `f.csv:2: Avgangsdatum: bad date (expected YYYY-MM-DD hh:mm:ss; ` + short + `:2)`, "2020-03-02"},
		{"extens", "Personnummer;Postadress;Avgangsdatum\n1;Box 12;\n", `f.csv:2: Postnummer: does not match the extract pattern (` + short + `:4)`, "Box 12"},
		{"extens", "Personnummer;Postadress;Avgangsdatum\n1;;2020-02-30 00:00:00\n", `f.csv:2: Avgangsdatum: bad date (expected YYYY-MM-DD hh:mm:ss; ` + short + `:2)`, "2020-02-30 00:00:00"},
		{"omradesstatistik", "Omrade;Ar;Medianinkomst\nA;2020;30 10\n", `f.csv:2: Medianinkomst: bad number (expected decimal "," or ".", thousands " "; ` + short + `:6)`, "30 10"},
	}
	for _, tt := range tests {
		rd, err := Open(strings.NewReader(tt.data), "f.csv", schemaColumns(tt.kind), nil, p.Options(tt.kind))
		if err != nil {
			t.Fatal(err)
		}
		_, err = rd.Next()
		var e *Error
		if !errors.As(err, &e) || err.Error() != tt.want || e.Value != tt.value || IsFileError(err) {
			t.Errorf("%q:\n got %v (value %q)\nwant %s (value %q)", tt.data, err, e.Value, tt.want, tt.value)
		}
	}
}

func TestDateFormat(t *testing.T) {
	tests := []struct {
		format, in, want string
	}{
		{"YYYY-MM-DD hh:mm:ss", "2020-03-02 00:00:00", "2020-03-02"},
		{"YYYY-MM-DD hh:mm:ss", "2020-03-02 24:00:00", ""},
		{"YYYY-MM-DD hh:mm:ss", "2020-03-02", ""},
		{"YYYY-MM-DD hh:mm:ss.fff", "2020-03-02 10:11:12.123", "2020-03-02"},
		{"YYYYMMDD", "20200229", "2020-02-29"},
		{"YYYYMMDD", "20210229", ""},
		{"YYMMDD", "200302", "2020-03-02"},
		{"D/M/YYYY", "2/3/2020", "2020-03-02"},
		{"D/M/YYYY", "12/11/2020", "2020-11-12"},
		{"D/M/YYYY", "123/1/2020", ""},
		{"DD.MM.YYYY", "02.03.2020", "2020-03-02"},
		{"DD.MM.YYYY", "2.3.2020", ""},
		{"ÅÅÅÅ-MM-DD", "2020-03-02", "2020-03-02"},
		{"yyyy-MM-dd HH:mm", "2020-03-02 7:05", ""},
		{"yyyy-MM-dd H:mm", "2020-03-02 7:05", "2020-03-02"},
	}
	for _, tt := range tests {
		f, err := ParseDateFormat(tt.format)
		if err != nil {
			t.Fatalf("%s: %v", tt.format, err)
		}
		got, ok := f.Parse(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%s on %q = %q, %v; want %q", tt.format, tt.in, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"YYYY-mm-DD", "YYYY-MM", "DD-MM-YYYY-YY", "MM/DD ss", "YYYYMMDD ffffffffff"} {
		if _, err := ParseDateFormat(bad); err == nil {
			t.Errorf("date format %q accepted", bad)
		}
	}
}

func TestNumberFormat(t *testing.T) {
	tests := []struct {
		f        NumberFormat
		in, want string
	}{
		{NumberFormat{',', ' '}, "301 000", "301000"},
		{NumberFormat{',', ' '}, "1 234 567,5", "1234567.5"},
		{NumberFormat{',', ' '}, "-1\u202f234", "-1234"},
		{NumberFormat{',', ' '}, "30 10", ""},
		{NumberFormat{',', ' '}, "1234 567", ""},
		{NumberFormat{',', ' '}, "12.5", ""},
		{NumberFormat{',', 0}, "12,5", "12.5"},
		{NumberFormat{',', 0}, "1 000", ""},
		{NumberFormat{'.', ','}, "1,234.5", "1234.5"},
		{NumberFormat{'.', ','}, "12,5", ""},
		{NumberFormat{0, ' '}, "12.5", "12.5"},
		{NumberFormat{0, ' '}, "12,", ""},
		{NumberFormat{0, 0}, "", ""},
		{NumberFormat{0, 0}, "-", ""},
	}
	for _, tt := range tests {
		got, ok := tt.f.Canonical(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%v on %q = %q, %v; want %q", tt.f, tt.in, got, ok, tt.want)
		}
	}
}

func TestNamePattern(t *testing.T) {
	tests := []struct {
		pattern, name string
		ok            bool
		date          string
	}{
		{"Extens_utdrag_{date:YYYYMMDD}.csv", "Extens_utdrag_20180101.csv", true, "2018-01-01"},
		{"Extens_utdrag_{date:YYYYMMDD}.csv", "EXTENS_UTDRAG_20180101.CSV", true, "2018-01-01"},
		{"Extens_utdrag_{date:YYYYMMDD}.csv", "Extens_utdrag_2018-01-01.csv", false, ""},
		{"UKA_export_individer_{date}.csv", "UKA_export_individer_2021-03-31.csv", true, "2021-03-31"},
		{"ESF_deltagarlista_*.csv", "ESF_deltagarlista_Partille.csv", true, ""},
		{"ESF_deltagarlista_*.csv", "ESF_deltagarlista_Partille.xlsx", false, ""},
		{"Område?.csv", "områdeA.csv", true, ""},
		{"a+b (1).csv", "a+b (1).csv", true, ""},
		{"a+b (1).csv", "aab (1).csv", false, ""},
	}
	for _, tt := range tests {
		p, err := ParseNamePattern(tt.pattern)
		if err != nil {
			t.Fatalf("%s: %v", tt.pattern, err)
		}
		d, ok, err := p.Match(tt.name)
		if err != nil || ok != tt.ok || (tt.date != "" && d.Format("2006-01-02") != tt.date) || (tt.date == "" && !d.IsZero()) {
			t.Errorf("%s on %s = %v, %v, %v", tt.pattern, tt.name, d, ok, err)
		}
	}
	p, _ := ParseNamePattern("Extens_{date:YYYYMMDD}.csv")
	if _, ok, err := p.Match("Extens_20201345.csv"); !ok || err == nil {
		t.Errorf("a name with an impossible date: ok %v, err %v", ok, err)
	}
	for _, bad := range []string{"x/{date}.csv", "x_{date}_{date}.csv", "x_{datum}.csv", "x_{date:YYYY}.csv", "x_{date.csv"} {
		if _, err := ParseNamePattern(bad); err == nil {
			t.Errorf("pattern %q accepted", bad)
		}
	}
}

func TestProfileClassify(t *testing.T) {
	p := loadProfile(t, `
[extens]
file = ["Extens_utdrag_{date:YYYYMMDD}.csv", "Extens {date:YYMMDD}.csv"]
[kaa_individer]
file = "UKA_*.csv"
[kaa_sysselsattning]
file = "UKA_export_sysselsattning*.csv"
`)
	kind, pat, date, ok, err := p.Classify("Extens 200302.csv")
	if err != nil || !ok || kind != "extens" || pat.Line != 3 || !date.Equal(time.Date(2020, 3, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Classify = %s %+v %v %v %v", kind, pat, date, ok, err)
	}
	if _, _, _, ok, err := p.Classify("extens_2020-03-02.csv"); ok || err != nil {
		t.Errorf("a canonical name is not the profile's: ok %v err %v", ok, err)
	}
	_, _, _, _, err = p.Classify("UKA_export_sysselsattning.csv")
	if err == nil || !strings.Contains(err.Error(), ":5 (kaa_individer) and ") || !strings.Contains(err.Error(), ":7 (kaa_sysselsattning)") {
		t.Errorf("two kinds' patterns: %v", err)
	}
}

// TestProfileV1 is a profile in the first format (columns renamed, values
// recoded): it still loads and reads the same.
func TestProfileV1(t *testing.T) {
	p := loadProfile(t, "\xEF\xBB\xBF"+`encoding = "windows-1252"   # Excel
delimiter = ";"
[extens.columns]
Personnummer = "Pnr"
grundskola = "Skola åk 9"
[extens.values.Avgangstyp]
"Avbrutit" = "AVBROTT"
"Examen" = "EXAMEN"
[kaa_individer.columns]
Aktualiserad = "Aktuell from"
`)
	opt := p.Options("extens")
	if opt.Encoding != Windows1252 || opt.Delimiter != ';' || !reflect.DeepEqual(opt.Columns["Personnummer"].Headers, []string{"Pnr"}) {
		t.Fatalf("Options = %+v", opt)
	}
	if o := p.Options("kaa_sysselsattning"); o.Columns != nil || o.Encoding != Windows1252 {
		t.Errorf("unconfigured kind Options = %+v", o)
	}
	data := cp1252("PNR;Skola Åk 9;Avgångstyp;Avgangstyp;Kon\n1;Nacksta;x;Avbrutit;K\n2;Sidsjö;y;Examen;M\n3;;z;STUDIEBEVIS;K\n")
	columns := []string{"Personnummer", "Grundskola", "Avgangstyp", "Kon"}
	rd, res := readAll(t, bytes.NewReader(data), columns, []string{"Personnummer"}, opt)
	want := []Record{
		{2, []string{"1", "Nacksta", "AVBROTT", "K"}},
		{3, []string{"2", "Sidsjö", "EXAMEN", "M"}},
		{4, []string{"3", "", "STUDIEBEVIS", "K"}},
	}
	if !reflect.DeepEqual(res.recs, want) || rd.Encoding() != Windows1252 {
		t.Errorf("records:\n got %v\nwant %v", res.recs, want)
	}
	// A renamed column is not found under its canonical name, and the
	// error names the profile's line.
	_, err := Open(bytes.NewReader(cp1252("Personnummer;Kon;Avgangstyp;Skola åk 9\n")), "f.csv", columns, []string{"Personnummer"}, opt)
	want1 := `f.csv:1: Personnummer: no header "Pnr" in the file, as ` + p.Path + `:4 says (the file's headers: "Personnummer", "Kon", "Avgangstyp", "Skola åk 9")`
	if err == nil || err.Error() != want1 {
		t.Errorf("canonical header with rename:\n got %v\nwant %s", err, want1)
	}
	// An optional column with a profile entry that the file lacks.
	_, err = Open(strings.NewReader("Pnr;Kon\n"), "f.csv", columns, []string{"Personnummer"}, opt)
	if err == nil || !strings.Contains(err.Error(), `f.csv:1: Grundskola: no header "Skola åk 9" in the file, as `+p.Path+`:5 says`) ||
		!strings.Contains(err.Error(), `f.csv:1: Avgangstyp: no header "Avgangstyp" in the file, as `+p.Path+`:6 says`) || !IsFileError(err) {
		t.Errorf("profile columns the file lacks: %v", err)
	}

	none, err := LoadProfile(filepath.Join(t.TempDir(), "none.toml"), testSchema)
	if err != nil || none.Exists || none.Kinds != nil || !reflect.DeepEqual(none.Options("extens"), Options{Profile: none.Path, Kind: "extens"}) {
		t.Errorf("missing file: %+v, %v", none, err)
	}
}

// TestProfileErrors: every problem names the profile's line.
func TestProfileErrors(t *testing.T) {
	tests := []struct {
		name, toml, want string
	}{
		{"unknown top key", "\n" + `encodng = "utf-8"`, `:2: encodng: unknown key "encodng"`},
		{"unknown kind", "[extns.columns]\nPersonnummer = \"Pnr\"", ":1: extns: unknown kind [extns]"},
		{"unknown kind key", "[extens]\n\n[extens.colums]\nPersonnummer = \"Pnr\"", `:3: extens.colums: unknown key "colums"`},
		{"unknown column", "[extens.columns]\nKon = 'Kön'\nPersonnumer = 'Pnr'", `:3: extens.columns.Personnumer: unknown column "Personnumer" of extens`},
		{"unknown column key", "[extens.columns]\nKon = { header = 'Kön', vaules = { K = 'K' } }", `:2: extens.columns.Kon.vaules: unknown key "vaules"`},
		{"bad encoding", "\n\nencoding = \"latin1\"", `:3: encoding: unknown encoding "latin1"`},
		{"bad delimiter", `delimiter = ";;"`, ":1: delimiter: delimiter must be one ASCII character"},
		{"quote delimiter", `delimiter = '"'`, "delimiter must be one ASCII character"},
		{"wrong type", "[extens.columns]\nPersonnummer = 3", ":2: extens.columns.Personnummer: must be a string or a list of strings, not a number"},
		{"syntax", "[extens.columns\n", "mapping.toml:2: expected '.' or ']' to end table name"},
		{"bad date format", "[extens]\ndate_format = 'YYYY-mm-DD'", ":2: extens.date_format: date format \"YYYY-mm-DD\" has no month"},
		{"date format on a text column", "[extens.columns]\n\nKon = { date_format = 'YYYYMMDD' }", ":3: extens.columns.Kon.date_format: Kon is not a date column"},
		{"number format on a date column", "[extens.columns]\nAvgangsdatum = { decimal = ',' }", ":2: extens.columns.Avgangsdatum: Avgangsdatum is not a number column"},
		{"bad thousands", "thousands = '_'", ":1: thousands: must be"},
		{"same separators", "decimal = ','\nthousands = ','", ":2: thousands: the thousands and decimal separators must differ"},
		{"extract without a group", "[extens.columns]\nPostnummer = { header = 'Postadress', extract = '\\d{5}' }", ":2: extens.columns.Postnummer.extract: the regular expression must have exactly one group"},
		{"bad extract", "[extens.columns]\nPostnummer = { extract = '(' }", ":2: extens.columns.Postnummer.extract: bad regular expression"},
		{"unknown code list", "[kaa_sysselsattning.columns]\nSysselsattning = { codes = 'sys' }", `:2: kaa_sysselsattning.columns.Sysselsattning.codes: unknown code list "sys"`},
		{"code list entries out of place", "[codes.kon]\nKvinna = 'K'", `:2: codes.kon.Kvinna: unknown key "Kvinna" in a code list (put recodes under [codes.kon.values]`},
		{"extens pattern without a date", "[extens]\nfile = 'Extens_utdrag.csv'", `:2: extens.file: file pattern "Extens_utdrag.csv" must hold the extract date`},
		{"bad pattern", "[kaa_individer]\nfile = 'UKA_{datum}.csv'", `:2: kaa_individer.file: file pattern "UKA_{datum}.csv": unknown placeholder {datum}`},
		{"header line and skip lines", "header_line = 2\nskip_lines = 1", ":2: skip_lines: give header_line or skip_lines, not both"},
		{"header line zero", "[extens]\nheader_line = 0", ":2: extens.header_line: must be a line number"},
		{"recodes twice", "[extens.columns]\nKon = { values = { Man = 'M' } }\n[extens.values.Kon]\nMan = 'M'", ":3: extens.values.Kon: recodes for Kon are given twice"},
		{"multi-line strings before the error", "# comment\nencoding = \"\"\"\nutf-8\"\"\"\n[extens.columns]\nKon = '''\nKön'''\nPostnummer = { header = \"Post\\\"adress\", extract = 3 }", ":7: extens.columns.Postnummer.extract: must be a string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeProfile(t, tt.toml)
			_, err := LoadProfile(path, testSchema)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), path+":") {
				t.Errorf("error = %v, want one starting with %s: and containing %q", err, path, tt.want)
			}
		})
	}
	// All of a profile's problems are reported at once.
	_, err := LoadProfile(writeProfile(t, "encoding = 'x'\n[extens.columns]\nKon = 3\nPostnummer = { codes = 'y' }\n"), testSchema)
	if err == nil || strings.Count(err.Error(), "\n") != 2 {
		t.Errorf("gathered errors: %v", err)
	}
}

func TestKeyLines(t *testing.T) {
	src := `# top
a = 1
"b.c" = "x # not a comment"
[t1]
k = { x = 1, "y z" = { w = 2 },
  }
arr = [
  "s1", # c
  { q = 3 },
]
m = """
line
"""
[t1.sub]
'lit key' = 'v'
d.e = true
`
	got := keyLines(src)
	want := map[string]int{
		"a": 2, "b.c": 3, "t1": 4, "t1\x00k": 5, "t1\x00k\x00x": 5, "t1\x00k\x00y z": 5, "t1\x00k\x00y z\x00w": 5,
		"t1\x00arr": 7, "t1\x00arr\x00q": 9, "t1\x00m": 11, "t1\x00sub": 14, "t1\x00sub\x00lit key": 15,
		"t1\x00sub\x00d\x00e": 16, "t1\x00sub\x00d": 16,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("keyLines:\n got %v\nwant %v", got, want)
	}
}
