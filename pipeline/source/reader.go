package source

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Encoding names reported by Reader.Encoding and accepted in Options.
const (
	UTF8        = "utf-8"
	Windows1252 = "windows-1252"
	UTF16       = "utf-16" // only in Options: the byte order is detected
	UTF16LE     = "utf-16le"
	UTF16BE     = "utf-16be"
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
// everything and maps nothing. Profile.Options builds them from a
// mapping profile.
type Options struct {
	// Encoding is "" (detect), "utf-8", "windows-1252", "utf-16" (byte
	// order from the BOM, else detected), "utf-16le" or "utf-16be" (also
	// accepted: "utf8", "cp1252"; case-insensitive).
	Encoding string
	// Delimiter is 0 (detect from the header line) or the field delimiter,
	// an ASCII character other than '"', space, CR and LF.
	Delimiter rune
	// HeaderLine is the physical line holding the header (1-based; 0 or 1:
	// the first line). The lines above it are skipped unread (a title).
	HeaderLine int
	// Columns holds the rules of a mapping profile per canonical column
	// name (see ColumnRule).
	Columns map[string]ColumnRule
	// Rename maps a canonical column name to the header used for it in this
	// kommun's export (a shorthand for ColumnRule.Headers).
	Rename map[string]string
	// Recode maps a canonical column name to a table export value →
	// canonical value, applied to the trimmed cell (exact match; a
	// shorthand for ColumnRule.Recode).
	Recode map[string]map[string]string

	// CellErrors (for inspecting a file, not for loading it): a cell that
	// fails a profile rule does not make the record a row error; the cell
	// keeps its value as read and the error goes to Reader.CellErrors.
	CellErrors bool

	// For messages only: the mapping profile's path (also when it does not
	// exist: where a mapping would go), the file kind, and where the
	// encoding, delimiter and header line were set ("path:line").
	Profile, Kind                               string
	EncodingFrom, DelimiterFrom, HeaderLineFrom string
}

// ColumnRule is what a mapping profile says about one canonical column.
// The steps apply to every non-empty cell in this order (docs/mapping.md):
// Extract, then Recode/List/Default (a recoded value is final), then Dates
// or Number (rewriting the value as the canonical layout writes it). A
// cell that fails a step is a row error naming the column and the
// profile line of the rule.
type ColumnRule struct {
	// Headers are the header names the column may have in the file, in
	// order; empty: its canonical name. The column is matched only under
	// these names. Two of them in one file is an error.
	Headers []string
	// Where is the profile line of the column's entry ("path:line"); ""
	// for a rule that is not an entry of the profile (a kind-wide date
	// format). A column with an entry must be in the file.
	Where string
	// Extract keeps the text of the one group of a regular expression
	// (searched, not anchored; "852 30 PARTILLE" with `^(\d{3} ?\d{2})`
	// gives "852 30"). A non-empty cell that does not match is a row error.
	Extract     *regexp.Regexp
	ExtractFrom string
	// Recode: export value → canonical value (IgnoreCase: compared
	// without regard to case). A key "" recodes empty cells.
	Recode     map[string]string
	IgnoreCase bool
	// List is a named code list of the profile, tried after Recode.
	List *CodeList
	// Default, if set, replaces every non-empty value that neither Recode
	// nor List lists (before List's own default). Unset: such values pass
	// on unchanged, to be checked by the contract.
	Default *string
	// Dates: the accepted date formats (any one may match); the value
	// becomes YYYY-MM-DD. Nil: the canonical forms (YYYY-MM-DD, YYYYMMDD,
	// YYMMDD), checked by the contract.
	Dates []DateFormat
	// Number: the export's number format; the value becomes digits with a
	// decimal point.
	Number     *NumberFormat
	FormatFrom string // where Dates or Number were set
}

// CodeList is a named list of recodes ([codes.NAME] in a profile), shared
// by every column that names it.
type CodeList struct {
	Name       string
	Values     map[string]string
	IgnoreCase bool
	Default    *string
	Where      string
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
	detected bool   // the encoding is detected, not forced by Options
	utf16    string // UTF16LE or UTF16BE when the file is UTF-16 (decoded to UTF-8 on reading)
	opt      Options

	ncols   int      // number of fields in the header line
	colIdx  []int    // per wanted column: field index in the file, or -1
	columns []string // canonical columns, as given to Open
	ignored []string // header names matching no wanted column
	rules   []*rule  // per wanted column: the profile's rule, or nil
	fields  []Field  // the header's fields

	// per-record scratch
	field     []byte // unescaped bytes of all fields of the record
	ends      []int  // end offset in field of each field
	raw       []byte // raw bytes after the record's first line (see resume)
	recording bool
	multi     bool     // the record just read ran over several physical lines
	out       []byte   // decoded wanted values, converted to one string
	offs      []int    // start and end of each wanted value in out
	slab      []string // unused part of the backing array of Record.Values

	cellErrs []*Error // the cells of the last record that failed a profile rule (Options.CellErrors)
	fileErr  error    // sticky file error
}

// CellErrors returns the cells of the record last returned by Next that
// failed a profile rule; always nil without Options.CellErrors. The
// errors are row errors (IsFileError false) with Value set.
func (rd *Reader) CellErrors() []*Error { return rd.cellErrs }

// Open reads the header of an export file and returns a Reader positioned
// at the first data record. file is the display name used in errors;
// columns are the canonical columns wanted (Record.Values follows their
// order) and required those that must be present (a subset of columns).
//
// Contract:
//   - UTF-16 (what Excel's "Unicode text" writes): opt.Encoding "utf-16le"
//     or "utf-16be", or "utf-16" or no encoding given and the file starts
//     with a UTF-16 byte order mark or has the NUL bytes of UTF-16 text
//     in every second byte: the file is decoded to UTF-8 first, and a cell
//     that was not valid UTF-16 is a row error "invalid UTF-16".
//   - Encoding otherwise: opt.Encoding if set; else the first 64 KiB
//     (after a UTF-8 BOM, which is always stripped) decide: valid UTF-8
//     with some non-ASCII byte → UTF-8; pure ASCII → UTF-8 after a BOM,
//     otherwise decided by the first later record holding a non-ASCII byte
//     (ASCII is the same in both); not valid UTF-8 → the encoding with
//     more evidence: valid multi-byte UTF-8 sequences against bytes that
//     are invalid in UTF-8 (a tie is Windows-1252, or UTF-8 after a BOM),
//     so a BOM in front of Windows-1252 text does not make it UTF-8, and a
//     file of mixed encodings is read in its majority encoding. Once
//     UTF-8, an invalid sequence in a wanted cell is a row error "invalid
//     UTF-8"; once Windows-1252 by detection (not forced), a wanted cell
//     that is valid UTF-8 with a multi-byte sequence is a row error
//     (ruleMixed), so that text of the other encoding never enters as
//     mojibake.
//   - A NUL byte in the first 64 KiB (of a file that is not UTF-16): file
//     error "not a CSV text file (binary data)"; later, in a wanted cell:
//     row error "NUL byte (binary data)" (text never holds one). No bytes
//     at all (or only blank lines): file error "empty file (no header
//     line)".
//   - opt.HeaderLine > 1: that many lines less one are skipped unread.
//   - Delimiter: opt.Delimiter, else the most frequent of ';' ',' tab
//     outside quotes on the header line (';' on a tie).
//   - Header names match case-insensitively after trimming white space, a
//     BOM and surrounding double quotes; a column with a rule having
//     Headers (or Rename) is matched only under those names. Order is
//     free, other columns are ignored and never returned. Each missing
//     required column gives `missing column "X"` (X: the canonical name;
//     the message says which headers were tried and where to map one),
//     each column with a profile entry (ColumnRule.Where) that the file
//     lacks an error naming the profile's line, and each wanted column
//     present twice `duplicate column "X"`; several problems are joined
//     with errors.Join.
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
		opt:     opt,
	}
	fail := func(rule string) (*Reader, error) { return nil, fileError(file, 1, rule) }

	enc, ok := normEncoding(opt.Encoding)
	if !ok {
		return fail(fmt.Sprintf("unknown encoding %q (use utf-8, windows-1252, utf-16, utf-16le or utf-16be)", opt.Encoding))
	}
	if err := rd.sniff(); err != nil {
		return nil, err
	}
	if order := utf16Order(rd.buf[:min(rd.end, sniffSize)], enc); order != "" {
		rd.decodeUTF16(order)
		if err := rd.sniff(); err != nil {
			return nil, err
		}
		enc = UTF8
	}
	prefix := rd.buf[:min(rd.end, sniffSize)]
	if bytes.IndexByte(prefix, 0) >= 0 || (rd.utf16 != "" && controls(prefix) > 2) {
		// (UTF-16 detected from zero bytes alone may be binary data:
		// decoded, text has no NUL and next to no control characters.)
		return fail("not a CSV text file (binary data)")
	}
	bom := bytes.HasPrefix(prefix, []byte("\xEF\xBB\xBF"))
	if bom {
		rd.pos = 3
		prefix = prefix[3:]
	}
	switch enc {
	case UTF8:
		rd.enc = encUTF8
	case Windows1252:
		rd.enc = encWin1252
	default:
		rd.detected = true
		rd.enc = sniffEncoding(prefix, rd.srcErr == io.EOF && rd.end <= sniffSize, bom)
	}

	for n := 1; n < opt.HeaderLine; n++ {
		if _, ok := rd.peek(); !ok {
			where := ""
			if opt.HeaderLineFrom != "" {
				where = " (" + opt.HeaderLineFrom + ")"
			}
			return fail(fmt.Sprintf("the file has fewer lines than its header line %d%s", opt.HeaderLine, where))
		}
		rd.skipLine()
	}
	if opt.HeaderLine > 1 {
		prefix = rd.buf[rd.pos:min(rd.end, rd.pos+sniffSize)]
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

// sniff fills the buffer with the first 64 KiB of the source.
func (rd *Reader) sniff() error {
	for rd.end < sniffSize && rd.fill() {
	}
	if rd.srcErr != nil && rd.srcErr != io.EOF {
		return fileError(rd.file, 1, "read error: "+rd.srcErr.Error())
	}
	if rd.end == 0 {
		return fileError(rd.file, 1, "empty file (no header line)")
	}
	return nil
}

// controls counts the C0 control characters of b other than tab, CR and LF.
func controls(b []byte) int {
	n := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\r' && c != '\n' {
			n++
		}
	}
	return n
}

// utf16Order returns UTF16LE or UTF16BE if the file (its first bytes b)
// is to be read as UTF-16 under the encoding option enc, else "".
func utf16Order(b []byte, enc string) string {
	switch enc {
	case UTF16LE, UTF16BE:
		return enc
	case "", UTF16:
	default:
		return ""
	}
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return UTF16LE
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return UTF16BE
	}
	// Text of the Latin scripts in UTF-16 has a NUL high byte in nearly
	// every character: NULs in most odd (LE) or even (BE) positions and
	// (almost) none in the others.
	n := min(len(b), 1024) &^ 1
	var even, odd int
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case pairs >= 2 && odd*10 >= pairs*7 && even*20 <= pairs:
		return UTF16LE
	case pairs >= 2 && even*10 >= pairs*7 && odd*20 <= pairs:
		return UTF16BE
	case enc == UTF16:
		return UTF16LE
	}
	return ""
}

// decodeUTF16 puts a UTF-16 decoder (dropping a byte order mark) in front
// of the source, starting again with the bytes read so far.
func (rd *Reader) decodeUTF16(order string) {
	e := unicode.LittleEndian
	if order == UTF16BE {
		e = unicode.BigEndian
	}
	read := append([]byte(nil), rd.buf[:rd.end]...)
	var src io.Reader = bytes.NewReader(read)
	if rd.srcErr == nil {
		src = io.MultiReader(src, rd.src)
	}
	rd.src = transform.NewReader(src, unicode.UTF16(e, unicode.UseBOM).NewDecoder())
	rd.pos, rd.end, rd.srcErr = 0, 0, nil
	rd.utf16 = order
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
	case "utf-16", "utf16", "unicode":
		return UTF16, true
	case "utf-16le", "utf16le":
		return UTF16LE, true
	case "utf-16be", "utf16be":
		return UTF16BE, true
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

// mayDecompose reports whether UTF-8 text b may not be in composed form
// (NFC): whether it holds a character from U+0300 on (lead byte 0xCC or
// above). Every character below U+0300 is NFC and composes with nothing
// before U+0300 (the first combining mark), so text without one is NFC as
// it is. Eight bytes are looked at a time: ASCII text, most of every
// export, has no high bit.
func mayDecompose(b []byte) bool {
	for len(b) >= 8 {
		if binary.LittleEndian.Uint64(b)&0x8080808080808080 != 0 {
			for _, c := range b[:8] {
				if c >= 0xCC {
					return true
				}
			}
		}
		b = b[8:]
	}
	for _, c := range b {
		if c >= 0xCC {
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

// Field is one field of a file's header line: its name as written
// (decoded, trimmed) and the canonical columns it feeds (none: the field
// is not read).
type Field struct {
	Name    string
	Columns []string
}

// rule is a ColumnRule compiled for reading.
type rule struct {
	ColumnRule
	recode map[string]string // keys folded to lower case when IgnoreCase
	list   map[string]string // keys folded when List.IgnoreCase
}

func compileRule(r ColumnRule) *rule {
	c := &rule{ColumnRule: r, recode: r.Recode}
	if r.IgnoreCase && r.Recode != nil {
		c.recode = make(map[string]string, len(r.Recode))
		for k, v := range r.Recode {
			c.recode[strings.ToLower(k)] = v
		}
	}
	if r.List != nil {
		c.list = r.List.Values
		if r.List.IgnoreCase {
			c.list = make(map[string]string, len(r.List.Values))
			for k, v := range r.List.Values {
				c.list[strings.ToLower(k)] = v
			}
		}
	}
	return c
}

// lookup applies the recodes and defaults to a non-empty value; ok
// reports whether one applied (the result is then final).
func (r *rule) lookup(v string) (string, bool) {
	if r.recode != nil {
		k := v
		if r.IgnoreCase {
			k = strings.ToLower(v)
		}
		if out, ok := r.recode[k]; ok {
			return out, true
		}
	}
	if r.list != nil {
		k := v
		if r.List.IgnoreCase {
			k = strings.ToLower(v)
		}
		if out, ok := r.list[k]; ok {
			return out, true
		}
	}
	if r.Default != nil {
		return *r.Default, true
	}
	if r.List != nil && r.List.Default != nil {
		return *r.List.Default, true
	}
	return "", false
}

// apply runs the rule's steps on a trimmed cell value. The error is a
// rule text (never holding the value).
func (r *rule) apply(v string) (string, string) {
	if v == "" {
		if out, ok := r.recode[""]; ok {
			return out, ""
		}
		if out, ok := r.list[""]; ok {
			return out, ""
		}
		return "", ""
	}
	if r.Extract != nil {
		m := r.Extract.FindStringSubmatch(v)
		if m == nil {
			return "", "does not match the extract pattern (" + r.ExtractFrom + ")"
		}
		v = strings.TrimSpace(m[1])
		if v == "" {
			return "", ""
		}
	}
	if out, ok := r.lookup(v); ok {
		return out, ""
	}
	if r.Dates != nil {
		for _, f := range r.Dates {
			if d, ok := f.Parse(v); ok {
				return d, ""
			}
		}
		names := make([]string, len(r.Dates))
		for i, f := range r.Dates {
			names[i] = f.String()
		}
		return "", "bad date (expected " + strings.Join(names, " or ") + where(r.FormatFrom) + ")"
	}
	if r.Number != nil {
		if n, ok := r.Number.Canonical(v); ok {
			return n, ""
		}
		return "", "bad number (expected " + r.Number.String() + where(r.FormatFrom) + ")"
	}
	return v, ""
}

func where(from string) string {
	if from == "" {
		return ""
	}
	return "; " + from
}

// rules resolves the profile's rules (opt.Columns, Rename, Recode) onto
// the wanted columns, case-insensitively.
func (rd *Reader) resolveRules(opt Options, fail func(string)) []ColumnRule {
	canon := make(map[string]int, len(rd.columns))
	for i, c := range rd.columns {
		canon[strings.ToLower(c)] = i
	}
	rules := make([]ColumnRule, len(rd.columns))
	index := func(c string) (int, bool) {
		i, ok := canon[strings.ToLower(c)]
		if !ok {
			fail(fmt.Sprintf("mapping profile: unknown column %q", c))
		}
		return i, ok
	}
	for c, r := range opt.Columns {
		if i, ok := index(c); ok {
			rules[i] = r
		}
	}
	for c, h := range opt.Rename {
		if i, ok := index(c); ok {
			rules[i].Headers = []string{h}
		}
	}
	for c, m := range opt.Recode {
		if i, ok := index(c); ok {
			rules[i].Recode = m
		}
	}
	for i, r := range rules {
		for _, h := range r.Headers {
			if normName(h) == "" {
				fail(fmt.Sprintf("mapping profile: empty header name for column %q", rd.columns[i]))
			}
		}
	}
	return rules
}

// steps reports whether the rule changes values (more than the header).
func (r ColumnRule) steps() bool {
	return r.Extract != nil || r.Recode != nil || r.List != nil || r.Default != nil || r.Dates != nil || r.Number != nil
}

// matchHeader maps the header record just read onto the wanted columns.
func (rd *Reader) matchHeader(line int, required []string, opt Options) error {
	var errs []error
	fail := func(rule string) { errs = append(errs, fileError(rd.file, line, rule)) }
	failField := func(field, rule string) {
		e := fileError(rd.file, line, rule)
		e.Field = field
		errs = append(errs, e)
	}
	joined := func() error {
		if len(errs) == 1 {
			return errs[0]
		}
		return errors.Join(errs...) // nil when errs is empty
	}

	rules := rd.resolveRules(opt, fail)
	// header name (normalised) → the columns that read it
	want := map[string][]int{}
	names := make([][]string, len(rd.columns))
	for i, c := range rd.columns {
		names[i] = rules[i].Headers
		if names[i] == nil {
			names[i] = []string{c}
		}
		seen := map[string]bool{}
		for _, h := range names[i] {
			k := normName(h)
			if seen[k] {
				continue
			}
			seen[k] = true
			want[k] = append(want[k], i)
		}
	}
	for _, h := range sortedHeaderKeys(want) {
		cols := want[h]
		if len(cols) < 2 {
			continue
		}
		for _, i := range cols {
			if rules[i].Extract == nil {
				fail(fmt.Sprintf("mapping profile: columns %q and %q both read header %q (several columns may read one header only if each has an extract pattern)",
					rd.columns[cols[0]], rd.columns[cols[1]], h))
				break
			}
		}
	}
	if errs != nil {
		return joined()
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
	rd.fields = make([]Field, rd.ncols)
	dup := make([]bool, len(rd.columns))
	for f := 0; f < rd.ncols; f++ {
		name := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(rd.decodeTo(nil, rd.fieldBytes(f)))), "\uFEFF"))
		if rd.utf16 != "" && strings.ContainsRune(name, utf8.RuneError) {
			return fileError(rd.file, line, "invalid UTF-16 in header line")
		}
		if len(want[normName(name)]) == 0 {
			if n := headerName(name); n != "" {
				rd.ignored = append(rd.ignored, n)
			}
		}
		rd.fields[f].Name = name
		for _, i := range want[normName(name)] {
			if rd.colIdx[i] >= 0 {
				dup[i] = true
				continue
			}
			rd.colIdx[i] = f
			rd.fields[f].Columns = append(rd.fields[f].Columns, rd.columns[i])
		}
	}
	isReq := make(map[string]bool, len(required))
	for _, c := range required {
		isReq[strings.ToLower(c)] = true
	}
	rd.rules = make([]*rule, len(rd.columns))
	for i, c := range rd.columns {
		r := rules[i]
		switch {
		case dup[i] && len(names[i]) > 1:
			failField(c, fmt.Sprintf("the file has more than one of the headers %s (%s)", quoteList(names[i], " and "), r.Where))
		case dup[i]:
			fail(fmt.Sprintf("duplicate column %q", names[i][0]))
		case rd.colIdx[i] < 0 && r.Where != "":
			failField(c, fmt.Sprintf("no header %s in the file, as %s says (the file's headers: %s)",
				quoteList(names[i], " or "), r.Where, rd.headerList()))
		case rd.colIdx[i] < 0 && isReq[strings.ToLower(c)]:
			fail(fmt.Sprintf("missing column %q (no header %s%s)", c, quoteList(names[i], " or "), rd.mapHint(c)))
		}
		if rd.colIdx[i] >= 0 && r.steps() {
			rd.rules[i] = compileRule(r)
		}
	}
	return joined()
}

// mapHint tells where a missing column could be mapped.
func (rd *Reader) mapHint(column string) string {
	o := rd.opt
	if o.Profile == "" || o.Kind == "" {
		return ""
	}
	return fmt.Sprintf("; if the file calls it otherwise, map it in %s: [%s.columns] %s = \"its header\", see docs/mapping.md", o.Profile, o.Kind, column)
}

// headerList lists the file's header names for a message (at most 15).
func (rd *Reader) headerList() string {
	var names []string
	for i, f := range rd.fields {
		if i == 15 {
			names = append(names, "…")
			break
		}
		names = append(names, strconv.Quote(f.Name))
	}
	return strings.Join(names, ", ")
}

func quoteList(names []string, sep string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, sep)
}

func sortedHeaderKeys(m map[string][]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
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

// Encoding returns "utf-8", "windows-1252", "utf-16le" or "utf-16be".
// For a file whose first 64 KiB are pure ASCII the decision is taken at
// the first record holding a non-ASCII byte; until then (and if there is
// none) it is "utf-8".
func (rd *Reader) Encoding() string {
	if rd.utf16 != "" {
		return rd.utf16
	}
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

// Fields returns the fields of the header line, in file order, with the
// canonical columns each feeds.
func (rd *Reader) Fields() []Field {
	out := make([]Field, len(rd.fields))
	for i, f := range rd.fields {
		out[i] = Field{Name: f.Name, Columns: slices.Clone(f.Columns)}
	}
	return out
}

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
	// Unicode text may write å as a + ring (NFD, as macOS does): values
	// are compared as written, so every value is put in composed form
	// (NFC). Windows-1252 decodes to composed characters only.
	compose := rd.enc != encWin1252 && mayDecompose(rd.field)
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
			if compose && !norm.NFC.IsNormal(out[a:]) {
				out = append(out[:a], norm.NFC.Bytes(out[a:])...)
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
	var cellErrs []*Error
	for i := range vals {
		v := s[offs[2*i]:offs[2*i+1]]
		if rd.utf16 != "" && strings.ContainsRune(v, utf8.RuneError) {
			return Record{}, rowError(rd.file, line, rd.columns[i], "invalid UTF-16")
		}
		if r := rd.rules[i]; r != nil {
			out, bad := r.apply(v)
			if bad != "" {
				e := rowError(rd.file, line, rd.columns[i], bad)
				e.Value = v
				if !rd.opt.CellErrors {
					return Record{}, e
				}
				cellErrs = append(cellErrs, e)
				out = v
			}
			v = out
		}
		vals[i] = v
	}
	rd.cellErrs = cellErrs
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
