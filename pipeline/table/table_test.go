package table

import (
	"bytes"
	"context"
	"math"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"github.com/apache/arrow/go/v17/parquet/schema"
)

func d(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }

// sample has every cell type, the suppression boundaries (0, 4, 5 for
// below = 5), a nil share, text needing quotes and injection guards.
func sample() Table {
	return Table{
		Name: "s_test",
		Columns: []Column{
			{Name: "Status", Kind: Text},
			{Name: "antal", Kind: Int, Role: Count},
			{Name: "andel", Kind: Float, Role: Share},
			{Name: "varde", Kind: Float},
			{Name: "datum", Kind: Date},
		},
		Rows: [][]any{
			{"EXAMEN", int64(5), 0.41666666, 12.5, d(2020, 12, 31)},
			{"ARBETE", int64(4), 0.3333333, 1.23456, nil},
			{"INGEN", int64(0), 0.0, 3.0, d(2021, 1, 2)},
			{"=SUM(A1)", int64(1), nil, -0.00001, nil},
			{"a;b \"c\"", nil, nil, nil, nil},
			{"-5", int64(12), 1.0, math.NaN(), nil},
			{"@x\r\nrad", int64(-1), 0.25, -2.5, nil},
		},
	}
}

func TestWriteCSVExact(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	want := "\ufeffstatus;antal;andel;varde;datum\r\n" +
		"EXAMEN;5;0,4167;12,5;2020-12-31\r\n" +
		"ARBETE;4;0,3333;1,2346;\r\n" +
		"INGEN;0;0,0000;3;2021-01-02\r\n" +
		"'=SUM(A1);1;;0;\r\n" +
		"\"a;b \"\"c\"\"\";;;;\r\n" +
		"'-5;12;1,0000;;\r\n" +
		"\"'@x\r\nrad\";-1;0,2500;-2,5;\r\n"
	if got := buf.String(); got != want {
		t.Errorf("CSV mismatch\n got: %q\nwant: %q", got, want)
	}
}

// TestMarkersCSV: the two suppression markers are written as they are in
// count and share columns, and validate there only.
func TestMarkersCSV(t *testing.T) {
	in := sample()
	in.Rows[1][1], in.Rows[1][2] = SuppressedText(5), SuppressedText(5)
	in.Rows[0][1], in.Rows[0][2] = Hidden, Hidden
	var buf bytes.Buffer
	if err := WriteCSV(&buf, in); err != nil {
		t.Fatal(err)
	}
	want := "\ufeffstatus;antal;andel;varde;datum\r\n" +
		"EXAMEN;x;x;12,5;2020-12-31\r\n" +
		"ARBETE;<5;<5;1,2346;\r\n"
	if got := buf.String(); !bytes.HasPrefix([]byte(got), []byte(want)) {
		t.Errorf("CSV mismatch\n got: %q\nwant prefix: %q", got, want)
	}
	in.Rows[0][3] = Hidden // a plain column holds no marker
	if err := in.Validate(); err == nil {
		t.Error("a marker in a plain column validated")
	}
}

// fmtRows makes rows comparable with DeepEqual despite NaN.
func fmtRows(t Table) []string {
	var out []string
	for _, r := range t.Rows {
		for _, v := range r {
			out = append(out, fmtValue(v))
		}
	}
	return out
}

func fmtValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case string:
		return "s:" + x
	case int64:
		return "i:" + FormatDecimal(float64(x), 0, false)
	case float64:
		if math.IsNaN(x) {
			return "NaN"
		}
		return "f:" + FormatDecimal(x, 8, true)
	case time.Time:
		return "d:" + FormatDate(x)
	}
	return "?"
}

func TestIsSuppressed(t *testing.T) {
	for v, want := range map[any]bool{"<5": true, "<10": true, "x": true, "X": false, "<": false, "<x": false, "5": false, int64(3): false, "<5 ": false} {
		if got := IsSuppressed(v); got != want {
			t.Errorf("IsSuppressed(%q) = %v", v, got)
		}
	}
}

func TestFormatting(t *testing.T) {
	cases := []struct {
		f    float64
		dec  int
		trim bool
		want string
	}{
		{0.41666, 4, false, "0,4167"}, {12.5, 4, true, "12,5"}, {1.23456, 4, true, "1,2346"},
		{3, 4, true, "3"}, {-0.00001, 4, true, "0"}, {-0.00001, 4, false, "0,0000"},
		{1234567.891, 4, true, "1234567,891"}, {math.Inf(1), 4, true, ""},
	}
	for _, c := range cases {
		if got := FormatDecimal(c.f, c.dec, c.trim); got != c.want {
			t.Errorf("FormatDecimal(%v,%d,%v) = %q, want %q", c.f, c.dec, c.trim, got, c.want)
		}
	}
	for f, want := range map[float64]int64{0.285: 29, 0.41666: 42, 0.125: 13, 0.12449: 12, 0.004: 0, 0.005: 1, 1: 100, 0: 0} {
		if got, ok := Percent(f); !ok || got != want {
			t.Errorf("Percent(%v) = %d, want %d", f, got, want)
		}
	}
}

func TestValidate(t *testing.T) {
	bad := []Table{
		{Name: "x", Columns: []Column{{Name: "a", Kind: Int}}, Rows: [][]any{{"text"}}},
		{Name: "x", Columns: []Column{{Name: "a", Kind: Int}}, Rows: [][]any{{1}}}, // Go int, not int64
		{Name: "x", Columns: []Column{{Name: "a", Kind: Text}, {Name: "b", Kind: Text}}, Rows: [][]any{{"only one"}}},
		{Name: "x", Columns: []Column{{Name: "a", Kind: Int}}, Rows: [][]any{{"<5"}}}, // marker only in Count/Share
	}
	for i, tb := range bad {
		if err := WriteCSV(&bytes.Buffer{}, tb); err == nil {
			t.Errorf("case %d: no error", i)
		}
	}
}

func TestParquetRoundTrip(t *testing.T) {
	in := sample()
	in.Rows[1][1], in.Rows[1][2] = SuppressedText(5), SuppressedText(5)
	in.Rows[3][1] = Hidden
	var buf bytes.Buffer
	if err := WriteParquet(&buf, in); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := WriteParquet(&again, in); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Errorf("Parquet bytes differ between two writes")
	}

	rdr, err := file.NewParquetReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer rdr.Close()
	if got := rdr.MetaData().GetCreatedBy(); got != "kaa" {
		t.Errorf("created_by = %q", got)
	}
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		t.Fatal(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()

	wantTypes := []arrow.DataType{arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Float64, arrow.PrimitiveTypes.Float64, arrow.FixedWidthTypes.Date32}
	wantNames := []string{"status", "antal", "andel", "varde", "datum"}
	for i, f := range tbl.Schema().Fields() {
		if f.Name != wantNames[i] || !arrow.TypeEqual(f.Type, wantTypes[i]) {
			t.Errorf("field %d = %s %s, want %s %s", i, f.Name, f.Type, wantNames[i], wantTypes[i])
		}
	}
	if tbl.NumRows() != int64(len(in.Rows)) {
		t.Fatalf("rows = %d", tbl.NumRows())
	}
	col := func(i int) arrow.Array { return tbl.Column(i).Data().Chunk(0) }
	status := col(0).(*array.String)
	antal := col(1).(*array.Int64)
	andel := col(2).(*array.Float64)
	varde := col(3).(*array.Float64)
	datum := col(4).(*array.Date32)

	if status.Value(3) != "=SUM(A1)" { // no CSV guard in Parquet
		t.Errorf("status[3] = %q", status.Value(3))
	}
	if antal.Value(0) != 5 || !antal.IsNull(1) || antal.Value(2) != 0 || !antal.IsNull(3) || !antal.IsNull(4) || antal.Value(5) != 12 {
		t.Errorf("antal = %v", antal)
	}
	if andel.Value(0) != 0.41666666 || !andel.IsNull(1) || andel.Value(2) != 0 || !andel.IsNull(3) || andel.Value(5) != 1 {
		t.Errorf("andel = %v", andel)
	}
	if !varde.IsNull(5) || varde.Value(0) != 12.5 { // NaN → NULL
		t.Errorf("varde = %v", varde)
	}
	if datum.Value(0).ToTime() != d(2020, 12, 31) || !datum.IsNull(1) {
		t.Errorf("datum = %v", datum)
	}
	if lt := rdr.MetaData().Schema.Column(4).LogicalType(); !lt.Equals(schema.DateLogicalType{}) {
		t.Errorf("datum logical type = %s", lt)
	}
}
