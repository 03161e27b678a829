package sql_test

import (
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
	kaasql "github.com/kaa-uppfoljning/kaa/sql"
)

// contractLists are the closed lists of the SQL that are a contract
// column's code list: the list equals the column's codes, in the
// contract's order, then the values a study adds for what the column
// cannot say.
var contractLists = []struct {
	lista, kind, column string
	added               []string
}{
	{"kon", "extens", "Kon", nil},
	{"kon_x", "tidsstudie", "Kon", nil},
	{"forsorjning", "kaa_sysselsattning", "Forsorjning", nil},
	{"registreringsorsak", "kaa_individer", "Registreringsorsak", []string{"OKAND"}}, // a blank cell (int_s1_kohort)
	{"huvudman", "grundskolor", "Huvudman", []string{"EXTERN", "OKÄNT"}},             // no such grundskola, a blank cell (int_s4_person)
	{"kategori", "tidsstudie", "Kategori", nil},
	{"kontaktstatus", "kaa_individer", "Kontaktstatus", nil},
}

// TestCodeListsAreTheContracts: every closed list the SQL builds (each
// table with the columns lista, sort, varde) that is a contract column's
// code list equals it value by value, and so does s3_faktor the
// omradesstatistik columns the factors are; a list named as a code
// column is one of them.
func TestCodeListsAreTheContracts(t *testing.T) {
	f := newFixture(t)
	f.build("2021-03-31", nil)
	rows, err := f.w.Query(f.ctx, `select table_name from information_schema.columns
		where column_name in ('lista', 'sort', 'varde') group by table_name having count(*) = 3 order by table_name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	if len(tables) == 0 {
		t.Fatal("no table of closed lists (lista, sort, varde)")
	}
	lists := map[string][]string{}
	for _, tb := range tables {
		rows, err := f.w.Query(f.ctx, `select lista, varde from `+tb+` order by lista, sort`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var l, v string
			if err := rows.Scan(&l, &v); err != nil {
				t.Fatal(err)
			}
			lists[l] = append(lists[l], v)
		}
		rows.Close()
	}
	tied := map[string]bool{}
	for _, c := range contractLists {
		tied[c.lista] = true
		k, _ := contract.Lookup(c.kind)
		i := slices.IndexFunc(k.Columns, func(col contract.Column) bool { return col.Name == c.column })
		if i < 0 || k.Columns[i].Type != contract.Code {
			t.Errorf("%s: %s.%s is not a code column of the contract", c.lista, c.kind, c.column)
			continue
		}
		want := append(slices.Clone(k.Columns[i].Codes), c.added...)
		if got, ok := lists[c.lista]; !ok || !slices.Equal(got, want) {
			t.Errorf("closed list %s = %v, want %s.%s's codes %v", c.lista, got, c.kind, c.column, want)
		}
	}
	omr, _ := contract.Lookup("omradesstatistik")
	var faktorer []string
	for _, c := range omr.Columns {
		if c.Type == contract.Decimal {
			faktorer = append(faktorer, c.Name)
		}
	}
	if got := lists["s3_faktor"]; !slices.Equal(got, faktorer) {
		t.Errorf("closed list s3_faktor = %v, want the omradesstatistik factors %v", got, faktorer)
	}
	for _, k := range contract.Kinds() {
		for _, c := range k.Columns {
			if _, ok := lists[c.Field()]; ok && c.Type == contract.Code && !tied[c.Field()] {
				t.Errorf("closed list %s is named as the code column %s.%s but not compared with it (contractLists)", c.Field(), k.Name, c.Name)
			}
		}
	}
}

// TestCodesInTheSQLAreTheContracts: a code the SQL compares a contract
// code column with (col = 'X', col <> 'X', col in ('X', …), case col
// when 'X') is one of that column's codes, so that a misspelt code
// cannot silently match no row. kategori is also the sysselsättning
// category of kod_sysselsattning.
func TestCodesInTheSQLAreTheContracts(t *testing.T) {
	codes := map[string][]string{}
	for _, k := range contract.Kinds() {
		for _, c := range k.Columns {
			if c.Type == contract.Code {
				codes[c.Field()] = append(codes[c.Field()], c.Codes...)
			}
		}
	}
	for _, c := range contract.SysselsattningCodes() {
		if cat := contract.Category(c); !slices.Contains(codes["kategori"], cat) {
			codes["kategori"] = append(codes["kategori"], cat)
		}
	}
	compared := 0
	err := fs.WalkDir(kaasql.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".sql") {
			return err
		}
		b, err := fs.ReadFile(kaasql.FS, p)
		if err != nil {
			return err
		}
		text := string(b)
		for field, allowed := range codes {
			var lits []string
			for _, re := range []string{
				`\b` + field + `\s*(?:=|<>|!=)\s*('[^']*')`,
				`\b` + field + `\s+(?:not\s+)?in\s*\(\s*('[^)]*)\)`,
			} {
				for _, m := range regexp.MustCompile(re).FindAllStringSubmatch(text, -1) {
					for _, l := range strings.Split(m[1], ",") {
						lits = append(lits, strings.Trim(strings.TrimSpace(l), "'"))
					}
				}
			}
			for _, m := range regexp.MustCompile(`case\s+(?:\w+\.)?`+field+`\s+((?:when\s+'[^']*'\s+then\s+\S+\s+)+)`).FindAllStringSubmatch(text, -1) {
				for _, w := range regexp.MustCompile(`when\s+'([^']*)'`).FindAllStringSubmatch(m[1], -1) {
					lits = append(lits, w[1])
				}
			}
			for _, l := range lits {
				compared++
				if !slices.Contains(allowed, l) {
					t.Errorf("%s: %s compared with %q, not a code of the contract's %s columns %v", p, field, l, field, allowed)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if compared == 0 {
		t.Error("no code compared in the SQL: the patterns find nothing")
	}
}
