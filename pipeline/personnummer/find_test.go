package personnummer

import "testing"

// writtenForms are the ways a valid number may be typed into a text
// column; every one must be found, masked and rejected.
func writtenForms() map[string]string {
	return map[string]string{
		"12 digits":            long("20030501", "", "001"),
		"12 dash":              long("20030501", "-", "001"),
		"12 plus":              long("20030501", "+", "001"),
		"12 space":             long("20030501", " ", "002"),
		"12 en dash":           long("20030501", "\u2013", "017"),
		"12 no-break space":    long("20030501", "\u00a0", "017"),
		"12 narrow nbsp":       long("20030501", "\u202f", "017"),
		"12 minus sign":        long("20030501", "\u2212", "017"),
		"12 spaced dash":       long("20030501", " - ", "017"),
		"10 digits":            short("030501", "", "001"),
		"10 dash":              short("030501", "-", "001"),
		"10 plus":              short("030501", "+", "001"),
		"10 space":             short("030501", " ", "001"),
		"10 en dash":           short("030501", "\u2013", "001"),
		"10 no-break space":    short("030501", "\u00a0", "001"),
		"samordningsnummer":    short("030561", "-", "001"),
		"samordning 12":        long("20030561", "", "001"),
		"29 february, 10":      short("000229", "-", "123"),
		"inside text":          "Ring " + long("20030501", "-", "001") + " om frånvaro",
		"after a word":         "pnr:" + short("030501", "", "001"),
		"before a letter":      short("030501", "-", "001") + "x",
		"in a postnummer cell": long("20030501", " ", "001"),
		"12 slash":             long("20030501", "/", "001"),
		"10 slash":             short("030501", "/", "001"),
		"10 point":             short("030501", ".", "001"),
		"10 underscore":        short("030501", "_", "001"),
		"12 as a date":         dated("2003-05-01", "-", long("20030501", "", "001")),
		"10 as a date":         dated("03-05-01", "-", short("030501", "", "001")),
		"12 date in spaces":    dated("2003 05 01", " ", long("20030501", "", "001")),
		"12 date in a name":    "Hedbergska " + dated("2003-05-01", "-", long("20030501", "", "001")),
	}
}

func TestContainsEveryWrittenForm(t *testing.T) {
	for name, s := range writtenForms() {
		if !Contains(s) {
			t.Errorf("%s: Contains(%q) = false", name, s)
		}
		if !Shaped(s) {
			t.Errorf("%s: Shaped(%q) = false", name, s)
		}
		if got := Redact(s); got != "***" {
			t.Errorf("%s: Redact(%q) = %q, want ***", name, s, got)
		}
	}
}

// TestContainsOnlyRealNumbers: a value that is not a personnummer —
// a wrong check digit, no real date, an organisation number, a date, a
// postnummer, a longer digit run — is not rejected; the shaped ones among
// them are still masked when shown.
func TestContainsOnlyRealNumbers(t *testing.T) {
	cases := []struct {
		in     string
		shaped bool
	}{
		{wrongCheck(long("20030501", "-", "001")), true},
		{wrongCheck(short("030501", "", "001")), true},
		{short("031301", "-", "001"), true},        // month 13
		{short("030532", "-", "001"), true},        // day 32
		{short("010229", "-", "123"), true},        // 29 February in 1901 and 2001
		{"556677-8899", true},                      // organisation number: month 66
		{"1" + long("20030501", "", "001"), true},  // 13 digits: not stand-alone
		{long("20030501", "", "001") + "7", true},  // 13 digits
		{long("20030501", "-", "001") + "7", true}, // serial of 5 digits
		{"2019-09-01", false},                      // a date
		{"2019-09-01 - 2020-06-30", false},         // a period
		{"2019-09-01 12:30", false},                // a time
		{"852 30", false},                          // a postnummer
		{"Hedbergska gymnasiet", false},            //
		{"NA19 2020", false},                       // a programme code
		{"0701234", false},                         // seven digits
		{short("030501", "-x-", "001"), false},     // not a separator run
		{short("030501", "    ", "001"), false},    // four spaces: too far apart
		{"", false},
	}
	for _, c := range cases {
		if Contains(c.in) {
			t.Errorf("Contains(%q) = true", c.in)
		}
		if got := Shaped(c.in); got != c.shaped {
			t.Errorf("Shaped(%q) = %v, want %v", c.in, got, c.shaped)
		}
		want := c.in
		if c.shaped {
			want = "***"
		}
		if got := Redact(c.in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", c.in, got, want)
		}
	}
}

func FuzzRedact(f *testing.F) {
	for _, s := range writtenForms() {
		f.Add(s)
	}
	f.Add("Hedbergska")
	f.Fuzz(func(t *testing.T, s string) {
		if Contains(s) && !Shaped(s) {
			t.Fatalf("Contains(%q) but not Shaped: a rejected value would be shown", s)
		}
		if r := Redact(s); r != s && r != "***" {
			t.Fatalf("Redact(%q) = %q", s, r)
		}
	})
}

// dated writes the number of digits (from long or short) with its date
// part as date (its separators as written) and sep before the serial part.
func dated(date, sep, digits string) string {
	return date + sep + digits[len(digits)-4:]
}
