package cli

import (
	"strings"
	"testing"

	"github.com/kaa-uppfoljning/kaa/pipeline/config"
)

// TestEveryParameterIsAFlag: each verb that builds studies takes a flag
// for every run parameter of the table, named and described by it; kaa
// ingest takes only those that govern loading and the data checks. A flag
// that cannot be parsed is a usage error naming it.
func TestEveryParameterIsAFlag(t *testing.T) {
	for _, verb := range []string{"run", "monthly", "check", "ingest"} {
		help := kaa(t, verb, "--help").stdout
		for _, p := range config.Table() {
			_, name := flagUsage(p)
			has := strings.Contains(help, "  -"+p.Flag()+" "+name+"\n")
			if want := verb != "ingest" || p.Ingest; has != want {
				t.Errorf("kaa %s --help lists -%s: %v, want %v\n%s", verb, p.Flag(), has, want, help)
			}
		}
	}
	help := kaa(t, "run", "--help").stdout
	if want := "  -s1-cutoff YYYY-MM-DD\n    \tS1 follow-up date (YYYY-MM-DD, not before s1.to, not after as_of; config s1.cutoff; default as_of)\n"; !strings.Contains(help, want) {
		t.Errorf("kaa run --help lacks\n%s\nin\n%s", want, help)
	}
	r := kaa(t, "run", "--s6-target-men", "sextio")
	if r.code != ExitUsage || !strings.Contains(r.stderr, `-s6-target-men: "sextio" is not a number`) {
		t.Errorf("bad flag value: exit %d, %q", r.code, r.stderr)
	}
}

// flagUsage is the placeholder flag.PrintDefaults shows for a parameter:
// the back-quoted word of its usage.
func flagUsage(p config.Param) (usage, name string) {
	u := p.Usage()
	if i := strings.Index(u, "`"); i >= 0 {
		if j := strings.Index(u[i+1:], "`"); j >= 0 {
			return u, u[i+1 : i+1+j]
		}
	}
	return u, "value"
}
