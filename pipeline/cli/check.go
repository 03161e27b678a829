package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/kaa-uppfoljning/kaa/pipeline/run"
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
	p := run.Only("s7")
	p.Register = true
	res, err := c.execute(ctx, p, stderr)
	if err != nil {
		return err
	}
	if len(res.Register) > 0 {
		return withCode(ExitRegister, fmt.Errorf("blocking register problems before the SCB report (lists in %s):\n%s", res.Staff, strings.Join(res.Register, "\n")))
	}
	fmt.Fprintln(stdout, "kaa check: no blocking register problems")
	return nil
}
