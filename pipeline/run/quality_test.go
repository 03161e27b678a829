package run

import (
	"slices"
	"testing"
)

// TestColumnEffectsCoverContract: every optional contract column says what
// its absence changes, and names only real pages.
func TestColumnEffectsCoverContract(t *testing.T) {
	known := append(pageNames(), "*", "s9", "s10")
	opt := optionalColumns()
	for _, c := range opt {
		e, ok := columnEffects[c]
		if !ok {
			t.Errorf("%s: no entry in columnEffects", c)
			continue
		}
		if (len(e.pages) == 0) != (e.text == "") {
			t.Errorf("%s: pages %q with text %q", c, e.pages, e.text)
		}
		for _, p := range e.pages {
			if !slices.Contains(known, p) {
				t.Errorf("%s: unknown page %q", c, p)
			}
		}
	}
	for c := range columnEffects {
		if !slices.Contains(opt, c) {
			t.Errorf("columnEffects[%q] is not an optional contract column", c)
		}
	}
}

// TestColumnEffectsAsDeclared: the effects gathered from the pages'
// declarations are, value by value, the table they replaced.
func TestColumnEffectsAsDeclared(t *testing.T) {
	for c, want := range wantColumnEffects {
		got, ok := columnEffects[c]
		if !ok {
			t.Errorf("%s: not declared", c)
			continue
		}
		if !slices.Equal(got.pages, want.pages) || got.text != want.text {
			t.Errorf("%s: pages %q text %q, want %q %q", c, got.pages, got.text, want.pages, want.text)
		}
	}
	for c := range columnEffects {
		if _, ok := wantColumnEffects[c]; !ok {
			t.Errorf("%s: declared but not in the table", c)
		}
	}
}

// wantColumnEffects is what every optional column's absence changed when
// the effects were one table in this package: which pages, and how.
var wantColumnEffects = map[string]columnEffect{
	"extens.Kon":           {nil, ""}, // derived from the personnummer
	"extens.Postnummer":    {[]string{"s3", "s9"}, "bostadsområdet räknas som OKÄNT"},
	"extens.Skyddad":       {[]string{"*"}, "ingen person i filen kan undantas som skyddad"},
	"extens.Grundskola":    {[]string{"s4", "s9"}, "skola räknas som OKÄNT"},
	"extens.Gymnasieskola": {[]string{"s4"}, "gymnasieskola räknas som INGEN"},
	"extens.Program":       {[]string{"s4", "s9"}, "programtyp räknas som INGET"},
	"extens.Inskriven":     {[]string{"s8"}, "ingen räknas som inskriven i gymnasieskolan"},
	"extens.Avgangsdatum":  {nil, ""},
	"extens.Avgangstyp":    {nil, ""},
	"extens.Examen":        {[]string{"s1", "s8", "s9", "s10", "region"}, "ingen räknas ha gymnasieexamen enligt Extens"},

	"gruus.Skola":        {[]string{"s8"}, "skola räknas som OKÄNT"},
	"gruus.Program":      {[]string{"s8"}, "programtyp räknas som INGET"},
	"gruus.Rapportdatum": {nil, ""},

	"kaa_individer.Registreringsorsak":    {[]string{"s1", "s9"}, "registreringsorsak räknas som OKAND"},
	"kaa_individer.SenSysReg":             {[]string{"s7"}, "studienivå vid registreringen saknas för alla"},
	"kaa_individer.Avaktualiserad":        {[]string{"s1", "s5", "s6", "s7", "s8", "s10", "region"}, "alla perioder räknas som pågående"},
	"kaa_individer.Avaktualiseringsorsak": {[]string{"s1", "s9", "s10"}, "ingen räknas ha examen enligt registret"},
	"kaa_individer.Kontaktstatus":         {[]string{"s6"}, "kontaktstatus saknas för alla"},
	"kaa_individer.Coach":                 {nil, ""},

	"kaa_sysselsattning.Forsorjning": {[]string{"s1"}, "försörjning räknas som OKAND"},

	"kaa_atgarder.Slut":         {[]string{"s7"}, "alla åtgärder räknas som pågående"},
	"kaa_atgarder.GrundAtgSlut": {[]string{"s7"}, "avslutsgrund saknas för alla åtgärder"},
	"kaa_atgarder.SysEfter":     {[]string{"s7"}, "sysselsättning efter åtgärden saknas för alla"},

	"deltagare.Utskriven":         {[]string{"s2", "s6"}, "ingen deltagare räknas som avslutad"},
	"deltagare.SysVidAvslut":      {[]string{"s6"}, "sysselsättning vid avslut saknas för alla"},
	"deltagare.AnvisadStodinsats": {[]string{"s2"}, "ingen räknas som anvisad till stödinsats (delmål 2)"},
	"deltagare.Coach":             {nil, ""},

	"tidsstudie.Coach": {nil, ""},
	"tidsstudie.Kon":   {[]string{"s5"}, "kön räknas som X (ej angivet)"},
	"tidsstudie.Alder": {[]string{"s5"}, "ålder saknas för alla registreringar"},

	"omradesstatistik.Befolkning":             {nil, ""},
	"omradesstatistik.AndelForgymnasial":      {[]string{"s3", "s9"}, "faktorn är tom och ingår inte i korrelationerna"},
	"omradesstatistik.AndelOppetArbetslosa":   {[]string{"s3", "s9"}, "faktorn är tom och ingår inte i korrelationerna"},
	"omradesstatistik.AndelEkonomisktBistand": {[]string{"s3", "s9"}, "faktorn är tom och ingår inte i korrelationerna"},
	"omradesstatistik.Medianinkomst":          {[]string{"s3", "s9"}, "faktorn är tom och ingår inte i korrelationerna"},
	"omradesstatistik.Ohalsotal":              {[]string{"s3", "s9"}, "faktorn är tom och ingår inte i korrelationerna"},
	"omradesstatistik.SjalvskattadHalsa":      {[]string{"s3", "s9"}, "faktorn är tom och ingår inte i korrelationerna"},

	"grundskolor.Huvudman": {[]string{"s4", "s9"}, "huvudman saknas för skolorna"},
}
