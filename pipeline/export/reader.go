package export

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Encoding names reported by Reader.Encoding and accepted in Options.
const (
	UTF8        = "utf-8"
	Windows1252 = "windows-1252"
)

const (
	sniffSize = 64 << 10 // bytes looked at for encoding detection and NUL bytes
	bufSize   = 64 << 10 // read buffer
	// maxRecord bounds the bytes of one record: a longer record (in
	// practice: a runaway quoted field) is a row error.
	maxRecord = 1 << 20
	// slabRecords is how many records' Values share one allocation.
	slabRecords = 64
)

// Options tell Open how to read one file. The zero value detects
// everything and maps nothing.
type Options struct {
	// Encoding is "" (detect), "utf-8" or "windows-1252" (also accepted:
	// "utf8", "cp1252"; case-insensitive).
	Encoding string
	// Delimiter is 0 (detect from the header line) or the field delimiter,
	// an ASCII character other than '"', space, CR and LF.
	Delimiter rune
	// Rename maps a canonical column name to the header used for it in this
	// kommun's export. A renamed column is matched only under its new name.
	Rename map[string]string
	// Recode maps a canonical column name to a table export value →
	// canonical value, applied to the trimmed cell (exact match).
	Recode map[string]map[string]string
}

// Record is one data record of a file.
type Record struct {
	// Line is the 1-based physical line where the record starts.
	Line int
	// Values is aligned with the columns given to Open: "" when the column
	// is absent from the file or the cell is empty. Values are trimmed of
	// surrounding white space and recoded. The slice is the caller's to
	// keep: Next never writes to it again. (The Values of up to 64
	// consecutive records share one backing array, so keeping one keeps
	// the others' strings alive.)
	Values []string
}

type encState uint8

const (
	// encUndecided: only ASCII seen so far (identical in both encodings);
	// the first record with a non-ASCII byte decides. Reported as utf-8.
	encUndecided encState = iota
	encUTF8
	encWin1252
)

// Reader streams the records of one export file. It is not safe for
// concurrent use.
type Reader struct {
	file string
	src  io.Reader

	buf      []byte
	pos, end int
	srcErr   error // sticky error of src; io.EOF at its end
	line     int   // physical line number of buf[pos]

	delim    byte
	special  [256]bool // bytes that stop an unquoted field
	enc      encState
	detected bool // the encoding is detected, not forced by Options

	ncols   int      // number of fields in the header line
	colIdx  []int    // per wanted column: field index in the file, or -1
	columns []string // canonical columns, as given to Open
	ignored []string // header names matching no wanted column
	recode  []map[string]string

	// per-record scratch
	field     []byte // unescaped bytes of all fields of the record
	ends      []int  // end offset in field of each field
	raw       []byte // raw bytes after the record's first line (see resume)
	recording bool
	multi     bool     // the record just read ran over several physical lines
	out       []byte   // decoded wanted values, converted to one string
	offs      []int    // start and end of each wanted value in out
	slab      []string // unused part of the backing array of Record.Values

	fileErr error // sticky file error
}

// Open reads the header of an export file and returns a Reader positioned
// at the first data record. file is the display name used in errors;
// columns are the canonical columns wanted (Record.Values follows their
// order) and required those that must be present (a subset of columns).
//
// Contract:
//   - Encoding: opt.Encoding if set; else the first 64 KiB (after a UTF-8
//     BOM, which is always stripped) decide: valid UTF-8 with some
//     non-ASCII byte → UTF-8; pure ASCII → UTF-8 after a BOM, otherwise
//     decided by the first later record holding a non-ASCII byte (ASCII is
//     the same in both); not valid UTF-8 → the encoding with more
//     evidence: valid multi-byte UTF-8 sequences against bytes that are
//     invalid in UTF-8 (a tie is Windows-1252, or UTF-8 after a BOM), so a
//     BOM in front of Windows-1252 text does not make it UTF-8, and a file
//     of mixed encodings is read in its majority encoding. Once UTF-8, an
//     invalid sequence in a wanted cell is a row error "invalid UTF-8";
//     once Windows-1252 by detection (not forced), a wanted cell that is
//     valid UTF-8 with a multi-byte sequence is a row error (ruleMixed),
//     so that text of the other encoding never enters as mojibake.
//   - A NUL byte in the first 64 KiB: file error "not a CSV text file
//     (binary data)"; later, in a wanted cell: row error "NUL byte (binary
//     data)" (text never holds one). No bytes at all (or only blank
//     lines): file error "empty file (no header line)".
//   - Delimiter: opt.Delimiter, else the most frequent of ';' ',' tab
//     outside quotes on the header line (';' on a tie).
//   - Header names match case-insensitively after trimming white space, a
//     BOM and surrounding double quotes; opt.Rename is applied. Order is
//     free, other columns are ignored and never returned. Each missing
//     required column gives `missing column "X"` and each wanted column
//     present twice `duplicate column "X"` (X: the header name looked
//     for); several problems are joined with errors.Join.
//
// All errors caused by the file are *Error with IsFileError true. Misuse
// by the caller (required column not in columns, duplicate columns) gives
// a plain error.
func Open(r io.Reader, file string, columns []string, required []string, opt Options) (*Reader, error) {
	if err := checkColumns(columns, required); err != nil {
		return nil, err
	}
	rd := &Reader{
		file:    file,
		src:     r,
		buf:     make([]byte, 2*bufSize),
		line:    1,
		columns: columns,
	}
	fail := func(rule string) (*Reader, error) { return nil, fileError(file, 1, rule) }

	// Sniff the first 64 KiB.
	for rd.end < sniffSize && rd.fill() {
	}
	if rd.srcErr != nil && rd.srcErr != io.EOF {
		return fail("read error: " + rd.srcErr.Error())
	}
	if rd.end == 0 {
		return fail("empty file (no header line)")
	}
	prefix := rd.buf[:min(rd.end, sniffSize)]
	if bytes.IndexByte(prefix, 0) >= 0 {
		return fail("not a CSV text file (binary data)")
	}
	bom := bytes.HasPrefix(prefix, []byte("\xEF\xBB\xBF"))
	if bom {
		rd.pos = 3
		prefix = prefix[3:]
	}
	switch enc, ok := normEncoding(opt.Encoding); {
	case !ok:
		return fail(fmt.Sprintf("unknown encoding %q (use utf-8 or windows-1252)", opt.Encoding))
	case enc == UTF8:
		rd.enc = encUTF8
	case enc == Windows1252:
		rd.enc = encWin1252
	default:
		rd.detected = true
		rd.enc = sniffEncoding(prefix, rd.srcErr == io.EOF && rd.end <= sniffSize, bom)
	}

	switch d := opt.Delimiter; {
	case d == 0:
		rd.delim = detectDelimiter(prefix)
	case d < 0 || d >= utf8.RuneSelf || d == '"' || d == ' ' || d == '\r' || d == '\n':
		return fail(fmt.Sprintf("unusable delimiter %q", d))
	default:
		rd.delim = byte(d)
	}
	for _, b := range []byte{rd.delim, '"', '\r', '\n'} {
		rd.special[b] = true
	}

	// The header record.
	for {
		start, rule, eof := rd.readRecord()
		if rd.srcErr != nil && rd.srcErr != io.EOF {
			return fail("read error: " + rd.srcErr.Error())
		}
		if eof {
			return fail("empty file (no header line)")
		}
		if rule != "" {
			return nil, fileError(file, start, "bad header line: "+rule)
		}
		if rd.blank() {
			continue
		}
		if err := rd.matchHeader(start, required, opt); err != nil {
			return nil, err
		}
		return rd, nil
	}
}

func checkColumns(columns, required []string) error {
	seen := make(map[string]bool, len(columns))
	for _, c := range columns {
		k := strings.ToLower(c)
		if seen[k] {
			return fmt.Errorf("export: column %q given twice", c)
		}
		seen[k] = true
	}
	for _, c := range required {
		if !seen[strings.ToLower(c)] {
			return fmt.Errorf("export: required column %q is not among the columns", c)
		}
	}
	return nil
}

// normEncoding returns the canonical name of an encoding option ("" for
// detect) and whether it is known.
func normEncoding(s string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return "", true
	case "utf-8", "utf8":
		return UTF8, true
	case "windows-1252", "cp1252", "windows1252":
		return Windows1252, true
	}
	return "", false
}

// sniffEncoding decides the encoding from the first bytes of a file
// (without its BOM; bom tells whether there was one). atEOF tells whether
// b is the whole file; if not, a multi-byte sequence cut at the end of b
// is not held against UTF-8.
func sniffEncoding(b []byte, atEOF, bom bool) encState {
	if !hasNonASCII(b) {
		if bom {
			return encUTF8
		}
		return encUndecided
	}
	if !atEOF {
		// Drop an incomplete (but possibly valid) last sequence.
		for i := len(b) - 1; i >= 0 && i >= len(b)-utf8.UTFMax; i-- {
			if utf8.RuneStart(b[i]) {
				if !utf8.FullRune(b[i:]) {
					b = b[:i]
				}
				break
			}
		}
	}
	return weigh(b, bom)
}

// weigh decides between UTF-8 and Windows-1252 for bytes holding some
// non-ASCII byte: valid UTF-8 is UTF-8; otherwise the encoding with more
// evidence wins — valid multi-byte UTF-8 sequences against bytes invalid
// in UTF-8 — and a tie goes to UTF-8 only if preferUTF8 (a BOM was seen).
func weigh(b []byte, preferUTF8 bool) encState {
	if utf8.Valid(b) {
		return encUTF8
	}
	multi, bad := 0, 0
	for len(b) > 0 {
		if b[0] < utf8.RuneSelf {
			b = b[1:]
			continue
		}
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			bad++
		} else {
			multi++
		}
		b = b[size:]
	}
	if multi > bad || (preferUTF8 && multi == bad) {
		return encUTF8
	}
	return encWin1252
}

// looksUTF8 reports whether b holds a multi-byte UTF-8 sequence and
// nothing invalid in UTF-8: in a Windows-1252 file, text of the other
// encoding (Swedish letters in Windows-1252 are almost never valid UTF-8).
func looksUTF8(b []byte) bool {
	return hasNonASCII(b) && utf8.Valid(b)
}

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return true
		}
	}
	return false
}

// detectDelimiter returns the most frequent of ';' ',' and tab outside
// quotes on the first non-blank line of b; ';' on a tie or when none occurs.
func detectDelimiter(b []byte) byte {
	b = bytes.TrimLeft(b, "\r\n")
	var semi, comma, tab int
	inQuotes := false
scan:
	for _, c := range b {
		switch {
		case c == '"':
			inQuotes = !inQuotes
		case inQuotes:
		case c == '\n' || c == '\r':
			break scan
		case c == ';':
			semi++
		case c == ',':
			comma++
		case c == '\t':
			tab++
		}
	}
	switch {
	case comma > semi && comma > tab:
		return ','
	case tab > semi && tab > comma:
		return '\t'
	}
	return ';'
}

// matchHeader maps the header record just read onto the wanted columns.
func (rd *Reader) matchHeader(line int, required []string, opt Options) error {
	var errs []error
	fail := func(rule string) { errs = append(errs, fileError(rd.file, line, rule)) }

	// Resolve the profile against the columns (case-insensitively).
	canon := make(map[string]int, len(rd.columns))
	for i, c := range rd.columns {
		canon[strings.ToLower(c)] = i
	}
	expected := append([]string(nil), rd.columns...)
	for c, h := range opt.Rename {
		i, ok := canon[strings.ToLower(c)]
		if !ok {
			fail(fmt.Sprintf("mapping profile: unknown column %q", c))
			continue
		}
		if normName(h) == "" {
			fail(fmt.Sprintf("mapping profile: empty header name for column %q", c))
			continue
		}
		expected[i] = h
	}
	rd.recode = make([]map[string]string, len(rd.columns))
	for c, m := range opt.Recode {
		i, ok := canon[strings.ToLower(c)]
		if !ok {
			fail(fmt.Sprintf("mapping profile: unknown column %q", c))
			continue
		}
		rd.recode[i] = m
	}
	want := make(map[string]int, len(expected))
	for i, h := range expected {
		k := normName(h)
		if j, dup := want[k]; dup {
			fail(fmt.Sprintf("mapping profile: columns %q and %q both read header %q", rd.columns[j], rd.columns[i], h))
			continue
		}
		want[k] = i
	}
	if len(errs) == 1 {
		return errs[0]
	} else if errs != nil {
		return errors.Join(errs...)
	}

	if rd.enc == encUndecided && hasNonASCII(rd.field) {
		rd.decide()
	}
	if rd.enc == encUTF8 && !utf8.Valid(rd.field) {
		return fileError(rd.file, line, "invalid UTF-8 in header line (set encoding = \"windows-1252\" in mapping.toml if the file is Windows-1252)")
	}
	rd.ncols = len(rd.ends)
	rd.colIdx = make([]int, len(rd.columns))
	for i := range rd.colIdx {
		rd.colIdx[i] = -1
	}
	dup := make([]bool, len(rd.columns))
	for f := 0; f < rd.ncols; f++ {
		name := rd.decodeTo(nil, rd.fieldBytes(f))
		i, ok := want[normName(string(name))]
		if !ok {
			if n := headerName(string(name)); n != "" {
				rd.ignored = append(rd.ignored, n)
			}
			continue
		}
		if rd.colIdx[i] >= 0 {
			dup[i] = true
			continue
		}
		rd.colIdx[i] = f
	}
	isReq := make(map[string]bool, len(required))
	for _, c := range required {
		isReq[strings.ToLower(c)] = true
	}
	for i, c := range rd.columns {
		switch {
		case dup[i]:
			fail(fmt.Sprintf("duplicate column %q", expected[i]))
		case rd.colIdx[i] < 0 && isReq[strings.ToLower(c)]:
			fail(fmt.Sprintf("missing column %q", expected[i]))
		}
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...) // nil when errs is empty
}

// normName normalises a header name for matching.
func normName(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "\uFEFF")
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return strings.ToLower(s)
}

// headerName is a header cell as written, trimmed like normName but not
// lowercased.
func headerName(s string) string {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "\uFEFF"))
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

// Encoding returns "utf-8" or "windows-1252". For a file whose first
// 64 KiB are pure ASCII the decision is taken at the first record holding
// a non-ASCII byte; until then (and if there is none) it is "utf-8".
func (rd *Reader) Encoding() string {
	if rd.enc == encWin1252 {
		return Windows1252
	}
	return UTF8
}

// Delimiter returns the field delimiter in use.
func (rd *Reader) Delimiter() rune { return rune(rd.delim) }

// Header returns the canonical columns present in the file, in the order
// of the columns given to Open.
func (rd *Reader) Header() []string {
	var h []string
	for i, f := range rd.colIdx {
		if f >= 0 {
			h = append(h, rd.columns[i])
		}
	}
	return h
}

// Ignored returns the names of the file's header cells that match no
// wanted column (after the mapping profile's renames), trimmed, in file
// order; empty header cells are left out. Their values are never returned.
func (rd *Reader) Ignored() []string { return append([]string(nil), rd.ignored...) }

// Next returns the next data record, skipping blank lines (empty, only
// white space, or only delimiters as Excel writes for emptied rows).
//
// It returns io.EOF at the end. A malformed record (wrong number of
// fields, unterminated or misplaced quote, invalid UTF-8 in a wanted cell,
// UTF-8 in a wanted cell of a detected Windows-1252 file, a NUL byte in a
// wanted cell, record over 1 MiB) gives a row error (*Error, IsFileError
// false): the record is skipped and Next may be called again. If the underlying
// reader fails, Next returns a file error, and keeps returning it.
func (rd *Reader) Next() (Record, error) {
	if rd.fileErr != nil {
		return Record{}, rd.fileErr
	}
	for {
		start, rule, eof := rd.readRecord()
		if rd.srcErr != nil && rd.srcErr != io.EOF {
			rd.fileErr = fileError(rd.file, rd.line, "read error: "+rd.srcErr.Error())
			return Record{}, rd.fileErr
		}
		if eof {
			return Record{}, io.EOF
		}
		if rule != "" {
			return Record{}, rowError(rd.file, start, "", rule)
		}
		if rd.blank() {
			continue
		}
		if len(rd.ends) != rd.ncols {
			if rd.multi {
				// Most likely a stray quote joined lines: they are read
				// again as records of their own.
				rd.rescan(start)
			}
			return Record{}, rowError(rd.file, start, "",
				"wrong number of fields ("+strconv.Itoa(len(rd.ends))+", header has "+strconv.Itoa(rd.ncols)+")")
		}
		return rd.values(start)
	}
}

// values builds the Record of the record in rd.field.
func (rd *Reader) values(line int) (Record, error) {
	if rd.enc == encUndecided && hasNonASCII(rd.field) {
		rd.decide()
	}
	if cap(rd.offs) < 2*len(rd.colIdx) {
		rd.offs = make([]int, 2*len(rd.colIdx))
	}
	offs := rd.offs[:2*len(rd.colIdx)]
	checkUTF8 := rd.enc == encUTF8 && !utf8.Valid(rd.field) // rare: find the cell below
	checkMixed := rd.enc == encWin1252 && rd.detected && hasNonASCII(rd.field)
	checkNUL := bytes.IndexByte(rd.field, 0) >= 0 // rare: past the first 64 KiB
	out := rd.out[:0]
	for i, f := range rd.colIdx {
		a := len(out)
		if f >= 0 {
			b := rd.fieldBytes(f)
			if checkUTF8 && !utf8.Valid(b) {
				rd.out = out
				return Record{}, rowError(rd.file, line, rd.columns[i], "invalid UTF-8")
			}
			if checkMixed && looksUTF8(b) {
				rd.out = out
				return Record{}, rowError(rd.file, line, rd.columns[i], ruleMixed)
			}
			if checkNUL && bytes.IndexByte(b, 0) >= 0 {
				rd.out = out
				return Record{}, rowError(rd.file, line, rd.columns[i], "NUL byte (binary data)")
			}
			out = rd.decodeTo(out, b)
			if n := len(b); n > 0 && (isTrimByte(b[0]) || isTrimByte(b[n-1])) {
				// Trim the decoded value in place (it only shrinks).
				out = out[:a+copy(out[a:], bytes.TrimSpace(out[a:]))]
			}
		}
		offs[2*i], offs[2*i+1] = a, len(out)
	}
	rd.out = out
	s := string(out)
	n := len(rd.colIdx)
	if len(rd.slab) < n {
		rd.slab = make([]string, n*slabRecords)
	}
	vals := rd.slab[:n:n] // capped: an append by the caller reallocates
	rd.slab = rd.slab[n:]
	for i := range vals {
		v := s[offs[2*i]:offs[2*i+1]]
		if m := rd.recode[i]; m != nil {
			if r, ok := m[v]; ok {
				v = r
			}
		}
		vals[i] = v
	}
	return Record{Line: line, Values: vals}, nil
}

// isTrimByte reports whether a cell starting or ending with c may need
// trimming: ASCII white space, or any non-ASCII byte (Unicode spaces such
// as U+00A0, which Excel writes).
func isTrimByte(c byte) bool {
	return c <= ' ' || c >= utf8.RuneSelf
}

// decide fixes the encoding of an undecided file from the current record,
// which holds a non-ASCII byte.
func (rd *Reader) decide() {
	rd.enc = weigh(rd.field, false)
}

// ruleMixed is the row error for UTF-8 text in a file read as Windows-1252.
const ruleMixed = "UTF-8 text in a Windows-1252 file (mixed encodings)"

func (rd *Reader) fieldBytes(f int) []byte {
	a := 0
	if f > 0 {
		a = rd.ends[f-1]
	}
	return rd.field[a:rd.ends[f]]
}

// win1252 maps the bytes 0x80–0xFF of Windows-1252 to UTF-8.
var win1252 = func() (t [128]string) {
	for i := range t {
		t[i] = string(charmap.Windows1252.DecodeByte(byte(0x80 + i)))
	}
	return t
}()

// decodeTo appends b, decoded from the file's encoding, to dst as UTF-8.
func (rd *Reader) decodeTo(dst, b []byte) []byte {
	if rd.enc != encWin1252 {
		return append(dst, b...)
	}
	for len(b) > 0 {
		i := 0
		for i < len(b) && b[i] < utf8.RuneSelf {
			i++
		}
		dst = append(dst, b[:i]...)
		if i == len(b) {
			break
		}
		dst = append(dst, win1252[b[i]-0x80]...)
		b = b[i+1:]
	}
	return dst
}

// blank reports whether every field of the current record is white space.
func (rd *Reader) blank() bool {
	for _, c := range rd.field {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}
