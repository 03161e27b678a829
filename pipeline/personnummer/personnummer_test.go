package personnummer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// All numbers in these tests are synthetic: the check digit is computed
// here, never copied from a real person.

// testLuhn computes the check digit of nine digits independently of luhn().
func testLuhn(nine string) string {
	sum := 0
	for i, c := range nine {
		v := int(c - '0')
		if i%2 == 0 {
			v *= 2
		}
		sum += v/10 + v%10
	}
	return fmt.Sprint((10 - sum%10) % 10)
}

// short builds YYMMDD<sep>NNNC with a valid check digit.
func short(yymmdd, sep, nnn string) string {
	return yymmdd + sep + nnn + testLuhn(yymmdd+nnn)
}

// long builds YYYYMMDD<sep>NNNC with a valid check digit.
func long(yyyymmdd, sep, nnn string) string {
	return yyyymmdd + sep + nnn + testLuhn(yyyymmdd[2:]+nnn)
}

// wrongCheck returns s with its last digit replaced by a different one.
func wrongCheck(s string) string {
	last := s[len(s)-1]
	return s[:len(s)-1] + string('0'+(last-'0'+1)%10)
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

var ref = date(2025, 6, 15)

func TestParseValid(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		ref        time.Time
		birth      time.Time
		male       bool
		samordning bool
		canonical  string
	}{
		{"long dash", long("20070315", "-", "123"), ref, date(2007, 3, 15), true, false, "200703151233"},
		{"long digits", long("20070315", "", "123"), ref, date(2007, 3, 15), true, false, "200703151233"},
		{"short dash", short("070315", "-", "123"), ref, date(2007, 3, 15), true, false, "200703151233"},
		{"short digits", short("070315", "", "123"), ref, date(2007, 3, 15), true, false, "200703151233"},
		{"short plus", short("070315", "+", "123"), ref, date(1907, 3, 15), true, false, "190703151233"},
		{"female digit 2", short("070315", "-", "402"), ref, date(2007, 3, 15), false, false, "200703154021"},
		{"female digit 0", long("20070315", "", "408"), ref, date(2007, 3, 15), false, false, ""},
		{"male digit 9", short("070315", "-", "491"), ref, date(2007, 3, 15), true, false, ""},
		{"spaces trimmed", "  " + short("070315", "-", "123") + "\t ", ref, date(2007, 3, 15), true, false, "200703151233"},
		{"samordning long", long("20070375", "-", "123"), ref, date(2007, 3, 15), true, true, "200703751230"},
		{"samordning short", short("070375", "", "123"), ref, date(2007, 3, 15), true, true, "200703751230"},
		{"samordning day 91", short("070191", "-", "123"), ref, date(2007, 1, 31), true, true, ""},
		// Century around ref = 2025-06-15.
		{"birthday today", short("250615", "-", "123"), ref, date(2025, 6, 15), true, false, ""},
		{"tomorrow is 99 years ago", short("250616", "-", "123"), ref, date(1925, 6, 16), true, false, ""},
		{"turns 100 today plus", short("250615", "+", "123"), ref, date(1925, 6, 15), true, false, ""},
		{"plus after 100th", short("250616", "+", "123"), ref, date(1825, 6, 16), true, false, ""},
		{"1999", short("991231", "-", "123"), ref, date(1999, 12, 31), true, false, ""},
		{"2000", short("000101", "-", "123"), ref, date(2000, 1, 1), true, false, ""},
		{"ref in 2000", short("991231", "-", "123"), date(2000, 1, 1), date(1999, 12, 31), true, false, ""},
		{"ref local time", short("250616", "-", "123"),
			time.Date(2025, 6, 16, 0, 30, 0, 0, time.FixedZone("CEST", 2*3600)), date(2025, 6, 16), true, false, ""},
		// Leap days.
		{"leap 2000 long", long("20000229", "", "123"), ref, date(2000, 2, 29), true, false, ""},
		{"leap 2000 short", short("000229", "-", "123"), ref, date(2000, 2, 29), true, false, ""},
		{"leap 2024 samordning", long("20240289", "", "123"), ref, date(2024, 2, 29), true, true, ""},
		// 12-digit forms check only the calendar date, not ref.
		{"long after ref", long("20300101", "", "123"), ref, date(2030, 1, 1), true, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := Parse(tt.in, tt.ref)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if !n.Birth.Equal(tt.birth) || n.Birth.Location() != time.UTC {
				t.Errorf("Birth = %v, want %v (UTC)", n.Birth, tt.birth)
			}
			if n.Male != tt.male {
				t.Errorf("Male = %v, want %v", n.Male, tt.male)
			}
			wantKon := "K"
			if tt.male {
				wantKon = "M"
			}
			if n.Kon() != wantKon {
				t.Errorf("Kon = %q, want %q", n.Kon(), wantKon)
			}
			if n.Samordning != tt.samordning {
				t.Errorf("Samordning = %v, want %v", n.Samordning, tt.samordning)
			}
			if tt.canonical != "" && n.Canonical() != tt.canonical {
				t.Errorf("Canonical = %q, want %q", n.Canonical(), tt.canonical)
			}
			if c := n.Canonical(); len(c) != 12 || c[8:] != strings.TrimSpace(tt.in)[len(strings.TrimSpace(tt.in))-4:] {
				t.Errorf("Canonical = %q does not end with the input's last four digits", c)
			}
			if k := fmt.Sprintf("%012d", n.Key()); k != n.Canonical() {
				t.Errorf("Key = %s, want the canonical digits %s", k, n.Canonical())
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error
	}{
		{"empty", "", ErrFormat},
		{"blank", "   ", ErrFormat},
		{"letters", "abcdefghij", ErrFormat},
		{"letter in serial", "20070315-12A4", ErrFormat},
		{"9 digits", "070315123", ErrFormat},
		{"11 digits", "07031512345", ErrFormat},
		{"14 digits", "20070315123456", ErrFormat},
		{"separator misplaced", "2007031-51233", ErrFormat},
		{"plus on long form", long("20070315", "+", "123"), ErrFormat},
		{"two separators", "070315--1233", ErrFormat},
		{"other separator", "070315/1233", ErrFormat},
		{"unicode digits", "０７０３１５１２３３", ErrFormat},
		{"bad check long", wrongCheck(long("20070315", "-", "123")), ErrCheckDigit},
		{"bad check short", wrongCheck(short("070315", "", "123")), ErrCheckDigit},
		{"feb 30 long", long("20070230", "", "123"), ErrDate},
		{"feb 30 short", short("070230", "-", "123"), ErrDate},
		{"1900-02-29", long("19000229", "-", "123"), ErrDate},
		{"1900-02-29 via plus", short("000229", "+", "123"), ErrDate},
		{"2023-02-29 short", short("230229", "-", "123"), ErrDate},
		{"month 13", long("20071301", "", "123"), ErrDate},
		{"month 0", long("20070001", "", "123"), ErrDate},
		{"day 0", long("20070100", "", "123"), ErrDate},
		{"day 32", long("20070132", "", "123"), ErrDate},
		{"day 60", long("20070160", "", "123"), ErrDate},
		{"samordning day 92", long("20070192", "", "123"), ErrDate},
		{"samordning feb 30", long("20070290", "", "123"), ErrDate},
		{"year 0000", long("00000101", "", "123"), ErrDate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.in, ref)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse error = %v, want %v", err, tt.want)
			}
			if strings.TrimSpace(tt.in) != "" && strings.Contains(err.Error(), strings.TrimSpace(tt.in)) {
				t.Errorf("error %q leaks the input", err)
			}
			if msg := err.Error(); msg != tt.want.Error() {
				t.Errorf("message = %q, want %q", msg, tt.want.Error())
			}
		})
	}
}

func TestAfterRefError(t *testing.T) {
	if !errors.Is(errAfterRef, ErrDate) || errAfterRef.Error() != "birth date after reference date" {
		t.Fatalf("errAfterRef = %q, Is ErrDate = %v", errAfterRef, errors.Is(errAfterRef, ErrDate))
	}
}

func TestRedacted(t *testing.T) {
	n, err := Parse(long("20070315", "-", "123"), ref)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		N Number
		P *Number
	}
	for _, format := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		for _, v := range []any{n, &n, row{n, &n}, []Number{n}} {
			out := fmt.Sprintf(format, v)
			for _, leak := range []string{"200703151233", "0703151233", "1233", "0315"} {
				if strings.Contains(out, leak) {
					t.Errorf("Sprintf(%s, %T) = %q leaks %q", format, v, out, leak)
				}
			}
		}
	}
}

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"":                                     "",
		"  ":                                   "",
		long("20070315", "-", "123"):           "***",
		"abc":                                  "***",
		wrongCheck(short("070315", "", "123")): "***",
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestPseudonym(t *testing.T) {
	key := []byte("0123456789abcdef-test-key")
	p, err := NewPseudonymizer(key)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := Parse(long("20070315", "", "123"), ref)
	sameViaShort, _ := Parse(short("070315", "-", "123"), ref)
	other, _ := Parse(long("20070315", "", "131"), ref)

	// Known answers (computed with Python's hmac module) pin the
	// construction: changing it would break every stored pseudonym.
	if got, want := p.Pseudonym(n), "16f1071790674dac0aa50e3ff0e43abf"; got != want {
		t.Errorf("Pseudonym = %s, want %s", got, want)
	}
	if got, want := p.Blockmark(n), "b268c7fc2c07474b28b77d34c325bf73"; got != want {
		t.Errorf("Blockmark = %s, want %s", got, want)
	}
	if pseudo, block := p.Marks(n); string(pseudo[:]) != p.Pseudonym(n) || string(block[:]) != p.Blockmark(n) {
		t.Errorf("Marks = %s, %s; want Pseudonym and Blockmark", pseudo[:], block[:])
	}
	demo, _ := NewPseudonymizer([]byte(DemoKey))
	samordning, _ := Parse(long("20070375", "", "123"), ref)
	if got, want := demo.Pseudonym(samordning), "a2c473d3f919b50d4d88c2503efcef43"; got != want {
		t.Errorf("demo Pseudonym(samordning) = %s, want %s", got, want)
	}

	if p.Pseudonym(n) != p.Pseudonym(n) || p.Pseudonym(n) != p.Pseudonym(sameViaShort) {
		t.Error("pseudonym not deterministic across calls and input forms")
	}
	if p.Pseudonym(n) == p.Pseudonym(other) {
		t.Error("different numbers give the same pseudonym")
	}
	if p.Pseudonym(n) == demo.Pseudonym(n) {
		t.Error("different keys give the same pseudonym")
	}
	if p.Pseudonym(n) == p.Blockmark(n) {
		t.Error("blockmark equals pseudonym")
	}
	for _, s := range []string{p.Pseudonym(n), p.Blockmark(n), demo.Pseudonym(samordning)} {
		if !hex32.MatchString(s) {
			t.Errorf("%q is not 32 lowercase hex chars", s)
		}
		for _, leak := range []string{"200703151233", "0703151233", "070315", "20070315"} {
			if strings.Contains(s, leak) {
				t.Errorf("%q contains %q", s, leak)
			}
		}
	}
	// The key is copied.
	key[0] = 'X'
	if p.Pseudonym(n) != "16f1071790674dac0aa50e3ff0e43abf" {
		t.Error("Pseudonymizer aliases the caller's key slice")
	}
}

func TestNewPseudonymizerShortKey(t *testing.T) {
	for _, k := range [][]byte{nil, []byte("short"), []byte("fifteen-bytes!!")} {
		if _, err := NewPseudonymizer(k); !errors.Is(err, ErrShortKey) {
			t.Errorf("NewPseudonymizer(%d bytes) error = %v, want ErrShortKey", len(k), err)
		}
	}
	if _, err := NewPseudonymizer([]byte("sixteen-bytes!!!")); err != nil {
		t.Errorf("16-byte key: %v", err)
	}
}

func TestLoadKey(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good", "file-key-0123456789\r\n")
	short := write("short", "tiny-secret\n")
	env := func(v string) func(string) string {
		return func(name string) string {
			if name == "KAA_PSEUDO_KEY" {
				return v
			}
			return ""
		}
	}
	tests := []struct {
		name    string
		path    string
		getenv  func(string) string
		want    string
		wantErr error
	}{
		{"file", good, env(""), "file-key-0123456789", nil},
		{"file wins over env", good, env("env-key-0123456789"), "file-key-0123456789", nil},
		{"env", "", env("env-key-0123456789\n"), "env-key-0123456789", nil},
		{"none", "", env(""), "", ErrNoKey},
		{"short file", short, env(""), "", ErrShortKey},
		{"short env", "", env("tiny-secret"), "", ErrShortKey},
		{"missing file", filepath.Join(dir, "nope"), env("env-key-0123456789"), "", os.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, err := LoadKey(tt.path, tt.getenv)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error = %v, want %v", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "tiny-secret") {
					t.Errorf("error %q leaks the key", err)
				}
				return
			}
			if err != nil || string(key) != tt.want {
				t.Fatalf("LoadKey = %q, %v; want %q", key, err, tt.want)
			}
		})
	}
	msg := ErrNoKey.Error()
	if !strings.Contains(msg, "--key-file") || !strings.Contains(msg, "KAA_PSEUDO_KEY") {
		t.Errorf("ErrNoKey message %q does not tell the operator what to do", msg)
	}
	if len(DemoKey) < MinKeyLen || !strings.Contains(DemoKey, "DEMO") {
		t.Errorf("DemoKey %q unusable or unlabelled", DemoKey)
	}
}

func sameNumber(a, b Number) bool {
	return a.Birth.Equal(b.Birth) && a.Birth.Location() == b.Birth.Location() &&
		a.Male == b.Male && a.Samordning == b.Samordning && a.Canonical() == b.Canonical()
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		long("20070315", "-", "123"), long("20070315", "", "131"), short("070315", "-", "123"),
		short("070315", "", "123"), short("250616", "+", "123"), long("20070375", "-", "123"),
		short("000229", "-", "456"), long("19991231", "", "987"), " " + short("991231", "-", "002") + " ",
		"", "+", "-", "abcdefghij", "19000229-1234", "000000-0000", "0000000000",
	} {
		f.Add(s, int64(ref.Unix()))
	}
	f.Add(short("070315", "-", "123"), int64(-62135596800)) // year 1
	f.Add(short("070315", "-", "123"), int64(0))
	sentinels := []error{ErrFormat, ErrCheckDigit, ErrDate}
	refs := []time.Time{{}, date(1900, 1, 1), ref, date(2199, 12, 31)}

	f.Fuzz(func(t *testing.T, s string, refUnix int64) {
		r := time.Unix(refUnix%(300*365*86400), 0).UTC()
		n, err := Parse(s, r)
		if err != nil {
			known := false
			for _, e := range sentinels {
				known = known || errors.Is(err, e)
			}
			msg := err.Error()
			if !known || (msg != ErrFormat.Error() && msg != ErrCheckDigit.Error() &&
				msg != ErrDate.Error() && msg != errAfterRef.Error()) {
				t.Fatalf("unexpected error %q", msg)
			}
			return
		}
		c := n.Canonical()
		if len(c) != 12 || n.Birth.Location() != time.UTC || n.Birth.Hour() != 0 {
			t.Fatalf("bad Number: canonical %q birth %v", c, n.Birth)
		}
		if k := fmt.Sprintf("%012d", n.Key()); k != c {
			t.Fatalf("Key = %s for canonical %q", k, c)
		}
		if n.Male != ((c[10]-'0')%2 == 1) {
			t.Fatalf("Male = %v for canonical %q", n.Male, c)
		}
		for _, r2 := range refs {
			m, err := Parse(c, r2)
			if err != nil || !sameNumber(n, m) {
				t.Fatalf("re-parse of canonical with ref %v: %v (same=%v)", r2, err, sameNumber(n, m))
			}
		}
		trimmed := strings.TrimSpace(s)
		last := trimmed[len(trimmed)-1]
		for d := byte('0'); d <= '9'; d++ {
			if d == last {
				continue
			}
			if _, err := Parse(trimmed[:len(trimmed)-1]+string(d), r); !errors.Is(err, ErrCheckDigit) {
				t.Fatalf("changed check digit %c→%c: error %v, want ErrCheckDigit", last, d, err)
			}
		}
	})
}
