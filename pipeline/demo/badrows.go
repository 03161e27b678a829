package demo

import (
	"path/filepath"
	"strconv"
)

// BadRow is one deliberately bad row: where it is and the one rule of
// inputs.md ("Bad input") that it breaks. Personnummer values are not
// given.
type BadRow struct {
	File  string // path under the output folder, e.g. 2281/kaa_individer.csv
	Line  int    // line number in the file (the header is line 1)
	Rule  string
	Field string
	Value string // the offending value ("" for a personnummer)
}

// The rules the bad rows break, in the words of inputs.md.
const (
	RuleCheckDigit   = "bad Luhn check digit"
	RulePersonnummer = "bad personnummer"
	RuleDate         = "unparseable date"
	RuleCode         = "unknown code"
	RuleMinutes      = "minutes ≤ 0 or not a whole number"
	RuleAvgang       = "Avgangsdatum after the extract's date"
)

var badMinutes = []string{"0", "-5", "12,5"}

// badData holds what the bad rows are made of, drawn before any file is
// written so that the rows do not depend on the order files are written.
type badData struct {
	extens   pnr    // a youth who appears only in the bad Extens row
	luhn     pnr    // written with a wrong check digit
	letter   string // a personnummer with a letter in it
	existing *person
	date     day // a date in existing's period
}

// prepareBad draws the bad rows' persons and dates.
func (g *kommunGen) prepareBad() {
	if !g.bad {
		return
	}
	r := newRand(g.seed, g.k.spec.kod, "badrows")
	mid := g.w.extracts[len(g.w.extracts)/2]
	g.badData.extens = g.unusedPnr(r, addYears(mid, -18)-between(r, 10, 300))
	g.badData.luhn = g.unusedPnr(r, addYears(g.w.end, -18)-between(r, 10, 300))
	letter := g.unusedPnr(r, addYears(g.w.end, -19)-between(r, 10, 300))
	b := letter.appendTo(nil, fmtLong, false)
	b[10] = 'X' // YYYYMMDD-N?NC: the second serial digit
	g.badData.letter = string(b)
	if len(g.periods) > 0 {
		off := r.IntN(len(g.periods))
		for i := range g.periods {
			per := g.periods[(off+i)%len(g.periods)]
			if per.p.skydd == skyddNone && per.reached() && per.akt >= g.w.extracts[0] && min(per.avakt, g.w.end)-per.akt > 30 {
				g.badData.existing, g.badData.date = per.p, per.akt+between(r, 5, 25)
				break
			}
		}
	}
}

func (g *kommunGen) noteBad(f *csvFile, rule, field, value string) {
	g.badRows = append(g.badRows, BadRow{
		File: filepath.ToSlash(filepath.Join(g.k.spec.kod, filepath.Base(f.path))),
		Line: f.dataLine(), Rule: rule, Field: field, Value: value,
	})
}

// badExtensRow: a youth who left school two weeks after the extract date.
func (g *kommunGen) badExtensRow(f *csvFile, d day) {
	pn := g.badData.extens
	after := d + 14
	g.noteBad(f, RuleAvgang, "Avgangsdatum", after.String())
	kon := "K"
	if pn.male() {
		kon = "M"
	}
	f.pnr(pn, fmtLong)
	f.str(kon)
	f.str(g.k.areas[0].posts[0])
	f.str("N")
	f.str(g.k.schools[0].name)
	f.str(g.k.gymnasia[0].name)
	f.str("NA")
	f.str("N")
	f.date(after)
	f.str("AVBROTT")
	f.str("N")
	f.str(femaleNames[0])
	f.str(surnames[0])
	f.str(streets[0] + " 1")
	f.endRow()
}

// badIndividerRow: a KAA period whose personnummer has a wrong check digit.
func (g *kommunGen) badIndividerRow(f *csvFile) {
	g.noteBad(f, RuleCheckDigit, "Personnummer", "")
	f.sep()
	f.b = g.badData.luhn.appendTo(f.b, fmtLong, true)
	f.date(g.w.end - 100)
	f.str("AVBROTT_NP")
	f.str("GYMNASIE")
	f.str("")
	f.str("")
	f.str("NADD")
	f.str(g.k.coaches[0])
	f.str("070-000 00 00")
	f.endRow()
}

// badSysselsattningRows: a personnummer with a letter, and an unknown
// sysselsättning code.
func (g *kommunGen) badSysselsattningRows(f *csvFile) {
	g.noteBad(f, RulePersonnummer, "Personnummer", "")
	f.str(g.badData.letter)
	f.date(g.w.end - 60)
	f.str("ARBETE")
	f.str("LON")
	f.endRow()
	if p := g.badData.existing; p != nil {
		g.noteBad(f, RuleCode, "Sysselsattning", "STUDERAR")
		f.pnr(p.pn, fmtLong)
		f.date(g.badData.date)
		f.str("STUDERAR")
		f.str("CSN")
		f.endRow()
	}
}

// badAtgardRow: an åtgärd whose Start is not a date (month 13).
func (g *kommunGen) badAtgardRow(f *csvFile) {
	p := g.badData.existing
	if p == nil {
		return
	}
	y := g.badData.date.year()
	text := strconv.Itoa(y) + "-13-01"
	g.noteBad(f, RuleDate, "Start", text)
	writeAtgard(f, atgard{p: p, code: "PRAKTIK", startText: text, end: g.badData.date + 30, grund: "SLUTFORD", efter: "ARBETE"})
}

// badTidsstudieRows: Minuter 0, -5 and 12,5.
func (g *kommunGen) badTidsstudieRows(f *csvFile, d day) {
	for _, m := range badMinutes {
		g.noteBad(f, RuleMinutes, "Minuter", m)
		f.date(d)
		f.str(g.k.coaches[0])
		f.str("DELTAGARKONTAKT")
		f.str(m)
		f.str("K")
		f.int(18)
		f.endRow()
	}
}
