package table

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
)

// CreatedBy is the created_by string of every Parquet file written here.
const CreatedBy = "kaa"

// ArrowSchema returns the Arrow schema WriteParquet uses for t: lowercase
// column names, every field nullable, Text → utf8, Int → int64, Float →
// float64, Date → date32.
func ArrowSchema(t Table) *arrow.Schema {
	fields := make([]arrow.Field, len(t.Columns))
	for i, c := range t.Columns {
		fields[i] = arrow.Field{Name: strings.ToLower(c.Name), Type: arrowType(c.Kind), Nullable: true}
	}
	return arrow.NewSchema(fields, nil)
}

func arrowType(k Kind) arrow.DataType {
	switch k {
	case Int:
		return arrow.PrimitiveTypes.Int64
	case Float:
		return arrow.PrimitiveTypes.Float64
	case Date:
		return arrow.FixedWidthTypes.Date32
	}
	return arrow.BinaryTypes.String
}

// WriteParquet writes t as one Parquet file (one row group, Snappy,
// created_by "kaa"). Suppressed cells ("<n", "x") become NULL; see the package
// doc. The output bytes depend only on t.
func WriteParquet(w io.Writer, t Table) error {
	if err := t.Validate(); err != nil {
		return err
	}
	rec, err := Record(t, memory.DefaultAllocator)
	if err != nil {
		return err
	}
	defer rec.Release()

	props := parquet.NewWriterProperties(
		parquet.WithCreatedBy(CreatedBy),
		parquet.WithCompression(compress.Codecs.Snappy),
		parquet.WithStats(true),
		parquet.WithDictionaryDefault(false),
	)
	// pqarrow closes a sink that is an io.Closer; the caller owns w.
	fw, err := pqarrow.NewFileWriter(rec.Schema(), struct{ io.Writer }{w}, props, pqarrow.DefaultWriterProps())
	if err != nil {
		return fmt.Errorf("table %s: parquet: %w", t.Name, err)
	}
	if err := fw.Write(rec); err != nil {
		fw.Close()
		return fmt.Errorf("table %s: parquet: %w", t.Name, err)
	}
	if err := fw.Close(); err != nil {
		return fmt.Errorf("table %s: parquet: %w", t.Name, err)
	}
	return nil
}

// Record converts t to an Arrow record with the schema of ArrowSchema;
// suppressed cells become nulls. The caller releases the record.
func Record(t Table, mem memory.Allocator) (arrow.Record, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	b := array.NewRecordBuilder(mem, ArrowSchema(t))
	defer b.Release()
	for _, row := range t.Rows {
		for i, v := range row {
			if err := appendCell(b.Field(i), t.Columns[i], v); err != nil {
				return nil, fmt.Errorf("table %s: column %s: %w", t.Name, t.Columns[i].Name, err)
			}
		}
	}
	return b.NewRecord(), nil
}

func appendCell(fb array.Builder, c Column, v any) error {
	if v == nil || IsSuppressed(v) && c.Kind != Text {
		fb.AppendNull()
		return nil
	}
	switch b := fb.(type) {
	case *array.StringBuilder:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%T in a text column", v)
		}
		b.Append(s)
	case *array.Int64Builder:
		switch x := v.(type) {
		case int64:
			b.Append(x)
		case float64:
			b.Append(int64(x))
		default:
			return fmt.Errorf("%T in an int column", v)
		}
	case *array.Float64Builder:
		switch x := v.(type) {
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				b.AppendNull() // as in CSV: not a number is missing
			} else {
				b.Append(x)
			}
		case int64:
			b.Append(float64(x))
		default:
			return fmt.Errorf("%T in a float column", v)
		}
	case *array.Date32Builder:
		d, ok := v.(time.Time)
		if !ok {
			return fmt.Errorf("%T in a date column", v)
		}
		b.Append(date32(d))
	default:
		return fmt.Errorf("unexpected builder %T", fb)
	}
	return nil
}

// date32 is the civil date of t (its year, month, day, whatever its
// location) as days since 1970-01-01.
func date32(t time.Time) arrow.Date32 {
	y, m, d := t.Date()
	return arrow.Date32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}
