package demo

import (
	"cmp"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
)

// Personal data that the pipeline must ignore and never store. The names
// are invented so that a privacy test can search a database for them
// without false hits (no coach signature, code or place name contains
// one).
var (
	femaleNames = []string{"Alvina", "Bengta", "Cornelia", "Dagmar", "Elvira", "Frideborg", "Gunhild", "Hjördis", "Ingeborg", "Jolina", "Linnéa", "Märtha", "Ronja", "Signhild", "Tyra", "Vilma"}
	maleNames   = []string{"Albin", "Bertil", "Casimir", "Didrik", "Evert", "Fridolf", "Gottfrid", "Hilding", "Ingvar", "Joakim", "Melker", "Nils-Erik", "Sixten", "Torvald", "Valter", "Wilhelm"}
	surnames    = []string{"Påhittadsson", "Exempelberg", "Fiktivsson", "Testlund", "Provqvist", "Låtsasdotter", "Demoström", "Skenfeldt", "Syntesson", "Dikterberg", "Fabelius", "Sagolin", "Fantasiö", "Myrtenfors", "Drömgren", "Påfundh"}
	streets     = []string{"Fiktivgatan", "Exempelvägen", "Påhittade gränd", "Demostigen", "Testallén", "Sagovägen", "Drömgatan", "Provbacken"}
)

// PersonalDataValues lists the values of the personal-data columns that
// the exports carry (Fornamn, Efternamn, Adress street names, Telefon
// prefix): none of them may ever reach the database or an output.
func PersonalDataValues() []string {
	out := append(append(append([]string(nil), femaleNames...), maleNames...), surnames...)
	return append(out, streets...)
}

// names gives every person a name and an address and builds their Extens
// row parts.
func (g *kommunGen) names() {
	r := newRand(g.seed, g.k.spec.kod, "names")
	for _, p := range g.persons {
		first := femaleNames[r.IntN(len(femaleNames))]
		if p.pn.male() {
			first = maleNames[r.IntN(len(maleNames))]
		}
		p.build(first, surnames[r.IntN(len(surnames))], streets[r.IntN(len(streets))], 1+r.IntN(99))
	}
}

// phone is a synthetic mobile number for the KAA register's Telefon
// column.
func phone(p *person) string {
	n := (int(p.id)*7919 + 1234567) % 10000000
	s := strconv.Itoa(10000000 + n)[1:]
	return "070-" + s[:3] + " " + s[3:5] + " " + s[5:]
}

func (g *kommunGen) create(name string, o fileOpt, header ...string) (*csvFile, error) {
	if g.vendor != nil {
		o.shape = vendorShape(name, *g.vendor, header)
	}
	return createCSV(filepath.Join(g.dir, name), o, header...)
}

func finish(c *counts, kind int, f *csvFile) error {
	size, err := f.close()
	if err == nil {
		c.add(kind, f.rows, size)
	}
	return err
}

// writeGrundskolor writes the schools with their pupil counts, as a
// comma-separated UTF-8 file with a byte order mark.
func (g *kommunGen) writeGrundskolor(c *counts) error {
	f, err := g.create("grundskolor.csv", fileOpt{delim: ',', bom: true}, "Skola", "Huvudman", "Ar", "Sistaarselever")
	if err != nil {
		return err
	}
	for y, year := range g.k.statYears {
		for _, s := range g.k.schools {
			f.str(s.name)
			if s.fristaende {
				f.str("FRISTAENDE")
			} else {
				f.str("KOMMUNAL")
			}
			f.int(year)
			f.int(s.count[y])
			f.endRow()
		}
	}
	return finish(c, kGrundskolor, f)
}

func (g *kommunGen) writeSkolalias(c *counts) error {
	f, err := g.create("skolalias.csv", fileOpt{}, "Alias", "Skola")
	if err != nil {
		return err
	}
	for _, a := range g.k.aliases {
		f.str(a.name)
		f.str(g.k.schools[a.target].name)
		f.endRow()
	}
	return finish(c, kSkolalias, f)
}

// writeOmraden writes postnummer → område in Windows-1252 with CRLF line
// ends, as Excel on a Swedish PC saves a CSV file.
func (g *kommunGen) writeOmraden(c *counts) error {
	f, err := g.create("omraden.csv", fileOpt{cp1252: true}, "Postnummer", "Omrade")
	if err != nil {
		return err
	}
	for _, a := range g.k.areas {
		for _, p := range a.posts {
			f.str(p)
			f.str(a.name)
			f.endRow()
		}
	}
	return finish(c, kOmraden, f)
}

func (g *kommunGen) writeOmradesstatistik(c *counts) error {
	f, err := g.create("omradesstatistik.csv", fileOpt{}, "Omrade", "Ar", "Befolkning0_19", "Befolkning",
		"AndelForgymnasial", "AndelOppetArbetslosa", "AndelEkonomisktBistand", "Medianinkomst", "Ohalsotal", "SjalvskattadHalsa")
	if err != nil {
		return err
	}
	for y, year := range g.k.statYears {
		for _, a := range g.k.areas {
			s := a.stats[y]
			f.str(a.name)
			f.int(year)
			f.int(s.bef019)
			f.int(s.bef)
			f.tenths(s.forg)
			f.tenths(s.arbl)
			f.tenths(s.bist)
			if s.medianink < 0 {
				f.str("")
			} else {
				f.int(s.medianink)
			}
			f.tenths(s.ohalsa)
			f.tenths(s.halsa)
			f.endRow()
		}
	}
	return finish(c, kOmradesstatistik, f)
}

const (
	evBefarat = iota
	evAvbrott
	evAtertaget
)

var eventName = [...]string{"BEFARAT_AVBROTT", "AVBROTT", "ATERTAGET"}

type gruusEvent struct {
	p               *person
	kind            int
	date, report    day
	school, program string
}

// writeGruus writes one file of GRUUS events per läsår, from the läsår of
// the follow-up window's start to the läsår of the last extract.
func (g *kommunGen) writeGruus(c *counts) error {
	r := newRand(g.seed, g.k.spec.kod, "gruus")
	var evs []gruusEvent
	add := func(p *person, kind int, d day, s *segment, lag int) {
		if d < g.w.gruusStart || d > g.w.end {
			return
		}
		evs = append(evs, gruusEvent{p, kind, d, min(d+between(r, 0, day(lag)), g.w.end), s.school, s.program})
	}
	for _, p := range g.persons {
		for i := range p.segs {
			s := &p.segs[i]
			if s.endType == etAvbrott && !s.unreported {
				if s.befarat != 0 {
					add(p, evBefarat, s.befarat, s, 3)
				}
				add(p, evAvbrott, s.end, s, 10)
			}
			if s.atertaget && i > 0 && !p.segs[i-1].unreported {
				add(p, evAtertaget, s.start, s, 7)
			}
		}
	}
	slices.SortStableFunc(evs, func(a, b gruusEvent) int {
		return cmp.Or(cmp.Compare(a.date, b.date), cmp.Compare(a.p.id, b.p.id), cmp.Compare(a.kind, b.kind))
	})
	for ls := g.w.gruusStart; ls <= g.w.end; ls = mkday(ls.year()+1, 7, 1) {
		y := ls.year()
		name := "gruus_" + strconv.Itoa(y) + "-" + strconv.Itoa(100 + (y+1)%100)[1:] + ".csv"
		f, err := g.create(name, fileOpt{}, "Personnummer", "Skola", "Program", "Handelse", "Handelsedatum", "Rapportdatum")
		if err != nil {
			return err
		}
		next := mkday(y+1, 7, 1)
		for _, e := range evs {
			if e.date < ls || e.date >= next {
				continue
			}
			f.pnr(e.p.pn, fmtLong)
			f.str(e.school)
			f.str(e.program)
			f.str(eventName[e.kind])
			f.date(e.date)
			f.date(e.report)
			f.endRow()
		}
		if err := finish(c, kGruus, f); err != nil {
			return err
		}
	}
	return nil
}

// writeIndivider writes the KAA register, one row per period, with a
// Telefon column that the pipeline must ignore.
func (g *kommunGen) writeIndivider(c *counts) error {
	f, err := g.create("kaa_individer.csv", fileOpt{}, "Personnummer", "Aktualiserad", "Registreringsorsak", "SenSysReg",
		"Avaktualiserad", "Avaktualiseringsorsak", "Kontaktstatus", "Coach", "Telefon")
	if err != nil {
		return err
	}
	for _, per := range g.periods {
		f.pnr(per.p.pn, fmtLong)
		f.date(per.akt)
		f.str(per.orsak)
		f.str(per.sensys)
		f.date(per.avakt)
		f.str(per.avaktOrsak)
		f.str(per.kontakt)
		f.str(per.coach)
		f.str(phone(per.p))
		f.endRow()
	}
	if g.bad {
		g.badIndividerRow(f)
	}
	return finish(c, kIndivider, f)
}

func (g *kommunGen) writeSysselsattning(c *counts) error {
	f, err := g.create("kaa_sysselsattning.csv", fileOpt{}, "Personnummer", "Datum", "Sysselsattning", "Forsorjning")
	if err != nil {
		return err
	}
	for _, o := range g.obs {
		f.pnr(o.p.pn, fmtLong)
		f.date(o.date)
		f.str(o.code)
		f.str(o.fors)
		f.endRow()
	}
	if g.bad {
		g.badSysselsattningRows(f)
	}
	return finish(c, kSysselsattning, f)
}

func (g *kommunGen) writeAtgarder(c *counts) error {
	f, err := g.create("kaa_atgarder.csv", fileOpt{}, "Personnummer", "Atgard", "Start", "Slut", "GrundAtgSlut", "SysEfter")
	if err != nil {
		return err
	}
	for _, a := range g.atg {
		writeAtgard(f, a)
	}
	if g.bad {
		g.badAtgardRow(f)
	}
	return finish(c, kAtgarder, f)
}

func writeAtgard(f *csvFile, a atgard) {
	f.pnr(a.p.pn, fmtLong)
	f.str(a.code)
	if a.startText != "" {
		f.str(a.startText)
	} else {
		f.date(a.start)
	}
	f.date(a.end)
	f.str(a.grund)
	f.str(a.efter)
	f.endRow()
}

func (g *kommunGen) writeDeltagare(c *counts) error {
	f, err := g.create("deltagare.csv", fileOpt{}, "Personnummer", "Inskriven", "Utskriven", "SysVidAvslut", "AnvisadStodinsats", "Coach")
	if err != nil {
		return err
	}
	for _, d := range g.delt {
		f.pnr(d.p.pn, fmtLong)
		f.date(d.in)
		f.date(d.out)
		f.str(d.sys)
		f.str(d.anvisad)
		f.str(d.coach)
		f.endRow()
	}
	return finish(c, kDeltagare, f)
}

// tidsstudieDays are the four measuring days of the time study, in
// February of the year before the last extract, on the weekdays of the
// seed's study (2020: Wednesday 5, Monday 10, Monday 17, Tuesday 25).
func tidsstudieDays(end day) [4]day {
	d := mkday(end.year()-1, 2, 1)
	for d.weekday() != 2 {
		d++
	}
	mon := d + 5
	return [4]day{d, mon, mon + 7, mon + 15}
}

var (
	kategorier      = []string{"ADMINISTRATION", "DELTAGARKONTAKT", "SAMVERKANSPART", "DELTAGARE_OCH_SAMVERKANSPART"}
	kategoriWeights = []int{136, 77, 53, 8}                       // the seed's registrations per kategori
	alderWeights    = []int{1, 8, 14, 16, 15, 12, 10, 8, 6, 5, 1} // ages 15–25
)

// writeTidsstudie writes the time study: about 400 registrations by six
// coaches over four days in Sundsvall (the seed had 274 by three).
func (g *kommunGen) writeTidsstudie(c *counts) error {
	r := newRand(g.seed, g.k.spec.kod, "tidsstudie")
	days := tidsstudieDays(g.w.end)
	type reg struct {
		d          day
		coach, kat int
		min, alder int
		kon        string
	}
	n := max(20, 400*g.perCohort/youthsPerCohort)
	regs := make([]reg, n)
	for i := range regs {
		x := reg{d: days[r.IntN(4)], coach: r.IntN(len(g.k.coaches)), kat: pick(r, kategoriWeights), alder: 15 + pick(r, alderWeights)}
		switch x.kat {
		case 3:
			x.min = 10 + r.IntN(30) + r.IntN(20)
		case 0:
			x.min = 3 + r.IntN(10) + r.IntN(8)
		default:
			x.min = 4 + r.IntN(11) + r.IntN(8)
		}
		switch b := r.IntN(100); {
		case b < 42:
			x.kon = "K"
		case b < 97:
			x.kon = "M"
		default:
			x.kon = "X"
		}
		regs[i] = x
	}
	slices.SortStableFunc(regs, func(a, b reg) int {
		return cmp.Or(cmp.Compare(a.d, b.d), cmp.Compare(a.coach, b.coach))
	})
	f, err := g.create(tidsstudieName(g.w.end), fileOpt{}, "Datum", "Coach", "Kategori", "Minuter", "Kon", "Alder")
	if err != nil {
		return err
	}
	for _, x := range regs {
		f.date(x.d)
		f.str(g.k.coaches[x.coach])
		f.str(kategorier[x.kat])
		f.int(x.min)
		f.str(x.kon)
		f.int(x.alder)
		f.endRow()
	}
	if g.bad {
		g.badTidsstudieRows(f, days[1])
	}
	return finish(c, kTidsstudie, f)
}

func tidsstudieName(end day) string {
	d := tidsstudieDays(end)[0]
	return "tidsstudie_" + d.String()[:7] + ".csv"
}

// unusedPnr returns a personnummer that no person of the kommun has, born
// on birth or, if that day is full, a day later.
func (g *kommunGen) unusedPnr(r *rand.Rand, birth day) pnr {
	for ; ; birth++ {
		if s, ok := g.freeSerial(r, birth); ok {
			return pnr{birth: birth, serial: s}
		}
	}
}
