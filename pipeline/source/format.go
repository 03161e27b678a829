package source

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// DateFormat is a date or date-time layout written with tokens, as a
// mapping profile gives it (date_format = "YYYY-MM-DD hh:mm:ss"):
//
//	YYYY yyyy ÅÅÅÅ   four-digit year      YY yy    two-digit year (20YY)
//	MM               two-digit month      M        month, 1 or 2 digits
//	DD dd            two-digit day        D d      day, 1 or 2 digits
//	hh HH            two-digit hour 00–23 h H      hour, 1 or 2 digits
//	mm               two-digit minute     ss       two-digit second
//	f… (1–9 f)       that many digits of a fraction of a second
//
// Every other character stands for itself. Tokens are case-sensitive where
// it matters: MM is the month, mm the minute. A format must hold the year,
// the month and the day once each. The time of day, if the format has
// one, is checked (00:00:00–23:59:59) and then dropped: the pipeline keeps
// dates only.
type DateFormat struct {
	text  string
	parts []datePart
}

type datePart struct {
	lit      string // a literal run (when field == 0)
	field    byte   // 'Y' year, 'y' two-digit year, 'M' month, 'D' day, 'h' hour, 'm' minute, 's' second, 'f' fraction
	min, max int    // digits
}

// ParseDateFormat compiles a date format (see DateFormat).
func ParseDateFormat(s string) (DateFormat, error) {
	f := DateFormat{text: s}
	seen := map[byte]bool{}
	add := func(field byte, min, max int) error {
		key := field
		if key == 'y' {
			key = 'Y'
		}
		if seen[key] {
			return fmt.Errorf("date format %q has the %s twice", s, fieldName(field))
		}
		seen[key] = true
		f.parts = append(f.parts, datePart{field: field, min: min, max: max})
		return nil
	}
	tokens := []struct {
		tok      string
		field    byte
		min, max int
	}{
		{"YYYY", 'Y', 4, 4}, {"yyyy", 'Y', 4, 4}, {"ÅÅÅÅ", 'Y', 4, 4},
		{"YY", 'y', 2, 2}, {"yy", 'y', 2, 2},
		{"MM", 'M', 2, 2}, {"DD", 'D', 2, 2}, {"dd", 'D', 2, 2},
		{"hh", 'h', 2, 2}, {"HH", 'h', 2, 2}, {"mm", 'm', 2, 2}, {"ss", 's', 2, 2},
		{"M", 'M', 1, 2}, {"D", 'D', 1, 2}, {"d", 'D', 1, 2}, {"h", 'h', 1, 2}, {"H", 'h', 1, 2},
	}
	rest := s
next:
	for rest != "" {
		if rest[0] == 'f' {
			n := len(rest) - len(strings.TrimLeft(rest, "f"))
			if n > 9 {
				return f, fmt.Errorf("date format %q: at most 9 f (fraction digits)", s)
			}
			if err := add('f', n, n); err != nil {
				return f, err
			}
			rest = rest[n:]
			continue
		}
		for _, t := range tokens {
			if strings.HasPrefix(rest, t.tok) {
				if err := add(t.field, t.min, t.max); err != nil {
					return f, err
				}
				rest = rest[len(t.tok):]
				continue next
			}
		}
		_, size := utf8.DecodeRuneInString(rest)
		if n := len(f.parts); n > 0 && f.parts[n-1].field == 0 {
			f.parts[n-1].lit += rest[:size]
		} else {
			f.parts = append(f.parts, datePart{lit: rest[:size]})
		}
		rest = rest[size:]
	}
	for _, need := range []byte{'Y', 'M', 'D'} {
		if !seen[need] {
			return f, fmt.Errorf("date format %q has no %s (use YYYY, MM and DD; mm is minutes)", s, fieldName(need))
		}
	}
	if seen['m'] && !seen['h'] || seen['s'] && !seen['m'] {
		return f, fmt.Errorf("date format %q: minutes need hours and seconds need minutes (MM is the month, mm minutes)", s)
	}
	return f, nil
}

func fieldName(b byte) string {
	switch b {
	case 'Y', 'y':
		return "year"
	case 'M':
		return "month"
	case 'D':
		return "day"
	case 'h':
		return "hour"
	case 'm':
		return "minute"
	case 's':
		return "second"
	}
	return "fraction of a second"
}

// String returns the format as written.
func (f DateFormat) String() string { return f.text }

// Parse reads s (already trimmed) in the format and returns the date
// written YYYY-MM-DD. ok is false if s does not fit the format or names a
// date or time that does not exist.
func (f DateFormat) Parse(s string) (string, bool) {
	var y, mo, d int
	h, mi, sec := 0, 0, 0
	for i, p := range f.parts {
		if p.field == 0 {
			if !strings.HasPrefix(s, p.lit) {
				return "", false
			}
			s = s[len(p.lit):]
			continue
		}
		n := 0
		for n < len(s) && n < p.max && s[n] >= '0' && s[n] <= '9' {
			n++
		}
		// A variable-width field followed directly by another number
		// field takes only its minimum.
		if p.min != p.max && i+1 < len(f.parts) && f.parts[i+1].field != 0 {
			n = min(n, p.min)
		}
		if n < p.min {
			return "", false
		}
		v, _ := strconv.Atoi(s[:n])
		s = s[n:]
		switch p.field {
		case 'Y':
			y = v
		case 'y':
			y = 2000 + v
		case 'M':
			mo = v
		case 'D':
			d = v
		case 'h':
			h = v
		case 'm':
			mi = v
		case 's':
			sec = v
		}
	}
	if s != "" || y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || sec > 59 {
		return "", false
	}
	t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return "", false
	}
	return t.Format("2006-01-02"), true
}

// pattern returns a regular expression (no anchors, no groups) matching
// the text of a date in this format; used by file-name patterns.
func (f DateFormat) pattern() string {
	var b strings.Builder
	for _, p := range f.parts {
		if p.field == 0 {
			b.WriteString(regexp.QuoteMeta(p.lit))
			continue
		}
		if p.min == p.max {
			fmt.Fprintf(&b, "[0-9]{%d}", p.min)
		} else {
			fmt.Fprintf(&b, "[0-9]{%d,%d}", p.min, p.max)
		}
	}
	return b.String()
}

// NumberFormat is how a kommun's export writes numbers: its decimal
// separator and, optionally, a thousands separator ("301 000", "12,5").
type NumberFormat struct {
	// Decimal is ',' or '.', or 0 for either (the canonical rule).
	Decimal rune
	// Thousands is the group separator, or 0 for none. A space also
	// accepts the no-break spaces U+00A0 and U+202F that Excel writes.
	Thousands rune
}

// Canonical rewrites s (trimmed) as the canonical layout writes numbers:
// an optional minus, digits, and a decimal point. Thousands separators
// must stand between groups of exactly three digits of the whole part
// ("1 234 567"), so that a misread separator fails instead of changing
// the value. ok is false for anything else.
func (n NumberFormat) Canonical(s string) (string, bool) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var whole, frac string
	cut := -1
	for i, r := range s {
		if r == n.Decimal || (n.Decimal == 0 && (r == ',' || r == '.') && r != n.Thousands) {
			cut = i
			break
		}
	}
	if cut >= 0 {
		whole = s[:cut]
		_, size := utf8.DecodeRuneInString(s[cut:])
		frac = s[cut+size:]
		if frac == "" || !allDigits(frac) {
			return "", false
		}
	} else {
		whole = s
	}
	if n.Thousands != 0 {
		var groups []string
		start := 0
		for i, r := range whole {
			if n.isThousands(r) {
				groups = append(groups, whole[start:i])
				start = i + utf8.RuneLen(r)
			}
		}
		groups = append(groups, whole[start:])
		if len(groups) > 1 {
			for i, g := range groups {
				if !allDigits(g) || (i == 0 && len(g) > 3) || (i > 0 && len(g) != 3) {
					return "", false
				}
			}
		}
		whole = strings.Join(groups, "")
	}
	if whole == "" || !allDigits(whole) {
		return "", false
	}
	out := whole
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out, true
}

func (n NumberFormat) isThousands(r rune) bool {
	return r == n.Thousands || (n.Thousands == ' ' && (r == '\u00A0' || r == '\u202F'))
}

// String describes the format for messages, e.g. `decimal ",", thousands " "`.
func (n NumberFormat) String() string {
	d := "\",\" or \".\""
	if n.Decimal != 0 {
		d = strconv.Quote(string(n.Decimal))
	}
	s := "decimal " + d
	if n.Thousands != 0 {
		s += ", thousands " + strconv.Quote(string(n.Thousands))
	}
	return s
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
