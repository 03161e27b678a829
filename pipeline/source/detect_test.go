package source

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// FuzzDetect covers delimiter and encoding detection. From the fuzzed
// cells it writes a well-formed file — a chosen delimiter, UTF-8 (with or
// without BOM) or Windows-1252, a chosen line ending, every cell quoted —
// and checks that Open detects the delimiter and the encoding and that
// Next gives back every row, at its line, with the cells' text (trimmed,
// line endings inside cells as "\n"). Windows-1252 text that happens to
// be valid UTF-8 in places is ambiguous: then each row must still come
// back once, as a record in the detected encoding or as an encoding row
// error. Independently, any raw bytes must give a known delimiter and
// encoding and valid UTF-8 values.
func FuzzDetect(f *testing.F) {
	f.Add("1\x1fSjöängsskolan\x1f\x1fK\x1e2\x1f Åkerö skola \x1fx\x1fM", []byte("A;B\n1;2\n"), uint8(0), uint8(0), uint8(0))
	f.Add("1\x1fHöglundaskolan\x1f\x1f", []byte("\xEF\xBB\xBFA,B\r\n1,Sj\xF6\r\n"), uint8(1), uint8(2), uint8(1))
	f.Add("a;b,c\td\x1f\"q\"\x1fmulti\r\nline\x1fx\x1e\x1f\x1f\x1f", []byte("A\tB\r1\t\xC3\xB6\r"), uint8(2), uint8(1), uint8(2))
	f.Add("Ã¥\x1fö\x1f\x1f", []byte{}, uint8(0), uint8(2), uint8(0))
	f.Add("  \x1f\t\x1f\r\n\x1f ", []byte("\x00"), uint8(1), uint8(0), uint8(0))
	f.Add("€ 5\x1f\u00a0x\u00a0\x1f–\x1f”", []byte("A;B\n\"x\";\"y\"z\n"), uint8(0), uint8(2), uint8(1))

	delims := []byte{';', ',', '\t'}
	newlines := []string{"\n", "\r\n", "\r"}
	columns := []string{"A", "B", "C"}
	f.Fuzz(func(t *testing.T, cells string, raw []byte, d, enc, nl uint8) {
		checkRaw(t, raw)

		delim := delims[int(d)%len(delims)]
		newline := newlines[int(nl)%len(newlines)]
		encoding := int(enc) % 3 // 0 utf-8, 1 utf-8 with BOM, 2 windows-1252
		var rows [][]string
		if cells != "" {
			for _, r := range strings.Split(cells, "\x1e") {
				c := strings.Split(r, "\x1f")
				for len(c) < 4 {
					c = append(c, "")
				}
				rows = append(rows, c[:4])
			}
		}
		// Text the file can hold: valid UTF-8, no NUL (binary data), and
		// for Windows-1252 only characters it has.
		clean := func(s string) string {
			s = strings.ToValidUTF8(s, "?")
			return strings.Map(func(r rune) rune {
				if r == 0 {
					return '?'
				}
				if encoding == 2 && r >= utf8.RuneSelf {
					if _, ok := charmap.Windows1252.EncodeRune(r); !ok {
						return '?'
					}
				}
				return r
			}, s)
		}
		encode := func(s string) []byte {
			if encoding != 2 {
				return []byte(s)
			}
			var b []byte
			for _, r := range s {
				if r < utf8.RuneSelf {
					b = append(b, byte(r))
				} else {
					c, _ := charmap.Windows1252.EncodeRune(r)
					b = append(b, c)
				}
			}
			return b
		}
		quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

		// Header: A, an extra column whose quoted name holds the other
		// delimiters, B, C.
		var file []byte
		if encoding == 1 {
			file = append(file, "\xEF\xBB\xBF"...)
		}
		file = append(file, "A"+string(delim)+`"x;,`+"\t"+`y"`+string(delim)+"B"+string(delim)+"C"+newline...)
		type want struct {
			line   int
			values []string // the text of A, B, C
			raw    [][]byte // their encoded bytes
		}
		var wants []want
		line := 2
		for _, r := range rows {
			w := want{line: line}
			blank := true
			for i, c := range r {
				c = clean(c)
				enc := encode(c)
				if i > 0 {
					file = append(file, delim)
				}
				file = append(file, encode(quote(c))...)
				line += strings.Count(strings.ReplaceAll(c, "\r\n", "\n"), "\n") + strings.Count(strings.ReplaceAll(c, "\r\n", "\n"), "\r")
				if strings.Trim(c, " \t\r\n") != "" {
					blank = false
				}
				if i != 1 {
					norm := strings.ReplaceAll(strings.ReplaceAll(c, "\r\n", "\n"), "\r", "\n")
					w.values = append(w.values, strings.TrimSpace(norm))
					w.raw = append(w.raw, enc)
				}
			}
			file = append(file, newline...)
			line++
			if !blank {
				wants = append(wants, w)
			}
		}

		body := file
		if encoding == 1 {
			body = file[3:]
		}
		ambiguous := encoding == 2 && hasMulti(body)
		for how, r := range readers(file) {
			rd, err := Open(r(), "f.csv", columns, columns, Options{})
			if err != nil {
				t.Fatalf("%s: Open: %v\n%q", how, err, file)
			}
			if rd.Delimiter() != rune(delim) {
				t.Fatalf("%s: delimiter %q, want %q\n%q", how, rd.Delimiter(), delim, file)
			}
			var recs []Record
			var errs []*Error
			for {
				rec, err := rd.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					var e *Error
					if !errors.As(err, &e) || IsFileError(err) {
						t.Fatalf("%s: Next: %v", how, err)
					}
					errs = append(errs, e)
					continue
				}
				recs = append(recs, rec)
			}
			wantEnc := UTF8
			if encoding == 2 && hasNonASCII(body) {
				wantEnc = Windows1252
			}
			if !ambiguous {
				if rd.Encoding() != wantEnc {
					t.Fatalf("%s: encoding %s, want %s\n%q", how, rd.Encoding(), wantEnc, file)
				}
				if len(errs) > 0 {
					t.Fatalf("%s: row errors %v\n%q", how, errs, file)
				}
				if len(recs) != len(wants) {
					t.Fatalf("%s: %d records, want %d\n%q", how, len(recs), len(wants), file)
				}
				for i, w := range wants {
					if recs[i].Line != w.line || strings.Join(recs[i].Values, "\x1f") != strings.Join(w.values, "\x1f") {
						t.Fatalf("%s: record %d = line %d %q, want line %d %q\n%q", how, i, recs[i].Line, recs[i].Values, w.line, w.values, file)
					}
				}
				continue
			}
			// Ambiguous Windows-1252: every row once, as a record or an
			// encoding error, in line order.
			if len(recs)+len(errs) != len(wants) {
				t.Fatalf("%s: %d records + %d errors, want %d rows\n%q", how, len(recs), len(errs), len(wants), file)
			}
			ri, ei := 0, 0
			for _, w := range wants {
				if ei < len(errs) && errs[ei].Line == w.line {
					if rule := errs[ei].Rule; rule != "invalid UTF-8" && rule != ruleMixed {
						t.Fatalf("%s: line %d: rule %q", how, w.line, rule)
					}
					ei++
					continue
				}
				if ri >= len(recs) || recs[ri].Line != w.line {
					t.Fatalf("%s: no record or error for line %d", how, w.line)
				}
				for j, b := range w.raw {
					exp := w.values[j]
					if rd.Encoding() == UTF8 {
						norm := strings.ReplaceAll(strings.ReplaceAll(string(b), "\r\n", "\n"), "\r", "\n")
						exp = strings.TrimSpace(norm)
					}
					if recs[ri].Values[j] != exp {
						t.Fatalf("%s: line %d column %s = %q, want %q (read as %s)", how, w.line, columns[j], recs[ri].Values[j], exp, rd.Encoding())
					}
				}
				ri++
			}
		}
	})
}

// hasMulti reports whether b holds a valid multi-byte UTF-8 sequence.
func hasMulti(b []byte) bool {
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if size > 1 && r != utf8.RuneError {
			return true
		}
		b = b[size:]
	}
	return false
}

// checkRaw: whatever the bytes, Open either fails with a file error or
// reports one of the known delimiters and encodings, and every value Next
// returns is valid UTF-8.
func checkRaw(t *testing.T, raw []byte) {
	t.Helper()
	rd, err := Open(iotest.HalfReader(bytes.NewReader(raw)), "raw.csv", []string{"A", "B", "C"}, nil, Options{})
	if err != nil {
		if !IsFileError(err) {
			t.Fatalf("raw: Open: not a file error: %v", err)
		}
		return
	}
	switch rd.Delimiter() {
	case ';', ',', '\t':
	default:
		t.Fatalf("raw: delimiter %q", rd.Delimiter())
	}
	if e := rd.Encoding(); e != UTF8 && e != Windows1252 {
		t.Fatalf("raw: encoding %q", e)
	}
	for n := 0; ; n++ {
		if n > len(raw)+1 {
			t.Fatalf("raw: more than %d results from %d bytes", n, len(raw))
		}
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			if IsFileError(err) {
				t.Fatalf("raw: Next: file error %v", err)
			}
			continue
		}
		for i, v := range rec.Values {
			if !utf8.ValidString(v) {
				t.Fatalf("raw: line %d column %d: invalid UTF-8 %s", rec.Line, i, strconv.Quote(v))
			}
		}
	}
	if e := rd.Encoding(); e != UTF8 && e != Windows1252 {
		t.Fatalf("raw: encoding %q after reading", e)
	}
}
