package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

// batchRows is the number of rows per Arrow record batch; partRows the number
// of rows per staged Parquet file, so no single file grows without bound.
// (Variables so that tests can make them small.)
var (
	batchRows = 64 * 1024
	partRows  = 8 * 1024 * 1024
)

// stager writes validated rows of one table as Arrow record batches into
// Parquet files under dir. The rows come as records of any size (pieces
// of files, see piece) and are staged in batches of batchRows rows, so
// that the batches and the parts do not depend on how the rows were cut.
// Encoding a batch as Parquet happens in a goroutine of its own while the
// next batch is gathered (on two cores it was some 40% of the ingest's
// CPU). Memory use is at most three batches: one gathering, one queued,
// one being written.
type stager struct {
	dir     string
	table   string
	schema  *arrow.Schema
	pending []arrow.Record // rows of the next batch
	n       int            // rows in pending
	rows    int64

	closed bool // close or abort has run: pending is released

	queue chan arrow.Record // batches for the writer goroutine
	done  chan struct{}     // closed when the writer goroutine has ended
	err   atomic.Pointer[error]

	// owned by the writer goroutine until done is closed
	inPart int // rows in the current part
	fw     *pqarrow.FileWriter
	fh     *os.File
	parts  []string
}

func newStager(dir, table string, schema *arrow.Schema) *stager {
	return &stager{dir: dir, table: table, schema: schema}
}

// add stages the rows of rec (of the stager's schema), which stays the
// caller's to release.
func (s *stager) add(rec arrow.Record) error { return s.addSlice(rec, 0, int(rec.NumRows())) }

// addSlice stages rows [i, j) of rec, which stays the caller's to release,
// and flushes each batch that fills. An error of an earlier batch's write
// is returned here or by close.
func (s *stager) addSlice(rec arrow.Record, i, j int) error {
	for i < j {
		k := min(j, i+batchRows-s.n)
		s.pending = append(s.pending, rec.NewSlice(int64(i), int64(k)))
		s.n += k - i
		s.rows += int64(k - i)
		i = k
		if s.n >= batchRows {
			if err := s.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

// flush hands the pending rows to the writer goroutine as one batch. An
// error of an earlier batch's write is returned here or by close.
func (s *stager) flush() error {
	if p := s.err.Load(); p != nil {
		return *p
	}
	if s.n == 0 {
		return nil
	}
	rec, err := concat(s.schema, s.pending, s.n)
	s.release()
	if err != nil {
		return fmt.Errorf("staging %s: %w", s.table, err)
	}
	if s.queue == nil {
		s.queue, s.done = make(chan arrow.Record, 1), make(chan struct{})
		go s.writer()
	}
	s.queue <- rec
	return nil
}

// release drops the pending rows.
func (s *stager) release() {
	for _, r := range s.pending {
		r.Release()
	}
	s.pending, s.n = s.pending[:0], 0
}

// concat joins records of one schema, n rows in all, into one.
func concat(schema *arrow.Schema, recs []arrow.Record, n int) (arrow.Record, error) {
	cols := make([]arrow.Array, schema.NumFields())
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	parts := make([]arrow.Array, len(recs))
	for c := range cols {
		for i, r := range recs {
			parts[i] = r.Column(c)
		}
		a, err := array.Concatenate(parts, memory.DefaultAllocator)
		if err != nil {
			return nil, err
		}
		cols[c] = a
	}
	return array.NewRecord(schema, cols, int64(n)), nil
}

// writer writes the queued batches in order; after an error it only
// releases them.
func (s *stager) writer() {
	defer close(s.done)
	for rec := range s.queue {
		if s.err.Load() == nil {
			if err := s.write(rec); err != nil {
				s.err.Store(&err)
			}
		}
		rec.Release()
	}
}

func (s *stager) write(rec arrow.Record) error {
	if s.fw == nil {
		name := filepath.Join(s.dir, fmt.Sprintf("%s-%04d.parquet", s.table, len(s.parts)))
		fh, err := os.Create(name)
		if err != nil {
			return err
		}
		props := parquet.NewWriterProperties(
			parquet.WithCompression(compress.Codecs.Snappy),
			// Staged files are read once, whole, by the load: without
			// dictionaries and statistics the writer takes about a third
			// less CPU (BenchmarkStage) and the load about a tenth more.
			parquet.WithDictionaryDefault(false),
			parquet.WithStats(false),
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

// close flushes what is left, waits for the writer and returns the staged
// Parquet files.
func (s *stager) close() ([]string, error) {
	defer s.release()
	s.closed = true
	err := s.flush()
	if s.queue != nil {
		close(s.queue)
		<-s.done
		s.queue = nil
	}
	if err != nil {
		return nil, err
	}
	if p := s.err.Load(); p != nil {
		s.closePart()
		return nil, *p
	}
	if err := s.closePart(); err != nil {
		return nil, err
	}
	return s.parts, nil
}

// abort stops the writer of a stager that will not be closed (its run
// failed), leaving its parts unfinished; after close it does nothing.
func (s *stager) abort() {
	if s.closed {
		return
	}
	s.closed = true
	if s.queue != nil {
		close(s.queue)
		<-s.done
		s.queue = nil
	}
	s.closePart()
	s.release()
}

// abort stops every stager's writer; stagers already closed are left alone.
func (r *run) abort() {
	for _, s := range r.stagers {
		s.abort()
	}
	r.rejects.abort()
}

func appendString(b array.Builder, v string, null bool) {
	sb := b.(*array.StringBuilder)
	if null {
		sb.AppendNull()
		return
	}
	sb.Append(v)
}
