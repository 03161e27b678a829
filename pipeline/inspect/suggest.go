package inspect

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
	"github.com/kaa-uppfoljning/kaa/pipeline/ingest"
	"github.com/kaa-uppfoljning/kaa/pipeline/source"
)

// The guesses below are heuristics for a starting profile. They are never
// applied by a run: Suggest prints them as TOML for a person to check.

// nameWords maps words of a file name to the kind they suggest, tried in
// order (omradesstatistik before omrade).
var nameWords = []struct{ word, kind string }{
	{"extens", "extens"}, {"gruus", "gruus"}, {"elin", "gruus"}, {"avbrott", "gruus"},
	{"individ", "kaa_individer"}, {"sysselsattning", "kaa_sysselsattning"}, {"atgard", "kaa_atgarder"},
	{"deltagar", "deltagare"}, {"tidsstudie", "tidsstudie"}, {"tidsregistrering", "tidsstudie"},
	{"omradesstatistik", "omradesstatistik"}, {"statistik", "omradesstatistik"}, {"omrade", "omraden"}, {"postnummer", "omraden"},
	{"grundskol", "grundskolor"}, {"alias", "skolalias"}, {"sammanslag", "skolalias"},
}

var (
	nameDateISO   = regexp.MustCompile(`[0-9]{4}-[0-9]{2}-[0-9]{2}`)
	nameDateShort = regexp.MustCompile(`(^|[^0-9])([0-9]{8})([^0-9]|$)`)
)

// guessName guesses the kind of a file whose name matches no rule, by
// its words, and the pattern (with a {date}) that would match it.
func guessName(name string) (ingest.NameMatch, bool) {
	f := strings.ReplaceAll(fold(name), "_", " ")
	for _, w := range nameWords {
		if !strings.Contains(f, w.word) {
			continue
		}
		k, _ := contract.Lookup(w.kind)
		pat := guessPattern(name)
		np, err := source.ParseNamePattern(pat)
		if err != nil {
			return ingest.NameMatch{}, false
		}
		d, ok, err := np.Match(name)
		if !ok || err != nil || (k.Dated && d.IsZero()) {
			return ingest.NameMatch{}, false
		}
		return ingest.NameMatch{Kind: k, Rule: "file = " + strconv.Quote(pat) + " (a guess)", Date: d}, true
	}
	return ingest.NameMatch{}, false
}

// guessPattern writes a file name as a pattern with its date as {date}.
func guessPattern(name string) string {
	if loc := nameDateISO.FindStringIndex(name); loc != nil {
		return name[:loc[0]] + "{date}" + name[loc[1]:]
	}
	if m := nameDateShort.FindStringSubmatchIndex(name); m != nil {
		return name[:m[4]] + "{date:YYYYMMDD}" + name[m[5]:]
	}
	return name
}

// columnWords are other names a contract column goes by in exports
// (folded: lower case, å ä ö as a a o, only letters and digits).
var columnWords = map[string][]string{
	"Personnummer":       {"pnr", "personnr", "persnr", "pnummer", "personnummer"},
	"Kon":                {"sex", "gender", "kon"},
	"Postnummer":         {"postnr"},
	"Skyddad":            {"skyddadidentitet", "sekretess", "sekretessmarkering", "skyddadepersonuppgifter"},
	"Grundskola":         {"skolaak9", "grundskoleskola"},
	"Registreringsorsak": {"orsak", "aktualiseringsorsak"},
	"SenSysReg":          {"sysselsattningvidregistrering", "sysvidreg"},
	"Atgard":             {"insats"},
	"Minuter":            {"tidminuter", "tid"},
	"SysVidAvslut":       {"sysselsattningvidavslut"},
	"AnvisadStodinsats":  {"anvisadtillstodinsats", "stodinsats"},
}

func squash(s string) string { return strings.Join(tokens(fold(s)), "") }

// guessColumn guesses the contract column of kind that a header names,
// among the columns not yet in the file.
func guessColumn(header string, missing []Missing) string {
	h := squash(header)
	best := ""
	for _, m := range missing {
		c := squash(m.Column)
		switch {
		case h == c || slices.Contains(columnWords[m.Column], h):
			return m.Column
		case len(c) >= 4 && strings.HasPrefix(h, c) && len(m.Column) > len(best):
			best = m.Column
		}
	}
	return best
}

// codeWords are vendor words for codes that no spelling rule finds.
var codeWords = map[string]string{
	"kvinna": "K", "flicka": "K", "kvinnor": "K", "man": "M", "pojke": "M", "annat": "X", "ovrigt": "X", "okant": "X", "ejangivet": "X",
}

// guessCode guesses the code of a code list that a vendor's value means.
func guessCode(value string, codes []string) string {
	f := fold(value)
	if c, ok := codeWords[strings.Join(tokens(f), "")]; ok && slices.Contains(codes, c) {
		return c
	}
	joined := strings.ToUpper(strings.Join(tokens(f), "_"))
	if slices.Contains(codes, joined) {
		return joined
	}
	var hits []string
	for _, c := range codes {
		if slices.Contains(tokens(f), strings.ToLower(c)) {
			hits = append(hits, c)
		}
	}
	if len(hits) == 1 {
		return hits[0]
	}
	return ""
}

func guessYesNo(value string) string {
	switch fold(value) {
	case "sant", "true", "yes", "y", "x", "ja.":
		return "J"
	case "falskt", "false", "no":
		return "N"
	}
	return ""
}

var digitRuns = regexp.MustCompile(`[0-9]+`)

// guessDateFormat guesses the date format of a value: year first
// (2020-03-02 00:00:00) or last (02.03.2020, read day first as Swedish
// and European exports write it), with an optional time.
func guessDateFormat(v string) string {
	runs := digitRuns.FindAllStringIndex(v, -1)
	if len(runs) == 0 {
		return ""
	}
	var b strings.Builder
	last := 0
	n := func(i int) int { return runs[i][1] - runs[i][0] }
	var fields []string
	switch {
	case n(0) == 8:
		fields = []string{"YYYYMMDD"}
	case len(runs) >= 3 && n(0) == 4 && n(1) <= 2 && n(2) <= 2:
		fields = []string{"YYYY", width("M", n(1)), width("D", n(2))}
	case len(runs) >= 3 && n(0) <= 2 && n(1) <= 2 && n(2) == 4:
		fields = []string{width("D", n(0)), width("M", n(1)), "YYYY"}
	default:
		return ""
	}
	for i, r := range runs {
		b.WriteString(v[last:r[0]])
		t := i - len(fields) // the time's parts after the date's
		switch {
		case t < 0:
			b.WriteString(fields[i])
		case t == 0 && n(i) == 2:
			b.WriteString("hh")
		case t == 0 && n(i) == 1:
			b.WriteString("h")
		case (t == 1 || t == 2) && n(i) == 2:
			b.WriteString([]string{"mm", "ss"}[t-1])
		case t == 3 && n(i) <= 9:
			b.WriteString(strings.Repeat("f", n(i)))
		default:
			return ""
		}
		last = r[1]
	}
	b.WriteString(v[last:])
	f := b.String()
	if _, err := source.ParseDateFormat(f); err != nil {
		return ""
	}
	return f
}

// width writes a date token for a field of n digits: "M" → "MM" if 2.
func width(tok string, n int) string {
	if n == 2 {
		return tok + tok
	}
	return tok
}

// guessNumber guesses a number format from a value: "301 000", "1.234,5".
func guessNumber(v string) (decimal, thousands string) {
	switch {
	case regexp.MustCompile(`^-?[0-9]{1,3}([ \x{a0}\x{202f}][0-9]{3})+([,.][0-9]+)?$`).MatchString(v):
		return ",", " "
	case regexp.MustCompile(`^-?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?$`).MatchString(v):
		return ",", "."
	case regexp.MustCompile(`^-?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?$`).MatchString(v):
		return ".", ","
	}
	return "", ""
}

// guessHeaderLine returns the line (2–10) holding the header when the
// first lines look like a title above it (fewer fields than the line
// below); 0 when no better line is found.
func guessHeaderLine(path string, columns []string, opt source.Options) int {
	best, bestFields := 0, len(rawHeader(path, columns, opt))
	for hl := max(opt.HeaderLine, 1) + 1; hl <= 10; hl++ {
		o := opt
		o.HeaderLine = hl
		n := len(rawHeader(path, columns, o))
		if n > bestFields {
			best, bestFields = hl, n
		}
	}
	if bestFields < 2 {
		return 0
	}
	return best
}

// kindGuess gathers the guesses for one kind of a kommun.
type kindGuess struct {
	patterns   []string
	files      int
	headerLine int
	columns    map[string]*columnGuess
}

type columnGuess struct {
	header    string
	values    map[string]string
	dates     string
	decimal   string
	thousands string
}

func (k *kindGuess) column(name string) *columnGuess {
	if k.columns == nil {
		k.columns = map[string]*columnGuess{}
	}
	c := k.columns[name]
	if c == nil {
		c = &columnGuess{}
		k.columns[name] = c
	}
	return c
}

// Suggest prints, per kommun, a starting profile guessed from what the
// files hold that the profile does not yet read: file names no rule
// matches, title lines, headers matching no contract column, and values
// that would be rejected. Every line is marked as a guess.
func (r Report) Suggest(w io.Writer) error {
	var b strings.Builder
	for _, k := range r.Kommuner {
		if k.ProfileErr != nil {
			continue
		}
		guesses := map[string]*kindGuess{}
		get := func(kind string) *kindGuess {
			g := guesses[kind]
			if g == nil {
				g = &kindGuess{}
				guesses[kind] = g
			}
			return g
		}
		for _, f := range k.Files {
			if f.Match.Kind.Name == "" {
				continue
			}
			g := get(f.Match.Kind.Name)
			g.files++
			if f.Guessed != "" {
				p := strings.TrimSuffix(strings.TrimPrefix(f.Match.Rule, "file = "), " (a guess)")
				if s, err := strconv.Unquote(p); err == nil && !slices.Contains(g.patterns, s) {
					g.patterns = append(g.patterns, s)
				}
			}
			fields := f.Fields
			missing := f.Missing
			if f.OpenErr != nil {
				if hl := guessHeaderLine(f.Abs, f.Match.Kind.Names(), f.Options); hl > 0 {
					g.headerLine = hl
					o := f.Options
					o.HeaderLine = hl
					fields = rawHeader(f.Abs, f.Match.Kind.Names(), o)
				} else {
					fields = f.Header
				}
				missing = nil
				for _, c := range f.Match.Kind.Columns {
					if _, has := f.Options.Columns[c.Name]; !has || f.Options.Columns[c.Name].Headers == nil {
						missing = append(missing, Missing{Column: c.Name, Required: c.Header})
					}
				}
			}
			for _, fl := range fields {
				if len(fl.Columns) > 0 || personalData(fl.Name) {
					continue
				}
				col := guessColumn(fl.Name, missing)
				if col == "" || strings.EqualFold(col, fl.Name) {
					continue
				}
				cg := g.column(col)
				if cg.header == "" {
					cg.header = fl.Name
				}
				missing = slices.DeleteFunc(missing, func(m Missing) bool { return m.Column == col })
			}
			for _, rj := range f.Rejects {
				guessValue(g, f.Match.Kind, rj)
			}
		}
		var kinds []string
		for name := range guesses {
			g := guesses[name]
			if len(g.patterns) > 0 || g.headerLine > 0 || len(g.columns) > 0 {
				kinds = append(kinds, name)
			}
		}
		order := map[string]int{}
		for i, kd := range contract.Kinds() {
			order[kd.Name] = i
		}
		sort.Slice(kinds, func(i, j int) bool { return order[kinds[i]] < order[kinds[j]] })
		fmt.Fprintf(&b, "# ---- GUESSED starting profile for kommun %s ----\n", k.Code)
		fmt.Fprintf(&b, "# Every line below is a guess made from the files. Check each one against\n# the exports before putting it into %s (see docs/mapping.md).\n", k.Profile.Path)
		if len(kinds) == 0 {
			b.WriteString("# Nothing to guess: every file name, header and value is understood.\n\n")
			continue
		}
		for _, name := range kinds {
			guesses[name].write(&b, name)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// guessValue adds what a group of rejected rows suggests.
func guessValue(g *kindGuess, kind contract.Kind, rj Group) {
	var col contract.Column
	for _, c := range kind.Columns {
		if c.Name == rj.Field {
			col = c
		}
	}
	if col.Name == "" || rj.Value == "" || rj.Value == "***" {
		return
	}
	switch {
	case rj.Rule == "unknown code":
		if code := guessCode(rj.Value, col.Codes); code != "" {
			cg := g.column(col.Name)
			if cg.values == nil {
				cg.values = map[string]string{}
			}
			cg.values[rj.Value] = code
		}
	case col.Type == contract.Bool:
		if v := guessYesNo(rj.Value); v != "" {
			cg := g.column(col.Name)
			if cg.values == nil {
				cg.values = map[string]string{}
			}
			cg.values[rj.Value] = v
		}
	case col.Type == contract.Date:
		if f := guessDateFormat(rj.Value); f != "" {
			g.column(col.Name).dates = f
		}
	case col.Type == contract.Int || col.Type == contract.Decimal:
		if d, t := guessNumber(rj.Value); t != "" {
			cg := g.column(col.Name)
			cg.decimal, cg.thousands = d, t
		}
	}
}

func (g *kindGuess) write(b *strings.Builder, kind string) {
	if len(g.patterns) > 0 || g.headerLine > 0 {
		fmt.Fprintf(b, "[%s]\n", kind)
	}
	for _, p := range g.patterns {
		fmt.Fprintf(b, "file = %s  # guess, from the file name\n", strconv.Quote(p))
		if len(g.patterns) > 1 {
			b.WriteString("# (several names: make them one pattern with * where they differ, or a list)\n")
		}
	}
	if g.headerLine > 0 {
		fmt.Fprintf(b, "header_line = %d  # guess: the lines above look like a title\n", g.headerLine)
	}
	if len(g.columns) > 0 {
		fmt.Fprintf(b, "[%s.columns]\n", kind)
		names := make([]string, 0, len(g.columns))
		for n := range g.columns {
			names = append(names, n)
		}
		k, _ := contract.Lookup(kind)
		pos := map[string]int{}
		for i, c := range k.Columns {
			pos[c.Name] = i
		}
		sort.Slice(names, func(i, j int) bool { return pos[names[i]] < pos[names[j]] })
		for _, n := range names {
			c := g.columns[n]
			var parts []string
			if c.header != "" {
				parts = append(parts, "header = "+strconv.Quote(c.header))
			}
			if len(c.values) > 0 {
				keys := make([]string, 0, len(c.values))
				for v := range c.values {
					keys = append(keys, v)
				}
				sort.Strings(keys)
				var vs []string
				for _, v := range keys {
					vs = append(vs, strconv.Quote(v)+" = "+strconv.Quote(c.values[v]))
				}
				parts = append(parts, "values = { "+strings.Join(vs, ", ")+" }")
			}
			if c.dates != "" {
				parts = append(parts, "date_format = "+strconv.Quote(c.dates))
			}
			if c.thousands != "" {
				parts = append(parts, "decimal = "+strconv.Quote(c.decimal)+", thousands = "+strconv.Quote(c.thousands))
			}
			if len(parts) == 1 && c.header != "" {
				fmt.Fprintf(b, "%s = %s  # guess\n", n, strconv.Quote(c.header))
				continue
			}
			fmt.Fprintf(b, "%s = { %s }  # guess\n", n, strings.Join(parts, ", "))
		}
	}
	b.WriteByte('\n')
}
