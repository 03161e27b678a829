package warehouse

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/marcboeker/go-duckdb"
)

// rawSession runs statements on path with plain DuckDB (no warehouse) and
// closes it without the checkpoint on shutdown, so the WAL stays as a
// process killed right after the last commit leaves it.
func rawSession(t *testing.T, path string, stmts ...string) {
	t.Helper()
	connector, err := duckdb.NewConnector(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	for _, q := range append([]string{"pragma disable_checkpoint_on_shutdown"}, stmts...) {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// cutLastFrame cuts the WAL at the start of its last entry, which after a
// commit is that commit's flush marker: what SIGKILL leaves when it lands
// after a commit's entries were written and before its flush marker. An
// entry is framed as its size (uint64), checksum (uint64) and payload; from
// is the WAL size before the commit, an entry boundary.
func cutLastFrame(t *testing.T, wal string, from int64) {
	t.Helper()
	b, err := os.ReadFile(wal)
	if err != nil {
		t.Fatal(err)
	}
	last := from
	for pos := from; pos < int64(len(b)); {
		last = pos
		pos += 16 + int64(binary.LittleEndian.Uint64(b[pos:]))
	}
	if last == from {
		t.Fatalf("%s: the last commit has a single entry", wal)
	}
	if err := os.Truncate(wal, last); err != nil {
		t.Fatal(err)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

// tornView leaves at path a database whose WAL ends in the entries of a
// commit that creates view stg_v, cut before its flush marker: a run killed
// while writing its first build's commit. Table t was committed before.
func tornView(t *testing.T, path string) {
	t.Helper()
	rawSession(t, path, "create table t as select 1 as a")
	before := fileSize(t, path+".wal")
	rawSession(t, path, "begin; create or replace view stg_v as select 1 as x; insert into t values (7); commit")
	cutLastFrame(t, path+".wal", before)
}

// TestTornWALIsNotAppendedTo: DuckDB 1.1 replays a WAL up to its last
// complete commit but then appends new commits after the torn entries; the
// next replay glues those entries onto the next commit (here: "View with
// name stg_v already exists!"). Open checkpoints the replayed state first,
// so a run after a kill commits into a fresh WAL and the run after it opens.
func TestTornWALIsNotAppendedTo(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kaa.duckdb")
	tornView(t, path)

	w, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if w.Recovered != "" {
		t.Errorf("a torn WAL was moved aside to %s; its complete commits replay", w.Recovered)
	}
	var a int
	if err := w.QueryRow(ctx, "select a from t", nil, &a); err != nil || a != 1 {
		t.Fatalf("the commit before the torn one: %d, %v", a, err)
	}
	// the next run builds the view again and is killed after its commit
	for _, q := range []string{"create or replace view stg_v as select 2 as x", "pragma disable_checkpoint_on_shutdown"} {
		if err := w.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()

	w, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("the run after the kills: %v", err)
	}
	defer w.Close()
	if w.Recovered != "" {
		t.Fatalf("the WAL of the run after the kill could not be replayed (%s): %s", w.RecoveryCause, w.Recovered)
	}
	var x int
	if err := w.QueryRow(ctx, "select x from stg_v", nil, &x); err != nil || x != 2 {
		t.Errorf("stg_v: %d, %v; want the last committed definition (2)", x, err)
	}
	// the torn commit's row never comes back
	var rows string
	if err := w.QueryRow(ctx, "select string_agg(a::varchar, ',' order by a) from t", nil, &rows); err != nil || rows != "1" {
		t.Errorf("t holds %q, %v; want 1 (the row of the torn commit is not committed)", rows, err)
	}
}

// TestUnreplayableWALIsMovedAside: a WAL DuckDB cannot replay (here made by
// the DuckDB 1.1 behaviour above, as a database of an older kaa may hold
// one) is moved aside under a named file and the database opens at its last
// checkpoint; Recovered names the file and why.
func TestUnreplayableWALIsMovedAside(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kaa.duckdb")
	rawSession(t, path, "create table t as select 1 as a", "checkpoint", "create table u as select 1 as b")
	before := fileSize(t, path+".wal")
	rawSession(t, path, "create or replace view stg_v as select 1 as x")
	cutLastFrame(t, path+".wal", before)
	rawSession(t, path, "create or replace view stg_v as select 2 as x") // appended after the torn entries
	bad, err := os.ReadFile(path + ".wal")
	if err != nil {
		t.Fatal(err)
	}

	w, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if w.Recovered == "" || !strings.HasPrefix(w.Recovered, path+".wal.unreplayable-") {
		t.Fatalf("Recovered = %q, want %s.wal.unreplayable-<time>", w.Recovered, path)
	}
	if !strings.Contains(w.RecoveryCause, "stg_v") {
		t.Errorf("RecoveryCause %q does not give DuckDB's reason", w.RecoveryCause)
	}
	if got, err := os.ReadFile(w.Recovered); err != nil || !bytes.Equal(got, bad) {
		t.Errorf("%s does not hold the WAL as it was (%v)", w.Recovered, err)
	}
	var a int
	if err := w.QueryRow(ctx, "select a from t", nil, &a); err != nil || a != 1 {
		t.Errorf("the checkpointed table t: %d, %v", a, err)
	}
	var n int
	if err := w.QueryRow(ctx, "select count(*) from duckdb_tables() where table_name = 'u'", nil, &n); err != nil || n != 0 {
		t.Errorf("table u, committed only in the moved WAL: %d tables, %v; want the last checkpoint", n, err)
	}
}

// TestTornCommitStaysRolledBack: the silent form of the same DuckDB 1.1
// behaviour. Without the checkpoint in Open, the row of a commit cut by a
// kill came back glued onto the next commit (t = 1,7,8): for the raw
// cache, rows of a file counted twice once the file is read again.
func TestTornCommitStaysRolledBack(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kaa.duckdb")
	rawSession(t, path, "create table t as select 1 as a")
	before := fileSize(t, path+".wal")
	rawSession(t, path, "insert into t values (7)")
	cutLastFrame(t, path+".wal", before)

	w, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"insert into t values (8)", "pragma disable_checkpoint_on_shutdown"} {
		if err := w.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()

	w, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var rows string
	if err := w.QueryRow(ctx, "select string_agg(a::varchar, ',' order by a) from t", nil, &rows); err != nil || rows != "1,8" {
		t.Errorf("t holds %q, %v; want 1,8 (the torn commit's 7 never committed)", rows, err)
	}
}

// TestWALFramesAsDuckDBWritesThem: walChecksum and the frame walk agree
// with the WAL DuckDB 1.1 writes (every frame's checksum, a flush entry
// ending each commit), so trimWAL leaves a complete WAL alone.
func TestWALFramesAsDuckDBWritesThem(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kaa.duckdb")
	rawSession(t, path, "create table t (a integer, s varchar)", "insert into t select range, repeat('x', range % 13) from range(5000)",
		"create view v as select 1 as x", "begin; insert into t values (1, 'abc'); create or replace view v as select 2 as x; commit")
	b, err := os.ReadFile(path + ".wal")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, walVersion2) {
		t.Fatalf("the WAL does not start with the version 2 entry: % x", b[:8])
	}
	frames, flushes := 0, 0
	for pos := len(walVersion2); pos < len(b); {
		size := int(binary.LittleEndian.Uint64(b[pos:]))
		payload := b[pos+16 : pos+16+size]
		if got, want := walChecksum(payload), binary.LittleEndian.Uint64(b[pos+8:]); got != want {
			t.Fatalf("frame at %d (%d bytes): checksum %d, DuckDB wrote %d", pos, size, got, want)
		}
		frames++
		if bytes.Equal(payload, walFlush) {
			flushes++
		}
		pos += 16 + size
	}
	if flushes != 4 || frames <= flushes {
		t.Errorf("%d frames, %d flush entries; want 4 commits", frames, flushes)
	}
	if n, err := trimWAL(path + ".wal"); n != 0 || err != nil {
		t.Errorf("trimWAL cut %d bytes off a complete WAL (%v)", n, err)
	}
}

// TestKillInOpeningCheckpoint: a checkpoint writes its marker and a flush
// entry into the WAL before the new header; killed in between, with the
// torn entries of an earlier kill still in the WAL, the next replay took
// the flush as the end of the torn commit and committed its rows (an
// empty-looking cache with every file marked read). Open cuts the torn
// entries before DuckDB writes anything.
func TestKillInOpeningCheckpoint(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "kaa.duckdb")
	rawSession(t, path, "create table t as select 1 as a")
	before := fileSize(t, path+".wal")
	rawSession(t, path, "insert into t values (7)")
	cutLastFrame(t, path+".wal", before)
	if _, err := trimWAL(path + ".wal"); err != nil { // what Open does first
		t.Fatal(err)
	}
	killedCheckpoint(t, path)

	w, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	var rows string
	if err := w.QueryRow(ctx, "select string_agg(a::varchar, ',' order by a) from t", nil, &rows); err != nil || rows != "1" {
		t.Errorf("t holds %q, %v; want 1 (the torn commit's 7 never committed)", rows, err)
	}
}

// killedCheckpoint opens path with plain DuckDB and checkpoints, stopping
// the checkpoint after its WAL marker and before the header (DuckDB's
// debug_checkpoint_abort), as a kill there leaves it.
func killedCheckpoint(t *testing.T, path string) {
	t.Helper()
	connector, err := duckdb.NewConnector(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	for _, q := range []string{"pragma disable_checkpoint_on_shutdown", "pragma debug_checkpoint_abort = 'before_header'"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := db.Exec("checkpoint"); err == nil {
		t.Fatal("the checkpoint was not stopped before its header")
	}
}

// TestTrimWALCutsOnlyATornEnd: a torn version entry, frame header or
// payload is cut back to the last complete commit; a damaged entry with
// data after it is left for DuckDB to refuse.
func TestTrimWALCutsOnlyATornEnd(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "kaa.duckdb")
	rawSession(t, path, "create table t as select range as a from range(100)")
	one := fileSize(t, path+".wal")
	rawSession(t, path, "insert into t select range from range(1000)")
	b, err := os.ReadFile(path + ".wal")
	if err != nil {
		t.Fatal(err)
	}
	damaged := bytes.Clone(b)
	damaged[len(walVersion2)+20] ^= 0xff
	for _, c := range []struct {
		name string
		wal  []byte
		want int64 // size after
	}{
		{"complete", b, int64(len(b))},
		{"torn version entry", b[:5], 0},
		{"torn frame header", b[:one+7], one},
		{"torn payload", b[:len(b)-3], one},
		{"damaged first commit", damaged, int64(len(b))},
	} {
		wal := filepath.Join(dir, "case.wal")
		if err := os.WriteFile(wal, c.wal, 0o644); err != nil {
			t.Fatal(err)
		}
		cut, err := trimWAL(wal)
		if got := fileSize(t, wal); err != nil || got != c.want || cut != int64(len(c.wal))-c.want {
			t.Errorf("%s: %d bytes left (cut %d, %v), want %d", c.name, got, cut, err, c.want)
		}
	}
}
