package demo

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"golang.org/x/text/encoding/charmap"
)

// csvFile writes one export: a header and rows, fields joined by delim.
// Rows are built in a reused buffer and written through a bufio.Writer, so
// nothing but the current row is held in memory. A file written as
// Windows-1252 is gathered in memory (those files are small) and encoded
// on close.
type csvFile struct {
	path  string
	f     *os.File
	w     *bufio.Writer
	cp    *bytes.Buffer // Windows-1252 files: the UTF-8 text, encoded on close
	b     []byte
	delim byte
	crlf  bool
	n     int // fields in the current row
	rows  int64
	// shape, if set, rewrites every row in a vendor's shape (vendor.go);
	// the file is then gathered in memory and encoded on close.
	shape *vendorFile
	vbuf  []byte
}

type fileOpt struct {
	delim  byte
	bom    bool // UTF-8 byte order mark
	cp1252 bool // Windows-1252 with CRLF line ends, as Excel on a Swedish PC saves
	shape  *vendorFile
}

// writers and rowBufs are reused between files: an extract is written in
// a few milliseconds, and fresh 256 KiB buffers for each would cost more
// than the rows.
var (
	writers = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 256<<10) }}
	rowBufs = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}
)

func createCSV(path string, o fileOpt, header ...string) (*csvFile, error) {
	if o.shape != nil {
		path = filepath.Join(filepath.Dir(path), o.shape.name)
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	c := &csvFile{path: path, f: f, delim: o.delim, b: (*rowBufs.Get().(*[]byte))[:0], shape: o.shape}
	if c.delim == 0 {
		c.delim = ';'
	}
	if o.shape != nil {
		// Rows are built in the canonical layout and rewritten (row).
		c.cp = new(bytes.Buffer)
		c.w = bufio.NewWriter(c.cp)
		c.w.Write(o.shape.head())
		c.crlf = o.cp1252
		return c, nil
	}
	if o.cp1252 {
		c.cp = new(bytes.Buffer)
		c.w = bufio.NewWriter(c.cp)
		c.crlf = true
	} else {
		c.w = writers.Get().(*bufio.Writer)
		c.w.Reset(f)
	}
	if o.bom {
		c.w.WriteString("\uFEFF")
	}
	for _, h := range header {
		c.str(h)
	}
	c.endRow()
	c.rows = 0
	return c, nil
}

func (c *csvFile) sep() {
	if c.n > 0 {
		c.b = append(c.b, c.delim)
	}
	c.n++
}

// str appends a text field.
func (c *csvFile) str(s string) {
	c.sep()
	c.b = append(c.b, s...)
}

// date appends a date field, blank for noDay, maxDay or 0.
func (c *csvFile) date(d day) {
	c.sep()
	if d != noDay && d != maxDay && d != 0 {
		c.b = appendDate(c.b, d)
	}
}

// int appends an integer field.
func (c *csvFile) int(v int) {
	c.sep()
	c.b = strconv.AppendInt(c.b, int64(v), 10)
}

// tenths appends v/10 with a decimal comma (124 → "12,4"); blank if v < 0.
func (c *csvFile) tenths(v int) {
	c.sep()
	if v < 0 {
		return
	}
	c.b = strconv.AppendInt(c.b, int64(v/10), 10)
	c.b = append(c.b, ',', byte('0'+v%10))
}

// pnr appends a personnummer field.
func (c *csvFile) pnr(p pnr, f pnrFormat) {
	c.sep()
	c.b = p.appendTo(c.b, f, false)
}

func (c *csvFile) endRow() {
	if c.crlf {
		c.b = append(c.b, '\r')
	}
	c.b = append(c.b, '\n')
	c.write(c.b)
	c.b = c.b[:0]
	c.n = 0
	c.rows++
}

// raw writes a complete row (with its line end) built elsewhere.
func (c *csvFile) raw(row []byte) {
	c.write(row)
	c.rows++
}

// write writes a row, rewritten in the vendor's shape if the file has one.
func (c *csvFile) write(row []byte) {
	if c.shape != nil {
		c.vbuf = c.shape.row(c.vbuf[:0], row, c.delim)
		row = c.vbuf
	}
	c.w.Write(row)
}

// dataLine is the line number the next data row will have.
func (c *csvFile) dataLine() int {
	n := int(c.rows) + 2
	if c.shape != nil {
		n += len(c.shape.title)
	}
	return n
}

// close flushes the file and returns its size in bytes.
func (c *csvFile) close() (int64, error) {
	err := c.w.Flush()
	if err == nil && c.cp != nil {
		var enc []byte
		e := encCP1252
		if c.shape != nil {
			e = c.shape.enc
		}
		switch e {
		case encUTF8:
			enc = c.cp.Bytes()
		case encUTF8BOM:
			enc = append([]byte("\uFEFF"), c.cp.Bytes()...)
		case encUTF16LEBOM, encUTF16LE:
			enc = encodeUTF16(c.cp.Bytes(), e == encUTF16LEBOM)
		default:
			enc, err = charmap.Windows1252.NewEncoder().Bytes(c.cp.Bytes())
		}
		if err == nil {
			_, err = c.f.Write(enc)
		}
	}
	var size int64
	if err == nil {
		var st os.FileInfo
		if st, err = c.f.Stat(); err == nil {
			size = st.Size()
		}
	}
	if cerr := c.f.Close(); err == nil {
		err = cerr
	}
	if c.cp == nil {
		c.w.Reset(nil)
		writers.Put(c.w)
	}
	b := c.b[:0]
	rowBufs.Put(&b)
	c.w, c.b = nil, nil
	if err != nil {
		return 0, fmt.Errorf("demo: write %s: %w", c.path, err)
	}
	return size, nil
}
