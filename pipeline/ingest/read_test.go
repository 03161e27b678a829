package ingest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/kaa-uppfoljning/kaa/pipeline/personnummer"
	"github.com/kaa-uppfoljning/kaa/pipeline/source"
)

// testPnr returns the i-th of a series of valid synthetic personnummer
// (born 2003, serial 100+i; i < 900).
func testPnr(i int) string {
	birth := time.Date(2003, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%300)
	ten := birth.Format("060102") + fmt.Sprintf("%03d", 100+i)
	sum := 0
	for k, c := range ten[:9] {
		d := int(c-'0') * (2 - k%2)
		sum += d/10 + d%10
	}
	return birth.Format("20060102") + "-" + ten[6:9] + fmt.Sprint((10-sum%10)%10)
}

// parallelInputs writes an inputs folder: the fixture kommun 2281, and
// kommun 1402 where person 5 is marked skyddad in the second of three
// extens files (and again later in it) and has rows in the third and in
// deltagare (read later, being another kind), person 7 is marked by a row that also breaks a
// rule, and every file has rejects. With broken, kommun 1403 adds an
// empty extens file and a kaa_individer file without its Personnummer
// column.
func parallelInputs(t *testing.T, broken bool) string {
	t.Helper()
	dir := t.TempDir()
	fixture := "../../fixtures/inputs/2281"
	entries, err := os.ReadDir(fixture)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range entries {
		if strings.HasPrefix(e.Name(), "extens_") && i%20 != 0 {
			continue // a few extens files are enough, and quicker
		}
		b, err := os.ReadFile(filepath.Join(fixture, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(dir, "2281", e.Name()), string(b))
	}
	for week, date := range []string{"2020-01-06", "2020-01-13", "2020-01-20"} {
		var b strings.Builder
		b.WriteString("Personnummer;Kon;Postnummer;Skyddad;Avgangsdatum\n")
		for i := 0; i < 200; i++ {
			skyddad, kon := "N", "KM"[i%2:i%2+1]
			if week == 1 && (i == 5 || i == 7) {
				skyddad = "J"
			}
			if week == 1 && i == 7 {
				kon = "Q" // the mark must hold despite the bad code
			}
			fmt.Fprintf(&b, "%s;%s;85234;%s;2019-06-10\n", testPnr(i), kon, skyddad)
			if i%50 == 3 { // rejects: a bad code, a date after the extract, a bad number
				fmt.Fprintf(&b, "%s;X;85234;N;2019-06-10\n", testPnr(i+300))
				fmt.Fprintf(&b, "%s;K;85234;N;2021-01-01\n", testPnr(i+400))
				bad := testPnr(i + 600)
				fmt.Fprintf(&b, "%s%d;K;85234;N;\n", bad[:12], (bad[12]-'0'+1)%10)
			}
		}
		if week == 1 { // person 5 again, after the mark in this file
			fmt.Fprintf(&b, "%s;K;85234;N;2019-06-10\n", testPnr(5))
		}
		writeFile(t, filepath.Join(dir, "1402", "extens_"+date+".csv"), b.String())
	}
	var b strings.Builder
	b.WriteString("Personnummer;Inskriven;Utskriven;SysVidAvslut;AnvisadStodinsats;Coach\n")
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "%s;2019-09-01;;;J;AB\n", testPnr(i))
		if i%30 == 0 {
			fmt.Fprintf(&b, "%s;;;;J;AB\n", testPnr(i+500)) // Inskriven missing: rejected
		}
	}
	writeFile(t, filepath.Join(dir, "1402", "deltagare.csv"), b.String())
	if broken {
		writeFile(t, filepath.Join(dir, "1403", "extens_2020-02-03.csv"), "")
		writeFile(t, filepath.Join(dir, "1403", "kaa_individer.csv"), "Namn\nAnna\n")
	}
	return dir
}

type staging struct {
	st   *Staged
	done []Result
	err  error
}

// stageWith runs Run on the inputs under dir with the given workers and
// sizes of pieces, batches and parts.
func stageWith(t *testing.T, dir string, workers, piece, batch, part int) staging {
	t.Helper()
	defer func(p, b, q, a int) { pieceRows, batchRows, partRows, filesAhead = p, b, q, a }(pieceRows, batchRows, partRows, filesAhead)
	pieceRows, batchRows, partRows, filesAhead = piece, batch, part, 2
	kommuner, files, err := Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	profiles := map[string]source.Profile{}
	for _, k := range kommuner {
		profiles[k.Code] = k.Profile
	}
	p, err := personnummer.NewPseudonymizer([]byte("test-key-0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	var s staging
	s.st, s.err = Run(context.Background(), files, Options{Pseudo: p, StageDir: filepath.Join(t.TempDir(), "stage"), Profiles: profiles,
		Workers: workers, Done: func(r Result) { s.done = append(s.done, r) }})
	return s
}

// stagedRows reads back the rows of a table's parts, one string a row.
func stagedRows(t *testing.T, parts []string) []string {
	t.Helper()
	var out []string
	for _, path := range parts {
		fh, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		tbl, err := pqarrow.ReadTable(context.Background(), fh, nil, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		rows := make([][]string, tbl.NumRows())
		for c := 0; c < int(tbl.NumCols()); c++ {
			i := 0
			for _, chunk := range tbl.Column(c).Data().Chunks() {
				for k := 0; k < chunk.Len(); k++ {
					rows[i] = append(rows[i], chunk.ValueStr(k))
					i++
				}
			}
		}
		tbl.Release()
		for _, r := range rows {
			out = append(out, strings.Join(r, "|"))
		}
	}
	return out
}

// TestParallelReadingIsSequential: reading the files on many workers, in
// small pieces, gives what one worker gives — the same Results, Done
// calls, skyddade and staged Parquet files byte for byte — and, with
// other batch and part sizes, the same staged rows; a broken input gives
// the same gathered errors and the same Done calls before it.
func TestParallelReadingIsSequential(t *testing.T) {
	dir := parallelInputs(t, false)
	one := stageWith(t, dir, 1, 8*1024, 64*1024, 8*1024*1024)
	if one.err != nil {
		t.Fatal(one.err)
	}
	// The inputs exercise what the test is about.
	pseudo, _ := personnummer.NewPseudonymizer([]byte("test-key-0123456789abcdef"))
	n5, _ := personnummer.Parse(testPnr(5), time.Time{})
	if !contains(one.st.Purge, pseudo.Pseudonym(n5)) || len(one.st.NewBlockmarks) < 3 {
		t.Errorf("purge %d, new blockmarks %d: person 5 (and the fixture's skyddade) not marked", len(one.st.Purge), len(one.st.NewBlockmarks))
	}
	for _, r := range one.st.Results {
		want := map[string][2]int64{ // excluded, rejected
			"1402/extens_2020-01-06.csv": {0, 12}, "1402/extens_2020-01-13.csv": {3, 12},
			"1402/extens_2020-01-20.csv": {2, 12}, "1402/deltagare.csv": {2, 4}}
		if w, ok := want[r.Path]; ok && (r.Excluded != w[0] || r.Rejected != w[1]) {
			t.Errorf("%s: excluded %d, rejected %d; want %d, %d", r.Path, r.Excluded, r.Rejected, w[0], w[1])
		}
	}
	if len(one.st.Parts["reject"]) == 0 {
		t.Fatal("no rejects staged")
	}

	many := stageWith(t, dir, 8, 8*1024, 64*1024, 8*1024*1024)
	if many.err != nil {
		t.Fatal(many.err)
	}
	small := stageWith(t, dir, 3, 7, 50, 120) // pieces of 7 rows, parts of 150
	if small.err != nil {
		t.Fatal(small.err)
	}
	for _, s := range []staging{many, small} {
		if !reflect.DeepEqual(s.st.Results, one.st.Results) || !reflect.DeepEqual(s.done, one.done) {
			t.Errorf("results or Done calls differ")
		}
		if !reflect.DeepEqual(s.st.Purge, one.st.Purge) || !reflect.DeepEqual(s.st.NewBlockmarks, one.st.NewBlockmarks) {
			t.Errorf("skyddade differ")
		}
		if len(s.st.Parts) != len(one.st.Parts) {
			t.Errorf("tables %d, want %d", len(s.st.Parts), len(one.st.Parts))
		}
	}
	if !reflect.DeepEqual(one.done, one.st.Results) {
		t.Errorf("Done calls are not the Results in order")
	}
	for table, parts := range one.st.Parts {
		if len(many.st.Parts[table]) != len(parts) {
			t.Errorf("%s: %d parts, want %d", table, len(many.st.Parts[table]), len(parts))
			continue
		}
		for i := range parts {
			a, _ := os.ReadFile(parts[i])
			b, _ := os.ReadFile(many.st.Parts[table][i])
			if !bytes.Equal(a, b) {
				t.Errorf("%s: part %d differs between 1 and 8 workers", table, i)
			}
		}
		want, got := stagedRows(t, parts), stagedRows(t, small.st.Parts[table])
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %d rows in small pieces, batches and parts, want the same %d rows in the same order", table, len(got), len(want))
		}
		if rows := len(want); table == "extens" && len(small.st.Parts[table]) != (rows+149)/150 {
			t.Errorf("extens: %d rows in %d parts: the small parts were not cut", rows, len(small.st.Parts[table]))
		}
	}

	broken := parallelInputs(t, true)
	one = stageWith(t, broken, 1, 8*1024, 64*1024, 8*1024*1024)
	many = stageWith(t, broken, 8, 7, 50, 120)
	if one.err == nil || !strings.Contains(one.err.Error(), "extens_2020-02-03.csv:1: empty file") ||
		!strings.Contains(one.err.Error(), `kaa_individer.csv:1: missing column "Personnummer"`) {
		t.Fatalf("error = %v, want both broken files", one.err)
	}
	if many.err == nil || many.err.Error() != one.err.Error() {
		t.Errorf("error on 8 workers:\n%v\nwant\n%v", many.err, one.err)
	}
	if len(one.done) == 0 || !reflect.DeepEqual(many.done, one.done) {
		t.Errorf("Done calls differ on a broken input (%d and %d)", len(many.done), len(one.done))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestParallelReadingStops: a run that stops early — cancelled, or at a
// file that vanished after the scan — returns its error at that file and
// leaves no worker behind blocked.
func TestParallelReadingStops(t *testing.T) {
	dir := parallelInputs(t, false)
	kommuner, files, err := Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	profiles := map[string]source.Profile{}
	for _, k := range kommuner {
		profiles[k.Code] = k.Profile
	}
	p, _ := personnummer.NewPseudonymizer([]byte("test-key-0123456789abcdef"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var seen int
	_, err = Run(ctx, files, Options{Pseudo: p, StageDir: t.TempDir(), Profiles: profiles, Workers: 4,
		Done: func(Result) {
			if seen++; seen == 3 {
				cancel()
			}
		}})
	if err != context.Canceled || seen != 3 {
		t.Errorf("cancelled: error %v after %d files, want %v after 3", err, seen, context.Canceled)
	}
	gone := files[len(files)/2]
	if err := os.Remove(gone.Abs); err != nil {
		t.Fatal(err)
	}
	_, err = Run(context.Background(), files, Options{Pseudo: p, StageDir: t.TempDir(), Profiles: profiles, Workers: 4})
	if !os.IsNotExist(err) {
		t.Errorf("vanished file: error %v, want it not found", err)
	}
}

// BenchmarkRead reads the fixture kommun's extens files on one worker
// (CSV, contract, pseudonyms, Arrow; no staging): the reading path's CPU.
func BenchmarkRead(b *testing.B) {
	files, data := fixtureExtens(b)
	p, _ := personnummer.NewPseudonymizer([]byte("test-key-0123456789abcdef"))
	b.ResetTimer()
	var rows int64
	for i := 0; i < b.N; i++ {
		w := newWorker(Options{Pseudo: p}, newIdentities(p))
		for k, f := range files {
			res, _, err := w.read(f, bytes.NewReader(data[k]), func(p piece) bool { p.release(); return true })
			if err != nil {
				b.Fatal(err)
			}
			rows += res.Read
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rows), "ns/row")
}

// BenchmarkStage stages the fixture kommun's extens rows as Parquet (the
// Arrow records read once, before the timer): the staging path's CPU.
func BenchmarkStage(b *testing.B) {
	files, data := fixtureExtens(b)
	p, _ := personnummer.NewPseudonymizer([]byte("test-key-0123456789abcdef"))
	w := newWorker(Options{Pseudo: p}, newIdentities(p))
	var recs []arrow.Record
	for k, f := range files {
		if _, _, err := w.read(f, bytes.NewReader(data[k]), func(p piece) bool {
			if p.rows != nil {
				p.rows.Retain()
				recs = append(recs, p.rows)
			}
			p.release()
			return true
		}); err != nil {
			b.Fatal(err)
		}
	}
	schema := Schema(files[0].Kind)
	var rows int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s := newStager(b.TempDir(), "raw_extens", schema)
		for _, r := range recs {
			if err := s.add(r); err != nil {
				b.Fatal(err)
			}
			rows += r.NumRows()
		}
		if _, err := s.close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rows), "ns/row")
}

// fixtureExtens returns the fixture kommun's extens files and their bytes.
func fixtureExtens(b *testing.B) ([]File, [][]byte) {
	dir := "../../fixtures/inputs/2281"
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	var files []File
	var data [][]byte
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), "extens_") {
			continue
		}
		m, err := ClassifyName(e.Name(), source.Profile{})
		if err != nil {
			b.Fatal(err)
		}
		raw, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, File{Path: "2281/" + e.Name(), Abs: filepath.Join(dir, e.Name()), Kommun: "2281", Kind: m.Kind, ExtractDate: m.Date, ID: "0123456789abcdef0123456789abcdef"})
		data = append(data, raw)
	}
	return files, data
}
