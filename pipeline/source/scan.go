package source

import (
	"bytes"
	"io"
)

// The record scanner: RFC 4180 over raw bytes (the delimiter, quote and
// line endings are ASCII, so scanning before decoding is correct for both
// UTF-8 and Windows-1252).
//
//   - Fields are separated by the delimiter; a record ends at CRLF, LF or a
//     lone CR (outside quotes) or at the end of the input.
//   - A field starting with '"' (after optional spaces) is quoted: it runs
//     to the next lone '"', may contain the delimiter and line endings
//     (stored as "\n"), and "" stands for one '"'. Spaces may follow the
//     closing quote.
//   - Malformed records are row errors, with this recovery:
//     a '"' inside an unquoted field, or another character after a closing
//     quote: the rest of that physical line is skipped;
//     a quoted field still open at the end of the input, a record over
//     maxRecord bytes, a quoted field that ran over a line ending into
//     text holding the delimiter (or up to the start of a line) and then
//     does not close properly — rows taken in by a stray quote:
//     "unterminated quoted field" —, or a record over several lines with
//     the wrong number of fields (Next):
//     scanning resumes at the physical line after the record's first line
//     (so one stray quote costs one row and cannot swallow the rows after
//     it; the lines after the first are read again as records).
//   - rd.line counts every physical line ending, inside quotes too, so the
//     start line of every record is exact.

// fill reads more input into buf, after moving the unread bytes to its
// start. It reports whether new bytes arrived.
func (rd *Reader) fill() bool {
	if rd.srcErr != nil {
		return false
	}
	if rd.pos > 0 {
		rd.end = copy(rd.buf, rd.buf[rd.pos:rd.end])
		rd.pos = 0
	}
	if rd.end == len(rd.buf) {
		nb := make([]byte, 2*len(rd.buf))
		copy(nb, rd.buf[:rd.end])
		rd.buf = nb
	}
	for range 100 {
		n, err := rd.src.Read(rd.buf[rd.end:])
		if n < 0 || n > len(rd.buf)-rd.end {
			rd.srcErr = io.ErrShortBuffer // misbehaving reader
			return false
		}
		rd.end += n
		if err != nil {
			rd.srcErr = err
		}
		if n > 0 || err != nil {
			return n > 0
		}
	}
	rd.srcErr = io.ErrNoProgress
	return false
}

// peek returns the next byte without consuming it; false at the end of
// the input (or on a read error, left in srcErr).
func (rd *Reader) peek() (byte, bool) {
	if rd.pos >= rd.end && !rd.fill() {
		return 0, false
	}
	return rd.buf[rd.pos], true
}

// advance consumes n buffered bytes, keeping them in raw while recording.
func (rd *Reader) advance(n int) {
	if rd.recording {
		rd.raw = append(rd.raw, rd.buf[rd.pos:rd.pos+n]...)
	}
	rd.pos += n
}

// skipNewline consumes one line ending (CRLF, LF or CR) at pos, if any.
func (rd *Reader) skipNewline() {
	b, ok := rd.peek()
	if !ok || (b != '\n' && b != '\r') {
		return
	}
	rd.advance(1)
	rd.line++
	if b == '\r' {
		if b, ok := rd.peek(); ok && b == '\n' {
			rd.advance(1)
		}
	}
}

// readRecord scans the next record into field/ends. It returns the line
// where the record starts, a rule when the record is malformed (the input
// is then positioned at the next record), and eof when no record is left.
// Empty lines are skipped here; lines of white space or delimiters come
// back as records and are skipped by the caller (blank).
func (rd *Reader) readRecord() (start int, rule string, eof bool) {
	rd.recording = false
	for {
		b, ok := rd.peek()
		if !ok {
			return 0, "", true
		}
		if b != '\n' && b != '\r' {
			break
		}
		rd.skipNewline()
	}
	start = rd.line
	rd.field = rd.field[:0]
	rd.ends = rd.ends[:0]
	rd.raw = rd.raw[:0]
	rd.multi = false
	for {
		if rule := rd.readField(start); rule != "" {
			return start, rule, false
		}
		rd.ends = append(rd.ends, len(rd.field))
		b, ok := rd.peek()
		if !ok {
			rd.multi, rd.recording = rd.recording, false
			return start, "", false
		}
		if b == rd.delim {
			rd.advance(1)
			continue
		}
		rd.multi, rd.recording = rd.recording, false
		rd.skipNewline() // b is CR or LF: readField stops only there
		return start, "", false
	}
}

// rescan positions the input at the physical line after the first line of
// the record just read, which ran over several lines (rd.multi): raw holds
// what followed its first line, up to its final line ending.
func (rd *Reader) rescan(start int) {
	rd.raw = append(rd.raw, '\n') // the record's final line ending (or none, at the end)
	rd.replay(start)
}

// readField scans one field, leaving the input at the delimiter, line
// ending or end of input that ends it.
func (rd *Reader) readField(start int) string {
	from := len(rd.field)
	for {
		if rd.pos >= rd.end && !rd.fill() {
			return ""
		}
		buf := rd.buf[rd.pos:rd.end]
		i := 0
		for i < len(buf) && !rd.special[buf[i]] {
			i++
		}
		rd.field = append(rd.field, buf[:i]...)
		rd.advance(i)
		if len(rd.field) > maxRecord {
			return rd.tooLong(start)
		}
		if i == len(buf) {
			continue
		}
		if buf[i] != '"' {
			return "" // delimiter or line ending
		}
		if !rd.allSpace(rd.field[from:]) {
			rd.skipLine()
			return `bare " in unquoted field`
		}
		rd.field = rd.field[:from] // spaces before the opening quote
		rd.advance(1)
		return rd.readQuoted(start, from)
	}
}

// readQuoted scans the rest of a quoted field, after its opening quote;
// its text starts at field[from].
func (rd *Reader) readQuoted(start, from int) string {
	for {
		if rd.pos >= rd.end && !rd.fill() {
			return rd.resume(start, "unterminated quoted field")
		}
		buf := rd.buf[rd.pos:rd.end]
		i := 0
		for i < len(buf) && buf[i] != '"' && buf[i] != '\n' && buf[i] != '\r' {
			i++
		}
		rd.field = append(rd.field, buf[:i]...)
		rd.advance(i)
		if len(rd.field) > maxRecord {
			return rd.tooLong(start)
		}
		if i == len(buf) {
			continue
		}
		if buf[i] != '"' {
			// A line ending inside the quotes.
			rd.field = append(rd.field, '\n')
			rd.skipNewline()
			if !rd.recording {
				rd.recording = true // raw now holds what follows the first line
				rd.raw = rd.raw[:0]
			}
			continue
		}
		rd.advance(1)
		b, ok := rd.peek()
		if ok && b == '"' {
			rd.field = append(rd.field, '"')
			rd.advance(1)
			continue
		}
		for ok && (b == ' ' || (b == '\t' && rd.delim != '\t')) {
			rd.advance(1)
			b, ok = rd.peek()
		}
		if !ok || b == rd.delim || b == '\n' || b == '\r' {
			return ""
		}
		if rd.recording && rd.swallowed(from) {
			// The field's own opening quote was a stray one: what
			// follows it are rows, read again on their own.
			return rd.resume(start, "unterminated quoted field")
		}
		rd.skipLine()
		return "unexpected character after closing quote"
	}
}

// swallowed reports whether the text of a quoted field (from field[from])
// that ran over a line ending looks like rows taken in by a stray quote:
// after its first line ending it holds the delimiter, or it ends at the
// start of a line (the "closing" quote opens the line's first field).
func (rd *Reader) swallowed(from int) bool {
	f := rd.field[from:]
	i := bytes.IndexByte(f, '\n')
	return i >= 0 && (bytes.IndexByte(f[i:], rd.delim) >= 0 || f[len(f)-1] == '\n')
}

func (rd *Reader) allSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && (c != '\t' || rd.delim == '\t') {
			return false
		}
	}
	return true
}

// skipLine consumes the rest of the current physical line, quotes
// included, and its line ending.
func (rd *Reader) skipLine() {
	rd.recording = false
	for {
		if rd.pos >= rd.end && !rd.fill() {
			return
		}
		buf := rd.buf[rd.pos:rd.end]
		i := 0
		for i < len(buf) && buf[i] != '\n' && buf[i] != '\r' {
			i++
		}
		rd.pos += i
		if i < len(buf) {
			rd.skipNewline()
			return
		}
	}
}

func (rd *Reader) tooLong(start int) string {
	return rd.resume(start, "record too long (over 1 MiB)")
}

// resume positions the input at the physical line after the record's
// first line and returns rule. If the record has not left its first line,
// that means skipping the rest of the line; otherwise the bytes read
// after the first line (kept in raw) are pushed back in front of the
// unread input.
func (rd *Reader) resume(start int, rule string) string {
	if !rd.recording {
		rd.skipLine()
		return rule
	}
	rd.recording = false
	rd.replay(start)
	return rule
}

// replay puts the bytes in raw back in front of the unread input, to be
// read again from the physical line start+1.
func (rd *Reader) replay(start int) {
	rest := rd.buf[rd.pos:rd.end]
	nb := make([]byte, len(rd.raw)+len(rest), max(len(rd.raw)+len(rest)+bufSize, 2*bufSize))
	copy(nb[copy(nb, rd.raw):], rest)
	rd.buf = nb[:cap(nb)]
	rd.pos, rd.end = 0, len(rd.raw)+len(rest)
	rd.line = start + 1
	rd.raw = rd.raw[:0]
}
