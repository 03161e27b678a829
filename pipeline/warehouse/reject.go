package warehouse

import (
	"context"

	"github.com/kaa-uppfoljning/kaa/pipeline/table"
)

// Rejects lists the rejected rows of the run's files (run_file), by path,
// line and rule: file, line, rule, field, value (personnummer masked).
func (w *Warehouse) Rejects(ctx context.Context) (table.Table, error) {
	t := table.Table{Name: "rejects", Columns: []table.Column{
		{Name: "file", Kind: table.Text}, {Name: "line", Kind: table.Int},
		{Name: "rule", Kind: table.Text}, {Name: "field", Kind: table.Text}, {Name: "value", Kind: table.Text},
	}}
	rows, err := w.Query(ctx, `select r.path, r.line, r.rule, coalesce(r.field, ''), coalesce(r.value, '')
		from ingest_reject r join run_file f using (file_id)
		order by r.path, r.line, r.rule`)
	if err != nil {
		return t, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			path, rule, field, value string
			line                     int64
		)
		if err := rows.Scan(&path, &line, &rule, &field, &value); err != nil {
			return t, err
		}
		t.Rows = append(t.Rows, []any{path, line, rule, field, value})
	}
	return t, rows.Err()
}
