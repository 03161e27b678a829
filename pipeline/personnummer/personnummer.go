// Package personnummer owns everything the pipeline does with a Swedish
// personnummer or samordningsnummer: parsing and validating it (format,
// Luhn check digit, birth date, century), deriving the birth date and sex,
// and turning it into a keyed pseudonym (HMAC-SHA-256) so that the raw
// number can be dropped at ingest.
//
// Privacy contract: nothing in this package ever puts the digits of a
// number into an error message, and Number's String/GoString methods are
// redacted, so a value that reaches a log by accident (%v, %+v, %#v, %s)
// leaks nothing. The only ways to get the digits back are Canonical (for
// hashing) and never for output; rejects use Mask.
package personnummer

import (
	"errors"
	"strings"
	"time"
)

// Sentinel errors returned (wrapped or as is) by Parse; test with errors.Is.
// Their messages never contain the input.
var (
	// ErrFormat: not one of the accepted shapes (wrong length, letters,
	// misplaced separator).
	ErrFormat = errors.New("bad format")
	// ErrCheckDigit: the Luhn check digit does not match.
	ErrCheckDigit = errors.New("bad check digit")
	// ErrDate: the birth date is not a real calendar date (after removing
	// the samordningsnummer +60), or lies after the reference date.
	ErrDate = errors.New("bad birth date")
)

// dateError is an ErrDate with a more specific message.
type dateError string

func (e dateError) Error() string { return string(e) }
func (e dateError) Unwrap() error { return ErrDate }

// errAfterRef is returned when a short-form number would give a birth date
// after the reference date; errors.Is(errAfterRef, ErrDate) holds.
const errAfterRef = dateError("birth date after reference date")

// Number is a parsed, valid personnummer or samordningsnummer.
//
// It holds the digits (unexported) only so that Canonical can rebuild the
// 12-digit form for pseudonymisation. The zero Number is not a valid number.
type Number struct {
	// Birth is the real birth date at UTC midnight (for a samordningsnummer
	// the written day minus 60).
	Birth time.Time
	// Samordning is true for a samordningsnummer (day written as day+60).
	Samordning bool
	// Male is true when the second-to-last digit is odd.
	Male bool

	serial [4]byte // the last four digits NNNC as ASCII
}

// String is redacted on purpose so that fmt (%v, %s, %+v) cannot leak the
// number.
func (Number) String() string { return "personnummer(redacted)" }

// GoString is redacted on purpose so that %#v cannot leak the number.
func (Number) GoString() string { return "personnummer(redacted)" }

// Kon returns "M" for a man and "K" for a woman, as derived from the
// second-to-last digit.
func (n Number) Kon() string {
	if n.Male {
		return "M"
	}
	return "K"
}

// Canonical returns the 12-digit form YYYYMMDDNNNC with the day as written
// (a samordningsnummer keeps its +60). It is the input of the pseudonym
// HMAC and must never be logged or written out.
func (n Number) Canonical() string {
	var b [12]byte
	y, m, d := n.Birth.Date()
	if n.Samordning {
		d += 60
	}
	put := func(i, v, width int) {
		for j := width - 1; j >= 0; j-- {
			b[i+j] = byte('0' + v%10)
			v /= 10
		}
	}
	if y < 0 {
		y = 0 // not reachable for a parsed Number; keeps the output 12 digits
	}
	put(0, y%10000, 4)
	put(4, int(m), 2)
	put(6, d, 2)
	copy(b[8:], n.serial[:])
	return string(b[:])
}

// Key is the canonical form's twelve digits as one integer: a map key
// cheaper than Canonical (no string). Two Numbers have the same Key
// exactly when they have the same Canonical. It is the number itself, so
// it is kept in memory only, as the number is.
func (n Number) Key() uint64 {
	y, m, d := n.Birth.Date()
	if n.Samordning {
		d += 60
	}
	if y < 0 {
		y = 0 // as Canonical
	}
	k := uint64(y%10000)*100 + uint64(m)
	k = k*100 + uint64(d)
	for _, c := range n.serial {
		k = k*10 + uint64(c-'0')
	}
	return k
}

// Parse parses a personnummer or samordningsnummer. Surrounding white space
// is trimmed. Accepted forms:
//
//	YYYYMMDD-NNNC  YYYYMMDDNNNC   12 digits: the century is written
//	YYMMDD-NNNC    YYMMDDNNNC     10 digits: the person is under 100 on ref
//	YYMMDD+NNNC                   10 digits: the person is 100 or older on ref
//
// C is the Luhn check digit over the ten digits YYMMDDNNN. A day of 61–91
// marks a samordningsnummer (real day = day - 60).
//
// For the short forms the century is the Skatteverket rule: the latest
// birth date not after ref (compared as calendar dates in ref's location)
// whose age on ref is < 100 ('-' or no separator), or that date minus 100
// years ('+'). For the 12-digit forms only the calendar date is validated
// (it may lie after ref), so re-parsing Canonical() gives the same Number
// whatever ref is.
//
// Errors wrap ErrFormat, ErrCheckDigit or ErrDate (checked in that order)
// and never contain the input.
func Parse(s string, ref time.Time) (Number, error) {
	s = strings.TrimSpace(s)
	var digits [12]byte
	nd := 0
	sep := byte(0)
	switch len(s) {
	case 10, 12: // digits only
	case 11: // YYMMDD-NNNN or YYMMDD+NNNN
		sep = s[6]
		if sep != '-' && sep != '+' {
			return Number{}, ErrFormat
		}
	case 13: // YYYYMMDD-NNNN
		sep = s[8]
		if sep != '-' {
			return Number{}, ErrFormat
		}
	default:
		return Number{}, ErrFormat
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if sep != 0 && (i == len(s)-5) {
			continue // the separator position, checked above
		}
		if c < '0' || c > '9' {
			return Number{}, ErrFormat
		}
		digits[nd] = c
		nd++
	}
	long := nd == 12
	ten := digits[:10]
	if long {
		ten = digits[2:12]
	}
	if luhn(ten[:9]) != ten[9]-'0' {
		return Number{}, ErrCheckDigit
	}

	month := atoi2(ten[2], ten[3])
	day := atoi2(ten[4], ten[5])
	samordning := false
	if day > 60 {
		day -= 60
		samordning = true
	}
	var year int
	if long {
		year = atoi2(digits[0], digits[1])*100 + atoi2(digits[2], digits[3])
		if !validDate(year, month, day) {
			return Number{}, ErrDate
		}
	} else {
		ry, rm, rd := ref.Date()
		yy := atoi2(ten[0], ten[1])
		// The latest year <= ry ending in yy.
		year = ry - mod(ry-yy, 100)
		if year == ry && (month > int(rm) || (month == int(rm) && day > rd)) {
			year -= 100 // birthday-date would be after ref this year
		}
		if sep == '+' {
			year -= 100
		}
		if !validDate(year, month, day) {
			return Number{}, ErrDate
		}
		refDay := time.Date(ry, rm, rd, 0, 0, 0, 0, time.UTC)
		if time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC).After(refDay) {
			return Number{}, errAfterRef // defensive; the rule above prevents it
		}
	}
	n := Number{
		Birth:      time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC),
		Samordning: samordning,
		Male:       (ten[8]-'0')%2 == 1,
	}
	copy(n.serial[:], ten[6:10])
	return n, nil
}

// luhn returns the check digit for the nine ASCII digits d.
func luhn(d []byte) byte {
	sum := 0
	for i, c := range d {
		v := int(c - '0')
		if i%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return byte((10 - sum%10) % 10)
}

func atoi2(a, b byte) int { return int(a-'0')*10 + int(b-'0') }

func mod(a, m int) int {
	r := a % m
	if r < 0 {
		r += m
	}
	return r
}

// validDate reports whether y-m-d is a real date in the proleptic Gregorian
// calendar (year 1..9999).
func validDate(y, m, d int) bool {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 {
		return false
	}
	return d <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Mask returns what may be shown of a raw (possibly invalid) personnummer
// in a rejects file: "" when raw is blank (so a missing value stays
// visibly missing), "***" otherwise. It never returns any of its input.
func Mask(raw string) string {
	if strings.TrimSpace(raw) == "" {
		return ""
	}
	return "***"
}
