package ingest

import (
	"github.com/apache/arrow/go/v17/arrow"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
)

// Schema is the Arrow schema of a kind's staged rows, and so of its raw
// table: file_id, kommunkod, line; for person kinds person (pseudonym),
// fodelsedatum, kon; for Dated kinds extract_date; then the contract's
// Stored columns in lowercase. Personnummer never appears; a PersonKon
// column (extens Kon) merges into kon and a Protects column (Skyddad) is
// not stored (skyddade rows are excluded).
func Schema(k contract.Kind) *arrow.Schema {
	fields := []arrow.Field{
		{Name: "file_id", Type: arrow.BinaryTypes.String},
		{Name: "kommunkod", Type: arrow.BinaryTypes.String},
		{Name: "line", Type: arrow.PrimitiveTypes.Int32},
	}
	if k.Person() {
		fields = append(fields,
			arrow.Field{Name: "person", Type: arrow.BinaryTypes.String},
			arrow.Field{Name: "fodelsedatum", Type: arrow.FixedWidthTypes.Date32},
			arrow.Field{Name: "kon", Type: arrow.BinaryTypes.String, Nullable: true},
		)
	}
	if k.Dated {
		fields = append(fields, arrow.Field{Name: "extract_date", Type: arrow.FixedWidthTypes.Date32})
	}
	for _, c := range k.Columns {
		if !c.Stored() {
			continue
		}
		fields = append(fields, arrow.Field{Name: c.Field(), Type: arrowType(c.Type), Nullable: true})
	}
	return arrow.NewSchema(fields, nil)
}

func arrowType(t contract.Type) arrow.DataType {
	switch t {
	case contract.Date:
		return arrow.FixedWidthTypes.Date32
	case contract.Bool:
		return arrow.FixedWidthTypes.Boolean
	case contract.Int:
		return arrow.PrimitiveTypes.Int64
	case contract.Decimal:
		return arrow.PrimitiveTypes.Float64
	default:
		return arrow.BinaryTypes.String
	}
}

// RejectSchema is the schema of staged rejects, and so of the
// ingest_reject table: the file, line, rule, field and value (as
// contract.Shown, a personnummer masked) of each rejected row.
func RejectSchema() *arrow.Schema {
	return arrow.NewSchema([]arrow.Field{
		{Name: "file_id", Type: arrow.BinaryTypes.String},
		{Name: "path", Type: arrow.BinaryTypes.String},
		{Name: "line", Type: arrow.PrimitiveTypes.Int32},
		{Name: "rule", Type: arrow.BinaryTypes.String},
		{Name: "field", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "value", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
}
