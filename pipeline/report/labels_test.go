package report

import (
	"slices"
	"strings"
	"testing"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
)

// TestContractCodesHaveLabels: every code of every code column of the
// input contract has a Swedish label under the column's lowercase name,
// so that a code added to the contract cannot reach a page unlabelled.
func TestContractCodesHaveLabels(t *testing.T) {
	n := 0
	for _, k := range contract.Kinds() {
		for _, c := range k.Columns {
			if c.Type != contract.Code {
				continue
			}
			m, ok := codeLabels[c.Field()]
			if !ok {
				t.Errorf("%s.%s: no code list in the label dictionary", k.Name, c.Name)
				continue
			}
			for _, code := range c.Codes {
				n++
				if l, ok := m[code]; !ok || strings.TrimSpace(l) == "" || l == code {
					t.Errorf("%s.%s: code %s has no label", k.Name, c.Name, code)
				}
			}
		}
	}
	for _, code := range contract.SysselsattningCodes() {
		if _, ok := codeLabels["sysselsattning"][code]; !ok {
			t.Errorf("sysselsättning code %s has no label", code)
		}
		if _, ok := codeLabels["sysselsattningskategori"][contract.Category(code)]; !ok {
			t.Errorf("sysselsättning category %s has no label", contract.Category(code))
		}
	}
	if n < 60 {
		t.Errorf("only %d contract codes checked", n)
	}
}

// specClosedLists are the closed lists of shared/spec/studies.md, written
// out from the spec (not from the dictionary), by the column that shows
// them ("table.column" where the values are the table's own).
var specClosedLists = map[string][]string{
	"status":                    {"EXAMEN", "STUDIER", "ARBETE", "KVAR_I_KAA", "INGEN_UPPGIFT"},
	"kon":                       {"K", "M", "X"},
	"malgrupp":                  {"MG1", "MG2", "UTANFÖR"},
	"forsorjning":               {"CSN", "EKONOMISKT_BISTAND", "FK", "AF", "LON", "OKAND"},
	"registreringsorsak":        {"AVBROTT_IM", "AVBROTT_NP", "GYMNASIEINTYG", "STUDIEBEVIS", "EJ_PABORJAT", "OKAND"},
	"s2_delmal.bas":             {"inskrivning_mogna", "inskrivning_alla", "utskrivning", "inskrivning"},
	"s2_delmal.mal_uppnatt":     {"J", "N"},
	"s2_migration.matt":         {"avslutade_mg1_vid_inskrivning", "migrerade", "migrerade_uppfyllt_delmal1"},
	"s3_korrelation.faktor":     {"AndelForgymnasial", "AndelOppetArbetslosa", "AndelEkonomisktBistand", "Medianinkomst", "Ohalsotal", "SjalvskattadHalsa"},
	"s4_huvudman.huvudman":      {"KOMMUNAL", "FRISTAENDE", "EXTERN", "OKÄNT"},
	"s4_programtyp.programtyp":  {"NATIONELLT", "INTRODUKTION", "INGET"},
	"s5_kategori.kategori":      {"DELTAGARKONTAKT", "ADMINISTRATION", "SAMVERKANSPART", "DELTAGARE_OCH_SAMVERKANSPART"},
	"aldersgrupp":               {"16–17", "18–19", "20–21", "22–24", "övriga"},
	"s6_manad.matt":             {"nya", "avslutade", "aktiva", "totalt"},
	"s6_manad.grupp":            {"alla", "K", "M", "X", "MG1", "MG2"},
	"s6_utfall.period":          {"manad", "totalt"},
	"s6_nyckeltal.nyckeltal":    {"andel_man", "andel_kvinnor", "kontaktstatus_nadd", "kontaktstatus_ej_nadd", "kontaktstatus_saknar_kontaktuppgifter", "andel_aktuella_kaa_deltagare"},
	"s7_kontroller.niva":        {"rod", "gul", "gron"},
	"s8_identifiering.matt":     {"omfattas_enligt_extens", "aktuella_i_registret", "bada", "saknas_i_registret", "i_registret_ej_i_extens"},
	"s9_utfall.faktor":          {"kon", "alder", "registreringsorsak", "huvudman", "programtyp", "grundskola", "omrade"},
	"s9_omradesfaktorer.faktor": {"AndelForgymnasial", "AndelOppetArbetslosa", "AndelEkonomisktBistand", "Medianinkomst", "Ohalsotal", "SjalvskattadHalsa"},
	"s10_utfall.status":         {"EXAMEN", "STUDIER", "ARBETE", "KVAR_I_KAA", "INGEN_UPPGIFT"},
	"s7_kontroller.kontroll": {"ingen_under_oppen_atgard", "atgard_utan_sysselsattning", "avslutad_atgard_utan_grund", "avslutad_atgard_utan_sysefter",
		"sysefter_lika_atgard", "sensysreg_bakat", "saknar_sensysreg", "atgard_utanfor_aktuell_period", "aktuell_utan_sysselsattning", "atgard_utan_slutdatum"},
}

func TestSpecClosedListsHaveLabels(t *testing.T) {
	for key, codes := range specClosedLists {
		tn, col := splitKey(key)
		if !IsCodeColumn(tn, col) {
			t.Errorf("%s: not a code column of the dictionary", key)
			continue
		}
		for _, code := range codes {
			if l, ok := CodeLabel(tn, col, code); !ok || l == code && !strings.EqualFold(l, code) {
				t.Errorf("%s: %s has no label", key, code)
			}
		}
	}
	// the special values of name columns
	for key, v := range map[string]string{"s3_omraden.omrade": "OKÄNT", "s4_grundskolor.grundskola": "EXTERN", "s4_gymnasieskolor.gymnasieskola": "INGEN", "s8_avbrott_skola.skola": "OKÄNT"} {
		tn, col := splitKey(key)
		if got := ValueLabel(tn, col, v, nil, nil); got == v || got == "" {
			t.Errorf("%s: %s shown as %q", key, v, got)
		}
	}
}

func TestLabels(t *testing.T) {
	cases := []struct{ table, col, v, want string }{
		{"s1_status", "status", "KVAR_I_KAA", "Kvar i KAA"},
		{"s1_forsorjning", "forsorjning", "EKONOMISKT_BISTAND", "Ekonomiskt bistånd"},
		{"s2_delmal", "mal_uppnatt", "J", "Ja"},
		{"s7_kontroller", "niva", "gron", "Grön"},
		{"s6_nyckeltal", "nyckeltal", "kontaktstatus_ej_nadd", "Målgrupp 1: inte nådda"},
		{"region_jamforelse", "kommunkod", "2281", "Sundsvall (2281)"},
		{"s3_omraden", "omrade", "2281 Bergsåker", "Bergsåker (Sundsvall)"},
		{"s3_omraden", "omrade", "Bergsåker", "Bergsåker"},
		{"s3_omraden", "omrade", "OKÄNT", "Okänt område"},
		{"s4_gymnasieskolor", "gymnasieskola", "Hedbergska", "Hedbergska"},
		{"s8_avbrott_lasar", "lasar", "2019/20", "2019/20"},
	}
	for _, c := range cases {
		if got := ValueLabel(c.table, c.col, c.v, nil, nil); got != c.want {
			t.Errorf("%s.%s %q = %q, want %q", c.table, c.col, c.v, got, c.want)
		}
	}
	// a row-dependent code: S9's varde by its faktor
	if got := ValueLabel("s9_utfall", "varde", "K", []string{"faktor", "varde"}, []any{"kon", "K"}); got != "Kvinnor" {
		t.Errorf("s9_utfall varde K (kon) = %q", got)
	}
	if got := ValueLabel("s9_utfall", "varde", "ÖVRIGA", []string{"faktor", "varde"}, []any{"alder", "ÖVRIGA"}); got != "Övriga åldrar" {
		t.Errorf("s9_utfall varde ÖVRIGA (alder) = %q", got)
	}
	if got := ValueLabel("s9_utfall", "varde", "2281 Hagaskolan", []string{"faktor", "varde"}, []any{"grundskola", "2281 Hagaskolan"}); got != "Hagaskolan (Sundsvall)" {
		t.Errorf("s9_utfall varde 2281 Hagaskolan = %q", got)
	}
	if got := ValueLabel("s9_utfall", "varde", "Hagaskolan", []string{"faktor", "varde"}, []any{"grundskola", "Hagaskolan"}); got != "Hagaskolan" {
		t.Errorf("s9_utfall varde Hagaskolan = %q", got)
	}
	for col, want := range map[string]string{"kon": "Kön", "forsorjning": "Försörjning", "mal_uppnatt": "Mål uppnått", "varde": "Värde", "andel_befolkning_0_19": "Andel av befolkningen 0–19 år"} {
		if got := Header("", col); got != want {
			t.Errorf("Header(%s) = %q, want %q", col, got, want)
		}
	}
}

func TestCodesIn(t *testing.T) {
	for text, want := range map[string][]string{
		"Kvar i KAA: 12 %":                        nil,
		"status KVAR_I_KAA och EXAMEN":            {"KVAR_I_KAA", "EXAMEN"},
		"Hos Arbetsmarknadstorget (AMT) 31 st":    nil,
		"Insats enligt LSS, HVB-hem":              nil,
		"nya deltagare, gul nivå":                 nil,
		"nivå rod":                                {"rod"},
		"andel_kohort = antal / kohort":           {"andel_kohort"},
		"Målgrupp 1 (16–19 år)":                   nil,
		"MG1 vid inskrivning":                     {"MG1"},
		"Mål uppnått: J":                          {"J"},
		"Kön X":                                   {"X"},
		"Insats via Arbetsförmedlingen":           nil,
		"Svenska för invandrare (sfi)":            nil,
		"SFI":                                     {"SFI"},
		"2019/20 Extens-uttaget, ÅTGÄRD, Läsår":   nil,
		"Okänt område (OKÄNT)":                    {"OKÄNT"},
		"Avbrott från introduktionsprogram (IM)":  nil,
		"Sundsvall (2281), Kommunkod 2281 Haga":   nil,
		"ingen_under_oppen_atgard: Ingen åtgärd":  {"ingen_under_oppen_atgard"},
		"Studier, Arbete, Ingen uppgift, Examen.": nil,
	} {
		if got := CodesIn(text); !slices.Equal(got, want) {
			t.Errorf("CodesIn(%q) = %q, want %q", text, got, want)
		}
	}
}
