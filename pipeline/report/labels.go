package report

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
	"github.com/kaa-uppfoljning/kaa/pipeline/table"
	"github.com/kaa-uppfoljning/kaa/reference"
	"github.com/kaa-uppfoljning/kaa/reports"
)

// The Swedish label dictionary of the HTML pages: the words every chart,
// legend, table header and method note shows for the codes and column
// names of the study tables. The table files (CSV, Parquet) keep the
// codes and column names of studies.md: they are the interface; only the
// HTML speaks the reader's language.
//
// Lookups go from the most specific key to the least: "table.column",
// then "column". A code column is a column with an entry in codeLabels;
// its values are shown as their label (a value without one is shown as
// it is, and the tests make sure that never happens for
// the codes of pipeline/contract, the closed lists of studies.md and
// every value the demo and region runs publish). Name columns (schools,
// områden) show their values as they are, except the special values in
// nameLabels.
//
// A study's own words — the headings, units, codes and formats of its
// tables' columns ("s10_utfall.kohort") — are declared in its page
// template's leading comment (declLine) and merged in here at start.

// Code lists shared by several columns.
var (
	sysselsattningLabels = map[string]string{
		"GYMNASIE":       "Gymnasieskola",
		"KOMVUX":         "Komvux",
		"FOLKHOGSKOLA":   "Folkhögskola",
		"SFI":            "Svenska för invandrare (sfi)",
		"OVRIGA_STUDIER": "Övriga studier",
		"ARBETE":         "Arbete",
		"PRAKTIK":        "Praktik",
		"ARBETSTRANING":  "Arbetsträning",
		"SOMMARJOBB":     "Sommarjobb",
		"AMT":            "Arbetsmarknadstorget (AMT)",
		"UNG_KRAFT":      "Ung Kraft",
		"I_KRAFT":        "I-Kraft",
		"AF_INSATS":      "Insats via Arbetsförmedlingen",
		"ARBETSSOKANDE":  "Arbetssökande",
		"FK":             "Försäkringskassan",
		"SOCIALTJANST":   "Socialtjänsten",
		"HVB":            "HVB-hem",
		"LSS":            "Insats enligt LSS",
		"FORALDRALEDIG":  "Föräldraledig",
		"SJUK":           "Sjukskriven",
		"FLYTTAT":        "Flyttat",
		"INGEN":          "Ingen sysselsättning",
		"OKAND":          "Uppgift saknas",
	}
	konLabels = map[string]string{
		"K": "Kvinnor",
		"M": "Män",
		"X": "Annat eller okänt kön",
	}
	statusLabels = map[string]string{
		"EXAMEN":        "Gymnasieexamen",
		"STUDIER":       "Studier",
		"ARBETE":        "Arbete",
		"KVAR_I_KAA":    "Kvar i KAA",
		"INGEN_UPPGIFT": "Ingen uppgift",
	}
	registreringsorsakLabels = map[string]string{
		"AVBROTT_IM":    "Avbrott från introduktionsprogram",
		"AVBROTT_NP":    "Avbrott från nationellt program",
		"GYMNASIEINTYG": "Gymnasieintyg",
		"STUDIEBEVIS":   "Studiebevis",
		"EJ_PABORJAT":   "Har inte påbörjat gymnasiet",
		"OKAND":         "Uppgift saknas",
	}
	huvudmanLabels = map[string]string{
		"KOMMUNAL":   "Kommunal",
		"FRISTAENDE": "Fristående",
		"EXTERN":     "Skola i annan kommun",
		"OKÄNT":      "Okänd grundskola",
	}
	programtypLabels = map[string]string{
		"NATIONELLT":   "Nationellt program",
		"INTRODUKTION": "Introduktionsprogram",
		"INGET":        "Inget program",
	}
	// the input column names of omradesstatistik (codeLists
	// "omradesfaktor": S3's and S9's faktor)
	omradesfaktorLabels = map[string]string{
		"AndelForgymnasial":      "Andel med förgymnasial utbildning",
		"AndelOppetArbetslosa":   "Andel öppet arbetslösa",
		"AndelEkonomisktBistand": "Andel med ekonomiskt bistånd",
		"Medianinkomst":          "Medianinkomst",
		"Ohalsotal":              "Ohälsotal",
		"SjalvskattadHalsa":      "Självskattad hälsa",
	}
)

// codeLabels maps a column to its codes' labels: the study tables' code
// columns and, by their lowercase name, the code columns of
// pipeline/contract.
var codeLabels = map[string]map[string]string{
	// study tables
	"status":             statusLabels,
	"kon":                konLabels,
	"forsorjning":        {"CSN": "Studiemedel (CSN)", "EKONOMISKT_BISTAND": "Ekonomiskt bistånd", "FK": "Försäkringskassan", "AF": "Arbetsförmedlingen", "LON": "Lön", "OKAND": "Uppgift saknas"},
	"registreringsorsak": registreringsorsakLabels,
	"bas": {
		"inskrivning_mogna": "Vid inskrivning, avslutade minst ett år",
		"inskrivning_alla":  "Vid inskrivning, alla avslutade",
		"inskrivning":       "Vid inskrivning, alla avslutade",
		"utskrivning":       "Vid utskrivning, alla avslutade",
	},
	"mal_uppnatt":    {"J": "Ja", "N": "Nej"},
	"studieform":     sysselsattningLabels,
	"sysselsattning": sysselsattningLabels,
	"huvudman":       huvudmanLabels,
	"programtyp":     programtypLabels,
	"kategori": {
		"DELTAGARKONTAKT":              "Deltagarkontakt",
		"ADMINISTRATION":               "Administration (kringarbete)",
		"SAMVERKANSPART":               "Samverkanspart",
		"DELTAGARE_OCH_SAMVERKANSPART": "Deltagare och samverkanspart",
	},
	"aldersgrupp": {"16–17": "16–17 år", "18–19": "18–19 år", "20–21": "20–21 år", "22–24": "22–24 år", "övriga": "Övriga"},
	"grupp": {
		"alla": "Alla",
		"K":    "Kvinnor",
		"M":    "Män",
		"X":    "Okänt kön",
		"MG1":  "Målgrupp 1 (16–19 år)",
		"MG2":  "Målgrupp 2 (20–24 år)",
	},
	"period": {"manad": "Under månaden", "totalt": "Totalt till och med månaden"},
	"nyckeltal": {
		"andel_man":                             "Andel män",
		"andel_kvinnor":                         "Andel kvinnor",
		"kontaktstatus_nadd":                    "Målgrupp 1: nådda",
		"kontaktstatus_ej_nadd":                 "Målgrupp 1: inte nådda",
		"kontaktstatus_saknar_kontaktuppgifter": "Målgrupp 1: kontaktuppgifter saknas",
		"andel_aktuella_kaa_deltagare":          "Aktuella för KAA som är deltagare",
	},
	"niva":     {"rod": "Röd", "gul": "Gul", "gron": "Grön"},
	"malgrupp": {"MG1": "Målgrupp 1 (16–19 år)", "MG2": "Målgrupp 2 (20–24 år)", "UTANFÖR": "Utanför målgrupperna"},

	// input columns (pipeline/contract), by lowercase name
	"avgangstyp":            {"AVBROTT": "Avbrott", "EXAMEN": "Examen", "STUDIEBEVIS": "Studiebevis", "GYMNASIEINTYG": "Gymnasieintyg"},
	"handelse":              {"BEFARAT_AVBROTT": "Befarat avbrott", "AVBROTT": "Avbrott", "ATERTAGET": "Återtaget avbrott"},
	"sensysreg":             sysselsattningLabels,
	"avaktualiseringsorsak": {"FYLLT_20": "Fyllt 20 år", "EXAMEN": "Examen", "STUDIER": "Studier", "FLYTTAT": "Flyttat", "AVLIDEN": "Avliden", "OVRIGT": "Övrigt"},
	"kontaktstatus":         {"NADD": "Nådd", "EJ_NADD": "Inte nådd", "SAKNAR_KONTAKTUPPGIFTER": "Kontaktuppgifter saknas"},
	"atgard":                sysselsattningLabels,
	"grundatgslut":          {"SLUTFORD": "Slutförd", "AVBRUTEN": "Avbruten", "FYLLT_20": "Fyllt 20 år", "FLYTTAT": "Flyttat", "OVRIGT": "Övrigt"},
	"sysefter":              sysselsattningLabels,
	"sysvidavslut":          sysselsattningLabels,
	// the categories of the sysselsättning codes (inputs.md)
	"sysselsattningskategori": {"STUDIER": "Studier", "ARBETE": "Arbete", "PRAKTIK": "Praktik", "INSATS": "Insats", "ANNAT": "Annat", "FLYTTAT": "Flyttat", "INGEN": "Ingen sysselsättning", "OKAND": "Uppgift saknas"},
}

// rowCodeColumns: a column whose codes belong to the code list named by
// another column of the same row (S9: varde is a value of the factor).
var rowCodeColumns = map[string]string{}

// nameLabels: columns of open-ended names (schools, områden) and the
// special values among them; other values are shown as they are.
var nameLabels = map[string]map[string]string{
	"omrade":        {"OKÄNT": "Okänt område"},
	"grundskola":    {"OKÄNT": "Okänd grundskola", "EXTERN": "Skola i annan kommun"},
	"gymnasieskola": {"INGEN": "Ingen gymnasieskola"},
	"skola":         {"OKÄNT": "Okänd skola"},
}

// headers are the HTML column headings ("table.column" before "column").
var headers = map[string]string{
	"scope":                       "Område",
	"kommunkod":                   "Kommun",
	"status":                      "Status",
	"kon":                         "Kön",
	"antal":                       "Antal",
	"andel":                       "Andel",
	"andel_lag":                   "Andel, nedre gräns (95 %)",
	"andel_hog":                   "Andel, övre gräns (95 %)",
	"forsorjning":                 "Försörjning",
	"registreringsorsak":          "Registreringsorsak",
	"delmal":                      "Delmål",
	"bas":                         "Grupp",
	"uppfyllda":                   "Nått delmålet",
	"mal":                         "Mål",
	"mal_uppnatt":                 "Mål uppnått",
	"studieform":                  "Studieform",
	"sysselsattning":              "Sysselsättning",
	"matt":                        "Mått",
	"omrade":                      "Område",
	"andel_kohort":                "Andel av kohorten",
	"befolkning_0_19":             "Befolkning 0–19 år",
	"andel_befolkning_0_19":       "Andel av befolkningen 0–19 år",
	"representation":              "Representation",
	"andelforgymnasial":           "Förgymnasial utbildning (%)",
	"andeloppetarbetslosa":        "Öppet arbetslösa (%)",
	"andelekonomisktbistand":      "Ekonomiskt bistånd (%)",
	"medianinkomst":               "Medianinkomst",
	"ohalsotal":                   "Ohälsotal",
	"sjalvskattadhalsa":           "Självskattad hälsa",
	"faktor":                      "Faktor",
	"n":                           "Antal områden",
	"pearson":                     "Pearson",
	"spearman":                    "Spearman",
	"grundskola":                  "Grundskola",
	"huvudman":                    "Huvudman",
	"sistaarselever":              "Elever i sista årskursen",
	"andel_sistaarselever":        "Andel av eleverna i sista årskursen",
	"gymnasieskola":               "Gymnasieskola",
	"programtyp":                  "Programtyp",
	"kategori":                    "Kategori",
	"minuter":                     "Minuter",
	"registreringar":              "Registreringar",
	"alder":                       "Ålder",
	"aldersgrupp":                 "Åldersgrupp",
	"andel_minuter":               "Andel av tiden",
	"antal_kaa":                   "Aktuella för KAA",
	"andel_kaa":                   "Andel av de aktuella för KAA",
	"grupp":                       "Grupp",
	"period":                      "Period",
	"nyckeltal":                   "Nyckeltal",
	"varde":                       "Värde",
	"manad":                       "Månad",
	"nya":                         "Nya",
	"avslutade":                   "Avslutade",
	"aktiva":                      "Aktiva",
	"kontroll":                    "Kontroll",
	"niva":                        "Nivå",
	"antal_personer":              "Antal personer",
	"lasar":                       "Läsår",
	"befarade":                    "Befarade avbrott",
	"avbrott":                     "Avbrott",
	"atertagna":                   "Återtagna avbrott",
	"skola":                       "Skola",
	"aktualiserade_inom_30":       "Aktualiserade inom 30 dagar",
	"aktualiserade_inom_90":       "Aktualiserade inom 90 dagar",
	"ej_aktualiserade":            "Inte aktualiserade",
	"median_dagar":                "Mediantid (dagar)",
	"kohort":                      "Kohort",
	"andel_studier_arbete":        "Andel i studier eller arbete",
	"andel_examen":                "Andel med examen",
	"deltagare":                   "Deltagare",
	"delmal1_antal":               "Delmål 1: avslutade minst ett år",
	"delmal1_andel":               "Delmål 1: andel som nått målet",
	"senaste_lasar":               "Senaste läsår",
	"andel_aktualiserade_inom_90": "Andel aktualiserade inom 90 dagar",
	"omfattas_enligt_extens":      "Omfattas enligt Extens",
	"saknas_i_registret":          "Saknas i registret",
	"studier":                     "Studier",
	"arbete":                      "Arbete",
	"andel_studier":               "Andel studier",
	"andel_arbete":                "Andel arbete",
	"frihetsgrader":               "Frihetsgrader",
	"chi2":                        "Chi²",
	"p":                           "p-värde",
}

// units are what a count or a measure counts, for axis titles: "Antal
// (personer)". Shares are in percent.
var units = map[string]string{
	"antal":                 "personer",
	"antal_personer":        "personer",
	"antal_kaa":             "personer",
	"uppfyllda":             "deltaganden",
	"nya":                   "deltaganden",
	"avslutade":             "deltaganden",
	"aktiva":                "deltaganden",
	"minuter":               "minuter",
	"registreringar":        "registreringar",
	"median_dagar":          "dagar",
	"befarade":              "händelser",
	"atertagna":             "händelser",
	"avbrott":               "personer",
	"aktualiserade_inom_30": "personer",
	"aktualiserade_inom_90": "personer",
	"ej_aktualiserade":      "personer",
	"kohort":                "personer",
	"deltagare":             "deltaganden",
	"delmal1_antal":         "deltaganden",
	"studier":               "personer",
	"arbete":                "personer",
}

// percentColumns are plain (not suppressed) fractions shown as whole
// percent, like shares.
var percentColumns = map[string]bool{}

// codeColors: the colour a code stands for (S7's nivåer).
var codeColors = map[string]map[string]string{
	"niva": {"rod": "#b3261e", "gul": "#e0b02f", "gron": "#3b8a4a"},
}

func lookup[V any](m map[string]V, tableName, col string) (V, bool) {
	if v, ok := m[tableName+"."+col]; ok {
		return v, true
	}
	v, ok := m[col]
	return v, ok
}

// Header is the Swedish heading of a table column in HTML.
func Header(tableName, col string) string {
	if h, ok := lookup(headers, tableName, col); ok {
		return h
	}
	return readable(col)
}

// IsCodeColumn reports whether the column's values are codes with labels.
func IsCodeColumn(tableName, col string) bool {
	_, ok := lookup(codeLabels, tableName, col)
	if !ok {
		_, ok = lookup(rowCodeColumns, tableName, col)
	}
	return ok || col == "kommunkod"
}

// CodeLabel is the Swedish label of a code in a table's code column. ok is
// false when the column is a code column and the code has no label: the
// code is then shown as it is (the tests make sure no published code
// lacks one).
func CodeLabel(tableName, col, code string) (string, bool) {
	if col == "kommunkod" {
		l := kommunLabel(code)
		return l, l != code
	}
	if m, found := lookup(codeLabels, tableName, col); found {
		if l, ok := m[code]; ok {
			return l, true
		}
		return code, false
	}
	return code, true
}

// ValueLabel is the text a text cell shows in HTML: the label of a code,
// the special value of a name column in words, or the text as it is. row
// and cols give the other cells of the row (for columns whose code list
// depends on another column); they may be nil.
func ValueLabel(tableName, col, v string, cols []string, row []any) string {
	if other, ok := lookup(rowCodeColumns, tableName, col); ok {
		for i, c := range cols {
			if c == other && i < len(row) {
				if code, ok := row[i].(string); ok {
					m, ok := codeLabels["faktor:"+code]
					if !ok {
						m, ok = codeLabels[code]
					}
					if ok {
						if l, ok := m[v]; ok {
							return l
						}
					}
					if n, ok := nameLabels[code]; ok {
						if l, ok := n[v]; ok {
							return l
						}
						return regionalName(v)
					}
				}
			}
		}
		return v
	}
	if IsCodeColumn(tableName, col) {
		l, _ := CodeLabel(tableName, col, v)
		return l
	}
	if f, ok := formats[tableName+"."+col]; ok {
		return f(v)
	}
	if m, ok := lookup(nameLabels, tableName, col); ok {
		if l, ok := m[v]; ok {
			return l
		}
		return regionalName(v)
	}
	return v
}

// unitOf is what a column counts ("personer", "minuter") for axis
// titles, "" when the dictionary does not say.
func unitOf(tableName, col string) string {
	if u, ok := lookup(units, tableName, col); ok {
		return u
	}
	return ""
}

// readable makes a code or column name readable when the dictionary has
// no entry: "ny_kod" → "Ny kod".
func readable(s string) string {
	s = strings.ReplaceAll(s, "_", " ")
	if s == "" {
		return s
	}
	r := []rune(strings.ToLower(s))
	return strings.ToUpper(string(r[:1])) + string(r[1:])
}

// kommunLabel names a kommun: "Sundsvall (2281)".
func kommunLabel(kod string) string {
	if _, ok := reference.LookupKommun(kod); ok {
		return reference.KommunLabel(kod)
	}
	return kod
}

// regionalName shows a region table's "2281 Bergsåker" (kommunkod, space,
// name: områden and schools of several kommuner) as "Bergsåker
// (Sundsvall)"; other names are returned as they are.
func regionalName(v string) string {
	kod, name, ok := strings.Cut(v, " ")
	if !ok || name == "" {
		return v
	}
	if k, ok := reference.LookupKommun(kod); ok {
		return name + " (" + k.Namn + ")"
	}
	return v
}

func hasNameLabels(tableName, col string) bool {
	_, ok := lookup(nameLabels, tableName, col)
	return ok
}

func colNames(t table.Table) []string {
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		out[i] = c.Name
	}
	return out
}

// splitKey splits "table.column" (or "column") for the template funcs.
func splitKey(key string) (tableName, col string) {
	if t, c, ok := strings.Cut(key, "."); ok {
		return t, c
	}
	return "", key
}

// labelFunc is the template func label: {{label "status" "KVAR_I_KAA"}},
// {{label "s6_manad.matt" "nya"}}.
func labelFunc(key, code string) string {
	t, c := splitKey(key)
	return ValueLabel(t, c, code, nil, nil)
}

// headerFunc is the template func header: {{header "s2_delmal.mal_uppnatt"}}.
func headerFunc(key string) string {
	t, c := splitKey(key)
	return Header(t, c)
}

var monthNames = []string{"januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober", "november", "december"}

// monthFunc writes a month ("2021-02" or a time.Time) as "februari 2021".
func monthFunc(v any) string {
	var tm time.Time
	switch x := v.(type) {
	case time.Time:
		tm = x
	case string:
		p, err := time.Parse("2006-01", x)
		if err != nil {
			return x
		}
		tm = p
	default:
		return emptyMark
	}
	if tm.IsZero() {
		return emptyMark
	}
	return monthNames[tm.Month()-1] + " " + strconv.Itoa(tm.Year())
}

func lastRow(rows []rowData) rowData {
	if len(rows) == 0 {
		return nil
	}
	return rows[len(rows)-1]
}

// fewFunc turns a suppressed count into words for a sentence: "<5" is
// "färre än 5", a count hidden to protect another ("x") or withheld ("..")
// "ett dolt antal"; other text is returned as it is.
func fewFunc(s string) string {
	switch {
	case s == table.Hidden || s == table.Withheld:
		return "ett dolt antal"
	case table.IsSuppressed(s):
		return "färre än " + s[1:]
	}
	return s
}

// fewShareFunc turns a suppressed share into words for a sentence: its
// row's count is "<5": "färre än 5 personer"; hidden to protect another
// count ("x") or withheld (".."): "en dold andel"; other text is returned
// as it is.
func fewShareFunc(s string) string {
	switch {
	case s == table.Hidden || s == table.Withheld:
		return "en dold andel"
	case table.IsSuppressed(s):
		return "färre än " + s[1:] + " personer"
	}
	return s
}

// placeFunc names the scope in a sentence: "i Sundsvall", "i regionen".
func placeFunc(scope string) string {
	if scope == "region" {
		return "i regionen"
	}
	if k, ok := reference.LookupKommun(scope); ok {
		return "i " + k.Namn
	}
	return "i kommun " + scope
}

// headerBreaks are the places where long words of table headings may be
// broken (soft hyphens), so that wide tables fit a printed page.
var headerBreaks = strings.NewReplacer(
	"Representation", "Represen\u00adtation",
	"Medianinkomst", "Median\u00adinkomst",
	"Befolkning", "Befolk\u00adning",
	"befolkningen", "befolk\u00adningen",
	"Förgymnasial", "För\u00adgymnasial",
	"arbetslösa", "arbets\u00adlösa",
	"Självskattad", "Själv\u00adskattad",
	"Introduktionsprogram", "Introduktions\u00adprogram",
	"Sysselsättning", "Syssel\u00adsättning",
	"sysselsättning", "syssel\u00adsättning",
	"Registreringsorsak", "Registrerings\u00adorsak",
	"Registreringar", "Registre\u00adringar",
	"aktualiserade", "aktuali\u00adserade",
	"Aktualiserade", "Aktuali\u00adserade",
	"Gymnasieskola", "Gymnasie\u00adskola",
	"Frihetsgrader", "Frihets\u00adgrader",
)

// thText is a column heading as a table header shows it.
func thText(h string) string { return headerBreaks.Replace(h) }

// codeWords are the words that must not appear in a page's visible text:
// every code of pipeline/contract's code lists and of this dictionary, and
// every column name with an underscore; except a code that is a word of
// its own label (acronyms such as AMT, LSS, HVB) or a lowercase code that
// is a word of its label in any case (ordinary words such as "nya",
// "aktiva" of "Aktiva vid månadens slut"; not "rod" of "Röd").
var codeWords = sync.OnceValue(func() map[string]bool {
	labels := map[string][]string{}
	add := func(code, label string) { labels[code] = append(labels[code], label) }
	for _, m := range codeLabels {
		for c, l := range m {
			add(c, l)
		}
	}
	for _, m := range nameLabels {
		for c, l := range m {
			add(c, l)
		}
	}
	for _, k := range contract.Kinds() {
		for _, c := range k.Columns {
			for _, code := range c.Codes {
				if _, ok := labels[code]; !ok {
					labels[code] = nil
				}
			}
		}
	}
	for _, code := range contract.SysselsattningCodes() {
		if _, ok := labels[code]; !ok {
			labels[code] = nil
		}
	}
	for key := range headers {
		_, col := splitKey(key)
		if strings.Contains(col, "_") {
			if _, ok := labels[col]; !ok {
				labels[col] = nil
			}
		}
	}
	out := map[string]bool{}
	for code, ls := range labels {
		exempt := false
		for _, l := range ls {
			exempt = exempt || len(wordsIn(l, code)) > 0 || code == strings.ToLower(code) && len(wordsIn(strings.ToLower(l), code)) > 0
		}
		if !exempt {
			out[code] = true
		}
	}
	return out
})

// CodesIn returns the codes (see codeWords) that occur as whole words in
// text, in order of occurrence: visible text of a page must have none.
func CodesIn(text string) []string {
	var out []string
	words := codeWords()
	start := -1
	flush := func(end int) {
		if start >= 0 && words[text[start:end]] {
			out = append(out, text[start:end])
		}
		start = -1
	}
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' {
			if start < 0 {
				start = i
			}
			continue
		}
		flush(i)
	}
	flush(len(text))
	return out
}

// wordsIn returns the occurrences of word as a whole word in text.
func wordsIn(text, word string) []int {
	var out []int
	for i := 0; ; {
		j := strings.Index(text[i:], word)
		if j < 0 {
			return out
		}
		at := i + j
		before, _ := utf8.DecodeLastRuneInString(text[:at])
		after, _ := utf8.DecodeRuneInString(text[at+len(word):])
		isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }
		if (at == 0 || !isWord(before)) && (at+len(word) == len(text) || !isWord(after)) {
			out = append(out, at)
		}
		i = at + len(word)
	}
}

// halfYear writes S10's kohort "2019H1" as "2019 jan–jun" ("2019H2":
// "2019 jul–dec"); other text is returned as it is.
func halfYear(v string) string {
	y, h, ok := strings.Cut(v, "H")
	if !ok || len(y) != 4 || strings.Trim(y, "0123456789") != "" {
		return v
	}
	switch h {
	case "1":
		return y + " jan–jun"
	case "2":
		return y + " jul–dec"
	}
	return v
}

// codeLists are the shared code lists a page's "codes" line may name.
var codeLists = map[string]map[string]string{
	"omradesfaktor": omradesfaktorLabels,
}

// formats are the text formats a page's "format" line may name (the
// "percent" format is percentColumns).
var formatNames = map[string]func(string) string{
	"halfyear": halfYear,
}

// formats: "table.column" → the format of its text cells.
var formats = map[string]func(string) string{}

// The pages' own labels (their templates' declarations, see declLine) go
// into the dictionary with the rest; an error in them fails every run and
// test at once, naming the template.
func init() {
	ps, err := Pages(reports.FS)
	if err == nil {
		err = declareLabels(ps)
	}
	if err != nil {
		panic(err)
	}
}

// declareLabels adds the pages' label declarations to the dictionary. A
// key declared twice, or already in labels.go, is an error, as is a
// "codes" line naming neither a list of codeLists nor a column with codes.
func declareLabels(ps []Page) error {
	var codes []decl
	for _, p := range ps {
		fail := func(d decl, why string) error {
			return fmt.Errorf("reports/%s: %s %s: %s", p.Template, d.kind, d.key, why)
		}
		for _, d := range p.labels {
			switch d.kind {
			case "heading", "unit":
				m := headers
				if d.kind == "unit" {
					m = units
				}
				if _, ok := m[d.key]; ok {
					return fail(d, "declared twice")
				}
				m[d.key] = d.value
			case "code":
				m, ok := codeLabels[d.key]
				if !ok {
					m = map[string]string{}
					codeLabels[d.key] = m
				}
				if _, ok := m[d.code]; ok {
					return fail(d, "code "+d.code+" declared twice")
				}
				m[d.code] = d.value
			case "codes":
				codes = append(codes, d)
			case "codesby":
				if _, ok := rowCodeColumns[d.key]; ok {
					return fail(d, "declared twice")
				}
				rowCodeColumns[d.key] = d.value
			case "format":
				_, twice := formats[d.key]
				if twice || percentColumns[d.key] {
					return fail(d, "declared twice")
				}
				if d.value == "percent" {
					percentColumns[d.key] = true
				} else if f, ok := formatNames[d.value]; ok {
					formats[d.key] = f
				} else {
					return fail(d, "no format "+d.value)
				}
			}
		}
	}
	for _, d := range codes {
		if _, ok := codeLabels[d.key]; ok {
			return fmt.Errorf("reports: codes %s: declared twice", d.key)
		}
		m, ok := codeLists[d.value]
		if !ok {
			m, ok = codeLabels[d.value]
		}
		if !ok {
			return fmt.Errorf("reports: codes %s: %s is neither a code list nor a column with codes", d.key, d.value)
		}
		codeLabels[d.key] = m
	}
	return nil
}
