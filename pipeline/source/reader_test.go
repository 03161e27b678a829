package source

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/text/unicode/norm"
)

// cp1252 encodes the Swedish letters used in these tests as Windows-1252,
// independently of the decoder under test.
func cp1252(s string) []byte {
	table := map[rune]byte{'å': 0xE5, 'ä': 0xE4, 'ö': 0xF6, 'Å': 0xC5, 'Ä': 0xC4, 'Ö': 0xD6, 'é': 0xE9, '€': 0x80}
	var b []byte
	for _, r := range s {
		if c, ok := table[r]; ok {
			b = append(b, c)
		} else if r < 0x80 {
			b = append(b, byte(r))
		} else {
			panic(fmt.Sprintf("cp1252: no byte for %q", r))
		}
	}
	return b
}

type result struct {
	recs []Record
	errs []string // row errors, formatted
}

// readAll opens data and reads it to the end, collecting records and row
// errors. It fails the test on a file error.
func readAll(t *testing.T, r io.Reader, columns, required []string, opt Options) (*Reader, result) {
	t.Helper()
	rd, err := Open(r, "f.csv", columns, required, opt)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	var res result
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return rd, res
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || IsFileError(err) {
				t.Fatalf("Next: unexpected error %v", err)
			}
			res.errs = append(res.errs, err.Error())
			continue
		}
		res.recs = append(res.recs, rec)
	}
}

// readers gives each input both in one piece and one byte at a time, so
// every test also exercises the buffer boundaries.
func readers(data []byte) map[string]func() io.Reader {
	return map[string]func() io.Reader{
		"whole":   func() io.Reader { return bytes.NewReader(data) },
		"onebyte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(data)) },
	}
}

func TestEncodingsAndDelimiters(t *testing.T) {
	columns := []string{"Personnummer", "Grundskola", "Kon"}
	rows := "Personnummer{d}Kon{d}Grundskola\n" +
		"111{d}K{d}Sjöängsskolan\n" +
		"222{d}M{d}Åkerö skola \n"
	want := []Record{
		{Line: 2, Values: []string{"111", "Sjöängsskolan", "K"}},
		{Line: 3, Values: []string{"222", "Åkerö skola", "M"}},
	}
	encodings := []struct {
		name, want string
		encode     func(string) []byte
	}{
		{"utf-8", UTF8, func(s string) []byte { return []byte(s) }},
		{"utf-8 bom", UTF8, func(s string) []byte { return append([]byte("\xEF\xBB\xBF"), s...) }},
		{"windows-1252", Windows1252, cp1252},
	}
	for _, enc := range encodings {
		for _, d := range []rune{';', ',', '\t'} {
			data := enc.encode(strings.ReplaceAll(rows, "{d}", string(d)))
			if enc.name == "windows-1252" && !bytes.Contains(data, []byte{0xE5}) && !bytes.Contains(data, []byte{0xF6, 0xE4}) {
				t.Fatal("test data is not Windows-1252")
			}
			for how, r := range readers(data) {
				t.Run(fmt.Sprintf("%s/%q/%s", enc.name, d, how), func(t *testing.T) {
					rd, res := readAll(t, r(), columns, []string{"Personnummer"}, Options{})
					if rd.Encoding() != enc.want || rd.Delimiter() != d {
						t.Errorf("Encoding, Delimiter = %q, %q; want %q, %q", rd.Encoding(), rd.Delimiter(), enc.want, d)
					}
					if !reflect.DeepEqual(res.recs, want) || res.errs != nil {
						t.Errorf("records = %v, errors %q; want %v", res.recs, res.errs, want)
					}
				})
			}
		}
	}
}

func TestRecords(t *testing.T) {
	columns := []string{"A", "B", "C"}
	tests := []struct {
		name string
		data string
		want []Record
		errs []string
	}{
		{
			name: "quoted delimiter and newline",
			data: "A;B;C\n1;\"x;y\";\"two\nlines\"\n2;\"say \"\"hi\"\"\";\"a\r\nb\"\n3;z;w\n",
			want: []Record{
				{2, []string{"1", "x;y", "two\nlines"}},
				{4, []string{"2", `say "hi"`, "a\nb"}},
				{6, []string{"3", "z", "w"}},
			},
		},
		{
			name: "CRLF",
			data: "A;B;C\r\n1;2;3\r\n4;5;6\r\n",
			want: []Record{{2, []string{"1", "2", "3"}}, {3, []string{"4", "5", "6"}}},
		},
		{
			name: "lone CR",
			data: "A;B;C\r1;2;3\r\r4;5;6",
			want: []Record{{2, []string{"1", "2", "3"}}, {4, []string{"4", "5", "6"}}},
		},
		{
			name: "blank lines skipped",
			data: "\nA;B;C\n\n1;2;3\n   \n;;\n ; ;\t\n\r\n4;5;6\n\n",
			want: []Record{{4, []string{"1", "2", "3"}}, {9, []string{"4", "5", "6"}}},
		},
		{
			name: "spaces trimmed, around quotes too",
			data: "A;B;C\n  1 ;  \"2;x\"  ; \" 3 \"\n",
			want: []Record{{2, []string{"1", "2;x", "3"}}},
		},
		{
			name: "empty cells",
			data: "A;B;C\n1;;\n;\"\";3\n",
			want: []Record{{2, []string{"1", "", ""}}, {3, []string{"", "", "3"}}},
		},
		{
			name: "no final newline",
			data: "A;B;C\n1;2;3",
			want: []Record{{2, []string{"1", "2", "3"}}},
		},
		{
			name: "too many and too few fields",
			data: "A;B;C\n1;2;3;4\n5;6;7\n8;9\n10;11;12\n",
			want: []Record{{3, []string{"5", "6", "7"}}, {5, []string{"10", "11", "12"}}},
			errs: []string{
				"f.csv:2: wrong number of fields (4, header has 3)",
				"f.csv:4: wrong number of fields (2, header has 3)",
			},
		},
		{
			name: "bare quote",
			data: "A;B;C\n1;ab\"c;3\n4;5;6\n",
			want: []Record{{3, []string{"4", "5", "6"}}},
			errs: []string{`f.csv:2: bare " in unquoted field`},
		},
		{
			name: "character after closing quote, in a multi-line record",
			data: "A;B;C\n1;\"x\ny\"z;3\n4;5;6\n",
			want: []Record{{4, []string{"4", "5", "6"}}},
			errs: []string{"f.csv:2: unexpected character after closing quote"},
		},
		{
			name: "unterminated quote resumes at the next line",
			data: "A;B;C\n1;\"oops;3\n4;5;6\n7;8;9\n",
			want: []Record{{3, []string{"4", "5", "6"}}, {4, []string{"7", "8", "9"}}},
			errs: []string{"f.csv:2: unterminated quoted field"},
		},
		{
			name: "unterminated quote on the last line",
			data: "A;B;C\n1;2;3\n4;5;\"6",
			want: []Record{{2, []string{"1", "2", "3"}}},
			errs: []string{"f.csv:3: unterminated quoted field"},
		},
	}
	for _, tt := range tests {
		for how, r := range readers([]byte(tt.data)) {
			t.Run(tt.name+"/"+how, func(t *testing.T) {
				_, res := readAll(t, r(), columns, columns, Options{})
				if !reflect.DeepEqual(res.recs, tt.want) {
					t.Errorf("records:\n got %v\nwant %v", res.recs, tt.want)
				}
				if !reflect.DeepEqual(res.errs, tt.errs) {
					t.Errorf("row errors:\n got %q\nwant %q", res.errs, tt.errs)
				}
			})
		}
	}
}

func TestHeader(t *testing.T) {
	columns := []string{"Personnummer", "Kon", "Skyddad", "Grundskola"}
	tests := []struct {
		name    string
		data    string
		present []string
		values  []string
	}{
		{"odd case and spaces", "  PERSONNUMMER ;kon;  Grundskola\n1;K;S\n", []string{"Personnummer", "Kon", "Grundskola"}, []string{"1", "K", "", "S"}},
		{"quoted names", "\"Personnummer\";\" Kon \";skyddad\n1;M;J\n", []string{"Personnummer", "Kon", "Skyddad"}, []string{"1", "M", "J", ""}},
		{"extra columns ignored", "Fornamn;Personnummer;Adress;Kon;Telefon\nAnna;1;Storgatan 1;K;070\n", []string{"Personnummer", "Kon"}, []string{"1", "K", "", ""}},
		{"bom and tab", "\xEF\xBB\xBFKon\tPersonnummer\nK\t1\n", []string{"Personnummer", "Kon"}, []string{"1", "K", "", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, res := readAll(t, strings.NewReader(tt.data), columns, []string{"Personnummer"}, Options{})
			if !reflect.DeepEqual(rd.Header(), tt.present) {
				t.Errorf("Header = %q, want %q", rd.Header(), tt.present)
			}
			if len(res.recs) != 1 || !reflect.DeepEqual(res.recs[0].Values, tt.values) {
				t.Fatalf("records = %v, want one with %q", res.recs, tt.values)
			}
			for _, v := range []string{"Anna", "Storgatan", "070"} {
				if strings.Contains(fmt.Sprint(res.recs), v) {
					t.Errorf("extra column value %q returned", v)
				}
			}
		})
	}
}

func TestOpenFileErrors(t *testing.T) {
	columns := []string{"Personnummer", "Kon", "Datum"}
	required := []string{"Personnummer", "Datum"}
	tests := []struct {
		name string
		data string
		opt  Options
		want string
	}{
		{"missing column", "Kon;Datum\nK;2024-01-01\n", Options{}, `f.csv:1: missing column "Personnummer" (no header "Personnummer")`},
		{"two missing columns", "Kon\nK\n", Options{}, "f.csv:1: missing column \"Personnummer\" (no header \"Personnummer\")\nf.csv:1: missing column \"Datum\" (no header \"Datum\")"},
		{"missing column with a hint", "Kon;Datum\n", Options{Profile: "2281/mapping.toml", Kind: "gruus"}, `f.csv:1: missing column "Personnummer" (no header "Personnummer"; if the file calls it otherwise, map it in 2281/mapping.toml: [gruus.columns] Personnummer = "its header", see docs/mapping.md)`},
		{"profile entry the file lacks", "Personnummer;Datum\n", Options{Columns: map[string]ColumnRule{"Kon": {Headers: []string{"Kön", "Sex"}, Where: "m.toml:7"}}}, `f.csv:1: Kon: no header "Kön" or "Sex" in the file, as m.toml:7 says (the file's headers: "Personnummer", "Datum")`},
		{"two alternative headers present", "Personnummer;Datum;Kön;Sex\n", Options{Columns: map[string]ColumnRule{"Kon": {Headers: []string{"Kön", "Sex"}, Where: "m.toml:7"}}}, `f.csv:1: Kon: the file has more than one of the headers "Kön" and "Sex" (m.toml:7)`},
		{"one header for two columns", "Personnummer;Datum\n", Options{Rename: map[string]string{"Kon": "Datum"}}, `f.csv:1: mapping profile: columns "Kon" and "Datum" both read header "datum" (several columns may read one header only if each has an extract pattern)`},
		{"header line past the end", "Personnummer;Datum\n", Options{HeaderLine: 3, HeaderLineFrom: "m.toml:2"}, `f.csv:1: the file has fewer lines than its header line 3 (m.toml:2)`},
		{"duplicate column", "Personnummer;Datum;personnummer \n1;2;3\n", Options{}, `f.csv:1: duplicate column "Personnummer"`},
		{"missing renamed column", "Personnummer;Datum\n1;2\n", Options{Rename: map[string]string{"Personnummer": "Pnr"}}, `f.csv:1: missing column "Personnummer" (no header "Pnr")`},
		{"empty file", "", Options{}, "f.csv:1: empty file (no header line)"},
		{"only blank lines", "\r\n\n\n", Options{}, "f.csv:1: empty file (no header line)"},
		{"binary", "PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00", Options{}, "f.csv:1: not a CSV text file (binary data)"},
		{"binary that looks like utf-16", "\x01\x00\x02\x00\x03\x00\x04\x00\x05\x00P\x00K\x00", Options{}, "f.csv:1: not a CSV text file (binary data)"},
		{"utf-16 forced off", "\xFF\xFEP\x00n\x00r\x00", Options{Encoding: "utf-8"}, "f.csv:1: not a CSV text file (binary data)"},
		{"utf-16 missing column", "\xFF\xFEP\x00n\x00r\x00;\x00D\x00a\x00t\x00u\x00m\x00", Options{}, `f.csv:1: missing column "Personnummer" (no header "Personnummer")`},
		{"unknown encoding", "Personnummer;Datum\n", Options{Encoding: "latin-9"}, `f.csv:1: unknown encoding "latin-9" (use utf-8, windows-1252, utf-16, utf-16le or utf-16be)`},
		{"bad delimiter", "Personnummer;Datum\n", Options{Delimiter: '"'}, `f.csv:1: unusable delimiter '"'`},
		{"bad header quote", "Personnummer;Da\"tum\n", Options{}, `f.csv:1: bad header line: bare " in unquoted field`},
		{"profile names unknown column", "Personnummer;Datum\n", Options{Rename: map[string]string{"Personnumer": "Pnr"}}, `f.csv:1: mapping profile: unknown column "Personnumer"`},
		{"profile recodes unknown column", "Personnummer;Datum\n", Options{Recode: map[string]map[string]string{"Sex": {"1": "M"}}}, `f.csv:1: mapping profile: unknown column "Sex"`},
		{"invalid utf-8 header when forced", "Personnummer;Datum;Sk\xF6la\n", Options{Encoding: "utf-8"}, `f.csv:1: invalid UTF-8 in header line (set encoding = "windows-1252" in mapping.toml if the file is Windows-1252)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rd, err := Open(strings.NewReader(tt.data), "f.csv", columns, required, tt.opt)
			if err == nil {
				t.Fatalf("Open succeeded (header %q), want %q", rd.Header(), tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n got %q\nwant %q", err, tt.want)
			}
			if !IsFileError(err) {
				t.Errorf("IsFileError(%v) = false", err)
			}
		})
	}
}

func TestOpenMisuse(t *testing.T) {
	for _, c := range []struct{ columns, required []string }{
		{[]string{"A"}, []string{"B"}},
		{[]string{"A", "a"}, nil},
	} {
		_, err := Open(strings.NewReader("A\n"), "f.csv", c.columns, c.required, Options{})
		if err == nil || IsFileError(err) {
			t.Errorf("Open(%q, %q) error = %v, want a non-file error", c.columns, c.required, err)
		}
	}
}

func TestHeaderOnly(t *testing.T) {
	for _, data := range []string{"A;B\n", "A;B", "A;B\r\n\r\n"} {
		rd, err := Open(strings.NewReader(data), "f.csv", []string{"A", "B"}, []string{"A"}, Options{})
		if err != nil {
			t.Fatalf("Open(%q): %v", data, err)
		}
		for range 2 {
			if rec, err := rd.Next(); err != io.EOF {
				t.Errorf("Next on %q = %v, %v; want io.EOF", data, rec, err)
			}
		}
	}
}

// TestLateEncoding covers the encoding decisions that happen after the
// first 64 KiB.
func TestLateEncoding(t *testing.T) {
	padding := strings.Repeat("1;abc\n", 70<<10/6) // > 64 KiB of ASCII rows
	padRows := strings.Count(padding, "\n")
	columns := []string{"A", "B"}

	t.Run("ascii prefix then windows-1252", func(t *testing.T) {
		data := append([]byte("A;B\n"+padding), cp1252("2;Höglundaskolan\n3;Ängen\n")...)
		rd, res := readAll(t, bytes.NewReader(data), columns, nil, Options{})
		if rd.Encoding() != Windows1252 || res.errs != nil {
			t.Fatalf("Encoding = %q, errors %q", rd.Encoding(), res.errs)
		}
		got := res.recs[len(res.recs)-2:]
		want := []Record{{padRows + 2, []string{"2", "Höglundaskolan"}}, {padRows + 3, []string{"3", "Ängen"}}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("last records %v, want %v", got, want)
		}
	})
	t.Run("utf-8 prefix then invalid byte", func(t *testing.T) {
		data := "A;B\n2;Sjöängen\n" + padding + "3;Sk\xF6la\n4;Åkerö\n"
		rd, res := readAll(t, strings.NewReader(data), columns, nil, Options{})
		wantErr := fmt.Sprintf("f.csv:%d: B: invalid UTF-8", padRows+3)
		if rd.Encoding() != UTF8 || !reflect.DeepEqual(res.errs, []string{wantErr}) {
			t.Fatalf("Encoding = %q, errors %q; want utf-8, %q", rd.Encoding(), res.errs, wantErr)
		}
		last := res.recs[len(res.recs)-1]
		if last.Line != padRows+4 || last.Values[1] != "Åkerö" {
			t.Errorf("record after the bad one = %v", last)
		}
	})
	t.Run("ascii prefix then utf-8", func(t *testing.T) {
		data := "A;B\n" + padding + "2;Åkerö\n"
		rd, res := readAll(t, strings.NewReader(data), columns, nil, Options{})
		if rd.Encoding() != UTF8 || res.recs[len(res.recs)-1].Values[1] != "Åkerö" {
			t.Errorf("Encoding = %q, last = %v", rd.Encoding(), res.recs[len(res.recs)-1])
		}
	})
	t.Run("forced windows-1252 wins over utf-8 bytes", func(t *testing.T) {
		_, res := readAll(t, strings.NewReader("A;B\n1;ö\n"), columns, nil, Options{Encoding: "CP1252"})
		if got := res.recs[0].Values[1]; got != "Ã¶" {
			t.Errorf("value = %q, want the Windows-1252 reading %q", got, "Ã¶")
		}
	})
	t.Run("forced utf-8 rejects windows-1252 rows", func(t *testing.T) {
		_, res := readAll(t, bytes.NewReader(cp1252("A;B\n1;ö\n2;o\n")), columns, nil, Options{Encoding: "utf-8"})
		if !reflect.DeepEqual(res.errs, []string{"f.csv:2: B: invalid UTF-8"}) || len(res.recs) != 1 {
			t.Errorf("errors %q records %v", res.errs, res.recs)
		}
	})
	t.Run("multibyte sequence cut at 64 KiB", func(t *testing.T) {
		// Put "ö" (2 bytes) across the 64 KiB boundary of the sniff.
		head := "A;B\n"
		fill := strings.Repeat("x", sniffSize-len(head)-len("1;")-1)
		data := head + "1;" + fill + "ö\n2;å\n"
		rd, res := readAll(t, strings.NewReader(data), columns, nil, Options{})
		if rd.Encoding() != UTF8 || res.errs != nil || res.recs[1].Values[1] != "å" {
			t.Errorf("Encoding = %q, errors %q", rd.Encoding(), res.errs)
		}
	})
}

func TestDelimiterDetection(t *testing.T) {
	tests := []struct {
		header string
		want   rune
	}{
		{"A;B;C", ';'},
		{"A,B,C", ','},
		{"A\tB\tC", '\t'},
		{"A,B;C", ';'},       // tie
		{"A", ';'},           // none
		{"\"A;x\",B,C", ','}, // quoted delimiters do not count
		{"A,B\tC", ';'},      // tie between the others
		{"\r\n\nA,B", ','},   // leading blank lines
	}
	for _, tt := range tests {
		rd, err := Open(strings.NewReader(tt.header+"\n"), "f.csv", []string{"A"}, nil, Options{})
		if err != nil {
			t.Fatalf("%q: %v", tt.header, err)
		}
		if rd.Delimiter() != tt.want {
			t.Errorf("header %q: delimiter %q, want %q", tt.header, rd.Delimiter(), tt.want)
		}
	}
	rd, err := Open(strings.NewReader("A|B\n1|2\n"), "f.csv", []string{"A", "B"}, nil, Options{Delimiter: '|'})
	if err != nil || rd.Delimiter() != '|' {
		t.Fatalf("forced delimiter: %v", err)
	}
	if rec, err := rd.Next(); err != nil || !reflect.DeepEqual(rec.Values, []string{"1", "2"}) {
		t.Errorf("forced delimiter record = %q, %v", rec.Values, err)
	}
}

func TestRecordTooLong(t *testing.T) {
	long := strings.Repeat("x", maxRecord+10)
	data := "A;B\n1;" + long + "\n2;\"" + long + "\n3;ok\n4;ok\n"
	_, res := readAll(t, strings.NewReader(data), []string{"A", "B"}, nil, Options{})
	wantErrs := []string{"f.csv:2: record too long (over 1 MiB)", "f.csv:3: record too long (over 1 MiB)"}
	wantRecs := []Record{{4, []string{"3", "ok"}}, {5, []string{"4", "ok"}}}
	if !reflect.DeepEqual(res.errs, wantErrs) || !reflect.DeepEqual(res.recs, wantRecs) {
		t.Errorf("errors %q records %v", res.errs, res.recs)
	}
}

func TestValuesNotReused(t *testing.T) {
	rd, err := Open(strings.NewReader("A\nfirst\nsecond\n"), "f.csv", []string{"A"}, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	r1, _ := rd.Next()
	r2, _ := rd.Next()
	if r1.Values[0] != "first" || r2.Values[0] != "second" {
		t.Errorf("values %q %q", r1.Values, r2.Values)
	}
}

func TestReadErrorIsFileError(t *testing.T) {
	// An error within the first 64 KiB fails Open.
	src := io.MultiReader(strings.NewReader("A\n1\n"), iotest.ErrReader(errors.New("disk gone")))
	if _, err := Open(src, "f.csv", []string{"A"}, nil, Options{}); !IsFileError(err) || err.Error() != "f.csv:1: read error: disk gone" {
		t.Errorf("Open error = %v", err)
	}
	// A later one fails Next, for good.
	src = io.MultiReader(strings.NewReader("A\n"+strings.Repeat("1\n", sniffSize)), iotest.ErrReader(errors.New("disk gone")))
	rd, err := Open(src, "f.csv", []string{"A"}, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := rd.Next(); err != nil {
			break
		}
	}
	for range 2 {
		_, err := rd.Next()
		if !IsFileError(err) || !strings.Contains(err.Error(), "disk gone") {
			t.Fatalf("Next error = %v, want a file error", err)
		}
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{File: "extens_2024-01-01.csv", Line: 7, Field: "Avgangsdatum", Rule: "bad date"}, "extens_2024-01-01.csv:7: Avgangsdatum: bad date"},
		{&Error{File: "g.csv", Line: 1, Rule: `missing column "X"`}, `g.csv:1: missing column "X"`},
	}
	for _, tt := range tests {
		if tt.err.Error() != tt.want {
			t.Errorf("Error() = %q, want %q", tt.err.Error(), tt.want)
		}
		if IsFileError(tt.err) {
			t.Errorf("a literal Error is a row error")
		}
	}
	joined := errors.Join(rowError("f.csv", 3, "", "x"), fileError("f.csv", 1, "y"))
	if !IsFileError(joined) || !IsFileError(fmt.Errorf("wrapped: %w", fileError("f.csv", 1, "y"))) {
		t.Error("IsFileError misses a joined or wrapped file error")
	}
	if IsFileError(io.EOF) || IsFileError(nil) {
		t.Error("IsFileError(io.EOF or nil) = true")
	}
}

func FuzzReader(f *testing.F) {
	for _, s := range []string{
		"A;B;C\n1;2;3\n",
		"A,B,C\r\n\"x,y\",\"a\"\"b\",\"multi\nline\"\r\n4,5,6",
		"A\tB\tC\r1\t2\t3\r",
		"\xEF\xBB\xBFA;B;C\n1;\"oops;3\n4;5;6\n",
		"A;B;C\n1;ab\"c;3\n\"x\"y;2;3\n;;\n",
		"A;B;C\n1;Sj\xF6;3\n",
		"A;B;C\n1;\"\n\n\"\"\n;3\n",
		"",
		"\x00",
	} {
		f.Add([]byte(s))
	}
	columns := []string{"A", "B", "C"}
	type item struct {
		rec Record
		err string
	}
	read := func(t *testing.T, r io.Reader, n int) (header []string, items []item, openErr string) {
		rd, err := Open(r, "f.csv", columns, nil, Options{})
		if err != nil {
			if !IsFileError(err) {
				t.Fatalf("Open: not a file error: %v", err)
			}
			return nil, nil, err.Error()
		}
		last := 1
		for i := 0; ; i++ {
			if i > n+1 {
				t.Fatalf("more than %d results from %d bytes", i, n)
			}
			rec, err := rd.Next()
			if err == io.EOF {
				return rd.Header(), items, ""
			}
			if err != nil {
				var e *Error
				if !errors.As(err, &e) || IsFileError(err) || e.Line <= last-1 {
					t.Fatalf("Next: bad error %#v", err)
				}
				items = append(items, item{err: err.Error()})
				continue
			}
			if rec.Line < 2 || rec.Line <= last || len(rec.Values) != len(columns) {
				t.Fatalf("bad record %+v after line %d", rec, last)
			}
			last = rec.Line
			items = append(items, item{rec: rec})
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		h1, items1, err1 := read(t, bytes.NewReader(data), len(data))
		h2, items2, err2 := read(t, iotest.OneByteReader(bytes.NewReader(data)), len(data))
		if err1 != err2 || !reflect.DeepEqual(h1, h2) || !reflect.DeepEqual(items1, items2) {
			t.Fatalf("whole and one-byte reads differ:\n%q %v %q\n%q %v %q", h1, items1, err1, h2, items2, err2)
		}
	})
}

// TestComposedForm: a value written decomposed (å as a + combining ring,
// as macOS writes it) reads as the composed one, so that it matches the
// same name written composed in another file; Windows-1252 and UTF-16
// give the same value.
func TestComposedForm(t *testing.T) {
	columns := []string{"Personnummer", "Grundskola"}
	want := []string{"1", "Bergsåkers skola"}
	for name, data := range map[string]string{
		"composed":            "Personnummer;Grundskola\n1;Bergsåkers skola\n",
		"decomposed":          "Personnummer;Grundskola\n1;Bergsa\u030akers skola\n",
		"decomposed, trimmed": "Personnummer;Grundskola\n1; Bergsa\u030akers skola \n",
		"windows-1252":        "Personnummer;Grundskola\n1;Bergs\xe5kers skola\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, res := readAll(t, strings.NewReader(data), columns, []string{"Personnummer"}, Options{})
			if len(res.recs) != 1 || !reflect.DeepEqual(res.recs[0].Values, want) {
				t.Fatalf("records = %v, want one with %q", res.recs, want)
			}
		})
	}
}

// TestMayDecompose: text with a character from U+0300 on, anywhere (in
// an eight-byte word or the tail), may need composing; text below it
// never does.
func TestMayDecompose(t *testing.T) {
	for s, want := range map[string]bool{
		"":                       false,
		"Hedbergska gymnasiet":   false,
		"Bergsåkers skola, Alnö": false,
		"ʼ\u02ff":                false, // the last character before the combining marks
		"Bergsa\u030akers skola": true,  // in a word
		"skola a\u030a":          true,  // in the tail
		"0123456789abcdef\u0300": true,
		"\u212b":                 true, // the Ångström sign, NFC Å
		"\uac00 한국":              true,
	} {
		if got := mayDecompose([]byte(s)); got != want {
			t.Errorf("mayDecompose(%q) = %v, want %v", s, got, want)
		}
		if !want && !norm.NFC.IsNormalString(s) {
			t.Errorf("%q is not NFC, but mayDecompose says it is", s)
		}
	}
}
