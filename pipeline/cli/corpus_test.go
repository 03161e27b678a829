package cli

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
	"github.com/kaa-uppfoljning/kaa/pipeline/personnummer"
)

// corpusDir is the bad-input corpus, relative to the repository root.
const corpusDir = "fixtures/bad"

// corpusAsOf is the report date every corpus case runs with.
const corpusAsOf = "2021-03-31"

// expectation is a case's expect.txt (format: fixtures/bad/README.md).
type expectation struct {
	exit    int
	stderr  []string
	rejects []string
	files   map[string]fileCounts
	absent  []string
	queries [][2]string
	args    []string
	config  string // the case's config file, given with --config
	noKey   bool   // no key file and no $KAA_PSEUDO_KEY
}

type fileCounts struct {
	read, loaded, rejected, excluded int64
	encoding, delimiter              string // "" = not checked
}

var countsRE = regexp.MustCompile(`^(\S+)((?:\s+\w+=\S+)+)$`)

func parseExpect(t *testing.T, path string) expectation {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	e := expectation{exit: -1, files: map[string]fileCounts{}}
	sc := bufio.NewScanner(bytes.NewReader(b))
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, val, ok := strings.Cut(line, " ")
		if !ok {
			t.Fatalf("%s:%d: want 'key value'", path, n)
		}
		key = strings.TrimSuffix(key, ":")
		switch key {
		case "exit":
			code, err := strconv.Atoi(val)
			if err != nil {
				t.Fatalf("%s:%d: exit %q", path, n, val)
			}
			e.exit = code
		case "stderr":
			e.stderr = append(e.stderr, val)
		case "config":
			e.config = val
		case "key":
			if val != "none" {
				t.Fatalf("%s:%d: want 'key: none'", path, n)
			}
			e.noKey = true
		case "reject":
			e.rejects = append(e.rejects, val)
		case "file":
			m := countsRE.FindStringSubmatch(val)
			if m == nil {
				t.Fatalf("%s:%d: want 'file: PATH read=N loaded=N rejected=N excluded=N [encoding=E] [delimiter=D]'", path, n)
			}
			var c fileCounts
			seen := map[string]bool{}
			for _, kv := range strings.Fields(m[2]) {
				k, v, _ := strings.Cut(kv, "=")
				seen[k] = true
				var err error
				switch k {
				case "read":
					c.read, err = strconv.ParseInt(v, 10, 64)
				case "loaded":
					c.loaded, err = strconv.ParseInt(v, 10, 64)
				case "rejected":
					c.rejected, err = strconv.ParseInt(v, 10, 64)
				case "excluded":
					c.excluded, err = strconv.ParseInt(v, 10, 64)
				case "encoding":
					c.encoding = v
				case "delimiter":
					c.delimiter = v
				default:
					t.Fatalf("%s:%d: unknown count %q", path, n, k)
				}
				if err != nil {
					t.Fatalf("%s:%d: %s: %v", path, n, k, err)
				}
			}
			for _, k := range []string{"read", "loaded", "rejected", "excluded"} {
				if !seen[k] {
					t.Fatalf("%s:%d: %s= missing", path, n, k)
				}
			}
			e.files[m[1]] = c
		case "absent":
			e.absent = append(e.absent, val)
		case "query":
			q, want, ok := strings.Cut(val, " => ")
			if !ok {
				t.Fatalf("%s:%d: want 'query: SQL => RESULT'", path, n)
			}
			e.queries = append(e.queries, [2]string{q, want})
		case "args":
			e.args = append(e.args, strings.Fields(val)...)
		default:
			t.Fatalf("%s:%d: unknown key %q", path, n, key)
		}
	}
	if e.exit < 0 {
		t.Fatalf("%s: no 'exit N' line", path)
	}
	if e.exit == ExitOK && len(e.files) == 0 {
		t.Fatalf("%s: exit 0 needs the 'file:' counts of every input file", path)
	}
	if e.exit != ExitOK && (len(e.stderr) == 0 || len(e.rejects) > 0 || len(e.files) > 0) {
		t.Fatalf("%s: a stopping case has 'stderr:' lines and no 'reject:' or 'file:' lines", path)
	}
	return e
}

// repeatRE is the placeholder for generated content in corpus inputs:
// {{repeat HH N}} is the byte 0xHH repeated N times (a 10 MB field, a NUL
// byte after 64 KiB), so the committed files stay small.
var repeatRE = regexp.MustCompile(`\{\{repeat ([0-9a-fA-F]{2}) ([0-9]+)\}\}`)

// copyInputs copies a case's inputs folder into dst, expanding {{repeat}}.
func copyInputs(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		b = repeatRE.ReplaceAllFunc(b, func(m []byte) []byte {
			g := repeatRE.FindSubmatch(m)
			c, _ := hex.DecodeString(string(g[1]))
			n, _ := strconv.Atoi(string(g[2]))
			return bytes.Repeat(c, n)
		})
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// safeRun is Run that turns a panic into a test failure with its stack.
func safeRun(t *testing.T, args ...string) (r result) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("kaa panicked: %v\n%s", p, debug.Stack())
		}
	}()
	return kaa(t, args...)
}

// TestCorpus runs every case of fixtures/bad (see its README.md) through
// `kaa run` and checks the outcome its expect.txt states: the exit code and
// stderr of a stopping error (nothing published), or for exit 0 exactly the
// expected rejects and per-file counts. For every successful case it also
// checks that no row was lost — read = loaded + rejected + excluded for
// every file, the rejects file lists exactly the rejected rows, and every
// loaded row is in its raw table — and that the persons named absent
// (skyddade) have no row in any table and appear in no written file.
func TestCorpus(t *testing.T) {
	t.Parallel() // after the sequential tests, beside the other slow ones (no env or globals changed)
	root := repoRoot(t)
	cases, err := os.ReadDir(filepath.Join(root, corpusDir))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range cases {
		if !c.IsDir() {
			continue
		}
		n++
		t.Run(c.Name(), func(t *testing.T) {
			t.Parallel()
			src := filepath.Join(root, corpusDir, c.Name())
			e := parseExpect(t, filepath.Join(src, "expect.txt"))
			dir := t.TempDir()
			inputs := filepath.Join(dir, "inputs")
			copyInputs(t, filepath.Join(src, "inputs"), inputs)
			out := filepath.Join(dir, "out")
			db := filepath.Join(dir, "kaa.duckdb")
			args := []string{"run", "--inputs", inputs, "--db", db, "--out", out, "--as-of", corpusAsOf}
			if !e.noKey {
				args = append(args, "--key-file", writeKey(t, dir))
			}
			if e.config != "" {
				args = append(args, "--config", filepath.Join(src, e.config))
			}
			args = append(args, e.args...)
			r := safeRun(t, args...)
			for _, bad := range []string{"panic", "goroutine ", "runtime error"} {
				if strings.Contains(r.stderr, bad) {
					t.Errorf("stderr mentions %q:\n%s", bad, r.stderr)
				}
			}
			if r.code != e.exit {
				t.Fatalf("exit %d, want %d\nstderr:\n%s%s", r.code, e.exit, r.stderr, describeOutcome(out))
			}
			if e.exit != ExitOK {
				for _, s := range e.stderr {
					if !strings.Contains(r.stderr, s) {
						t.Errorf("stderr lacks %q\nstderr:\n%s", s, r.stderr)
					}
				}
				if _, err := os.Stat(out); err == nil {
					t.Errorf("a failed run published %s", out)
				}
				return
			}
			checkCorpusOutcome(t, e, out, db)
			for _, p := range e.absent {
				checkAbsent(t, p, db, out, filepath.Join(dir, "kaa-personal"))
			}
			for _, q := range e.queries {
				if got := queryText(t, db, q[0]); got != q[1] {
					t.Errorf("query %s\n got %s\nwant %s", q[0], got, q[1])
				}
			}
		})
	}
	if n < 30 {
		t.Errorf("the corpus has %d cases, want at least 30", n)
	}
}

// describeOutcome summarises what a run published, for failure messages.
func describeOutcome(out string) string {
	var b strings.Builder
	if rej, err := os.ReadFile(filepath.Join(out, "rejects.csv")); err == nil {
		b.WriteString("\nrejects.csv:\n" + strings.TrimPrefix(string(rej), "\ufeff"))
	}
	if m, err := os.ReadFile(filepath.Join(out, "manifest.json")); err == nil {
		var man struct{ Inputs []map[string]any }
		if json.Unmarshal(m, &man) == nil {
			b.WriteString("manifest inputs:\n")
			for _, in := range man.Inputs {
				fmt.Fprintf(&b, "file: %v read=%v loaded=%v rejected=%v excluded=%v encoding=%v delimiter=%v\n",
					in["path"], in["read"], in["loaded"], in["rejected"], in["excluded"], in["encoding"], in["delimiter"])
			}
		}
	}
	return b.String()
}

type manifestInput struct {
	Path, Kind, Encoding, Delimiter  string
	Read, Loaded, Rejected, Excluded int64
}

func checkCorpusOutcome(t *testing.T, e expectation, out, db string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct{ Inputs []manifestInput }
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(out, "rejects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.TrimPrefix(string(raw), "\ufeff")
	lines := strings.Split(strings.TrimSuffix(text, "\r\n"), "\r\n")
	if lines[0] != "file;line;rule;field;value" {
		t.Fatalf("rejects.csv header %q", lines[0])
	}
	got := lines[1:]
	if !slices.Equal(got, e.rejects) {
		t.Errorf("rejects.csv:\n got %q\nwant %q%s", got, e.rejects, describeOutcome(out))
	}
	perFile := map[string]int64{}
	for _, l := range got {
		perFile[strings.SplitN(l, ";", 2)[0]]++
	}

	conn, err := sql.Open("duckdb", db+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	seen := map[string]bool{}
	for _, in := range m.Inputs {
		seen[in.Path] = true
		if in.Read != in.Loaded+in.Rejected+in.Excluded {
			t.Errorf("%s: read %d != loaded %d + rejected %d + excluded %d", in.Path, in.Read, in.Loaded, in.Rejected, in.Excluded)
		}
		if perFile[in.Path] != in.Rejected {
			t.Errorf("%s: %d rejected but %d lines in rejects.csv", in.Path, in.Rejected, perFile[in.Path])
		}
		want, ok := e.files[in.Path]
		if !ok {
			t.Errorf("%s: in the manifest but not in expect.txt (read=%d loaded=%d rejected=%d excluded=%d encoding=%s delimiter=%s)",
				in.Path, in.Read, in.Loaded, in.Rejected, in.Excluded, in.Encoding, in.Delimiter)
			continue
		}
		if in.Read != want.read || in.Loaded != want.loaded || in.Rejected != want.rejected || in.Excluded != want.excluded {
			t.Errorf("%s: read=%d loaded=%d rejected=%d excluded=%d, want read=%d loaded=%d rejected=%d excluded=%d",
				in.Path, in.Read, in.Loaded, in.Rejected, in.Excluded, want.read, want.loaded, want.rejected, want.excluded)
		}
		if want.encoding != "" && in.Encoding != want.encoding {
			t.Errorf("%s: encoding %s, want %s", in.Path, in.Encoding, want.encoding)
		}
		if want.delimiter != "" && in.Delimiter != want.delimiter {
			t.Errorf("%s: delimiter %q, want %q", in.Path, in.Delimiter, want.delimiter)
		}
		// Every row counted as loaded is in its raw table.
		var inTable int64
		q := fmt.Sprintf(`select count(*) from raw_%s r join loaded_file l using (file_id) where l.path = ?`, in.Kind)
		if err := conn.QueryRow(q, in.Path).Scan(&inTable); err != nil {
			t.Fatal(err)
		}
		if inTable != in.Loaded {
			t.Errorf("%s: %d rows loaded, raw_%s holds %d of them", in.Path, in.Loaded, in.Kind, inTable)
		}
	}
	for p := range e.files {
		if !seen[p] {
			t.Errorf("expect.txt names %s, which is not in the manifest", p)
		}
	}
}

// checkAbsent checks that the person with personnummer pnr has no row in
// any table of the database (raw, staging, models) and that their
// pseudonym is in no published or staff file.
func checkAbsent(t *testing.T, pnr, db string, dirs ...string) {
	t.Helper()
	asOf, _ := time.Parse("2006-01-02", corpusAsOf)
	n, err := personnummer.Parse(pnr, asOf)
	if err != nil {
		t.Fatalf("absent: %v", err)
	}
	pseudo, err := personnummer.NewPseudonymizer([]byte(testKey))
	if err != nil {
		t.Fatal(err)
	}
	p := pseudo.Pseudonym(n)
	conn, err := sql.Open("duckdb", db+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`select distinct table_name from information_schema.columns where column_name = 'person' order by 1`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		tables = append(tables, s)
	}
	rows.Close()
	for _, k := range contract.Kinds() {
		if k.Person() && !slices.Contains(tables, "raw_"+k.Name) {
			t.Errorf("absent: raw_%s has no person column (tables with one: %q)", k.Name, tables)
		}
	}
	for _, tbl := range tables {
		var c int64
		if err := conn.QueryRow(fmt.Sprintf(`select count(*) from "%s" where person = ?`, tbl), p).Scan(&c); err != nil {
			t.Fatal(err)
		}
		if c > 0 {
			t.Errorf("absent: %d rows of the skyddad person in %s", c, tbl)
		}
	}
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if bytes.Contains(b, []byte(p)) {
				t.Errorf("absent: %s holds the skyddad person's pseudonym", path)
			}
			return nil
		})
	}
}

// queryText runs q on the database and formats the result: cells joined
// by ", ", rows by " | ", dates as YYYY-MM-DD, NULL as "NULL". The
// variable as_of is set, so the staging views (stg_*) show what the
// studies used.
func queryText(t *testing.T, db, q string) string {
	t.Helper()
	pool, err := sql.Open("duckdb", db+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	ctx := context.Background()
	conn, err := pool.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "set variable as_of = date '"+corpusAsOf+"'"); err != nil {
		t.Fatal(err)
	}
	rows, err := conn.QueryContext(ctx, q)
	if err != nil {
		t.Fatalf("query %s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		cells := make([]string, len(vals))
		for i, v := range vals {
			switch x := v.(type) {
			case nil:
				cells[i] = "NULL"
			case time.Time:
				cells[i] = x.Format("2006-01-02")
			case []byte:
				cells[i] = string(x)
			default:
				cells[i] = fmt.Sprint(x)
			}
		}
		out = append(out, strings.Join(cells, ", "))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(out, " | ")
}
