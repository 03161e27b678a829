// Package table holds a study table in memory and writes it out as the
// published table files: CSV for Excel on a Swedish PC and Parquet for
// analysts. The HTML pages (pipeline/report) format cells with the helpers
// of this package too, so that a number reads the same everywhere.
//
// # Cells
//
// A [Table] is a name, typed columns and rows of cells. A cell is one of
//
//	nil        missing (SQL NULL; e.g. a share whose denominator is 0)
//	string     text, or a suppression marker "<n", "x" or ".." (see below)
//	int64      integer
//	float64    decimal number
//	time.Time  date (only year, month and day are used)
//
// A column's [Role] says how it is presented: [Count] columns hold person
// counts (int64) and are subject to small-count suppression; [Share]
// columns hold fractions 0..1 (float64).
//
// # Hidden cells
//
// Small-count suppression is decided by package disclosure, which hides
// cells of published tables with three markers: "<n" (SuppressedText) for
// a person count 1..n-1 and the shares of its row, "x" (Hidden) for a cell
// hidden so that a small count cannot be recomputed from the cells around
// it, and ".." (Withheld) for every count and share of a table withheld in
// one scope. They are text cells allowed in Count and Share columns
// (IsSuppressed); this package only writes them.
//
// # CSV ([WriteCSV])
//
//   - UTF-8 with a byte order mark, fields separated by ';', lines ended by
//     CRLF ("\r\n", also after the last row) — what Excel on a Swedish
//     Windows PC opens correctly;
//   - a header row with the column names in lowercase;
//   - integers as digits ("-12", no thousands separator);
//   - Share cells with exactly 4 decimals and a decimal comma ("0,4167",
//     "1,0000");
//   - other decimals rounded to 4 decimals, trailing zeros removed, decimal
//     comma ("12,5", "1,2346", "3"); NaN and ±Inf are written as an empty
//     cell, like nil;
//   - dates as YYYY-MM-DD; nil as an empty cell; suppressed cells as "<5" or "x";
//   - CSV injection: a text cell that starts with '=', '+', '-', '@', a tab
//     or a carriage return gets a leading apostrophe ("'=SUM(A1)"), so
//     that a spreadsheet shows it as text instead of evaluating it. Only
//     text cells are guarded; numbers written by this package (e.g. a
//     negative decimal "-0,5") are not;
//   - a field that contains ';', '"', CR or LF is enclosed in double quotes,
//     with every '"' inside doubled.
//
// # Parquet ([WriteParquet])
//
// The same (suppressed) values, typed for analysts: Text → STRING, Int →
// INT64, Float → DOUBLE, Date → DATE (days since 1970-01-01), column names
// in lowercase. A suppressed cell ("<n" or "x" in a Count or Share column) is
// written as NULL: count columns stay INT64 and share columns DOUBLE, and a
// NULL count in a published table therefore means "suppressed" (study
// counts are never missing otherwise). NaN and ±Inf become NULL, as they
// are empty in CSV. Snappy compression, one row group,
// created_by fixed to "kaa", no timestamps: the same table always gives the
// same bytes.
package table

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Kind is the data type of a column.
type Kind int

// The column kinds.
const (
	Text Kind = iota
	Int
	Float
	Date
)

func (k Kind) String() string {
	switch k {
	case Text:
		return "Text"
	case Int:
		return "Int"
	case Float:
		return "Float"
	case Date:
		return "Date"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Role is how a column is presented.
type Role int

// The column roles.
const (
	// Plain columns are written as they are.
	Plain Role = iota
	// Count columns hold person counts; they are suppressed below the
	// threshold (see package disclosure).
	Count
	// Share columns hold fractions 0..1: 4 decimals in CSV, percent with no
	// decimals in HTML; suppressed together with their row's counts.
	Share
)

func (r Role) String() string {
	switch r {
	case Plain:
		return "Plain"
	case Count:
		return "Count"
	case Share:
		return "Share"
	}
	return fmt.Sprintf("Role(%d)", int(r))
}

// Column describes one column of a table.
type Column struct {
	Name string
	Kind Kind
	Role Role
}

// Table is a study table: a name (e.g. "s1_status"), its columns and rows.
// Every row has one cell per column; see the package doc for cell types.
type Table struct {
	Name    string
	Columns []Column
	Rows    [][]any
}

// Col returns the index of the column with the given name
// (case-insensitive), or -1.
func (t Table) Col(name string) int {
	for i, c := range t.Columns {
		if strings.EqualFold(c.Name, name) {
			return i
		}
	}
	return -1
}

// SuppressedText is the text that replaces a suppressed cell for the
// threshold below, e.g. "<5".
func SuppressedText(below int) string { return "<" + strconv.Itoa(below) }

// Hidden is the marker of a count hidden so that a small count cannot be
// recomputed from the cells around it (complementary suppression), and of
// the shares of its row. The value behind it is 0 for no hidden cell and
// at least the threshold: a count 1..n-1 is always "<n".
const Hidden = "x"

// Withheld is the marker of every count and share of a table that is
// withheld in one scope because its small counts could not be protected
// otherwise; the value behind it may be anything, 0 and small counts too.
const Withheld = ".."

// IsSuppressed reports whether a cell holds a suppression marker ("<n",
// Hidden or Withheld).
func IsSuppressed(v any) bool {
	s, ok := v.(string)
	if ok && (s == Hidden || s == Withheld) {
		return true
	}
	if !ok || len(s) < 2 || s[0] != '<' {
		return false
	}
	_, err := strconv.Atoi(s[1:])
	return err == nil
}

// Validate checks that every row has one cell per column and that every
// cell has a type its column can hold (a suppression marker is allowed in
// Count and Share columns).
func (t Table) Validate() error {
	for r, row := range t.Rows {
		if len(row) != len(t.Columns) {
			return fmt.Errorf("table %s: row %d has %d cells, want %d", t.Name, r+1, len(row), len(t.Columns))
		}
		for i, v := range row {
			c := t.Columns[i]
			if err := checkCell(c, v); err != nil {
				return fmt.Errorf("table %s: row %d, column %s: %w", t.Name, r+1, c.Name, err)
			}
		}
	}
	return nil
}

func checkCell(c Column, v any) error {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		if c.Kind == Text || ((c.Role == Count || c.Role == Share) && IsSuppressed(x)) {
			return nil
		}
	case int64:
		if c.Kind == Int || c.Kind == Float {
			return nil
		}
	case float64:
		if c.Kind == Float || (c.Kind == Int && x == math.Trunc(x)) {
			return nil
		}
	case time.Time:
		if c.Kind == Date {
			return nil
		}
	default:
		return fmt.Errorf("unsupported cell type %T", v)
	}
	return fmt.Errorf("%T value %v in a %s column", v, v, c.Kind)
}

// FormatDecimal formats f rounded to the given number of decimals with a
// decimal comma. With trim, trailing zeros (and a bare comma) are removed:
// FormatDecimal(12.5, 4, true) = "12,5", FormatDecimal(0.41666, 4, false) =
// "0,4167". A result that rounds to zero has no minus sign. NaN and ±Inf
// give "".
func FormatDecimal(f float64, decimals int, trim bool) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return ""
	}
	s := strconv.FormatFloat(f, 'f', decimals, 64)
	if trim && strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	if strings.HasPrefix(s, "-") && strings.Trim(s[1:], "0.") == "" {
		s = s[1:]
	}
	return strings.Replace(s, ".", ",", 1)
}

// Percent returns a share 0..1 as a whole percent, rounded half up from the
// share's 4-decimal value (the value in the CSV file), so that HTML and CSV
// agree: 0.2850 → 29, 0.4166… → 42. ok is false for NaN and ±Inf.
func Percent(f float64) (pct int64, ok bool) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	s := strconv.FormatFloat(f, 'f', 4, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	n, err := strconv.ParseInt(strings.Replace(s, ".", "", 1), 10, 64)
	if err != nil {
		return 0, false
	}
	p := (n + 50) / 100 // ten-thousandths → percent, half up
	if neg {
		p = -p
	}
	return p, true
}

// KeyText is a cell's value as plain text, for matching and keys (not for
// display): text as is, numbers in decimal without exponent, dates as
// YYYY-MM-DD, nil as "".
func KeyText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case time.Time:
		return FormatDate(x)
	}
	return fmt.Sprint(v)
}

// FormatDate formats a date as YYYY-MM-DD.
func FormatDate(t time.Time) string { return t.Format("2006-01-02") }

// shareFloat returns the value of a share cell as float64.
func shareFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	}
	return 0, false
}
