package source

import (
	"errors"
	"strconv"
)

// Error is a problem in one export file, at a line. It is used for both
// file errors (the file cannot be read at all: returned by Open, or by Next
// when the underlying reader fails) and row errors (one record is bad:
// returned by Next, which can be called again). Use IsFileError to tell
// them apart.
//
// Rule is a short description of the broken rule; it never contains a
// cell's value, so an Error may be logged without leaking personal data.
type Error struct {
	File  string // display name given to Open
	Line  int    // 1-based physical line (the header is line 1)
	Field string // canonical column name; "" when not about one column
	Rule  string // e.g. `missing column "Personnummer"`, "bad date"
	// Value is the offending cell as read (after decoding and trimming),
	// for a row error that a profile rule raised (extract, date or number
	// format); "" otherwise. It is never part of Error(): whoever shows it
	// must mask what may be personal data.
	Value string

	fileLevel bool
}

// Error formats the error as "File:Line: Field: Rule", leaving out
// "Field: " when Field is empty.
func (e *Error) Error() string {
	s := e.File + ":" + strconv.Itoa(e.Line) + ": "
	if e.Field != "" {
		s += e.Field + ": "
	}
	return s + e.Rule
}

// IsFileError reports whether err (or any error it wraps or joins) is a
// file-level *Error: the file as a whole cannot be read and the run must
// stop. Row errors and io.EOF give false.
func IsFileError(err error) bool {
	var e *Error
	if errors.As(err, &e) && e.fileLevel {
		return true
	}
	// errors.As stops at the first *Error; look at every joined error.
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		for _, x := range j.Unwrap() {
			if IsFileError(x) {
				return true
			}
		}
	}
	return false
}

func fileError(file string, line int, rule string) *Error {
	return &Error{File: file, Line: line, Rule: rule, fileLevel: true}
}

func rowError(file string, line int, field, rule string) *Error {
	return &Error{File: file, Line: line, Field: field, Rule: rule}
}
