package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"

	"github.com/kaa-uppfoljning/kaa/pipeline/ingest"
	"github.com/kaa-uppfoljning/kaa/pipeline/personnummer"
)

var pseudonymPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// lookupCmd turns a pseudonym from a staff list back into the person's rows
// of one raw export file, by hashing that file's personnummer with the key.
// It prints only the matching rows; it never uses the demo key.
func lookupCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("lookup", "--file EXPORT.csv --pseudonym HEX [--key-file FILE]", stdout)
	file := fs.String("file", "", "the raw export file to search (e.g. inputs/2281/kaa_individer.csv)")
	pseudonym := fs.String("pseudonym", "", "the pseudonym from a staff list (32 hex characters)")
	keyFile := fs.String("key-file", "", "file holding the pseudonymisation key (else $"+personnummer.KeyEnv+")")
	if err := parse(fs, args, stderr); err != nil {
		return err
	}
	if *file == "" || !pseudonymPattern.MatchString(*pseudonym) {
		return withCode(ExitUsage, fmt.Errorf("give --file and a --pseudonym of 32 lowercase hex characters"))
	}
	key, err := personnummer.LoadKey(*keyFile, os.Getenv)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	pseudo, err := personnummer.NewPseudonymizer(key)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	prof, err := ingest.LoadProfile(filepath.Join(filepath.Dir(*file), "mapping.toml"))
	if err != nil {
		return withCode(ExitUsage, err)
	}
	matches, err := ingest.Lookup(*file, prof, pseudo, *pseudonym)
	if err != nil {
		return withCode(ExitInput, err)
	}
	if len(matches) == 0 {
		return withCode(ExitNotFound, fmt.Errorf("%s: no row has pseudonym %s under this key", *file, *pseudonym))
	}
	for _, m := range matches {
		fmt.Fprintf(stdout, "%s:%d:", *file, m.Line)
		for i, c := range m.Columns {
			fmt.Fprintf(stdout, " %s=%s", c, m.Values[i])
		}
		fmt.Fprintln(stdout)
	}
	return nil
}
