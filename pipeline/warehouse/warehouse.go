// Package warehouse owns the persistent DuckDB database: its raw and
// bookkeeping tables, loading staged Parquet into them, building the SQL
// models of sql/ in layer order, running the data checks, and reading study
// tables back through Arrow. It adds the SQL functions the models use for
// intervals and p-values (wilson_lag, wilson_hog, chi2_upper; function.go).
//
// A run is two transactions on one pinned connection: Begin, Load, Commit
// (the content-keyed cache of the files read), then Begin, SetRunFiles,
// Build, Checks, Commit — or Rollback, which leaves run_file and every
// model as they were.
// Only one process may write a database file at a time; the CLI's run lock
// guarantees it.
package warehouse

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/marcboeker/go-duckdb"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
	"github.com/kaa-uppfoljning/kaa/pipeline/ingest"
)

// SchemaVersion is the layout of the bookkeeping and raw tables. A database
// made with another version is refused with advice instead of being mixed.
const SchemaVersion = "1"

// Warehouse is an open database file with one pinned connection.
type Warehouse struct {
	db   *sql.DB
	conn *sql.Conn
	path string
	// studyCols caches the columns of built models for StudyTable, which
	// reads every study table once per scope; Build and the transaction
	// verbs clear it.
	studyCols map[string][]string
	// Trimmed is the size of the unfinished commit a killed process left
	// at the end of the WAL, cut off before DuckDB replayed it (trimWAL).
	Trimmed int64
	// Recovered is the file the WAL was moved to because DuckDB could not
	// replay it (RecoveryCause: DuckDB's message); "" when it replayed.
	Recovered, RecoveryCause string
}

// Open opens (creating if needed) the database file and migrates it.
//
// Crash safety (DuckDB 1.1): opening replays the WAL up to its last
// complete commit, but DuckDB then appends its next writes after the torn
// entries a killed commit left, and the next replay glues those entries
// onto them (e.g. "View with name stg_x already exists!", or rows of a
// commit that never completed). So Open first cuts the WAL after its last
// complete commit (trimWAL, Trimmed), and checkpoints right after opening:
// the replayed state goes into the database file and the WAL is deleted.
// A WAL that DuckDB cannot replay at all is moved
// aside to <path>.wal.unreplayable-<UTC time> (Recovered, RecoveryCause)
// and the database opens at its last checkpoint, a committed state: what
// the log alone held was the content-keyed cache of files read (they are
// read again) and models (every run rebuilds them).
func Open(ctx context.Context, path string) (*Warehouse, error) {
	trimmed, err := trimWAL(path + ".wal")
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	connector, err := duckdb.NewConnector(path, nil)
	var recovered, cause string
	if err != nil && strings.Contains(err.Error(), "Failure while replaying WAL file") {
		recovered = fmt.Sprintf("%s.wal.unreplayable-%s", path, time.Now().UTC().Format("20060102T150405.000000000Z"))
		cause = err.Error()
		if i := strings.Index(cause, "duckdb error: "); i >= 0 {
			cause = cause[i+len("duckdb error: "):]
		}
		if mv := os.Rename(path+".wal", recovered); mv != nil {
			return nil, fmt.Errorf("database %s: %w (moving the WAL aside: %v)", path, err, mv)
		}
		connector, err = duckdb.NewConnector(path, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	db := sql.OpenDB(connector)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	w := &Warehouse{db: db, conn: conn, path: path, Trimmed: trimmed, Recovered: recovered, RecoveryCause: cause}
	if err := w.Checkpoint(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("database %s: checkpoint of the replayed WAL: %w", path, err)
	}
	if err := registerFunctions(conn); err != nil {
		w.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	// Raw tables have no order of their own (every model and every read
	// orders what it needs), so DuckDB need not keep the insertion order of
	// a bulk insert or CREATE TABLE AS: with it kept, the load of staged
	// Parquet took twice the time, and large results are buffered to keep it.
	settings := []string{`set preserve_insertion_order = false`}
	// DuckDB's buffer pool takes up to 80% of the machine's memory by
	// default; MemoryLimit bounds it (it spills to <db>.tmp beyond).
	if lim := MemoryLimit(); lim != "" {
		settings = append(settings, "set memory_limit = "+quote(lim))
	}
	for _, q := range settings {
		if err := w.Exec(ctx, q); err != nil {
			w.Close()
			return nil, fmt.Errorf("database %s: %s: %w", path, q, err)
		}
	}
	if err := w.migrate(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return w, nil
}

// MemoryLimitEnv sets the DuckDB memory limit (a DuckDB size such as
// "4GB"); unset, DuckDB's own default holds (80% of the machine's memory).
const MemoryLimitEnv = "KAA_DUCKDB_MEMORY_LIMIT"

// MemoryLimit is the memory_limit set on every database opened: the
// environment's KAA_DUCKDB_MEMORY_LIMIT; "" keeps DuckDB's default.
func MemoryLimit() string {
	if v := strings.TrimSpace(os.Getenv(MemoryLimitEnv)); v != "default" {
		return v
	}
	return ""
}

// Close closes the connection and the database.
func (w *Warehouse) Close() error {
	err := w.conn.Close()
	if e := w.db.Close(); err == nil {
		err = e
	}
	return err
}

// Exec runs a statement on the pinned connection.
func (w *Warehouse) Exec(ctx context.Context, query string, args ...any) error {
	_, err := w.conn.ExecContext(ctx, query, args...)
	return err
}

// Query runs a query on the pinned connection.
func (w *Warehouse) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return w.conn.QueryContext(ctx, query, args...)
}

// QueryRow runs a one-row query on the pinned connection and scans it.
func (w *Warehouse) QueryRow(ctx context.Context, query string, args []any, dest ...any) error {
	return w.conn.QueryRowContext(ctx, query, args...).Scan(dest...)
}

// Begin starts the run's transaction.
func (w *Warehouse) Begin(ctx context.Context) error {
	w.studyCols = nil
	return w.Exec(ctx, "begin transaction")
}

// Commit makes the run's changes durable.
func (w *Warehouse) Commit(ctx context.Context) error {
	w.studyCols = nil
	return w.Exec(ctx, "commit")
}

// Checkpoint writes every committed change into the database file and
// deletes the WAL. After the cache commit it keeps that commit (skyddad
// marks included) out of any WAL a later kill can tear.
func (w *Warehouse) Checkpoint(ctx context.Context) error {
	return w.Exec(ctx, "checkpoint")
}

// Rollback discards the run's changes.
func (w *Warehouse) Rollback(ctx context.Context) error {
	w.studyCols = nil
	return w.Exec(ctx, "rollback")
}

func (w *Warehouse) migrate(ctx context.Context) error {
	stmts := []string{
		`create table if not exists meta (key varchar primary key, value varchar)`,
		`create table if not exists loaded_file (
			file_id varchar primary key, kommunkod varchar not null, path varchar not null,
			kind varchar not null, sha256 varchar not null, extract_date date,
			encoding varchar, delimiter varchar,
			read bigint not null, loaded bigint not null, rejected bigint not null, excluded bigint not null,
			ignored_columns varchar[], missing_columns varchar[])`,
		// databases made before the columns existed (their rows are never
		// used again: every file's ID changed with the contract version)
		`alter table loaded_file add column if not exists ignored_columns varchar[]`,
		`alter table loaded_file add column if not exists missing_columns varchar[]`,
		createTable("ingest_reject", ingest.RejectSchema(), true),
		`create table if not exists skyddad (blockmark varchar primary key)`,
		`create table if not exists input_digest (
			path varchar not null, size bigint not null, mod_ns bigint not null, change_ns bigint not null,
			dev ubigint not null, inode ubigint not null, sha256 varchar not null, seen_ns bigint not null)`,
		// the files of the current run, rewritten by SetRunFiles: role is
		// used, part or superseded (then superseded is true); part the
		// place of a part among its kind's parts in the kommun
		`create table if not exists run_file (
			file_id varchar not null, kommunkod varchar not null, kind varchar not null,
			path varchar not null, superseded boolean not null,
			role varchar, superseded_by varchar, part integer)`,
		`alter table run_file add column if not exists role varchar`,
		`alter table run_file add column if not exists superseded_by varchar`,
		`alter table run_file add column if not exists part integer`,
		// rows of a part identical to a row of an earlier part of the same
		// export: counted once, in the earlier part (SetRunFiles)
		`create table if not exists run_duplicate (file_id varchar not null, line integer not null)`,
	}
	for _, k := range contract.Kinds() {
		stmts = append(stmts, createRaw(k))
	}
	stmts = append(stmts, codeTable())
	for _, s := range stmts {
		if err := w.Exec(ctx, s); err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
	}
	var v sql.NullString
	if err := w.conn.QueryRowContext(ctx, `select value from meta where key = 'schema_version'`).Scan(&v); err != nil && err != sql.ErrNoRows {
		return err
	}
	switch {
	case !v.Valid:
		return w.Exec(ctx, `insert into meta values ('schema_version', ?)`, SchemaVersion)
	case v.String != SchemaVersion:
		return fmt.Errorf("made with schema version %s, this kaa uses %s: move the file aside and run again to rebuild it from the inputs", v.String, SchemaVersion)
	}
	return nil
}

// createRaw is the DDL of a kind's raw table, from its staged Arrow
// schema (ingest.Schema, which the contract decides). Its columns take
// nulls, so that a test may add rows column by column.
func createRaw(k contract.Kind) string {
	return createTable("raw_"+k.Name, ingest.Schema(k), false)
}

// createTable is the DDL of a table loaded from staged Parquet files of
// the Arrow schema s; notNull: a field that is not Nullable is not null.
func createTable(name string, s *arrow.Schema, notNull bool) string {
	var cols []string
	for _, f := range s.Fields() {
		c := f.Name + " " + sqlType(f.Type.Name())
		if notNull && !f.Nullable {
			c += " not null"
		}
		cols = append(cols, c)
	}
	return fmt.Sprintf("create table if not exists %s (%s)", name, strings.Join(cols, ", "))
}

func sqlType(arrowName string) string {
	switch arrowName {
	case "date32":
		return "date"
	case "int32":
		return "integer"
	case "int64":
		return "bigint"
	case "float64":
		return "double"
	case "bool":
		return "boolean"
	default:
		return "varchar"
	}
}

// codeTable is the DDL of kod_sysselsattning(kod, kategori), the contract's
// sysselsättning codes, remade on every open.
func codeTable() string {
	var rows []string
	for _, c := range contract.SysselsattningCodes() {
		rows = append(rows, fmt.Sprintf("(%s, %s)", quote(c), quote(contract.Category(c))))
	}
	return "create or replace table kod_sysselsattning as select * from (values " + strings.Join(rows, ", ") + ") t(kod, kategori)"
}

// quote makes a SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
