package contract

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func day(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

// row gives the cells of a kind's row by column name, blank elsewhere.
func row(t *testing.T, k Kind, cells map[string]string) []string {
	t.Helper()
	out := make([]string, len(k.Columns))
	for name, v := range cells {
		i := -1
		for j, c := range k.Columns {
			if c.Name == name {
				i = j
			}
		}
		if i < 0 {
			t.Fatalf("%s has no column %s", k.Name, name)
		}
		out[i] = v
	}
	return out
}

// TestValidate pins every rule a row can break, in the order Validate
// gives them, and that Parse stops at the first of them.
func TestValidate(t *testing.T) {
	extens, _ := Lookup("extens")
	gruus, _ := Lookup("gruus")
	tids, _ := Lookup("tidsstudie")
	omr, _ := Lookup("omraden")
	stat, _ := Lookup("omradesstatistik")
	extract := day("2021-03-01")
	tests := []struct {
		name  string
		kind  Kind
		cells map[string]string
		want  []Problem
	}{
		{"valid extens", extens, map[string]string{"Personnummer": "20030501-0019", "Kon": "m", "Avgangsdatum": "2021-03-01"}, nil},
		{"every cell wrong", extens, map[string]string{
			"Personnummer": "20030501-0018", "Kon": "X", "Skyddad": "kanske", "Grundskola": "Pnr 030501-0019 (fel kolumn)",
			"Avgangsdatum": "2021-03-02", "Avgangstyp": "AVHOPP",
		}, []Problem{
			{Rule: "unknown code", Field: "Kon", Value: "X"},
			{Rule: "bad yes/no value (use J or N)", Field: "Skyddad", Value: "kanske"},
			{Rule: RuleStrayNumber, Field: "Grundskola", Value: "***"},
			{Rule: "unknown code", Field: "Avgangstyp", Value: "AVHOPP"},
			{Rule: "bad check digit", Field: "Personnummer", Value: "***"},
			{Rule: "after the extract date 2021-03-01", Field: "Avgangsdatum", Value: "2021-03-02"},
		}},
		{"blank personnummer", extens, map[string]string{"Avgangsdatum": "2021-03-02"}, []Problem{
			{Rule: "missing value", Field: "Personnummer"},
			{Rule: "after the extract date 2021-03-01", Field: "Avgangsdatum", Value: "2021-03-02"},
		}},
		{"a broken date is not compared", extens, map[string]string{"Personnummer": "20030501-0019", "Avgangsdatum": "2021-13-01"}, []Problem{
			{Rule: "bad date", Field: "Avgangsdatum", Value: "2021-13-01"},
		}},
		{"required cells", gruus, map[string]string{"Personnummer": "030501-0019"}, []Problem{
			{Rule: "missing value", Field: "Handelse"},
			{Rule: "missing value", Field: "Handelsedatum"},
		}},
		{"numbers", tids, map[string]string{"Datum": "2021-02-03", "Kategori": "ADMINISTRATION", "Minuter": "0", "Alder": "-1"}, []Problem{
			{Rule: "must be greater than 0", Field: "Minuter", Value: "0"},
			{Rule: "must be greater than 0", Field: "Alder", Value: "-1"},
		}},
		{"a birth year for an age, a week for a day", tids, map[string]string{"Datum": "2021-02-03", "Kategori": "ADMINISTRATION", "Minuter": "1441", "Alder": "2003"}, []Problem{
			{Rule: "must be at most 1440 (the minutes of a day)", Field: "Minuter", Value: "1441"},
			{Rule: "must be at most 99 (an age in years, not a birth year)", Field: "Alder", Value: "2003"},
		}},
		{"a whole day, the oldest age", tids, map[string]string{"Datum": "2021-02-03", "Kategori": "ADMINISTRATION", "Minuter": "1440", "Alder": "99"}, nil},
		{"an empty Excel date", tids, map[string]string{"Datum": "1899-12-30", "Kategori": "ADMINISTRATION", "Minuter": "10"}, []Problem{
			{Rule: RuleBefore1900, Field: "Datum", Value: "1899-12-30"},
		}},
		{"the first date of 1900", tids, map[string]string{"Datum": "19000101", "Kategori": "ADMINISTRATION", "Minuter": "10"}, nil},
		{"a two-digit year", stat, map[string]string{"Omrade": "Centrum", "Ar": "20"}, []Problem{
			{Rule: "must be at least 1900 (a year, four digits)", Field: "Ar", Value: "20"},
		}},
		{"shares in percent", stat, map[string]string{"Omrade": "Centrum", "Ar": "2020", "AndelForgymnasial": "100,5", "AndelOppetArbetslosa": "-1", "AndelEkonomisktBistand": "0,4", "Medianinkomst": "312000"}, []Problem{
			{Rule: RulePercent, Field: "AndelForgymnasial", Value: "100,5"},
			{Rule: RulePercent, Field: "AndelOppetArbetslosa", Value: "-1"},
		}},
		{"a postnummer holding a personnummer", omr, map[string]string{"Postnummer": "200305010019", "Omrade": "Centrum"}, []Problem{
			{Rule: RuleStrayNumber, Field: "Postnummer", Value: "***"},
		}},
	}
	for _, tt := range tests {
		v := NewValidator(tt.kind, extract)
		values := row(t, tt.kind, tt.cells)
		got := v.Validate(values)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Validate =\n%+v\nwant\n%+v", tt.name, got, tt.want)
		}
		_, first := v.Parse(values)
		switch {
		case len(tt.want) == 0 && first != nil:
			t.Errorf("%s: Parse rejects for %+v", tt.name, *first)
		case len(tt.want) > 0 && (first == nil || *first != tt.want[0]):
			t.Errorf("%s: Parse's problem %v, want Validate's first %+v", tt.name, first, tt.want[0])
		}
	}
}

// TestParse pins what a valid row carries: the codes as the contract
// spells them, the person's kön as given, the skyddad mark, and the short
// personnummer read against the kind's PersonRef date.
func TestParse(t *testing.T) {
	extens, _ := Lookup("extens")
	v := NewValidator(extens, day("2021-03-01"))
	r, p := v.Parse(row(t, extens, map[string]string{"Personnummer": "030501-0019", "Kon": "k", "Skyddad": "J", "Postnummer": "852 30"}))
	if p != nil {
		t.Fatalf("rejected: %+v", *p)
	}
	if !r.Skyddad || r.Kon != "K" || !r.Number.Birth.Equal(day("2003-05-01")) || r.Values[2].S != "85230" {
		t.Errorf("row %+v", r)
	}
	if n, ok := v.SkyddadNumber(row(t, extens, map[string]string{"Personnummer": "030501-0019", "Skyddad": "j", "Kon": "?"})); !ok || !n.Birth.Equal(day("2003-05-01")) {
		t.Errorf("SkyddadNumber of a marked row with a broken cell = %v, %v", n, ok)
	}
	if _, ok := v.SkyddadNumber(row(t, extens, map[string]string{"Personnummer": "030501-0019", "Skyddad": "N"})); ok {
		t.Error("SkyddadNumber of an unmarked row")
	}
	gruus, _ := Lookup("gruus")
	g := NewValidator(gruus, time.Time{})
	for _, tt := range []struct{ date, birth string }{{"2021-02-01", "2003-05-01"}, {"2003-01-01", "1903-05-01"}} {
		r, p := g.Parse(row(t, gruus, map[string]string{"Personnummer": "030501-0019", "Handelse": "avbrott", "Handelsedatum": tt.date}))
		if p != nil || !r.Number.Birth.Equal(day(tt.birth)) || r.Skyddad || r.Kon != "" {
			t.Errorf("gruus on %s: %+v %v, want born %s", tt.date, r, p, tt.birth)
		}
	}
}

// TestProperties: the properties that make a kind special sit where
// their rules can apply.
func TestProperties(t *testing.T) {
	for _, k := range Kinds() {
		refs := 0
		for _, c := range k.Columns {
			where := k.Name + "." + c.Name
			if c.Type == Code && len(c.Codes) == 0 {
				t.Errorf("%s: a code column without codes", where)
			}
			if c.PersonRef {
				refs++
				if c.Type != Date || !c.NotBlank || !k.Person() {
					t.Errorf("%s: a PersonRef must be a required date of a person kind", where)
				}
			}
			if c.Protects && (c.Type != Bool || !k.Person()) {
				t.Errorf("%s: Protects must be a J/N column of a person kind", where)
			}
			if c.PersonKon && (c.Type != Code || !k.Person() || strings.Join(c.Codes, ",") != "K,M") {
				t.Errorf("%s: PersonKon must be a K/M code of a person kind", where)
			}
			if c.NotAfterExtract && (c.Type != Date || !k.Dated) {
				t.Errorf("%s: NotAfterExtract must be a date of a Dated kind", where)
			}
			if c.Stored() == (c.Type == Personnummer || c.Protects || c.PersonKon) {
				t.Errorf("%s: Stored = %v", where, c.Stored())
			}
		}
		if refs > 1 || (k.Person() && (refs == 1) == k.Dated) {
			t.Errorf("%s: %d PersonRef columns (a person kind has one, a Dated one reads against its extract date)", k.Name, refs)
		}
		if k.Dated && (len(k.Patterns) != 1 || strings.Count(k.Patterns[0], "*") != 1) {
			t.Errorf("%s: a Dated kind's name has one * for its date: %v", k.Name, k.Patterns)
		}
	}
}

func TestShown(t *testing.T) {
	long := "x" + strings.Repeat("Ö", 50)
	tests := []struct{ in, want string }{
		{"AVHOPP", "AVHOPP"},
		{"2021-13-01", "2021-13-01"},
		{"20030501-0019", "***"},
		{"200305010019", "***"},
		{"030501+0019", "***"},
		{"Pnr 030501-0019 (fel kolumn)", "***"},
		{"20210101", "20210101"},
		{"a\x07b\r\nc", `a\x07b\x0d\x0ac`},
		{"\u202eevil", `\u202eevil`},
		{long, "x" + strings.Repeat("Ö", 39) + "…"},
		{strings.Repeat("a", 80), strings.Repeat("a", 80)},
		{strings.Repeat("a", 81), strings.Repeat("a", 80) + "…"},
	}
	for _, tt := range tests {
		got := Shown(tt.in)
		if got != tt.want {
			t.Errorf("Shown(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("Shown(%q) = %q: not UTF-8", tt.in, got)
		}
	}
}

func TestNumberBounds(t *testing.T) {
	minuter := Column{Name: "Minuter", Type: Int, Positive: true}
	andel := Column{Name: "AndelForgymnasial", Type: Decimal}
	tests := []struct {
		c    Column
		in   string
		rule string // "" = accepted
	}{
		{minuter, "30", ""},
		{minuter, "2147483647", ""},
		{minuter, "2147483648", "number out of range"},
		{minuter, "9000000000000000000", "number out of range"},
		{andel, "12,5", ""},
		{andel, "-999999999999", ""},
		{andel, fmt.Sprintf("1%013d", 0), "number out of range"},
		{andel, "1" + strings.Repeat("0", 300), "number out of range"},
	}
	for _, tt := range tests {
		_, p := parseCell(&tt.c, tt.in)
		switch {
		case tt.rule == "" && p != nil:
			t.Errorf("%s %q: rejected (%s)", tt.c.Name, tt.in, p.Rule)
		case tt.rule != "" && (p == nil || p.Rule != tt.rule):
			t.Errorf("%s %q: problem %+v, want rule %q", tt.c.Name, tt.in, p, tt.rule)
		}
	}
}
