package ingest

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

// batchRows is the number of rows per Arrow record batch; partRows the number
// of rows per staged Parquet file, so no single file grows without bound.
const (
	batchRows = 64 * 1024
	partRows  = 8 * 1024 * 1024
)

// stager writes validated rows of one table as Arrow record batches into
// Parquet files under dir. Memory use is one batch of builders.
type stager struct {
	dir    string
	table  string
	schema *arrow.Schema
	b      *array.RecordBuilder
	n      int // rows in the builder
	inPart int // rows in the current part
	fw     *pqarrow.FileWriter
	fh     *os.File
	parts  []string
	rows   int64
}

func newStager(dir, table string, schema *arrow.Schema) *stager {
	return &stager{dir: dir, table: table, schema: schema, b: array.NewRecordBuilder(memory.DefaultAllocator, schema)}
}

// rowDone counts an appended row and flushes a full batch.
func (s *stager) rowDone() error {
	s.n++
	s.rows++
	if s.n >= batchRows {
		return s.flush()
	}
	return nil
}

func (s *stager) flush() error {
	if s.n == 0 {
		return nil
	}
	rec := s.b.NewRecord()
	defer rec.Release()
	s.n = 0
	if s.fw == nil {
		name := filepath.Join(s.dir, fmt.Sprintf("%s-%04d.parquet", s.table, len(s.parts)))
		fh, err := os.Create(name)
		if err != nil {
			return err
		}
		props := parquet.NewWriterProperties(
			parquet.WithCompression(compress.Codecs.Snappy),
			parquet.WithCreatedBy("kaa"),
		)
		fw, err := pqarrow.NewFileWriter(s.schema, fh, props, pqarrow.DefaultWriterProps())
		if err != nil {
			fh.Close()
			return err
		}
		s.fh, s.fw = fh, fw
		s.parts = append(s.parts, name)
	}
	if err := s.fw.Write(rec); err != nil {
		return fmt.Errorf("staging %s: %w", s.table, err)
	}
	s.inPart += int(rec.NumRows())
	if s.inPart >= partRows {
		return s.closePart()
	}
	return nil
}

func (s *stager) closePart() error {
	if s.fw == nil {
		return nil
	}
	err := s.fw.Close() // closes fh too
	s.fw, s.fh, s.inPart = nil, nil, 0
	return err
}

// close flushes what is left and returns the staged Parquet files.
func (s *stager) close() ([]string, error) {
	defer s.b.Release()
	if err := s.flush(); err != nil {
		return nil, err
	}
	if err := s.closePart(); err != nil {
		return nil, err
	}
	return s.parts, nil
}

func appendString(b array.Builder, v string, null bool) {
	sb := b.(*array.StringBuilder)
	if null {
		sb.AppendNull()
		return
	}
	sb.Append(v)
}
