package source

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// NamePattern is a file-name rule of a mapping profile: a glob ('*' any
// run of characters, '?' one character, everything else literal, case
// ignored) that may hold one date placeholder, {date:FORMAT} with a
// DateFormat, or {date} for {date:YYYY-MM-DD}. For example
// "Extens_utdrag_{date:YYYYMMDD}.csv" or "ESF_deltagarlista_*.csv".
type NamePattern struct {
	Text string // as written in the profile
	Line int    // line of the profile where it is written (0 if not from a file)
	re   *regexp.Regexp
	date *DateFormat
}

// ParseNamePattern compiles a file-name rule (see NamePattern).
func ParseNamePattern(s string) (NamePattern, error) {
	p := NamePattern{Text: s}
	if strings.ContainsAny(s, "/\\") {
		return p, fmt.Errorf("file pattern %q: a file name only, without folders", s)
	}
	var b strings.Builder
	b.WriteString("(?is)^")
	rest := s
	for rest != "" {
		switch {
		case strings.HasPrefix(rest, "{"):
			end := strings.IndexByte(rest, '}')
			if end < 0 {
				return p, fmt.Errorf("file pattern %q: unclosed {", s)
			}
			ph := rest[1:end]
			rest = rest[end+1:]
			format := "YYYY-MM-DD"
			switch {
			case ph == "date":
			case strings.HasPrefix(ph, "date:"):
				format = ph[len("date:"):]
			default:
				return p, fmt.Errorf("file pattern %q: unknown placeholder {%s} (use {date} or {date:YYYYMMDD})", s, ph)
			}
			if p.date != nil {
				return p, fmt.Errorf("file pattern %q: more than one {date}", s)
			}
			df, err := ParseDateFormat(format)
			if err != nil {
				return p, fmt.Errorf("file pattern %q: %v", s, err)
			}
			p.date = &df
			b.WriteString("(" + df.pattern() + ")")
		case rest[0] == '*':
			b.WriteString(".*")
			rest = rest[1:]
		case rest[0] == '?':
			b.WriteString(".")
			rest = rest[1:]
		default:
			i := strings.IndexAny(rest, "{*?")
			if i < 0 {
				i = len(rest)
			}
			b.WriteString(regexp.QuoteMeta(rest[:i]))
			rest = rest[i:]
		}
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return p, fmt.Errorf("file pattern %q: %v", s, err)
	}
	p.re = re
	return p, nil
}

// HasDate reports whether the pattern holds a {date} placeholder.
func (p NamePattern) HasDate() bool { return p.date != nil }

// Match reports whether the base name matches, and the date the name
// carries (zero if the pattern has none). A name that fits the pattern
// but whose date does not exist (20201345) gives ok true and an error.
func (p NamePattern) Match(base string) (date time.Time, ok bool, err error) {
	m := p.re.FindStringSubmatch(base)
	if m == nil {
		return time.Time{}, false, nil
	}
	if p.date == nil {
		return time.Time{}, true, nil
	}
	s, valid := p.date.Parse(m[1])
	if !valid {
		return time.Time{}, true, fmt.Errorf("%q is not a date in the format %s of the file pattern %q", m[1], p.date, p.Text)
	}
	d, _ := time.Parse("2006-01-02", s)
	return d, true, nil
}
