package demo

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"time"
)

// Options say what to generate.
type Options struct {
	// Kommuner is the number of kommuner: 1 is the Sundsvall-like 2281
	// alone; more add its neighbours, Skåne and other real kommunkoder,
	// then synthetic codes 3001, 3002, … (at most 1000). 0 means 1.
	Kommuner int
	// Years of weekly Extens extracts (52 a year), ending at End. 0 means 2.
	Years int
	// End is the date of the last extract; zero means 2021-03-29 (a Monday).
	End time.Time
	// Seed of the random streams; the same Seed gives the same files.
	Seed uint64
	// Scale multiplies every kommun's population; 1 gives Sundsvall some
	// 1 800 youths aged 16–20. 0 means 1.
	Scale float64
	// BadRows adds the deliberately bad rows (BadRowsList) to the first
	// kommun.
	BadRows bool
	// Kommun, if set, generates only this built-in kommun (its kommunkod,
	// e.g. "1402"), with the data it has in a run of all of them.
	Kommun string
	// Vendor writes every file in the shapes a kommun's own systems export
	// (vendor.go) and puts the mapping.toml that reads them (VendorProfile)
	// into each kommun folder. The data are those of the same Options
	// without Vendor.
	Vendor bool
}

// DefaultEnd is the last extract of the demo: Monday 29 March 2021.
var DefaultEnd = time.Date(2021, 3, 29, 0, 0, 0, 0, time.UTC)

// DemoOptions are the options of the committed demo, fixtures/inputs: the
// Sundsvall-like kommun alone, two years of extracts, with the bad rows.
func DemoOptions() Options {
	return Options{Kommuner: 1, Years: 2, End: DefaultEnd, Seed: 1, Scale: 1, BadRows: true}
}

// RegionOptions are the options of fixtures/region: Sundsvall and two
// neighbours (Timrå, Härnösand), one year of extracts, a smaller scale.
func RegionOptions() Options {
	return Options{Kommuner: 3, Years: 1, End: DefaultEnd, Seed: 1, Scale: 0.5, BadRows: true}
}

// VendorOptions are the options of fixtures/vendor: Partille (1402), a
// kommun whose exports need a mapping profile, one year of extracts.
func VendorOptions() Options {
	return Options{Kommuner: 1, Kommun: "1402", Years: 1, End: DefaultEnd, Seed: 1, Scale: 1.2, BadRows: true, Vendor: true}
}

// Kinds are the file kinds written, in the order of inputs.md.
var Kinds = []string{
	"extens", "gruus", "kaa_individer", "kaa_sysselsattning", "kaa_atgarder", "deltagare",
	"tidsstudie", "omraden", "omradesstatistik", "grundskolor", "skolalias",
}

const (
	kExtens = iota
	kGruus
	kIndivider
	kSysselsattning
	kAtgarder
	kDeltagare
	kTidsstudie
	kOmraden
	kOmradesstatistik
	kGrundskolor
	kSkolalias
	nKinds
)

// Stats count what Generate wrote.
type Stats struct {
	Kommuner []string         // kommunkoder, in order
	Files    map[string]int   // files per kind
	Rows     map[string]int64 // data rows per kind (headers not counted; bad rows counted)
	Bytes    int64            // total size of the files
	BadRows  []BadRow         // the deliberately bad rows (Options.BadRows)
}

func (s Stats) String() string {
	b := []byte(strconv.Itoa(len(s.Kommuner)) + " kommuner, " + strconv.FormatInt(s.Bytes, 10) + " bytes")
	for _, k := range Kinds {
		if s.Files[k] > 0 {
			b = append(b, "; "+k+": "+strconv.Itoa(s.Files[k])+" files, "+strconv.FormatInt(s.Rows[k], 10)+" rows"...)
		}
	}
	if len(s.BadRows) > 0 {
		b = append(b, "; "+strconv.Itoa(len(s.BadRows))+" deliberately bad rows"...)
	}
	return string(b)
}

type counts struct {
	files [nKinds]int
	rows  [nKinds]int64
	bytes int64
	bad   []BadRow
}

func (c *counts) add(kind int, rows, bytes int64) {
	c.files[kind]++
	c.rows[kind] += rows
	c.bytes += bytes
}

// window holds the dates of a run.
type window struct {
	end        day   // last extract
	extracts   []day // the weekly extracts, oldest first
	histStart  day   // earliest Aktualiserad in the KAA register
	regStart   day   // start of the follow-up window of the seed (1 July)
	projStart  day   // start of the ESF project
	gruusStart day   // first day of the first läsår with a GRUUS file
	birthLo    day   // persons are born in [birthLo, birthHi]
	birthHi    day
}

func newWindow(end day, years int) *window {
	w := &window{end: end}
	n := 52 * years
	for i := n - 1; i >= 0; i-- {
		w.extracts = append(w.extracts, end-day(7*i))
	}
	y, m, _ := end.civil()
	w.regStart = mkday(y-3, m+4, 1) // 2021-03 → 2018-07-01
	w.projStart = mkday(y-3, m+3, 1)
	w.histStart = min(w.regStart-365, w.extracts[0]-180)
	w.gruusStart = lasarStart(min(w.regStart, w.extracts[0]))
	w.birthLo = min(addYears(w.projStart, -25), addYears(w.extracts[0], -21), addYears(w.histStart, -20)) + 1
	w.birthHi = addYears(end, -16)
	return w
}

// lasarStart returns 1 July of the läsår of d.
func lasarStart(d day) day {
	y, m, _ := d.civil()
	if m < 7 {
		y--
	}
	return mkday(y, 7, 1)
}

// Generate writes synthetic exports into dir/<kommunkod>/*.csv. Each
// kommun folder must be absent or empty: stale files from another run
// would silently join the next pipeline run.
func Generate(dir string, opt Options) (Stats, error) {
	return generate(dir, opt, runtime.GOMAXPROCS(0))
}

func (opt *Options) normalize() error {
	switch {
	case opt.Kommuner == 0:
		opt.Kommuner = 1
	case opt.Kommuner < 0 || opt.Kommuner > maxKommuner:
		return fmt.Errorf("demo: Kommuner must be 1–%d, got %d", maxKommuner, opt.Kommuner)
	}
	switch {
	case opt.Years == 0:
		opt.Years = 2
	case opt.Years < 0 || opt.Years > 20:
		return fmt.Errorf("demo: Years must be 1–20, got %d", opt.Years)
	}
	switch {
	case opt.Scale == 0:
		opt.Scale = 1
	case !(opt.Scale > 0 && opt.Scale <= 100):
		return fmt.Errorf("demo: Scale must be > 0 and ≤ 100, got %v", opt.Scale)
	}
	if opt.End.IsZero() {
		opt.End = DefaultEnd
	}
	if y := opt.End.Year(); y < 1950 || y > 2200 {
		return fmt.Errorf("demo: End %s is out of range", opt.End.Format("2006-01-02"))
	}
	return nil
}

func generate(dir string, opt Options, workers int) (Stats, error) {
	if err := opt.normalize(); err != nil {
		return Stats{}, err
	}
	if dir == "" {
		return Stats{}, errors.New("demo: no output folder")
	}
	w := newWindow(dayOf(opt.End), opt.Years)
	specs := kommunSpecs(opt.Kommuner, opt.Seed)
	if opt.Kommun != "" {
		specs = nil
		for i, k := range builtinKommuner {
			if k.kod == opt.Kommun {
				specs = kommunSpecs(i+1, opt.Seed)[i:]
			}
		}
		if specs == nil {
			return Stats{}, fmt.Errorf("demo: %s is not a built-in kommun", opt.Kommun)
		}
	}
	for _, s := range specs {
		kdir := filepath.Join(dir, s.kod)
		entries, err := os.ReadDir(kdir)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return Stats{}, fmt.Errorf("demo: %w", err)
		}
		if len(entries) > 0 {
			return Stats{}, fmt.Errorf("demo: %s is not empty: generate into an empty folder", kdir)
		}
	}

	// Work is scheduled on a pool of workers slots: building a kommun's
	// model (and its small files) is one task, each weekly extract another,
	// so that a large kommun's extracts spread over every CPU. At most
	// workers+1 kommun models are alive at a time. Nothing written depends
	// on the schedule.
	workers = max(1, workers)
	cpu := make(chan struct{}, workers)
	alive := make(chan struct{}, workers+1)
	results := make([]counts, len(specs))
	errs := make([]error, len(specs))
	var wg sync.WaitGroup
	for ki := range specs {
		alive <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-alive }()
			results[ki], errs[ki] = generateKommun(dir, specs[ki], w, opt, ki == 0, cpu)
		}()
	}
	wg.Wait()

	st := Stats{Files: map[string]int{}, Rows: map[string]int64{}}
	for ki, s := range specs {
		if errs[ki] != nil {
			return st, errs[ki]
		}
		st.Kommuner = append(st.Kommuner, s.kod)
		for k := 0; k < nKinds; k++ {
			st.Files[Kinds[k]] += results[ki].files[k]
			st.Rows[Kinds[k]] += results[ki].rows[k]
		}
		st.Bytes += results[ki].bytes
		st.BadRows = append(st.BadRows, results[ki].bad...)
	}
	return st, nil
}

// kommunGen is the model of one kommun while it is generated.
type kommunGen struct {
	seed      uint64
	k         *kommun
	w         *window
	perCohort int  // persons per birth year
	bad       bool // write the deliberately bad rows
	dir       string
	vendor    *vendorInfo // write vendor shapes (Options.Vendor)

	used    map[int64]bool // birth day*1000 + serial of every personnummer in use
	badData badData
	badRows []BadRow // where the bad rows went, in the order written

	persons []*person // sorted by birth date
	periods []*period
	obs     []observation
	atg     []atgard
	delt    []participant
}

func newKommunGen(spec kommunSpec, w *window, opt Options, first bool) *kommunGen {
	g := &kommunGen{
		seed:      opt.Seed,
		k:         newKommun(spec, w.end, opt.Seed),
		w:         w,
		perCohort: int(math.Round(youthsPerCohort * opt.Scale * float64(spec.sizePct) / 100)),
		bad:       opt.BadRows && first,
	}
	if opt.Vendor {
		g.vendor = &vendorInfo{name: kommunName(spec.kod), exportDate: registerDate(w.end)}
	}
	g.population()
	g.register()
	g.names()
	g.prepareBad()
	return g
}

func generateKommun(dir string, spec kommunSpec, w *window, opt Options, first bool, cpu chan struct{}) (counts, error) {
	var c counts
	cpu <- struct{}{}
	g := newKommunGen(spec, w, opt, first)
	g.dir = filepath.Join(dir, spec.kod)
	err := os.MkdirAll(g.dir, 0o755)
	if err != nil {
		err = fmt.Errorf("demo: %w", err)
	}
	if err == nil && g.vendor != nil {
		err = writeVendorProfile(g.dir, *g.vendor)
	}
	for _, f := range []func(*counts) error{
		g.writeGrundskolor, g.writeSkolalias, g.writeOmraden, g.writeOmradesstatistik,
		g.writeGruus, g.writeIndivider, g.writeSysselsattning, g.writeAtgarder,
		g.writeDeltagare, g.writeTidsstudie,
	} {
		if err == nil {
			err = f(&c)
		}
	}
	<-cpu
	if err != nil {
		return c, err
	}

	// Extens: the weeks are independent (each row is a function of the
	// person's precomputed way through school), so each is a task of its
	// own; they are counted in week order.
	n := len(w.extracts)
	rows, sizes, errs := make([]int64, n), make([]int64, n), make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cpu <- struct{}{}
			defer func() { <-cpu }()
			rows[i], sizes[i], errs[i] = g.writeExtens(i)
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			return c, errs[i]
		}
		c.add(kExtens, rows[i], sizes[i])
	}
	c.bad = g.badRows
	return c, nil
}

// writeExtens writes the extract of week i.
func (g *kommunGen) writeExtens(i int) (int64, int64, error) {
	d := g.w.extracts[i]
	f, err := g.create("extens_"+d.String()+".csv", fileOpt{},
		"Personnummer", "Kon", "Postnummer", "Skyddad", "Grundskola", "Gymnasieskola", "Program",
		"Inskriven", "Avgangsdatum", "Avgangstyp", "Examen", "Fornamn", "Efternamn", "Adress")
	if err != nil {
		return 0, 0, err
	}
	b := f.b
	ps := g.persons
	lo := sort.Search(len(ps), func(j int) bool { return ps[j].d21 > d })
	for _, p := range ps[lo:] {
		if p.d16 > d {
			break
		}
		if d < p.in || d >= p.out || d >= p.d21 {
			continue
		}
		b = append(b[:0], p.head...)
		b = append(b, ';')
		m := p.moveAt(d)
		if p.spaced {
			b = append(b, m.post[:3]...)
			b = append(b, ' ')
			b = append(b, m.post[3:]...)
		} else {
			b = append(b, m.post...)
		}
		if p.skydd == skyddAlways || (p.skydd == skyddOnce && d == p.skyddOn) {
			b = append(b, ";J;"...)
		} else {
			b = append(b, ";N;"...)
		}
		b = append(b, p.grund...)
		b = append(b, ';')
		b = append(b, p.chunkAt(d)...)
		b = append(b, p.tail...)
		f.raw(b)
	}
	f.b = b[:0]
	if g.bad && i == len(g.w.extracts)/2 {
		g.badExtensRow(f, d)
	}
	size, err := f.close()
	return f.rows, size, err
}
