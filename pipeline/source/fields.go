package source

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// Errors of the field parsers. Their messages are the short rule texts put
// in rejects; they never contain the value.
var (
	ErrDate    = errors.New("bad date")
	ErrDecimal = errors.New("bad decimal number")
	ErrYesNo   = errors.New("bad yes/no value (use J or N)")
	ErrWhole   = errors.New("not a whole number")
	ErrRange   = errors.New("number out of range")
)

// The field parsers below take one cell value (already trimmed by Reader;
// surrounding white space is trimmed again here). An empty cell is a
// missing value: callers handle it before parsing, and the parsers reject
// it.

// ParseDate parses a date written YYYY-MM-DD, YYYYMMDD or YYMMDD and returns
// it at UTC midnight. The date must exist in the calendar (year 0001–9999).
// YYMMDD is read as 20YY-MM-DD: six-digit dates in these exports are all
// from 2000 on (the youths are born after 2000 and the registers are
// younger). Failure: ErrDate.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	var y, m, d int
	var ok bool
	switch len(s) {
	case 10:
		if s[4] != '-' || s[7] != '-' {
			return time.Time{}, ErrDate
		}
		y, ok = digits(s[0:4])
		m, ok = digitsAnd(ok, s[5:7])
		d, ok = digitsAnd(ok, s[8:10])
	case 8:
		y, ok = digits(s[0:4])
		m, ok = digitsAnd(ok, s[4:6])
		d, ok = digitsAnd(ok, s[6:8])
	case 6:
		y, ok = digits(s[0:2])
		y += 2000
		m, ok = digitsAnd(ok, s[2:4])
		d, ok = digitsAnd(ok, s[4:6])
	default:
		return time.Time{}, ErrDate
	}
	if !ok || y < 1 || m < 1 || m > 12 || d < 1 {
		return time.Time{}, ErrDate
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // normalised: the day does not exist in that month
		return time.Time{}, ErrDate
	}
	return t, nil
}

// digits parses s, which must be ASCII digits only.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func digitsAnd(ok bool, s string) (int, bool) {
	n, ok2 := digits(s)
	return n, ok && ok2
}

// ParseDecimal parses a decimal number: an optional leading minus, digits,
// and optionally a decimal comma or point followed by digits ("12",
// "-0,5", "3.25"). Nothing else is accepted: no plus sign, no thousands
// separators (a space inside is an error), no exponent, no NaN/Inf.
// Failure: ErrDecimal.
func ParseDecimal(s string) (float64, error) {
	s = strings.TrimSpace(s)
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	intStart := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == intStart {
		return 0, ErrDecimal
	}
	sep := -1
	if i < len(s) && (s[i] == ',' || s[i] == '.') {
		sep = i
		i++
		fracStart := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == fracStart {
			return 0, ErrDecimal
		}
	}
	if i != len(s) {
		return 0, ErrDecimal
	}
	if sep >= 0 && s[sep] == ',' {
		s = s[:sep] + "." + s[sep+1:]
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, ErrDecimal
	}
	return f, nil
}

// ParseYesNo parses J, Ja, 1 (true) and N, Nej, 0 (false), case-insensitive.
// Anything else, including Y/Yes/No, fails with ErrYesNo.
func ParseYesNo(s string) (bool, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "1" || strings.EqualFold(s, "J") || strings.EqualFold(s, "Ja"):
		return true, nil
	case s == "0" || strings.EqualFold(s, "N") || strings.EqualFold(s, "Nej"):
		return false, nil
	}
	return false, ErrYesNo
}

// ParseInt parses a whole number: an optional leading minus and ASCII
// digits. "12,0", "12.5", "1 000" and "+3" fail with ErrWhole; a value that
// does not fit in int64 fails with ErrRange.
func ParseInt(s string) (int64, error) {
	s = strings.TrimSpace(s)
	body := strings.TrimPrefix(s, "-")
	if body == "" {
		return 0, ErrWhole
	}
	for i := 0; i < len(body); i++ {
		if body[i] < '0' || body[i] > '9' {
			return 0, ErrWhole
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, ErrRange
	}
	return n, nil
}
