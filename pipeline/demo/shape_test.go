package demo

import (
	"sort"
	"testing"
)

// shape summarises a kommun model with the figures the seed report gives,
// computed roughly the way the studies do.
type shape struct {
	extensMean     int
	avbrottPerYear map[int]int // läsår start year → counted AVBROTT events
	aktualiserade  int         // distinct persons aktualiserade in [regStart, regStart+2y)
	orsak          map[string]int
	status         map[string]int // S1 status at the cutoff
	deltagare      int
	mg1, mg2, men  int
	migrated       int
	periods, obs   int
	atgarder       int
	twoPeriods     int
}

func measure(g *kommunGen) shape {
	s := shape{avbrottPerYear: map[int]int{}, orsak: map[string]int{}, status: map[string]int{}}
	w := g.w
	total := 0
	for _, d := range w.extracts {
		for _, p := range g.persons {
			if p.present(d) {
				total++
			}
		}
	}
	s.extensMean = total / len(w.extracts)
	for _, p := range g.persons {
		for _, sg := range p.segs {
			if sg.endType == etAvbrott && !sg.unreported && sg.end >= w.gruusStart && sg.end <= w.end {
				s.avbrottPerYear[lasarStart(sg.end).year()]++
			}
		}
	}
	from, to := w.regStart, addYears(w.regStart, 2)-1
	cutoff := mkday(to.year(), 12, 31)
	first := map[*person]*period{}
	count := map[*person]int{}
	for _, per := range g.periods {
		count[per.p]++
		if per.akt >= from && per.akt <= to {
			if f, ok := first[per.p]; !ok || per.akt < f.akt {
				first[per.p] = per
			}
		}
	}
	for _, n := range count {
		if n > 1 {
			s.twoPeriods++
		}
	}
	s.aktualiserade = len(first)
	latest := map[*person]observation{}
	for _, o := range g.obs {
		if o.date <= cutoff {
			if l, ok := latest[o.p]; !ok || o.date >= l.date {
				latest[o.p] = o
			}
		}
	}
	for p, per := range first {
		o := per.orsak
		if o == "" {
			o = "OKAND"
		}
		s.orsak[o]++
		status := "INGEN_UPPGIFT"
		l, ok := latest[p]
		kvar := false
		for _, q := range g.periods {
			if q.p == p && q.akt <= cutoff && q.avakt > cutoff {
				kvar = true
			}
		}
		examen := p.examenBy(cutoff)
		for _, q := range g.periods {
			if q.p == p && q.avaktOrsak == "EXAMEN" && q.avakt <= cutoff {
				examen = true
			}
		}
		switch {
		case examen:
			status = "EXAMEN"
		case ok && isStudy(l.code):
			status = "STUDIER"
		case ok && l.code == "ARBETE":
			status = "ARBETE"
		case kvar:
			status = "KVAR_I_KAA"
		}
		s.status[status]++
	}
	for _, d := range g.delt {
		s.deltagare++
		a := age(d.p.birth(), d.in)
		if a >= 20 {
			s.mg2++
		} else {
			s.mg1++
			if d.out != maxDay && age(d.p.birth(), d.out) >= 20 {
				s.migrated++
			}
		}
		if d.p.pn.male() {
			s.men++
		}
	}
	s.periods, s.obs, s.atgarder = len(g.periods), len(g.obs), len(g.atg)
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestShapeSundsvall checks that the demo kommun has roughly the figures
// the seed report gives (fixtures/README.md quotes them): about 1 800
// youths in an extract, 160 avbrott a läsår, 500–600 aktualiserade in the
// two years from 1 July 2018, 300 ESF participants.
func TestShapeSundsvall(t *testing.T) {
	opt := DemoOptions()
	if err := opt.normalize(); err != nil {
		t.Fatal(err)
	}
	w := newWindow(dayOf(opt.End), opt.Years)
	g := newKommunGen(kommunSpecs(1, opt.Seed)[0], w, opt, true)
	s := measure(g)
	t.Logf("persons %d, extens mean %d", len(g.persons), s.extensMean)
	t.Logf("avbrott per läsår %v", s.avbrottPerYear)
	t.Logf("aktualiserade %d (periods %d, persons with ≥2 periods %d)", s.aktualiserade, s.periods, s.twoPeriods)
	for _, k := range sortedKeys(s.orsak) {
		t.Logf("  orsak %-14s %4d", k, s.orsak[k])
	}
	for _, k := range sortedKeys(s.status) {
		t.Logf("  status %-14s %4d (%d%%)", k, s.status[k], 100*s.status[k]/max(1, s.aktualiserade))
	}
	t.Logf("deltagare %d: MG1 %d, MG2 %d, men %d, migrated %d", s.deltagare, s.mg1, s.mg2, s.men, s.migrated)
	t.Logf("observations %d, åtgärder %d", s.obs, s.atgarder)

	in := func(what string, v, lo, hi int) {
		if v < lo || v > hi {
			t.Errorf("%s = %d, want %d–%d", what, v, lo, hi)
		}
	}
	in("youths in an extract", s.extensMean, 1700, 1950)
	in("avbrott 2018/19", s.avbrottPerYear[2018], 130, 200)
	in("avbrott 2019/20", s.avbrottPerYear[2019], 130, 200)
	in("aktualiserade", s.aktualiserade, 450, 700)
	in("persons with two periods", s.twoPeriods, 10, 200)
	in("deltagare", s.deltagare, 250, 380)
	in("målgrupp 2 at entry", s.mg2, 30, 100)
	in("migrated MG1→MG2", s.migrated, 5, 100)
	in("studier or arbete at the cutoff (%)", 100*(s.status["STUDIER"]+s.status["ARBETE"])/max(1, s.aktualiserade), 60, 90)
	for _, o := range []string{"AVBROTT_IM", "AVBROTT_NP", "STUDIEBEVIS", "GYMNASIEINTYG", "EJ_PABORJAT", "OKAND"} {
		in("registreringsorsak "+o, s.orsak[o], 5, 400)
	}
}

// TestRegisterProblems checks that each blocking register problem of S7
// occurs exactly once — the planted one — so that a study's count can be
// checked against 1.
func TestRegisterProblems(t *testing.T) {
	for _, opt := range []Options{DemoOptions(), RegionOptions()} {
		if err := opt.normalize(); err != nil {
			t.Fatal(err)
		}
		w := newWindow(dayOf(opt.End), opt.Years)
		for _, spec := range kommunSpecs(opt.Kommuner, opt.Seed) {
			g := newKommunGen(spec, w, opt, true)
			count := map[string]int{}
			periods := map[*person][]*period{}
			for _, per := range g.periods {
				periods[per.p] = append(periods[per.p], per)
			}
			for _, a := range g.atg {
				end := min(a.end, w.end)
				observed := false
				for _, o := range g.obs {
					if o.p == a.p && o.date >= a.start && o.date <= end {
						observed = true
						if o.code == "INGEN" && a.end == maxDay {
							count["INGEN during an open åtgärd"]++
						}
					}
				}
				if !observed {
					count["åtgärd without observation"]++
				}
				if a.end != maxDay {
					if a.grund == "" {
						count["no GrundAtgSlut"]++
					}
					if a.efter == "" {
						count["no SysEfter"]++
					}
				}
				if a.efter == a.code {
					count["SysEfter = Atgard"]++
				}
				inside := false
				for _, per := range periods[a.p] {
					if a.start >= per.akt && min(a.end, w.end) <= per.avakt {
						inside = true
					}
				}
				if !inside {
					count["outside aktuell periods"]++
				}
			}
			for _, ps := range periods {
				for i := 1; i < len(ps); i++ {
					if ps[i-1].sensys == "GYMNASIE" && ps[i].sensys == "INGEN" {
						count["SenSysReg backwards"]++
					}
				}
			}
			for _, k := range []string{"INGEN during an open åtgärd", "no GrundAtgSlut", "no SysEfter", "SysEfter = Atgard", "outside aktuell periods", "SenSysReg backwards"} {
				if count[k] != 1 {
					t.Errorf("%s: %s occurs %d times, want 1", spec.kod, k, count[k])
				}
			}
			if count["åtgärd without observation"] != 0 {
				t.Errorf("%s: %d åtgärder without an observation", spec.kod, count["åtgärd without observation"])
			}
		}
	}
}
