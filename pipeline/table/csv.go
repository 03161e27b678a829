package table

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// bom is the UTF-8 byte order mark that makes Excel read the file as UTF-8.
const bom = "\ufeff"

// WriteCSV writes t as CSV: UTF-8 with BOM, ';'-separated, CRLF line ends,
// decimal comma, header of lowercase column names. See the package doc for
// the exact cell formats, quoting and the CSV-injection guard. t is written
// as given: hide small counts first (package disclosure) for a published file.
func WriteCSV(w io.Writer, t Table) error {
	if err := t.Validate(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(bom)
	for i, c := range t.Columns {
		if i > 0 {
			bw.WriteByte(';')
		}
		bw.WriteString(quoteField(strings.ToLower(c.Name)))
	}
	bw.WriteString("\r\n")
	for _, row := range t.Rows {
		for i, v := range row {
			if i > 0 {
				bw.WriteByte(';')
			}
			bw.WriteString(quoteField(csvCell(t.Columns[i], v)))
		}
		bw.WriteString("\r\n")
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("table %s: write csv: %w", t.Name, err)
	}
	return nil
}

// csvCell formats one cell (already validated) for CSV, before quoting.
func csvCell(c Column, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return guardInjection(x)
	case int64:
		if c.Role == Share {
			return FormatDecimal(float64(x), 4, false)
		}
		return strconv.FormatInt(x, 10)
	case float64:
		if c.Role == Share {
			return FormatDecimal(x, 4, false)
		}
		if c.Kind == Int {
			return FormatDecimal(x, 0, false)
		}
		return FormatDecimal(x, 4, true)
	case time.Time:
		return FormatDate(x)
	}
	return fmt.Sprint(v) // unreachable after Validate
}

// guardInjection prefixes text that a spreadsheet would read as a formula
// with an apostrophe.
func guardInjection(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// quoteField encloses a field in double quotes when it contains ';', '"',
// CR or LF, doubling the quotes inside.
func quoteField(s string) string {
	if !strings.ContainsAny(s, ";\"\r\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}
