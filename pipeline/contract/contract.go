// Package contract owns the canonical input layout of shared/spec/inputs.md:
// the file kinds, how a file name maps to a kind, each kind's columns with
// their types, code lists and rules, the properties that make a kind
// special (a dated snapshot, a skyddad mark, the date a personnummer is
// read against), and the sysselsättning code categories.
//
// It is the single place that says what a valid row is: Validator (see
// validate.go) applies the rules, with no I/O, for ingest and inspect
// alike; ingest stores what passes in the raw tables whose columns Stored
// and Kind's Person and Dated decide, and the warehouse derives its DDL
// from that.
package contract

import (
	"path"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Version names the rules by which a row of a file becomes a stored row
// (columns, types, codes, validation). It is part of the identity under
// which the database caches a file's rows, so a change to those rules must
// change it: every file is then read again instead of its rows being taken
// from the cache.
const Version = "2"

// Type is how a column's text is parsed and stored.
type Type int

// Column types. Personnummer columns never reach storage: they become the
// pseudonym, birth date and sex.
const (
	Text Type = iota
	Code
	Date
	Bool
	Int
	Decimal
	Postnummer
	Personnummer
)

// Column is one canonical column of a file kind.
type Column struct {
	Name     string   // canonical header, as in inputs.md
	Type     Type     // how the value is parsed
	Header   bool     // the header must be present, or the file cannot be read
	NotBlank bool     // every row must have a value, or the row is rejected
	Codes    []string // allowed values of a Code column
	Positive bool     // an Int column's values must be > 0
	// Min, Max: an Int column's values must be at least Min and at most
	// Max (0: no bound); MinWhy and MaxWhy say why, in the reject rule.
	Min, Max       int64
	MinWhy, MaxWhy string
	// Percent: a Decimal column's values are shares in percent, 0–100
	// (a file giving fractions instead is caught by the check
	// omradesstatistik_percent).
	Percent bool

	// NotAfterExtract: a date after the file's extract date is rejected
	// (a Dated kind's Avgangsdatum).
	NotAfterExtract bool
	// PersonRef: the column is the date a short personnummer's century is
	// judged against (the person was born before it). A person kind
	// without one judges against the extract date.
	PersonRef bool
	// Protects: a J marks the person skyddad: the row, and every row of
	// the person in any file, is excluded, whatever the row's other
	// cells. Not stored.
	Protects bool
	// PersonKon: the person's kön as the file gives it, stored as kon
	// over the one the personnummer implies. Not a column of its own.
	PersonKon bool
}

// Field is the lowercase name the column has in storage.
func (c Column) Field() string { return strings.ToLower(c.Name) }

// Stored reports whether the column is a column of its own in the raw
// table: the personnummer becomes person, fodelsedatum and kon, a
// PersonKon column merges into kon, and a Protects column excludes its
// rows instead.
func (c Column) Stored() bool {
	return c.Type != Personnummer && !c.PersonKon && !c.Protects
}

// Kind is one file kind of the contract.
type Kind struct {
	Name     string   // e.g. "extens"
	Patterns []string // file name globs (lowercase) that belong to the kind
	// Register kinds are the register and reference kinds, whose file
	// names say what a file is (inputs.md, "Several files of one kind"): a
	// name ending in _YYYY-MM-DD.csv is a dated full export (the latest of
	// a kommun's is used), any other name a part (all parts are read
	// together). The other kinds are events: every file is used.
	Register bool
	// Dated kinds are snapshots: each file is the state on its extract
	// date, which its name carries (the contract's name with the date for
	// the pattern's *, or a profile pattern's {date}); the date is stored
	// with every row as extract_date, and rows are read against it.
	Dated   bool
	Columns []Column
}

// Person reports whether rows of the kind identify a person by personnummer.
func (k Kind) Person() bool {
	for _, c := range k.Columns {
		if c.Type == Personnummer {
			return true
		}
	}
	return false
}

// Names returns the canonical column names in order.
func (k Kind) Names() []string {
	out := make([]string, len(k.Columns))
	for i, c := range k.Columns {
		out[i] = c.Name
	}
	return out
}

// Required returns the names of the columns whose header must be present.
func (k Kind) Required() []string {
	var out []string
	for _, c := range k.Columns {
		if c.Header {
			out = append(out, c.Name)
		}
	}
	return out
}

// Sysselsättning code → category (inputs.md, "Sysselsättning codes").
var categories = map[string]string{
	"GYMNASIE": "STUDIER", "KOMVUX": "STUDIER", "FOLKHOGSKOLA": "STUDIER", "SFI": "STUDIER", "OVRIGA_STUDIER": "STUDIER",
	"ARBETE":  "ARBETE",
	"PRAKTIK": "PRAKTIK", "ARBETSTRANING": "PRAKTIK", "SOMMARJOBB": "PRAKTIK",
	"AMT": "INSATS", "UNG_KRAFT": "INSATS", "I_KRAFT": "INSATS", "AF_INSATS": "INSATS",
	"ARBETSSOKANDE": "ANNAT", "FK": "ANNAT", "SOCIALTJANST": "ANNAT", "HVB": "ANNAT", "LSS": "ANNAT", "FORALDRALEDIG": "ANNAT", "SJUK": "ANNAT",
	"FLYTTAT": "FLYTTAT",
	"INGEN":   "INGEN",
	"OKAND":   "OKAND",
}

// SysselsattningCodes lists every sysselsättning code, sorted.
func SysselsattningCodes() []string {
	out := make([]string, 0, len(categories))
	for c := range categories {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Category returns the category of a sysselsättning code, "" if unknown.
func Category(code string) string { return categories[code] }

// CodesIn returns the sysselsättning codes of the given categories, sorted.
func CodesIn(cats ...string) []string {
	var out []string
	for _, code := range SysselsattningCodes() {
		for _, c := range cats {
			if categories[code] == c {
				out = append(out, code)
			}
		}
	}
	return out
}

func pnr() Column {
	return Column{Name: "Personnummer", Type: Personnummer, Header: true, NotBlank: true}
}

func code(name string, codes ...string) Column { return Column{Name: name, Type: Code, Codes: codes} }

var (
	sys      = SysselsattningCodes()
	yesNo    = Bool
	kinds    []Kind
	kindByID = map[string]Kind{}
)

func init() {
	kinds = []Kind{
		{Name: "extens", Patterns: []string{"extens_*.csv"}, Dated: true, Columns: []Column{
			pnr(),
			{Name: "Kon", Type: Code, Codes: []string{"K", "M"}, PersonKon: true},
			{Name: "Postnummer", Type: Postnummer},
			{Name: "Skyddad", Type: yesNo, Protects: true},
			{Name: "Grundskola", Type: Text},
			{Name: "Gymnasieskola", Type: Text},
			{Name: "Program", Type: Text},
			{Name: "Inskriven", Type: yesNo},
			{Name: "Avgangsdatum", Type: Date, NotAfterExtract: true},
			code("Avgangstyp", "AVBROTT", "EXAMEN", "STUDIEBEVIS", "GYMNASIEINTYG"),
			{Name: "Examen", Type: yesNo},
		}},
		{Name: "gruus", Patterns: []string{"gruus_*.csv"}, Columns: []Column{
			pnr(),
			{Name: "Skola", Type: Text},
			{Name: "Program", Type: Text},
			{Name: "Handelse", Type: Code, Header: true, NotBlank: true, Codes: []string{"BEFARAT_AVBROTT", "AVBROTT", "ATERTAGET"}},
			{Name: "Handelsedatum", Type: Date, Header: true, NotBlank: true, PersonRef: true},
			{Name: "Rapportdatum", Type: Date},
		}},
		{Name: "kaa_individer", Register: true, Patterns: []string{"kaa_individer*.csv"}, Columns: []Column{
			pnr(),
			{Name: "Aktualiserad", Type: Date, Header: true, NotBlank: true, PersonRef: true},
			code("Registreringsorsak", "AVBROTT_IM", "AVBROTT_NP", "GYMNASIEINTYG", "STUDIEBEVIS", "EJ_PABORJAT"),
			code("SenSysReg", append(CodesIn("STUDIER"), "INGEN")...),
			{Name: "Avaktualiserad", Type: Date},
			code("Avaktualiseringsorsak", "FYLLT_20", "EXAMEN", "STUDIER", "FLYTTAT", "AVLIDEN", "OVRIGT"),
			code("Kontaktstatus", "NADD", "EJ_NADD", "SAKNAR_KONTAKTUPPGIFTER"),
			{Name: "Coach", Type: Text},
		}},
		{Name: "kaa_sysselsattning", Register: true, Patterns: []string{"kaa_sysselsattning*.csv"}, Columns: []Column{
			pnr(),
			{Name: "Datum", Type: Date, Header: true, NotBlank: true, PersonRef: true},
			{Name: "Sysselsattning", Type: Code, Header: true, NotBlank: true, Codes: sys},
			code("Forsorjning", "CSN", "EKONOMISKT_BISTAND", "FK", "AF", "LON", "OKAND"),
		}},
		{Name: "kaa_atgarder", Register: true, Patterns: []string{"kaa_atgarder*.csv"}, Columns: []Column{
			pnr(),
			{Name: "Atgard", Type: Code, Header: true, NotBlank: true, Codes: sys},
			{Name: "Start", Type: Date, Header: true, NotBlank: true, PersonRef: true},
			{Name: "Slut", Type: Date},
			code("GrundAtgSlut", "SLUTFORD", "AVBRUTEN", "FYLLT_20", "FLYTTAT", "OVRIGT"),
			code("SysEfter", sys...),
		}},
		{Name: "deltagare", Register: true, Patterns: []string{"deltagare*.csv"}, Columns: []Column{
			pnr(),
			{Name: "Inskriven", Type: Date, Header: true, NotBlank: true, PersonRef: true},
			{Name: "Utskriven", Type: Date},
			code("SysVidAvslut", sys...),
			{Name: "AnvisadStodinsats", Type: yesNo},
			{Name: "Coach", Type: Text},
		}},
		{Name: "tidsstudie", Patterns: []string{"tidsstudie*.csv"}, Columns: []Column{
			{Name: "Datum", Type: Date, Header: true, NotBlank: true},
			{Name: "Coach", Type: Text},
			{Name: "Kategori", Type: Code, Header: true, NotBlank: true, Codes: []string{"DELTAGARKONTAKT", "ADMINISTRATION", "SAMVERKANSPART", "DELTAGARE_OCH_SAMVERKANSPART"}},
			// one registration of one measuring day
			{Name: "Minuter", Type: Int, Header: true, NotBlank: true, Positive: true, Max: 24 * 60, MaxWhy: "the minutes of a day"},
			code("Kon", "K", "M", "X"),
			{Name: "Alder", Type: Int, Positive: true, Max: 99, MaxWhy: "an age in years, not a birth year"},
		}},
		{Name: "omradesstatistik", Register: true, Patterns: []string{"omradesstatistik*.csv"}, Columns: []Column{
			{Name: "Omrade", Type: Text, Header: true, NotBlank: true},
			{Name: "Ar", Type: Int, Header: true, NotBlank: true, Min: 1900, MinWhy: "a year, four digits", Max: 2099, MaxWhy: "a year, four digits"},
			{Name: "Befolkning0_19", Type: Int, Header: true},
			{Name: "Befolkning", Type: Int},
			{Name: "AndelForgymnasial", Type: Decimal, Percent: true},
			{Name: "AndelOppetArbetslosa", Type: Decimal, Percent: true},
			{Name: "AndelEkonomisktBistand", Type: Decimal, Percent: true},
			{Name: "Medianinkomst", Type: Decimal},
			{Name: "Ohalsotal", Type: Decimal},
			{Name: "SjalvskattadHalsa", Type: Decimal},
		}},
		{Name: "omraden", Register: true, Patterns: []string{"omraden*.csv"}, Columns: []Column{
			{Name: "Postnummer", Type: Postnummer, Header: true, NotBlank: true},
			{Name: "Omrade", Type: Text, Header: true, NotBlank: true},
		}},
		{Name: "grundskolor", Register: true, Patterns: []string{"grundskolor*.csv"}, Columns: []Column{
			{Name: "Skola", Type: Text, Header: true, NotBlank: true},
			code("Huvudman", "KOMMUNAL", "FRISTAENDE"),
			{Name: "Ar", Type: Int, Header: true, NotBlank: true, Min: 1900, MinWhy: "a year, four digits", Max: 2099, MaxWhy: "a year, four digits"},
			{Name: "Sistaarselever", Type: Int, Header: true},
		}},
		{Name: "skolalias", Register: true, Patterns: []string{"skolalias*.csv"}, Columns: []Column{
			{Name: "Alias", Type: Text, Header: true, NotBlank: true},
			{Name: "Skola", Type: Text, Header: true, NotBlank: true},
		}},
	}
	for _, k := range kinds {
		kindByID[k.Name] = k
		if k.Dated {
			pre, post, _ := strings.Cut(k.Patterns[0], "*")
			datedName[k.Name] = regexp.MustCompile("(?i)^" + regexp.QuoteMeta(pre) + "([0-9]{4}-[0-9]{2}-[0-9]{2})" + regexp.QuoteMeta(post) + "$")
		}
	}
}

// datedName matches a Dated kind's contract name, its date the submatch.
var datedName = map[string]*regexp.Regexp{}

// NameRule is the contract's rule for the kind's file names as messages
// give it: its patterns, a Dated kind's date as <YYYY-MM-DD>
// ("extens_<YYYY-MM-DD>.csv", "kaa_individer*.csv").
func (k Kind) NameRule() string {
	if k.Dated {
		return strings.Replace(k.Patterns[0], "*", "<YYYY-MM-DD>", 1)
	}
	return strings.Join(k.Patterns, ", ")
}

// NameDate returns the extract date that a file of a Dated kind carries
// in its contract name (extens_2021-03-01.csv); ok is false if the name
// carries none.
func (k Kind) NameDate(base string) (d time.Time, ok bool) {
	re := datedName[k.Name]
	if re == nil {
		return time.Time{}, false
	}
	sub := re.FindStringSubmatch(base)
	if sub == nil {
		return time.Time{}, false
	}
	d, err := time.Parse("2006-01-02", sub[1])
	return d, err == nil
}

// Kinds returns every file kind, in ingest order: extens first, so that the
// skyddade of a run are known before the other kinds are read.
func Kinds() []Kind { return append([]Kind(nil), kinds...) }

// Lookup returns the kind with the given name.
func Lookup(name string) (Kind, bool) {
	k, ok := kindByID[name]
	return k, ok
}

// Classify returns the kind of a file by its base name (case-insensitive).
// omradesstatistik is tried before omraden, whose glob would also match it.
func Classify(name string) (Kind, bool) {
	base := strings.ToLower(path.Base(strings.ReplaceAll(name, "\\", "/")))
	for _, k := range kinds {
		for _, p := range k.Patterns {
			if ok, _ := path.Match(p, base); ok {
				return k, true
			}
		}
	}
	return Kind{}, false
}
