package demo

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strconv"
)

// Rates of the population model, per mille. A rate marked "× risk" is
// scaled by the person's relative risk (percent, mean 100). The rates are
// set high on purpose: a population of about 1 800 youths aged 16–20 (a
// third of Sundsvall's) then gives Sundsvall-sized figures — some 160
// avbrott a läsår and 550 youths aktualiserade for KAA in two years.
const (
	youthsPerCohort = 360 // persons per birth year at Scale 1 in Sundsvall

	pMoveOut   = 140 // natives who move away between 16½ and 24
	pMoveIn    = 100 // per cohort, persons who move in between 13 and 23
	pAbroad    = 450 // of movers-in: from abroad (no Swedish grundskola)
	pSamord    = 250 // of those from abroad: samordningsnummer
	pInnerMove = 60  // move to another postnummer in the kommun
	pUnmapped  = 10  // live at a postnummer that omraden does not map
	pGrundBlnk = 55  // grundskola not registered
	pGrundExt  = 15  // grundskola in another kommun
	pKonBlank  = 30  // Kon left blank in the person's rows
	pPostSpace = 20  // postnummer written "852 30"
	pShortPnr  = 120 // personnummer written YYMMDD-NNNN
	pDigitsPnr = 30  // personnummer written as 12 digits

	pNever         = 80  // never starts gymnasium (× risk)
	pLateStart     = 300 // of those: starts a year late
	pIM            = 260 // starts on an introduktionsprogram (× risk)
	pDropNat       = 290 // drops out of a national programme (× risk)
	pDropIM        = 560 // drops out of an introduktionsprogram (× risk)
	pDropAgain     = 420 // drops out again after returning
	pIMToNat       = 560 // of IM pupils who stay: go on to a national programme
	pStudiebevis   = 830 // of national finishers: studiebevis, no examen (× risk)
	pBefarat       = 500 // of dropouts: reported as befarat avbrott first
	pAtertaget     = 25  // of dropouts: back at the same school within 60 days
	pReturn        = 350 // of dropouts: back in gymnasium after a break
	pReturnOther   = 120 // after studiebevis or gymnasieintyg
	pUnreportedFri = 80  // dropouts at a fristående school never reported to GRUUS
)

const (
	etNone        uint8 = iota // still enrolled, or went on to another programme
	etAvbrott                  // AVBROTT
	etExamen                   // EXAMEN
	etStudiebevis              // STUDIEBEVIS
	etIntyg                    // GYMNASIEINTYG
)

var endTypeName = [...]string{"", "AVBROTT", "EXAMEN", "STUDIEBEVIS", "GYMNASIEINTYG"}

// segment is one enrolment in gymnasium: from start until end, which is
// how it ended (etNone: went straight on to the next segment, or had not
// ended by the end of the simulation).
type segment struct {
	start, end day
	school     string
	program    string
	im         bool
	endType    uint8
	befarat    day  // BEFARAT_AVBROTT before an AVBROTT end; 0 = none
	atertaget  bool // a return to the same school that the school reports as ATERTAGET
	unreported bool // an AVBROTT the school never reported to GRUUS
}

// move is where a person is folkbokförd from a date on.
type move struct {
	from day
	area int // index in kommun.areas; -1 for an unmapped postnummer
	post string
}

// person is one synthetic youth and everything about them that the
// exports show.
type person struct {
	id       int32
	pn       pnr
	format   pnrFormat
	in, out  day // folkbokförd in the kommun on days in [in, out)
	moves    []move
	grund    string // Grundskola as written in Extens
	school   int    // index of the grundskola (after aliases); -1 external, -2 unknown
	abroad   bool
	d16, d21 day // the days the person turns 16 and 21
	risk     int
	gymStart day // when the person's year group started gymnasium
	segs     []segment
	konBlank bool
	spaced   bool // postnummer written with a space

	skydd   uint8 // skyddNone, skyddAlways, skyddOnce
	skyddOn day   // the one extract marked J for skyddOnce

	// Extens row parts, built once: "Personnummer;Kon", the state chunks
	// (Gymnasieskola … Examen) before the first segment and for each
	// segment enrolled and after leaving, and ";Fornamn;Efternamn;Adress\n".
	head   []byte
	chunks [][]byte
	tail   []byte
}

const (
	skyddNone uint8 = iota
	skyddAlways
	skyddOnce
)

func (p *person) birth() day { return p.pn.birth }

func (p *person) kon() byte {
	if p.pn.male() {
		return 'M'
	}
	return 'K'
}

// present reports whether the person is in the Extens extract of date d:
// folkbokförd in the kommun and aged 16–20.
func (p *person) present(d day) bool {
	return d >= p.in && d < p.out && d >= p.d16 && d < p.d21
}

// moveAt returns where the person lives on d.
func (p *person) moveAt(d day) *move {
	m := &p.moves[0]
	for i := 1; i < len(p.moves) && p.moves[i].from <= d; i++ {
		m = &p.moves[i]
	}
	return m
}

// chunkAt returns the Extens columns Gymnasieskola … Examen on date d.
func (p *person) chunkAt(d day) []byte {
	c := p.chunks[0]
	for i := range p.segs {
		s := &p.segs[i]
		if s.start > d {
			break
		}
		if d < s.end {
			c = p.chunks[1+2*i]
		} else {
			c = p.chunks[2+2*i]
		}
	}
	return c
}

// examenBy reports whether the person holds a gymnasieexamen on d.
func (p *person) examenBy(d day) bool {
	for _, s := range p.segs {
		if s.endType == etExamen && s.end <= d {
			return true
		}
	}
	return false
}

// nextTerm returns the first term start on or after d: 10 January or 20
// August, moved to a weekday.
func nextTerm(d day) day {
	y := d.year()
	for _, t := range [...]day{mkday(y, 1, 10), mkday(y, 8, 20), mkday(y+1, 1, 10)} {
		if t2 := schoolDay(t); t2 >= d {
			return t2
		}
	}
	return schoolDay(mkday(y+1, 8, 20))
}

func chance(r *rand.Rand, permille int) bool { return r.IntN(1000) < permille }

// byRisk scales a rate by a relative risk, capped.
func byRisk(permille, risk int) int { return min(permille*risk/100, 900) }

// pick returns an index drawn with the given weights.
func pick(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

// between returns a day uniformly in [lo, hi] (lo if hi < lo).
func between(r *rand.Rand, lo, hi day) day {
	if hi <= lo {
		return lo
	}
	return lo + day(r.IntN(int(hi-lo)+1))
}

// population builds the persons of a kommun, sorted by birth date.
func (g *kommunGen) population() {
	r := newRand(g.seed, g.k.spec.kod, "population")
	k := g.k
	perCohort := g.perCohort
	used := make(map[int64]bool)

	areaWeights := make([]int, len(k.areas))
	for i, a := range k.areas {
		areaWeights[i] = a.stats[1].bef019
	}
	schoolWeights := make([]int, len(k.schools))
	for i, s := range k.schools {
		schoolWeights[i] = s.count[1]
	}

	g.used = used
	newPerson := func(birth day) *person {
		serial, ok := g.freeSerial(r, birth)
		if !ok {
			return nil // a thousand born that day already: not at any sane Scale
		}
		return &person{pn: pnr{birth: birth, serial: serial}, in: noDay, out: maxDay}
	}

	var persons []*person
	for y := g.w.birthLo.year(); y <= g.w.birthHi.year(); y++ {
		lo, hi := max(mkday(y, 1, 1), g.w.birthLo), min(mkday(y, 12, 31), g.w.birthHi)
		if hi < lo {
			continue
		}
		span := int(hi-lo) + 1
		n := perCohort * span / 365
		n += r.IntN(n/20+1) - n/40
		for i := 0; i < n; i++ {
			p := newPerson(between(r, lo, hi))
			if p == nil {
				continue
			}
			if chance(r, pMoveOut) {
				p.out = between(r, p.birth()+6026, p.birth()+8766) // 16½ – 24 years
			}
			persons = append(persons, p)
		}
		for i, m := 0, perCohort*span/365*pMoveIn/1000; i < m; i++ {
			p := newPerson(between(r, lo, hi))
			if p == nil {
				continue
			}
			p.in = between(r, p.birth()+4748, p.birth()+8400) // 13 – 23 years
			p.abroad = chance(r, pAbroad)
			if p.abroad && chance(r, pSamord) {
				p.pn.samordning = true
			}
			if chance(r, 80) {
				p.out = p.in + between(r, 200, 1500)
			}
			persons = append(persons, p)
		}
	}
	slices.SortStableFunc(persons, func(a, b *person) int {
		return cmp.Or(cmp.Compare(a.pn.birth, b.pn.birth), cmp.Compare(a.pn.serial, b.pn.serial))
	})

	// Where they live, which grundskola, how they write their number.
	sumRisk := 0
	for i, p := range persons {
		p.id = int32(i)
		p.d16, p.d21 = birthday(p.birth(), 16), birthday(p.birth(), 21)
		switch {
		case chance(r, pShortPnr):
			p.format = fmtShort
		case chance(r, pDigitsPnr):
			p.format = fmtDigits
		}
		p.konBlank = chance(r, pKonBlank)
		p.spaced = chance(r, pPostSpace)
		ai := pick(r, areaWeights)
		p.moves = []move{g.home(r, ai)}
		if chance(r, pInnerMove) {
			lo, hi := max(p.in, p.birth()+5844), min(p.out, g.w.end)
			if lo < hi {
				p.moves = append(p.moves, g.home(r, pick(r, areaWeights)))
				p.moves[1].from = between(r, lo, hi)
			}
		}
		p.moves[0].from = noDay
		areaRisk := 100
		if ai := p.moves[0].area; ai >= 0 {
			areaRisk = k.areas[ai].risk
		}

		schoolRisk := 160 // unknown grundskola: often newly arrived
		ak9 := p.birth().year() + 16
		switch {
		case p.in > p.birth()+5660: // arrived after åk 9 (15½)
			p.school = -2
			if !p.abroad && chance(r, 500) {
				p.school = -1
			}
		case chance(r, pGrundBlnk):
			p.school = -2
		case chance(r, pGrundExt):
			p.school = -1
		default:
			p.school = pick(r, schoolWeights)
		}
		switch {
		case p.school == -1:
			p.grund = k.external[r.IntN(len(k.external))]
			schoolRisk = 120
		case p.school >= 0:
			s := k.schools[p.school]
			p.grund, schoolRisk = s.name, s.risk
			for _, a := range k.aliases {
				if a.target == p.school && ak9 <= a.lastAk9 && chance(r, a.permille) {
					p.grund = a.name
				}
			}
		}
		sexRisk := 85
		if p.pn.male() {
			sexRisk = 115
		}
		risk := areaRisk * schoolRisk / 100 * sexRisk / 100
		if p.abroad {
			risk = risk * 130 / 100
		}
		p.risk = max(10, risk*(75+r.IntN(51))/100)
		sumRisk += p.risk
	}
	if len(persons) > 0 {
		mean := max(1, sumRisk/len(persons))
		for _, p := range persons {
			p.risk = p.risk * 100 / mean
		}
	}
	for _, p := range persons {
		g.trajectory(r, p)
	}
	g.persons = persons
	g.specialReturns(r)
}

// freeSerial draws a serial number that no one born on birth has yet.
func (g *kommunGen) freeSerial(r *rand.Rand, birth day) (int, bool) {
	key := int64(birth) * 1000
	take := func(s int) bool {
		if g.used[key+int64(s)] {
			return false
		}
		g.used[key+int64(s)] = true
		return true
	}
	for try := 0; try < 20; try++ {
		if s := r.IntN(1000); take(s) {
			return s, true
		}
	}
	start := r.IntN(1000) // a crowded day: the next free one
	for i := 0; i < 1000; i++ {
		if s := (start + i) % 1000; take(s) {
			return s, true
		}
	}
	return 0, false
}

// home returns a home in område ai: one of its postnummer, or now and
// then a postnummer that omraden does not map.
func (g *kommunGen) home(r *rand.Rand, ai int) move {
	if chance(r, pUnmapped) {
		return move{area: -1, post: g.k.unmapped}
	}
	a := g.k.areas[ai]
	return move{area: ai, post: a.posts[r.IntN(len(a.posts))]}
}

// pickGym draws a gymnasieskola and a programme.
func (g *kommunGen) pickGym(r *rand.Rand, im, abroad bool) (string, string) {
	gy := g.k.gymnasia
	w := make([]int, len(gy))
	for i, x := range gy {
		if !im || x.im {
			w[i] = x.weight
		}
	}
	school := gy[pick(r, w)].name
	if im {
		if abroad && chance(r, 800) {
			return school, "IMS"
		}
		return school, imProgram[pick(r, imWeight)]
	}
	return school, nationalProgram[pick(r, nationalWeight)]
}

// trajectory draws the person's way through gymnasium: programmes,
// dropouts and returns, and how they left.
func (g *kommunGen) trajectory(r *rand.Rand, p *person) {
	by := p.birth().year()
	start := schoolDay(mkday(by+16, 8, 20))
	if p.in > start-30 { // arrived after their year group started
		start = nextTerm(p.in + between(r, 30, 120))
	}
	p.gymStart = start
	im := p.abroad && p.in > start-400
	if chance(r, byRisk(pNever, p.risk)) {
		if !chance(r, pLateStart) {
			return
		}
		start, im = nextTerm(start+between(r, 300, 420)), true
	} else if !im {
		im = chance(r, byRisk(pIM, p.risk))
	}

	var planned day // planned end of the programme being resumed, if any
	var resume *segment
	for n := 0; n < 6; n++ {
		if start >= p.out || age(p.birth(), start) >= 20 || start > g.w.end {
			break
		}
		s := segment{start: start, im: im}
		if resume != nil {
			s.school, s.program, s.atertaget = resume.school, resume.program, true
		} else {
			s.school, s.program = g.pickGym(r, im, p.abroad)
			y := start.year()
			switch {
			case im && chance(r, 300):
				planned = schoolDay(mkday(y+2, 6, 10))
			case im:
				planned = schoolDay(mkday(y+1, 6, 10))
			case n > 0 && len(p.segs) > 0 && p.segs[len(p.segs)-1].endType != etNone:
				planned = schoolDay(mkday(y+1+r.IntN(2), 6, 10)) // completing after a break
			case start.month() >= 6:
				planned = schoolDay(mkday(y+3, 6, 10))
			default:
				planned = schoolDay(mkday(y+2, 6, 10))
			}
		}
		resume = nil
		drop := pDropNat
		switch {
		case n > 0 && p.segs[len(p.segs)-1].endType == etAvbrott:
			drop = pDropAgain
		case im:
			drop = pDropIM
		}
		if planned-start > 40 && chance(r, byRisk(drop, p.risk)) {
			s.end, s.endType = schoolDay(between(r, start+20, planned-20)), etAvbrott
			if s.end <= start {
				s.end = start + 20
			}
			if chance(r, pBefarat) {
				if b := schoolDay(s.end - between(r, 7, 60)); b > start && b < s.end {
					s.befarat = b
				}
			}
			if !g.isKommunal(s.school) && chance(r, pUnreportedFri) {
				s.unreported = true
			}
			p.segs = append(p.segs, s)
			switch {
			case chance(r, pAtertaget):
				start, resume = s.end+between(r, 3, 55), &p.segs[len(p.segs)-1]
			case chance(r, pReturn):
				start, im = nextTerm(s.end+between(r, 30, 200)), chance(r, 550)
			default:
				return
			}
			continue
		}
		s.end = planned
		switch {
		case im && chance(r, pIMToNat):
			p.segs = append(p.segs, s) // etNone: straight on to a national programme
			start, im = planned, false
			continue
		case im:
			s.endType = etIntyg
		case chance(r, byRisk(pStudiebevis, p.risk)):
			s.endType = etStudiebevis
		default:
			s.endType = etExamen
		}
		p.segs = append(p.segs, s)
		if s.endType == etExamen || !chance(r, pReturnOther) {
			return
		}
		start, im = nextTerm(s.end+between(r, 60, 240)), false
	}
}

func (g *kommunGen) isKommunal(school string) bool {
	for _, x := range g.k.gymnasia {
		if x.name == school {
			return x.im
		}
	}
	return false
}

// specialReturns makes two dropouts return to the same school exactly 60
// and 61 days later, reported as ATERTAGET: the edge of S8's 60-day rule
// (60 withdraws the avbrott, 61 does not).
func (g *kommunGen) specialReturns(r *rand.Rand) {
	n := len(g.persons)
	if n == 0 {
		return
	}
	lo, hi := g.w.gruusStart, g.w.end-150
	offset := r.IntN(n)
	for _, gap := range [...]day{60, 61} {
		for i := 0; i < n; i++ {
			p := g.persons[(offset+i)%n]
			if len(p.segs) == 0 || p.skydd != skyddNone {
				continue
			}
			last := p.segs[len(p.segs)-1]
			back := last.end + gap
			if last.endType != etAvbrott || last.unreported || last.end < lo || last.end > hi ||
				age(p.birth(), back+200) >= 20 || p.out <= back+200 {
				continue
			}
			p.segs = append(p.segs, segment{
				start: back, end: schoolDay(mkday(back.year()+1, 6, 10)), school: last.school,
				program: last.program, im: last.im, endType: etStudiebevis, atertaget: true,
			})
			offset += i + 1
			break
		}
	}
}

// build prepares the person's Extens row parts, all in one allocation.
func (p *person) build(first, last, street string, number int) {
	b := make([]byte, 0, 96+len(p.segs)*96)
	var ends []int // end offsets of head, chunks…, tail
	b = p.pn.appendTo(b, p.format, false)
	b = append(b, ';')
	if !p.konBlank {
		b = append(b, p.kon())
	}
	ends = append(ends, len(b))
	chunk := func(s *segment, enrolled, examen bool) {
		if s != nil {
			b = append(b, s.school...)
			b = append(b, ';')
			b = append(b, s.program...)
		} else {
			b = append(b, ';')
		}
		if enrolled {
			b = append(b, ";J;;;"...)
		} else {
			b = append(b, ";N;"...)
			if s != nil && s.endType != etNone {
				b = appendDate(b, s.end)
				b = append(b, ';')
				b = append(b, endTypeName[s.endType]...)
			} else {
				b = append(b, ';')
			}
			b = append(b, ';')
		}
		if examen {
			b = append(b, 'J')
		} else {
			b = append(b, 'N')
		}
		ends = append(ends, len(b))
	}
	chunk(nil, false, false)
	examen := false
	for i := range p.segs {
		s := &p.segs[i]
		chunk(s, true, examen)
		if s.endType == etExamen {
			examen = true
		}
		chunk(s, false, examen)
	}
	b = append(b, ';')
	b = append(b, first...)
	b = append(b, ';')
	b = append(b, last...)
	b = append(b, ';')
	b = append(b, street...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(number), 10)
	b = append(b, '\n')
	ends = append(ends, len(b))

	p.head = b[:ends[0]:ends[0]]
	p.chunks = make([][]byte, len(ends)-2)
	for i := range p.chunks {
		p.chunks[i] = b[ends[i]:ends[i+1]:ends[i+1]]
	}
	p.tail = b[ends[len(ends)-2]:]
}
