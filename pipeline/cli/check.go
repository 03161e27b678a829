package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/kaa-uppfoljning/kaa/pipeline/warehouse"
)

// checkCmd runs the register checks before the half-yearly SCB report (S7):
// it publishes the summary page, writes the staff lists of pseudonyms per
// check apart from the published reports, and exits with ExitRegister when
// a blocking (red) check finds persons.
func checkCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var c common
	fs := newFlags("check", "[--inputs DIR] [--db FILE] [--out DIR] [--staff DIR] [--as-of DATE] [-v]", stdout)
	c.register(fs, true)
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	j := newJob(c, stderr)
	var red []string
	j.verdict = func(ctx context.Context, w *warehouse.Warehouse) error {
		rows, err := w.Query(ctx, `select scope, kontroll, antal_personer from s7_kontroller
			where niva = 'rod' and antal_personer > 0 order by scope, sort`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var scope, check string
			var n int64
			if err := rows.Scan(&scope, &check, &n); err != nil {
				return err
			}
			red = append(red, fmt.Sprintf("%s: %s: %d personer", scope, check, n))
		}
		return rows.Err()
	}
	if err := j.execute(ctx, []string{"s7"}); err != nil {
		return err
	}
	if len(red) > 0 {
		return withCode(ExitRegister, fmt.Errorf("blocking register problems before the SCB report (lists in %s):\n%s", j.staff, strings.Join(red, "\n")))
	}
	fmt.Fprintln(stdout, "kaa check: no blocking register problems")
	return nil
}
