package personnummer

import (
	"unicode/utf8"
)

// Written forms outside the Personnummer column. A number typed into a
// free-text column (a coach's note, a school name, a postnummer) may be
// written in any of these ways:
//
//	YYYYMMDDNNNC  YYMMDDNNNC            digits only
//	YYYYMMDD-NNNC YYMMDD-NNNC            with a separator run of one to
//	YYMMDD+NNNC   YYMMDD – NNNC          three characters from '-', '+',
//	YYMMDD/NNNC   YYMMDD.NNNC            '/', '.', '_', space, tab,
//	                                     no-break space (U+00A0, U+202F),
//	                                     thin space (U+2009), hyphens and
//	                                     dashes (U+2010–U+2015) and the
//	                                     minus sign (U+2212)
//	YYYY-MM-DD-NNNC YY MM DD NNNC       the date part written as a date,
//	                                     its parts joined by separator
//	                                     runs too
//
// Shaped finds these shapes anywhere in a value, whatever the digits
// (also inside longer digit runs): it decides what is masked. Contains
// finds the shapes that stand alone (no digit right before or after) and
// whose digits are a real number (a calendar date, with day + 60 for a
// samordningsnummer, and a valid check digit): it decides what is
// rejected.

// isSeparator reports whether r may stand between the date and the serial
// part of a written number.
func isSeparator(r rune) bool {
	switch r {
	case '-', '+', '/', '.', '_', ' ', '\t', '\u00a0', '\u202f', '\u2009', '\u2212':
		return true
	}
	return r >= '\u2010' && r <= '\u2015'
}

// group is a run of ASCII digits in a value: its digits and the byte
// offsets where it starts and ends.
type group struct {
	start, end int
	digits     string
}

// groups splits s into its digit runs.
func groups(s string) []group {
	var out []group
	for i := 0; i < len(s); {
		if s[i] < '0' || s[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		out = append(out, group{start: i, end: j, digits: s[i:j]})
		i = j
	}
	return out
}

// separated reports whether s[from:to] is a separator run of one to three
// separator characters.
func separated(s string, from, to int) bool {
	if from >= to {
		return false
	}
	n := 0
	for i := from; i < to; {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isSeparator(r) {
			return false
		}
		n++
		i += size
	}
	return n <= 3
}

// candidates calls fn with the digits of every written number in s:
// digit runs of 10 or 12 digits, a run of 6 or 8 digits joined to a run of
// 4 by a separator run, and runs of 2 or 4, 2, 2 and 4 digits joined by
// separator runs (a date written as a date, then the serial part). With
// whole, only runs that are exactly that long count; otherwise any run of
// at least 10 digits, and a date part or serial part at the end or start
// of a longer run, count too. fn returning true stops the search.
func candidates(s string, whole bool, fn func(digits string) bool) bool {
	gs := groups(s)
	for i, g := range gs {
		n := len(g.digits)
		if n == 10 || n == 12 || (!whole && n > 10) {
			if fn(g.digits) {
				return true
			}
		}
		if datedParts(s, gs, i, whole, fn) {
			return true
		}
		if i+1 >= len(gs) {
			continue
		}
		next := gs[i+1]
		if !separated(s, g.end, next.start) {
			continue
		}
		var heads, tails []string
		if whole {
			if n == 6 || n == 8 {
				heads = []string{g.digits}
			}
			if len(next.digits) == 4 {
				tails = []string{next.digits}
			}
		} else {
			if n >= 6 {
				heads = append(heads, g.digits[n-6:])
			}
			if n >= 8 {
				heads = append(heads, g.digits[n-8:])
			}
			if len(next.digits) >= 4 {
				tails = []string{next.digits[:4]}
			}
		}
		for _, h := range heads {
			for _, t := range tails {
				if fn(h + t) {
					return true
				}
			}
		}
	}
	return false
}

// datedParts calls fn with the digits of a number whose date part is
// written as a date (YYYY-MM-DD-NNNC, YY MM DD NNNC) starting at gs[i]:
// four digit runs joined by separator runs, of 2 or 4 (with !whole: the
// last 2 or 4 of a longer run), 2, 2 and 4 (with !whole: the first 4 of a
// longer run) digits, and no digit run joined to them by a separator run
// before or after (two dates of a period, 2019-09-01 - 2020-06-30, are not
// a number).
func datedParts(s string, all []group, i int, whole bool, fn func(digits string) bool) bool {
	gs := all[i:]
	if len(gs) < 4 {
		return false
	}
	for k := 1; k < 4; k++ {
		if !separated(s, gs[k-1].end, gs[k].start) {
			return false
		}
	}
	if i > 0 && separated(s, all[i-1].end, gs[0].start) || len(gs) > 4 && separated(s, gs[3].end, gs[4].start) {
		return false
	}
	year, serial := gs[0].digits, gs[3].digits
	if len(gs[1].digits) != 2 || len(gs[2].digits) != 2 || len(serial) < 4 || (whole && len(serial) != 4) {
		return false
	}
	serial = serial[:4]
	var years []string
	switch n := len(year); {
	case whole && (n == 2 || n == 4):
		years = []string{year}
	case !whole && n >= 2:
		years = []string{year[n-2:]}
		if n >= 4 {
			years = append(years, year[n-4:])
		}
	}
	for _, y := range years {
		if fn(y + gs[1].digits + gs[2].digits + serial) {
			return true
		}
	}
	return false
}

// Shaped reports whether s holds anything written like a personnummer or
// samordningsnummer (see the forms above), valid or not. A value that is
// shaped is never shown: Redact hides it.
func Shaped(s string) bool {
	if !enoughDigits(s) {
		return false
	}
	return candidates(s, false, func(string) bool { return true })
}

// Contains reports whether s holds a personnummer or samordningsnummer in
// any written form (see above): a stand-alone group of digits that is a
// real number — a valid date (day + 60 for a samordningsnummer; for ten
// digits in either century) and check digit.
func Contains(s string) bool {
	if !enoughDigits(s) {
		return false
	}
	return candidates(s, true, isNumber)
}

// Redact returns what may be shown of any value outside the Personnummer
// column — in rejects, the database and messages: the value itself, or
// "***" when it holds anything shaped like a personnummer (the whole value
// is hidden, so that nothing around the number is shown either).
func Redact(s string) string {
	if Shaped(s) {
		return "***"
	}
	return s
}

// enoughDigits is the fast path: a value with fewer than ten digits holds
// no number.
func enoughDigits(s string) bool {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
			if n >= 10 {
				return true
			}
		}
	}
	return false
}

// isNumber reports whether 10 or 12 ASCII digits are a personnummer or
// samordningsnummer: a real birth date and a valid check digit.
func isNumber(d string) bool {
	ten := d
	if len(d) == 12 {
		ten = d[2:]
	}
	if len(ten) != 10 {
		return false
	}
	if luhn([]byte(ten[:9])) != ten[9]-'0' {
		return false
	}
	month := atoi2(ten[2], ten[3])
	day := atoi2(ten[4], ten[5])
	if day > 60 {
		day -= 60
	}
	if len(d) == 12 {
		return validDate(atoi2(d[0], d[1])*100+atoi2(d[2], d[3]), month, day)
	}
	yy := atoi2(ten[0], ten[1])
	// either century may be meant: 29 February counts if one is a leap year
	return validDate(1900+yy, month, day) || validDate(2000+yy, month, day)
}
