package demo

import (
	"cmp"
	"math/rand/v2"
	"slices"
)

// Rates of the KAA register and the ESF project, per mille.
const (
	pAktAvbrott = 900 // dropouts aktualiserade for KAA
	pAktSB      = 920 // studiebevis
	pAktIntyg   = 850 // gymnasieintyg
	pAktEj      = 800 // never started
	pOrsakBlank = 40  // Registreringsorsak left blank
	pSenBlank   = 30  // SenSysReg left blank
	pEndStudier = 400 // a period ends (STUDIER) when komvux or folkhögskola starts
	pEndExamen  = 250 // a long komvux ends the period with EXAMEN
	pEndOvrigt  = 20  // a period ends for other reasons
	pDeltagare  = 420 // reached KAA youths who join the ESF project
	pFollowUp   = 500 // participants followed up once 6–12 months after exit
	pForsBlank  = 30  // Forsorjning left blank
)

// period is one aktuell period in the KAA register.
type period struct {
	p          *person
	akt, avakt day // avakt: maxDay while still aktuell
	orsak      string
	sensys     string
	avaktOrsak string
	kontakt    string
	coach      string
	journey    []state
}

// state is what a youth does from start until the next state's start.
type state struct {
	code  string
	start day
}

type observation struct {
	p    *person
	date day
	code string
	fors string
}

type atgard struct {
	p            *person
	code         string
	start, end   day    // end: maxDay while ongoing
	grund, efter string // GrundAtgSlut, SysEfter
	startText    string // a deliberately unparseable Start (bad row)
}

type participant struct {
	p       *person
	in, out day // out: maxDay while active
	sys     string
	anvisad string
	coach   string
}

// Sysselsättning codes by the group the journey model moves between.
var (
	studyCodes  = []string{"GYMNASIE", "KOMVUX", "FOLKHOGSKOLA", "SFI", "OVRIGA_STUDIER"}
	insatsCodes = []string{"AMT", "UNG_KRAFT", "I_KRAFT", "AF_INSATS", "PRAKTIK", "ARBETSTRANING", "SOMMARJOBB"}
)

func isStudy(code string) bool  { return contains(studyCodes, code) }
func isInsats(code string) bool { return contains(insatsCodes, code) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// transition is a weighted choice of the next state.
type transition struct {
	codes   []string
	weights []int
}

var (
	initialState = transition{
		[]string{"INGEN", "ARBETSSOKANDE", "ARBETE", "KOMVUX", "FOLKHOGSKOLA", "AMT", "UNG_KRAFT", "PRAKTIK", "SJUK", "FK", "SOCIALTJANST", "HVB", "LSS", "FORALDRALEDIG", "OKAND", "SFI"},
		[]int{22, 10, 18, 9, 3, 6, 5, 5, 3, 2, 2, 1, 1, 1, 6, 0},
	}
	fromIdle = transition{
		[]string{"ARBETE", "KOMVUX", "FOLKHOGSKOLA", "OVRIGA_STUDIER", "AMT", "UNG_KRAFT", "I_KRAFT", "AF_INSATS", "PRAKTIK", "ARBETSTRANING", "ARBETSSOKANDE", "INGEN", "SJUK", "SOCIALTJANST"},
		[]int{34, 15, 6, 2, 11, 7, 5, 3, 7, 4, 5, 4, 2, 1},
	}
	fromInsats = transition{
		[]string{"ARBETE", "KOMVUX", "FOLKHOGSKOLA", "PRAKTIK", "AMT", "ARBETSTRANING", "ARBETSSOKANDE", "INGEN", "SJUK"},
		[]int{42, 19, 6, 5, 4, 3, 11, 8, 2},
	}
	fromWork = transition{
		[]string{"ARBETSSOKANDE", "KOMVUX", "AMT", "INGEN", "FOLKHOGSKOLA", "PRAKTIK", "FORALDRALEDIG"},
		[]int{35, 25, 10, 15, 5, 5, 3},
	}
	fromStudy = transition{
		[]string{"ARBETE", "ARBETSSOKANDE", "INGEN", "FOLKHOGSKOLA", "KOMVUX"},
		[]int{50, 22, 13, 8, 7},
	}
)

// journey draws what a youth does from day from until the end of the
// simulation: a chain of states, never the same code twice in a row.
func (g *kommunGen) journey(r *rand.Rand, p *person, from day) []state {
	t := initialState
	if p.abroad {
		t.weights = append([]int(nil), t.weights...)
		t.weights[len(t.weights)-1] = 15
	}
	code := t.codes[pick(r, t.weights)]
	states := []state{{code, from}}
	at := from
	for at <= g.w.end {
		var dur day
		var next transition
		switch {
		case code == "SOMMARJOBB":
			y, _, _ := at.civil()
			dur = max(mkday(y, 8, 10)+day(r.IntN(10))-at, 14)
			next = fromInsats
		case code == "ARBETE":
			dur, next = between(r, 180, 700), fromWork
		case isStudy(code):
			dur, next = between(r, 200, 700), fromStudy
		case isInsats(code):
			dur, next = between(r, 60, 200), fromInsats
		default:
			dur, next = between(r, 30, 120), fromIdle
		}
		at += dur
		c := code
		for c == code {
			c = next.codes[pick(r, next.weights)]
		}
		if c == "ARBETE" && (at.month() == 6 || at.month() == 7) && age(p.birth(), at) < 19 && chance(r, 400) {
			c = "SOMMARJOBB"
		}
		code = c
		states = append(states, state{code, at})
	}
	return states
}

// stateAt returns the code of the journey on d ("" before it starts).
func stateAt(js []state, d day) string {
	code := ""
	for _, s := range js {
		if s.start > d {
			break
		}
		code = s.code
	}
	return code
}

// cut ends the journey at d with a last state code.
func cut(js []state, d day, code string) []state {
	i := 0
	for i < len(js) && js[i].start < d {
		i++
	}
	return append(js[:i:i], state{code, d})
}

// register derives the KAA register and the ESF project from the
// persons' ways through gymnasium.
func (g *kommunGen) register() {
	r := newRand(g.seed, g.k.spec.kod, "register")
	for _, p := range g.persons {
		g.episodes(r, p)
	}
	for _, per := range g.periods {
		g.observe(r, per)
	}
	g.participants(r)
	g.yearEndFollowUp(r)
	g.chooseSkyddade(r)
	g.registerProblems(r)

	slices.SortStableFunc(g.periods, func(a, b *period) int {
		return cmp.Or(cmp.Compare(a.akt, b.akt), cmp.Compare(a.p.id, b.p.id))
	})
	slices.SortStableFunc(g.obs, func(a, b observation) int {
		return cmp.Or(cmp.Compare(a.p.id, b.p.id), cmp.Compare(a.date, b.date), cmp.Compare(a.code, b.code))
	})
	// one observation per person, date and code
	g.obs = slices.CompactFunc(g.obs, func(a, b observation) bool {
		return a.p == b.p && a.date == b.date && a.code == b.code
	})
	slices.SortStableFunc(g.atg, func(a, b atgard) int {
		return cmp.Or(cmp.Compare(a.p.id, b.p.id), cmp.Compare(a.start, b.start))
	})
	slices.SortStableFunc(g.delt, func(a, b participant) int {
		return cmp.Or(cmp.Compare(a.in, b.in), cmp.Compare(a.p.id, b.p.id))
	})
}

// episodes finds the times a person is out of gymnasium without an examen
// while under 20, and makes the KAA periods of those the team found.
func (g *kommunGen) episodes(r *rand.Rand, p *person) {
	twenty := birthday(p.birth(), 20)
	consider := func(start day, orsak, sensys string, next day, pAkt int) {
		limit, why := twenty, "FYLLT_20"
		if p.out < limit {
			limit, why = p.out, "FLYTTAT"
		}
		if next < limit {
			limit, why = next, "STUDIER"
		}
		var delay day
		switch orsak {
		case "AVBROTT_IM", "AVBROTT_NP":
			switch b := r.IntN(10); {
			case b < 4:
				delay = between(r, 2, 14)
			case b < 7:
				delay = between(r, 15, 45)
			case b < 9:
				delay = between(r, 46, 120)
			default:
				delay = between(r, 121, 240)
			}
		case "EJ_PABORJAT":
			delay = between(r, 14, 90)
		default:
			delay = between(r, 20, 100)
		}
		akt := start + delay
		if !chance(r, pAkt) || akt >= limit || akt > g.w.end || akt < g.w.histStart || akt < p.in {
			return
		}
		g.newPeriod(r, p, akt, orsak, sensys, limit, why)
	}
	if len(p.segs) == 0 || p.segs[0].start > p.gymStart+200 {
		next := maxDay
		if len(p.segs) > 0 {
			next = p.segs[0].start
		}
		consider(p.gymStart, "EJ_PABORJAT", "INGEN", next, pAktEj)
	}
	for i, s := range p.segs {
		if s.endType == etNone || s.endType == etExamen {
			continue
		}
		next := maxDay
		if i+1 < len(p.segs) {
			next = p.segs[i+1].start
			if p.segs[i+1].atertaget && next-s.end <= 61 {
				continue // the school took them back before KAA acted
			}
		}
		switch s.endType {
		case etAvbrott:
			orsak := "AVBROTT_NP"
			if s.im {
				orsak = "AVBROTT_IM"
			}
			consider(s.end, orsak, "GYMNASIE", next, pAktAvbrott)
		case etStudiebevis:
			consider(s.end, "STUDIEBEVIS", "GYMNASIE", next, pAktSB)
		case etIntyg:
			consider(s.end, "GYMNASIEINTYG", "GYMNASIE", next, pAktIntyg)
		}
	}
}

// newPeriod makes a KAA period from akt; limit is the latest it can end
// (why: back in gymnasium, turned 20, moved away).
func (g *kommunGen) newPeriod(r *rand.Rand, p *person, akt day, orsak, sensys string, limit day, why string) {
	per := &period{p: p, akt: akt, orsak: orsak, sensys: sensys}
	if chance(r, pOrsakBlank) {
		per.orsak = ""
	}
	if chance(r, pSenBlank) {
		per.sensys = ""
	}
	switch b := r.IntN(1000); {
	case b < 760:
		per.kontakt = "NADD"
	case b < 920:
		per.kontakt = "EJ_NADD"
	default:
		per.kontakt = "SAKNAR_KONTAKTUPPGIFTER"
	}
	kaaCoaches := g.k.coaches[:min(4, len(g.k.coaches))]
	per.coach = kaaCoaches[r.IntN(len(kaaCoaches))]
	js := g.journey(r, p, akt)

	avakt, reason := limit, why
	for i, s := range js {
		if s.start >= avakt || !per.reached() { // the team knows only what the reached tell
			break
		}
		if s.code == "KOMVUX" && i+1 < len(js) && js[i+1].start-s.start > 300 && chance(r, pEndExamen) {
			avakt, reason = s.start+300, "EXAMEN"
			break
		}
		if isStudy(s.code) && s.start > akt && chance(r, pEndStudier) {
			avakt, reason = s.start, "STUDIER"
			break
		}
	}
	if chance(r, pEndOvrigt) {
		if d := between(r, akt+30, avakt); d < avakt {
			avakt, reason = d, "OVRIGT"
		}
	}
	if avakt == limit {
		switch why {
		case "STUDIER":
			js = cut(js, avakt, "GYMNASIE")
		case "FLYTTAT":
			js = cut(js, avakt, "FLYTTAT")
		}
	}
	per.journey = js
	per.avakt, per.avaktOrsak = avakt, reason
	if avakt > g.w.end {
		per.avakt, per.avaktOrsak = maxDay, ""
	}
	g.periods = append(g.periods, per)
}

// reached reports whether the team got in touch with the youth.
func (per *period) reached() bool { return per.kontakt == "NADD" }

// observe records the sysselsättning observations and the åtgärder of a
// period.
func (g *kommunGen) observe(r *rand.Rand, per *period) {
	bound := min(per.avakt, g.w.end)
	add := func(d day, code string) {
		if d > g.w.end || d < per.akt {
			return
		}
		g.obs = append(g.obs, observation{per.p, d, code, forsorjning(r, code, age(per.p.birth(), d))})
	}
	from := per.akt // observations of the journey from this day on
	if !per.reached() {
		if chance(r, 600) {
			add(per.akt+between(r, 14, 45), "OKAND")
		}
		from = maxDay
		if chance(r, 550) {
			from = per.akt + between(r, 60, 240) // reached in the end
		}
	}
	if from <= bound {
		for d := from + between(r, 0, 14); d <= bound; d += between(r, 75, 110) {
			add(d, stateAt(per.journey, d))
		}
		js := per.journey
		for i, s := range js {
			if s.start > bound || s.start >= per.avakt {
				break
			}
			if !isInsats(s.code) || s.start < from {
				continue
			}
			next := maxDay
			if i+1 < len(js) {
				next = js[i+1].start
			}
			a := atgard{p: per.p, code: s.code, start: s.start, end: next}
			switch {
			case next <= bound:
				a.efter = js[i+1].code
				switch b := r.IntN(100); {
				case b < 70:
					a.grund = "SLUTFORD"
				case b < 95:
					a.grund = "AVBRUTEN"
				default:
					a.grund = "OVRIGT"
				}
			case per.avakt <= g.w.end: // the period ended during the åtgärd
				a.end = per.avakt
				a.grund, a.efter = "OVRIGT", "OKAND"
				switch per.avaktOrsak {
				case "FYLLT_20":
					a.grund = "FYLLT_20"
					if i+1 < len(js) {
						a.efter = js[i+1].code
					}
				case "FLYTTAT":
					a.grund, a.efter = "FLYTTAT", "FLYTTAT"
				case "STUDIER":
					a.grund, a.efter = "AVBRUTEN", stateAt(js, per.avakt)
				}
				if a.efter == a.code {
					a.efter = "OKAND"
				}
			default: // still going on
				a.end = maxDay
			}
			g.atg = append(g.atg, a)
			add(min(s.start+between(r, 0, 7), a.end-1, g.w.end), s.code)
		}
	}
	if per.avakt <= g.w.end {
		if per.reached() || per.avaktOrsak == "STUDIER" || per.avaktOrsak == "FLYTTAT" {
			add(per.avakt, stateAt(per.journey, per.avakt))
		}
	}
}

// yearEndFollowUp records, at the turn of each year, what youths whose
// KAA period has ended in the last two and a half years do now, as the
// seed's team did for its follow-up at the turn of 2020/2021.
func (g *kommunGen) yearEndFollowUp(r *rand.Rand) {
	last := make(map[*person]*period)
	var order []*person
	for _, per := range g.periods {
		if _, ok := last[per.p]; !ok {
			order = append(order, per.p)
		}
		if l := last[per.p]; l == nil || per.akt > l.akt {
			last[per.p] = per
		}
	}
	for y := g.w.histStart.year(); mkday(y, 12, 31) <= g.w.end; y++ {
		nye := mkday(y, 12, 31)
		for _, p := range order {
			per := last[p]
			if per.avakt > nye || per.akt < nye-913 || per.avaktOrsak == "FLYTTAT" || per.avaktOrsak == "AVLIDEN" || p.out <= nye {
				continue
			}
			reach := 400 // not reached during the period: sometimes found now
			if per.reached() {
				reach = 750
			}
			if chance(r, reach) {
				g.addObs(r, p, between(r, nye-16, nye), stateAt(per.journey, nye-16))
			}
		}
	}
}

// forsorjning draws how a youth with sysselsättning code supports
// themselves.
func forsorjning(r *rand.Rand, code string, age int) string {
	if chance(r, pForsBlank) {
		return ""
	}
	b := r.IntN(100)
	switch {
	case code == "GYMNASIE":
		return "CSN"
	case isStudy(code):
		switch {
		case b < 80:
			return "CSN"
		case b < 90:
			return "EKONOMISKT_BISTAND"
		}
		return "OKAND"
	case code == "ARBETE" || code == "SOMMARJOBB":
		if b < 90 {
			return "LON"
		}
		return "OKAND"
	case isInsats(code) || code == "ARBETSSOKANDE":
		switch {
		case age < 18 && b < 60:
			return "OKAND"
		case b < 50:
			return "AF"
		case b < 80:
			return "EKONOMISKT_BISTAND"
		}
		return "OKAND"
	case code == "FK" || code == "SJUK" || code == "LSS":
		return "FK"
	case code == "SOCIALTJANST" || code == "HVB":
		return "EKONOMISKT_BISTAND"
	case code == "INGEN" && b < 30:
		return "EKONOMISKT_BISTAND"
	}
	return "OKAND"
}

// participants makes the ESF project's participants: reached KAA youths
// (målgrupp 1; some turn 20 in the project) and youths aged 20–24
// (målgrupp 2).
func (g *kommunGen) participants(r *rand.Rand) {
	w := g.w
	inProject := make(map[*person]bool)
	for _, per := range g.periods {
		if !per.reached() || per.akt < w.projStart-90 || inProject[per.p] || !chance(r, pDeltagare) {
			continue
		}
		in := max(per.akt, w.projStart) + between(r, 7, 60)
		if in >= min(per.avakt, w.end) {
			continue
		}
		var out day
		switch b := r.IntN(10); {
		case b < 4:
			out = in + between(r, 60, 180)
		case b < 8:
			out = in + between(r, 181, 360)
		default:
			out = in + between(r, 361, 540)
		}
		if per.p.out < out {
			out = per.p.out
		}
		d := participant{p: per.p, in: in, out: out, coach: per.coach}
		js := per.journey
		if per.avaktOrsak == "FLYTTAT" || per.p.out <= out {
			js = cut(append([]state(nil), js...), min(per.p.out, out), "FLYTTAT")
		}
		for t := in + between(r, 20, 60); t < min(out, w.end); t += between(r, 80, 120) {
			g.addObs(r, per.p, t, stateAt(js, t))
		}
		if out <= w.end {
			d.sys = stateAt(js, out)
			d.anvisad = "N"
			if isStudy(d.sys) || isInsats(d.sys) || chance(r, 350) {
				d.anvisad = "J"
			}
			g.addObs(r, per.p, out, d.sys)
			if chance(r, pFollowUp) {
				if t := out + between(r, 180, 365); t <= w.end && d.sys != "FLYTTAT" {
					g.addObs(r, per.p, t, stateAt(js, t))
				}
			}
		} else {
			d.out = maxDay
		}
		inProject[per.p] = true
		g.delt = append(g.delt, d)
	}

	// målgrupp 2: youths aged 20–24 without an examen.
	n := max(1, 61*g.perCohort/youthsPerCohort)
	if len(g.persons) == 0 || w.end-14 <= w.projStart {
		return
	}
	mg2 := transition{
		[]string{"ARBETE", "KOMVUX", "AMT", "AF_INSATS", "ARBETSSOKANDE", "PRAKTIK", "FLYTTAT"},
		[]int{30, 20, 15, 15, 10, 5, 5},
	}
	for tries := 0; n > 0 && tries < 100*n; tries++ {
		p := g.persons[r.IntN(len(g.persons))]
		in := between(r, w.projStart, w.end-14)
		a := age(p.birth(), in)
		if inProject[p] || a < 20 || a > 24 || in < p.in || in >= p.out || p.examenBy(in) {
			continue
		}
		d := participant{p: p, in: in, out: in + between(r, 60, 365), coach: g.k.coaches[r.IntN(len(g.k.coaches))]}
		g.addObs(r, p, in+between(r, 3, 20), []string{"ARBETSSOKANDE", "INGEN", "AMT", "AF_INSATS"}[r.IntN(4)])
		if d.out <= w.end {
			d.sys = mg2.codes[pick(r, mg2.weights)]
			d.anvisad = "J"
			if chance(r, 80) {
				d.anvisad = "N"
			}
			g.addObs(r, p, d.out, d.sys)
		} else {
			d.out = maxDay
		}
		inProject[p] = true
		g.delt = append(g.delt, d)
		n--
	}
}

func (g *kommunGen) addObs(r *rand.Rand, p *person, d day, code string) {
	if d > g.w.end || code == "" {
		return
	}
	g.obs = append(g.obs, observation{p, d, code, forsorjning(r, code, age(p.birth(), d))})
}

// chooseSkyddade marks three youths with skyddade personuppgifter, all in
// the KAA register: two marked in every extract (one of them also an ESF
// participant), one marked in a single extract only (also a participant).
func (g *kommunGen) chooseSkyddade(r *rand.Rand) {
	if len(g.periods) == 0 {
		return
	}
	participant := make(map[*person]bool)
	for _, d := range g.delt {
		participant[d.p] = true
	}
	special := func(p *person) bool {
		for _, s := range p.segs {
			if s.atertaget {
				return true
			}
		}
		return false
	}
	offset := r.IntN(len(g.periods))
	for _, want := range [...]struct {
		kind        uint8
		participant bool
	}{{skyddAlways, true}, {skyddAlways, false}, {skyddOnce, true}} {
		for pass := 0; pass < 2; pass++ {
			found := false
			for i := range g.periods {
				p := g.periods[(offset+i)%len(g.periods)].p
				if p.skydd != skyddNone || special(p) || (pass == 0 && participant[p] != want.participant) {
					continue
				}
				var present []day
				for _, d := range g.w.extracts {
					if p.present(d) {
						present = append(present, d)
					}
				}
				if len(present) < max(3, len(g.w.extracts)/2) { // excluding them must matter
					continue
				}
				p.skydd = want.kind
				if want.kind == skyddOnce {
					p.skyddOn = present[len(present)/2]
				}
				offset += i + 1
				found = true
				break
			}
			if found {
				break
			}
		}
	}
}

// registerProblems plants the register problems that S7 looks for (the
// seed's method book, chapter 6), each once: INGEN recorded during an open
// åtgärd, an ended åtgärd without GrundAtgSlut, one without SysEfter, one
// whose SysEfter equals its Atgard, an åtgärd outside the person's aktuell
// periods, and a SenSysReg that goes backwards.
func (g *kommunGen) registerProblems(r *rand.Rand) {
	if len(g.atg) == 0 {
		return
	}
	used := make(map[*person]bool)
	for _, p := range g.persons {
		if p.skydd != skyddNone {
			used[p] = true
		}
	}
	find := func(ok func(a *atgard) bool) *atgard {
		off := r.IntN(len(g.atg))
		for i := range g.atg {
			a := &g.atg[(off+i)%len(g.atg)]
			if !used[a.p] && a.startText == "" && ok(a) {
				used[a.p] = true
				return a
			}
		}
		return nil
	}
	ended := func(a *atgard) bool { return a.end != maxDay && a.grund != "" && a.efter != "" && a.end-a.start >= 10 }
	if a := find(func(a *atgard) bool { return a.end == maxDay && g.w.end-a.start >= 10 }); a != nil {
		g.addObs(r, a.p, a.start+(g.w.end-a.start)/2, "INGEN")
	} else if a := find(ended); a != nil {
		g.addObs(r, a.p, a.start+(a.end-a.start)/2, "INGEN")
	}
	if a := find(ended); a != nil {
		a.grund = ""
	}
	if a := find(ended); a != nil {
		a.efter = ""
	}
	if a := find(ended); a != nil {
		a.efter = a.code
	}
	periodsOf := make(map[*person][]*period)
	for _, per := range g.periods {
		periodsOf[per.p] = append(periodsOf[per.p], per)
	}
	off := r.IntN(len(g.periods))
	for i := range g.periods { // an åtgärd after the person's only period ended
		per := g.periods[(off+i)%len(g.periods)]
		s := per.avakt + 20
		if used[per.p] || len(periodsOf[per.p]) != 1 || per.avaktOrsak != "FYLLT_20" || per.avakt > g.w.end-90 ||
			slices.ContainsFunc(g.obs, func(o observation) bool { return o.p == per.p && o.date >= s && o.date <= s+30 }) {
			continue
		}
		used[per.p] = true
		g.atg = append(g.atg, atgard{p: per.p, code: "PRAKTIK", start: s, end: s + 30, grund: "SLUTFORD", efter: "ARBETE"})
		g.addObs(r, per.p, s+5, "PRAKTIK")
		break
	}
	for i := range g.periods { // SenSysReg GYMNASIE, later INGEN
		per := g.periods[(off+i)%len(g.periods)]
		ps := periodsOf[per.p]
		if used[per.p] || len(ps) < 2 {
			continue
		}
		used[per.p] = true
		ps[0].sensys = "GYMNASIE"
		for _, later := range ps[1:] {
			later.sensys = "INGEN"
		}
		break
	}
}
