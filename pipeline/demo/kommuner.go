package demo

import (
	"math/rand/v2"
	"strconv"
)

// kommunRef is a real kommun: its code, name and population in thousands
// (roughly, 2020), which sets its size relative to Sundsvall.
type kommunRef struct {
	kod  string
	name string
	popK int
}

// builtinKommuner are the kommuner used in order; beyond them synthetic
// codes 3001, 3002, … are used (no real kommunkod starts with 3).
// Sundsvall comes first, then its neighbours (the region fixture), the two
// other seed kommuner, Skåne (the regional seed report) and larger towns.
var builtinKommuner = []kommunRef{
	{"2281", "Sundsvall", 99},
	{"2262", "Timrå", 18}, {"2280", "Härnösand", 25}, {"2260", "Ånge", 9},
	{"2282", "Kramfors", 18}, {"2283", "Sollefteå", 19}, {"2284", "Örnsköldsvik", 56},
	{"1402", "Partille", 39}, {"2313", "Strömsund", 12},
	{"1214", "Svalöv", 14}, {"1230", "Staffanstorp", 25}, {"1231", "Burlöv", 19},
	{"1233", "Vellinge", 37}, {"1256", "Östra Göinge", 15}, {"1257", "Örkelljunga", 10},
	{"1260", "Bjuv", 16}, {"1261", "Kävlinge", 32}, {"1262", "Lomma", 25},
	{"1263", "Svedala", 22}, {"1264", "Skurup", 16}, {"1265", "Sjöbo", 19},
	{"1266", "Hörby", 15}, {"1267", "Höör", 17}, {"1270", "Tomelilla", 13},
	{"1272", "Bromölla", 13}, {"1273", "Osby", 13}, {"1275", "Perstorp", 7},
	{"1276", "Klippan", 18}, {"1277", "Åstorp", 16}, {"1278", "Båstad", 15},
	{"1280", "Malmö", 347}, {"1281", "Lund", 125}, {"1282", "Landskrona", 46},
	{"1283", "Helsingborg", 149}, {"1284", "Höganäs", 27}, {"1285", "Eslöv", 34},
	{"1286", "Ystad", 31}, {"1287", "Trelleborg", 46}, {"1290", "Kristianstad", 86},
	{"1291", "Simrishamn", 19}, {"1292", "Ängelholm", 42}, {"1293", "Hässleholm", 52},
	{"0180", "Stockholm", 975}, {"1480", "Göteborg", 583}, {"0380", "Uppsala", 233},
	{"0580", "Linköping", 164}, {"0581", "Norrköping", 144}, {"1880", "Örebro", 156},
	{"1980", "Västerås", 155}, {"0680", "Jönköping", 142}, {"2480", "Umeå", 130},
	{"2580", "Luleå", 78}, {"1380", "Halmstad", 103}, {"0780", "Växjö", 95},
	{"2180", "Gävle", 102}, {"0880", "Kalmar", 70}, {"2380", "Östersund", 64},
	{"1780", "Karlstad", 94}, {"2080", "Falun", 59}, {"2081", "Borlänge", 52},
	{"1490", "Borås", 113}, {"0480", "Nyköping", 56}, {"0484", "Eskilstuna", 106},
	{"1080", "Karlskrona", 66}, {"1081", "Ronneby", 29}, {"0980", "Gotland", 60},
}

// maxKommuner bounds Options.Kommuner: the built-in list plus synthetic
// codes 3001–6999.
const maxKommuner = 1000

const sundsvall = "2281"

// kommunSpec is one kommun of a run: its code and size in percent of
// Sundsvall (100).
type kommunSpec struct {
	kod     string
	sizePct int
}

// kommunSpecs lists the n kommuner of a run. Synthetic kommuner get a size
// drawn from a skewed distribution (most small, a few large; mean about a
// third of Sundsvall), from their own random stream.
func kommunSpecs(n int, seed uint64) []kommunSpec {
	out := make([]kommunSpec, 0, n)
	for i := 0; i < n; i++ {
		if i < len(builtinKommuner) {
			k := builtinKommuner[i]
			out = append(out, kommunSpec{k.kod, max(1, k.popK*100/99)})
			continue
		}
		kod := strconv.Itoa(3000 + i - len(builtinKommuner) + 1)
		r := newRand(seed, kod, "size")
		var size int
		switch b := r.IntN(100); {
		case b < 40:
			size = 5 + r.IntN(11)
		case b < 70:
			size = 15 + r.IntN(16)
		case b < 88:
			size = 30 + r.IntN(31)
		case b < 97:
			size = 60 + r.IntN(61)
		default:
			size = 120 + r.IntN(131)
		}
		out = append(out, kommunSpec{kod, size})
	}
	return out
}

// newRand returns the random stream of one part of one kommun. Each part
// has its own stream, so that a change in one part leaves the others' data
// as it was.
func newRand(seed uint64, kod, part string) *rand.Rand {
	h := uint64(14695981039346656037) // FNV-1a
	for _, s := range [...]string{kod, "/", part} {
		for i := 0; i < len(s); i++ {
			h ^= uint64(s[i])
			h *= 1099511628211
		}
	}
	return rand.New(rand.NewPCG(seed, h))
}

// school is a högstadieskola of the kommun.
type school struct {
	name       string
	fristaende bool
	count      [2]int // Sistaarselever in the two statistics years
	risk       int    // relative risk of its former pupils, percent
}

// alias is an old school name: pupils who finished åk 9 at the latest in
// spring lastAk9 went to the old school with probability permille/1000
// when their school is (now) target.
type alias struct {
	name     string
	target   int
	lastAk9  int
	permille int
}

// area is a bostadsområde with its postnummer.
type area struct {
	name  string
	posts []string
	risk  int          // relative risk of its youths, percent
	stats [2]areaStats // the two statistics years
}

// areaStats are an område's background figures. Shares and the ohälsotal
// are in tenths (124 = 12,4); -1 is a blank cell.
type areaStats struct {
	bef019, bef              int
	forg, arbl, bist         int
	medianink, ohalsa, halsa int
}

// gymnasium is a gymnasieskola the kommun's youths attend.
type gymnasium struct {
	name   string
	weight int
	im     bool // offers introduktionsprogram
}

// kommun is the reference data of one kommun.
type kommun struct {
	spec      kommunSpec
	schools   []school
	aliases   []alias
	external  []string // grundskolor in other kommuner
	areas     []area
	unmapped  string // a postnummer of the kommun that omraden does not map
	gymnasia  []gymnasium
	coaches   []string // KAA coaches; the time study uses them all
	statYears [2]int
}

var (
	nationalProgram = []string{"SA", "EK", "NA", "TE", "EE", "BF", "ES", "HA", "VO", "FT", "BA", "IN", "RL", "HT", "NB", "VF", "HU"}
	nationalWeight  = []int{14, 13, 12, 10, 7, 6, 5, 5, 5, 5, 4, 3, 3, 3, 2, 2, 1}
	imProgram       = []string{"IMS", "IMA", "IMV", "IMY", "IMI"}
	imWeight        = []int{30, 28, 20, 14, 8}
)

var coachSignatures = []string{"ANNA", "PERH", "MARI", "JOHK", "LISE", "ERIK", "SARA", "OLLE", "KARB", "MIAS", "TOMJ", "EVAL"}

// newKommun builds the reference data of a kommun: Sundsvall's from the
// seed report, any other's generic and sized by spec.
func newKommun(spec kommunSpec, end day, seed uint64) *kommun {
	k := &kommun{spec: spec, statYears: [2]int{end.year() - 2, end.year() - 1}}
	r := newRand(seed, spec.kod, "kommun")
	if spec.kod == sundsvall {
		k.sundsvall(r)
	} else {
		k.generic(r)
	}
	return k
}

// sundsvall fills in the Sundsvall-like reference data. Schools and counts
// are the table "Antal sistaårselever" of the seed report (1 184 pupils,
// nine kommunala and seven fristående schools); the 2019 counts differ a
// little. Områden are the report's, with invented postnummer and figures
// that follow its text: Nacksta, Bredsand and Kvissleby have the most
// förgymnasial education, unemployment and ekonomiskt bistånd; Nacksta,
// Kvissleby and Centrum are over-represented in KAA, Bredsand under.
func (k *kommun) sundsvall(r *rand.Rand) {
	type s struct {
		name  string
		fri   bool
		count int
		risk  int
	}
	for _, x := range []s{
		{"Höglundaskolan", false, 161, 140},
		{"Nivrenaskolan", false, 151, 95},
		{"Bergsåkers skola", false, 146, 100},
		{"Engelska skolan", true, 146, 70},
		{"Hagaskolan", false, 113, 120},
		{"Vibackeskolan", false, 113, 135},
		{"Matfors skola", false, 70, 90},
		{"Mimer", true, 58, 75},
		{"Prolympia", true, 57, 80},
		{"Kunskapsakademien", true, 44, 85},
		{"Stöde skola", false, 32, 115},
		{"Sidsjö", true, 28, 70},
		{"Sundsvalls Montesoriskola", false, 24, 80},
		{"Lidens skola", false, 21, 150},
		{"Njurunda Friskola", true, 17, 75},
		{"Oasen", true, 3, 40},
	} {
		old := max(0, x.count+r.IntN(17)-8) // a count is never negative (the contract rejects it)
		k.schools = append(k.schools, school{x.name, x.fri, [2]int{old, x.count}, x.risk})
	}
	k.aliases = []alias{
		{"Nacksta", 0, 2017, 400},
		{"Katrinelund", 4, 2016, 400},
		{"Ljustadalen", 5, 2017, 350},
		{"Heliås Sidsjön", 11, 2019, 1000},
	}
	k.external = []string{"Ånge skola", "Sörbergeskolan Timrå", "Brännavallens skola Härnösand", "Gudmundråskolan Kramfors"}
	type a struct {
		name  string
		posts []string
		risk  int
		st    areaStats
	}
	for _, x := range []a{
		{"Centrum", []string{"85230", "85231", "85232"}, 150, areaStats{1400, 9800, 98, 51, 32, 265000, 214, 742}},
		{"Haga", []string{"85234", "85235"}, 95, areaStats{1700, 8600, 112, 48, 30, 278000, 229, 731}},
		{"Skönsberg", []string{"85237", "85238", "85239"}, 125, areaStats{1300, 6100, 215, 104, 91, 205000, 325, 634}},
		{"Nacksta", []string{"85350", "85351", "85352"}, 175, areaStats{1500, 5200, 268, 126, 118, 182000, 361, 602}},
		{"Bergsåker", []string{"85354", "85356", "85357"}, 120, areaStats{1900, 7400, 129, 49, 34, 276000, 243, 720}},
		{"Granloholm", []string{"85358", "85359"}, 115, areaStats{1100, 4300, 186, 89, 74, 221000, 298, 661}},
		{"Bredsand", []string{"85740", "85741"}, 60, areaStats{900, 3600, 279, 118, 109, 188000, 347, 615}},
		{"Alnö", []string{"85590", "85592", "85594"}, 130, areaStats{1600, 7200, 135, 42, 26, 291000, 238, 739}},
		{"Kvissleby", []string{"86232", "86233", "86234"}, 160, areaStats{1200, 4900, 224, 97, 82, 214000, 332, 647}},
		{"Njurunda", []string{"86240", "86241", "86242"}, 90, areaStats{1400, 6500, 141, 45, 29, 289000, 251, 728}},
		{"Matfors", []string{"86631", "86632", "86633"}, 85, areaStats{1300, 5600, 153, 46, 27, 284000, 264, 715}},
		{"Stöde", []string{"86041", "86043"}, 90, areaStats{500, 2400, 198, 59, 35, 251000, 317, 680}},
		{"Liden", []string{"86541", "86542"}, 110, areaStats{300, 1500, 217, 68, 41, 238000, 359, -1}},
	} {
		k.areas = append(k.areas, area{x.name, x.posts, x.risk, [2]areaStats{olderStats(r, x.st), x.st}})
	}
	k.unmapped = "85199"
	k.gymnasia = []gymnasium{
		{"Hedbergska", 300, true}, {"Västermalm", 260, true},
		{"Thoren Business School", 80, false}, {"Procivitas", 80, false},
		{"Praktiska gymnasiet", 60, false}, {"NTI-gymnasiet", 60, false},
		{"Realgymnasiet", 50, false}, {"Yrkesgymnasiet", 50, false},
		{"Timrå gymnasium", 30, false}, {"Härnösands gymnasium", 30, false},
	}
	k.coaches = coachSignatures[:6]
}

// olderStats derives the previous year's figures from this year's: a
// little fewer inhabitants, shares a few tenths off.
func olderStats(r *rand.Rand, s areaStats) areaStats {
	off := func(v, spread int) int {
		if v < 0 {
			return v
		}
		return max(1, v+r.IntN(2*spread+1)-spread)
	}
	return areaStats{
		bef019: s.bef019 - r.IntN(max(1, s.bef019/40)), bef: s.bef - r.IntN(max(1, s.bef/50)),
		forg: off(s.forg, 6), arbl: off(s.arbl, 5), bist: off(s.bist, 4),
		medianink: off(s.medianink, 6000) - 4000, ohalsa: off(s.ohalsa, 12), halsa: off(s.halsa, 10),
	}
}

// generic fills in a kommun with generic names (Skola 1, Område A, …),
// counts in proportion to its size and område figures that follow each
// område's risk, so that the correlations of S3 have something to find.
func (k *kommun) generic(r *rand.Rand) {
	size := k.spec.sizePct
	nSchools := min(max(size/7+2, 2), 40)
	total := max(1184*size/100, 20*nSchools)
	weights := make([]int, nSchools)
	sum := 0
	for i := range weights {
		weights[i] = 50 + r.IntN(101)
		sum += weights[i]
	}
	for i := range weights {
		n := total * weights[i] / sum
		k.schools = append(k.schools, school{
			name:       "Skola " + strconv.Itoa(i+1),
			fristaende: i%3 == 2,
			count:      [2]int{max(1, n+r.IntN(9)-4), max(1, n)},
			risk:       70 + r.IntN(71),
		})
	}
	if nSchools >= 3 {
		k.aliases = []alias{{"Gamla Skola 1", 0, k.statYears[0] - 2, 400}}
	}
	k.external = []string{"Extern skola 1", "Extern skola 2"}

	nAreas := min(max(size/10+3, 3), 26)
	prefix := 100 + atoi(k.spec.kod)*37%880 // postnummer prefix*100 + 1 … 104
	totalYouth := max(120*size, 300)
	for i := 0; i < nAreas; i++ {
		risk := 60 + r.IntN(101)
		dev := risk - 60 // 0–100: higher risk, weaker figures
		w := 1 + r.IntN(5)
		st := areaStats{
			bef019:    max(50, totalYouth*w/(3*nAreas)),
			forg:      80 + dev*14/10 + r.IntN(31) - 15,
			arbl:      25 + dev*8/10 + r.IntN(21) - 10,
			bist:      15 + dev*8/10 + r.IntN(21) - 10,
			medianink: 300000 - dev*1000 + (r.IntN(21)-10)*1000,
			ohalsa:    200 + dev*15/10 + r.IntN(41) - 20,
			halsa:     760 - dev*12/10 + r.IntN(41) - 20,
		}
		st.bef = st.bef019*4 + r.IntN(st.bef019+1)
		if i == nAreas-1 {
			st.ohalsa = -1
		}
		var posts []string
		for j, n := 0, 2+r.IntN(3); j < n; j++ {
			posts = append(posts, strconv.Itoa(prefix*100+i*4+j+1))
		}
		k.areas = append(k.areas, area{"Område " + areaLetter(i), posts, risk, [2]areaStats{olderStats(r, st), st}})
	}
	k.unmapped = strconv.Itoa(prefix * 100)

	nGym := min(max(size/25+1, 1), 12)
	k.gymnasia = append(k.gymnasia, gymnasium{"Gymnasium 1", 100 * nGym, true})
	for i := 1; i < nGym; i++ {
		k.gymnasia = append(k.gymnasia, gymnasium{"Gymnasium " + strconv.Itoa(i+1), 40 + r.IntN(60), false})
	}
	k.gymnasia = append(k.gymnasia, gymnasium{"Gymnasium i annan kommun", 30 * nGym, false})
	nCoach := min(max(size/25+1, 1), len(coachSignatures))
	k.coaches = coachSignatures[:nCoach]
}

// areaLetter names the i:th område: A … Z, then AA, AB, ….
func areaLetter(i int) string {
	if i < 26 {
		return string(rune('A' + i))
	}
	return areaLetter(i/26-1) + string(rune('A'+i%26))
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
