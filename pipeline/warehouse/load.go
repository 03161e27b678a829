package warehouse

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
	"github.com/kaa-uppfoljning/kaa/pipeline/ingest"
)

// Known returns the ids of every file already loaded.
func (w *Warehouse) Known(ctx context.Context) (map[string]bool, error) {
	return w.stringSet(ctx, `select file_id from loaded_file`)
}

// Blocked returns the blockmarks of every person known to be skyddad.
func (w *Warehouse) Blocked(ctx context.Context) (map[string]bool, error) {
	return w.stringSet(ctx, `select blockmark from skyddad`)
}

func (w *Warehouse) stringSet(ctx context.Context, q string) (map[string]bool, error) {
	rows, err := w.Query(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out[s] = true
	}
	return out, rows.Err()
}

// Load inserts a staged ingest: one loaded_file row per file, the new
// blockmarks, the rows of every kind (read_parquet of the staged parts)
// and the rejects; every row of the persons found skyddad is removed,
// moving it from its file's loaded count to its excluded count.
//
// The skyddade's rows already in the database are deleted, and their
// staged rows are never inserted (they are counted from the staged files
// instead): deleting rows that this transaction inserted makes DuckDB
// give up writing the bulk insert straight to the database file, and the
// commit then rewrote every new row through the WAL and a checkpoint.
func (w *Warehouse) Load(ctx context.Context, st *ingest.Staged) error {
	rows := make([][]any, 0, len(st.Results))
	for _, r := range st.Results {
		var extract any
		if !r.ExtractDate.IsZero() {
			extract = r.ExtractDate.Format("2006-01-02")
		}
		rows = append(rows, []any{r.ID, r.Kommun, r.Path, r.Kind.Name, r.SHA256, extract, r.Encoding, r.Delimiter,
			r.Read, r.Loaded, r.Rejected, r.Excluded, r.Ignored, r.Missing})
	}
	if err := w.insertRows(ctx, "insert into loaded_file values", []string{5: "date", 12: "varchar[]", 13: "varchar[]"}, rows); err != nil {
		return fmt.Errorf("recording loaded files: %w", err)
	}
	rows = rows[:0]
	for _, b := range st.NewBlockmarks {
		rows = append(rows, []any{b})
	}
	if err := w.insertRows(ctx, "insert or ignore into skyddad values", nil, rows); err != nil {
		return err
	}
	purge := len(st.Purge) > 0
	if purge {
		if err := w.Exec(ctx, `create or replace temp table purge_person (person varchar)`); err != nil {
			return err
		}
		defer w.Exec(ctx, `drop table if exists purge_person`)
		rows = rows[:0]
		for _, p := range st.Purge {
			rows = append(rows, []any{p})
		}
		if err := w.insertRows(ctx, "insert into purge_person values", nil, rows); err != nil {
			return err
		}
	}
	for _, k := range contract.Kinds() {
		t, parts := "raw_"+k.Name, st.Parts[k.Name]
		if !purge || !k.Person() {
			if err := w.insertParts(ctx, t, parts, ""); err != nil {
				return err
			}
			continue
		}
		// rows already loaded, then the staged ones
		if err := w.Exec(ctx, fmt.Sprintf(`update loaded_file set loaded = loaded - p.n, excluded = excluded + p.n
			from (select file_id, count(*) as n from %s where person in (select person from purge_person) group by file_id) p
			where loaded_file.file_id = p.file_id`, t)); err != nil {
			return fmt.Errorf("purging skyddade from %s: %w", t, err)
		}
		if err := w.Exec(ctx, fmt.Sprintf(`delete from %s where person in (select person from purge_person)`, t)); err != nil {
			return fmt.Errorf("purging skyddade from %s: %w", t, err)
		}
		if len(parts) == 0 {
			continue
		}
		if err := w.Exec(ctx, fmt.Sprintf(`update loaded_file set loaded = loaded - p.n, excluded = excluded + p.n
			from (select file_id, count(*) as n from read_parquet([%s]) where person in (select person from purge_person) group by file_id) p
			where loaded_file.file_id = p.file_id`, quoteList(parts))); err != nil {
			return fmt.Errorf("purging skyddade from %s: %w", t, err)
		}
		if err := w.insertParts(ctx, t, parts, " where person not in (select person from purge_person)"); err != nil {
			return err
		}
	}
	return w.insertParts(ctx, "ingest_reject", st.Parts["reject"], "")
}

// insertParts inserts staged Parquet files into table, with an optional
// where clause.
func (w *Warehouse) insertParts(ctx context.Context, table string, parts []string, where string) error {
	if len(parts) == 0 {
		return nil
	}
	q := fmt.Sprintf("insert into %s by name select * from read_parquet([%s])%s", table, quoteList(parts), where)
	if err := w.Exec(ctx, q); err != nil {
		return fmt.Errorf("loading %s: %w", table, err)
	}
	return nil
}

func quoteList(items []string) string {
	quoted := make([]string, len(items))
	for i, p := range items {
		quoted[i] = quote(p)
	}
	return strings.Join(quoted, ", ")
}

// SetRunFiles records the files present in this run's inputs with their
// roles; the staging models read only these. For every register kind
// with parts it records in run_duplicate the rows of a part that are
// identical to a row of an earlier part (Part order) of the same kommun:
// identical means equal in every stored column but file_id and line (the
// pseudonym, birth date and sex, and each contract column as parsed), so
// "2003-05-01" and "20030501", or the two forms of a personnummer, are the
// same value, while the columns' order in the files does not matter.
// Duplicates within one part are valid rows and are kept, as in a single
// file.
func (w *Warehouse) SetRunFiles(ctx context.Context, files []ingest.File) error {
	if err := w.Exec(ctx, `delete from run_file`); err != nil {
		return err
	}
	if err := w.Exec(ctx, `delete from run_duplicate`); err != nil {
		return err
	}
	rows := make([][]any, len(files))
	partKinds := map[string]bool{}
	for i, f := range files {
		var by, part any
		if f.SupersededBy != "" {
			by = f.SupersededBy
		}
		if f.Role == ingest.RolePart {
			part = int64(f.Part)
			partKinds[f.Kind.Name] = true
		}
		rows[i] = []any{f.ID, f.Kommun, f.Kind.Name, f.Path, f.Role == ingest.RoleSuperseded, string(f.Role), by, part}
	}
	if err := w.insertRows(ctx, "insert into run_file values", nil, rows); err != nil {
		return err
	}
	for _, k := range contract.Kinds() {
		if !partKinds[k.Name] {
			continue
		}
		var cols []string
		for _, f := range ingest.Schema(k).Fields() {
			if f.Name != "file_id" && f.Name != "line" {
				cols = append(cols, f.Name)
			}
		}
		q := fmt.Sprintf(`insert into run_duplicate
			with parts as (
				select r.file_id, r.line, f.part, min(f.part) over (partition by %s) as first_part
				from raw_%s r join run_file f using (file_id)
				where f.role = 'part'
			)
			select file_id, line from parts where part > first_part`, "r."+strings.Join(cols, ", r."), k.Name)
		if err := w.Exec(ctx, q); err != nil {
			return fmt.Errorf("finding rows repeated across parts of %s: %w", k.Name, err)
		}
	}
	return nil
}

// Duplicates returns, per file of the run, how many of its rows repeat a
// row of an earlier part (see SetRunFiles); files without any are absent.
func (w *Warehouse) Duplicates(ctx context.Context) (map[string]int64, error) {
	rows, err := w.Query(ctx, `select file_id, count(*) from run_duplicate group by file_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// RuleCount is how many rows of a file one rule rejected.
type RuleCount struct {
	Field, Rule string // Field is "" for a row that could not be split into fields
	Rows        int64
}

// RejectRules returns, per file of the run, the rules its rejected rows
// broke, the most frequent first (ties by field, then rule).
func (w *Warehouse) RejectRules(ctx context.Context) (map[string][]RuleCount, error) {
	rows, err := w.Query(ctx, `select r.file_id, coalesce(r.field, ''), r.rule, count(*) as n
		from ingest_reject r join run_file f using (file_id)
		group by all order by r.file_id, n desc, 2, 3`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]RuleCount{}
	for rows.Next() {
		var id string
		var c RuleCount
		if err := rows.Scan(&id, &c.Field, &c.Rule, &c.Rows); err != nil {
			return nil, err
		}
		out[id] = append(out[id], c)
	}
	return out, rows.Err()
}

// insertBatch is how many rows one insertRows statement carries: a
// national run records some 50 000 files, and one statement per row cost
// about a millisecond each (so did bound parameters in a multi-row insert).
const insertBatch = 1000

// insertRows runs head (an "insert into t values") with the rows as
// literal tuples, insertBatch rows a statement. A value is nil (NULL), a
// string (quoted), an int64, a bool, a []string (a list) or a literal;
// casts[i], if not empty, is the type column i is cast to.
func (w *Warehouse) insertRows(ctx context.Context, head string, casts []string, rows [][]any) error {
	for len(rows) > 0 {
		n := min(len(rows), insertBatch)
		var q strings.Builder
		q.WriteString(head)
		for i, r := range rows[:n] {
			if i > 0 {
				q.WriteByte(',')
			}
			q.WriteString(" (")
			for j, v := range r {
				if j > 0 {
					q.WriteString(", ")
				}
				switch v := v.(type) {
				case nil:
					q.WriteString("NULL")
				case string:
					q.WriteString(quote(v))
				case int64:
					q.WriteString(strconv.FormatInt(v, 10))
				case bool:
					q.WriteString(strconv.FormatBool(v))
				case literal:
					q.WriteString(string(v))
				case []string:
					q.WriteByte('[')
					for k, e := range v {
						if k > 0 {
							q.WriteString(", ")
						}
						q.WriteString(quote(e))
					}
					q.WriteByte(']')
				default:
					return fmt.Errorf("insertRows: unsupported value %T", v)
				}
				if j < len(casts) && casts[j] != "" {
					q.WriteString("::" + casts[j])
				}
			}
			q.WriteByte(')')
		}
		if err := w.Exec(ctx, q.String()); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// literal is SQL text that insertRows writes as it is (a number it has no
// Go type for, such as an unsigned 64-bit one).
type literal string

// FileCounts returns the recorded reconciliation of every loaded file.
func (w *Warehouse) FileCounts(ctx context.Context) (map[string]FileRecord, error) {
	rows, err := w.Query(ctx, `select file_id, encoding, delimiter, read, loaded, rejected, excluded,
		coalesce(ignored_columns, []), coalesce(missing_columns, []) from loaded_file`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]FileRecord{}
	for rows.Next() {
		var r FileRecord
		var ignored, missing any
		if err := rows.Scan(&r.ID, &r.Encoding, &r.Delimiter, &r.Read, &r.Loaded, &r.Rejected, &r.Excluded, &ignored, &missing); err != nil {
			return nil, err
		}
		r.Ignored, r.Missing = stringList(ignored), stringList(missing)
		out[r.ID] = r
	}
	return out, rows.Err()
}

// stringList converts a scanned VARCHAR[] to a []string (nil if empty).
func stringList(v any) []string {
	l, _ := v.([]any)
	var out []string
	for _, e := range l {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// FileRecord is a loaded file's bookkeeping.
type FileRecord struct {
	ID, Encoding, Delimiter          string
	Read, Loaded, Rejected, Excluded int64
	Ignored, Missing                 []string // columns: see ingest.Result
}
