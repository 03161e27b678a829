package inspect

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kaa-uppfoljning/kaa/pipeline/personnummer"
	"github.com/kaa-uppfoljning/kaa/pipeline/source"
)

// maxGroups bounds the rejected-value groups listed per file.
const maxGroups = 12

// Write prints the report: one block per file, then a summary line.
func (r Report) Write(w io.Writer) error {
	var b strings.Builder
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "%s\n", p)
	}
	files, good := 0, 0
	for _, k := range r.Kommuner {
		prof := "none (" + k.Profile.Path + " does not exist)"
		if k.Profile.Exists {
			prof = k.Profile.Path
		}
		if k.ProfileErr != nil {
			fmt.Fprintf(&b, "kommun %s: mapping profile %s cannot be used; its files are not inspected:\n%s\n\n", k.Code, k.Profile.Path, indent(k.ProfileErr.Error(), "  "))
			continue
		}
		fmt.Fprintf(&b, "kommun %s: mapping profile %s\n\n", k.Code, prof)
		for _, f := range k.Files {
			files++
			if f.OK(r.MaxRejectShare) {
				good++
			}
			f.write(&b, r.MaxRejectShare)
			b.WriteByte('\n')
		}
	}
	verdict := "every file would load within the gates"
	if !r.OK() {
		verdict = "NOT every file would load within the gates: a run would stop"
	}
	fmt.Fprintf(&b, "%d files, %d would load within the gates (max_reject_share %s): %s\n", files, good, formatShare(r.MaxRejectShare), verdict)
	_, err := io.WriteString(w, b.String())
	return err
}

func indent(s, by string) string {
	return by + strings.ReplaceAll(s, "\n", "\n"+by)
}

func (f File) write(b *strings.Builder, maxShare float64) {
	fmt.Fprintf(b, "%s\n", f.Path)
	line := func(key, format string, args ...any) {
		fmt.Fprintf(b, "  %-10s %s\n", key, fmt.Sprintf(format, args...))
	}
	if f.NameErr != nil {
		line("kind", "none: %v", f.NameErr)
		if f.Guessed == "" {
			line("verdict", "%s", f.Verdict(maxShare))
			return
		}
	}
	key, kind := "kind", f.Match.Kind.Name+", by "+f.Match.Rule
	if f.Guessed != "" {
		key, kind = "guess", "the name reads like "+kind+"; read as such below"
	}
	if !f.Match.Date.IsZero() {
		what := "date"
		if f.Match.Kind.Dated {
			what = "extract date"
		}
		kind += "; " + what + " " + f.Match.Date.Format("2006-01-02")
	}
	line(key, "%s", kind)
	if f.OpenErr != nil {
		line("error", "%s", strings.ReplaceAll(f.OpenErr.Error(), "\n", "\n             "))
		if len(f.Header) > 0 {
			var names []string
			for _, h := range f.Header {
				names = append(names, strconv.Quote(personnummer.Redact(h.Name))) // a data row read as the header may hold one
			}
			line("headers", "%s (line %d)", strings.Join(names, ", "), max(f.Options.HeaderLine, 1))
		}
		line("verdict", "%s", f.Verdict(maxShare))
		return
	}
	line("encoding", "%s (%s)", f.Encoding, from(f.Options.EncodingFrom, "detected"))
	line("delimiter", "%s (%s)", f.Delimiter, from(f.Options.DelimiterFrom, "detected"))
	hl := max(f.Options.HeaderLine, 1)
	line("header", "line %d (%s)", hl, from(f.Options.HeaderLineFrom, "the first line"))
	width := 0
	for _, fl := range f.Fields {
		width = max(width, utf8.RuneCountInString(personnummer.Redact(fl.Name)))
	}
	for i, fl := range f.Fields {
		key := ""
		if i == 0 {
			key = "columns"
		}
		name := strconv.Quote(personnummer.Redact(fl.Name))
		pad := strings.Repeat(" ", max(2, width+4-utf8.RuneCountInString(name)))
		var what string
		switch {
		case len(fl.Columns) > 0:
			var cols []string
			for _, c := range fl.Columns {
				cols = append(cols, c+steps(f.Options.Columns[c]))
			}
			what = "→ " + strings.Join(cols, ", ")
		case personalData(fl.Name):
			what = "dropped: personal data (never read)"
		default:
			what = "ignored (not in the contract, never read)"
		}
		line(key, "%s%s%s", name, pad, what)
	}
	if len(f.Missing) > 0 {
		var names []string
		for _, m := range f.Missing {
			n := m.Column
			if m.Required {
				n += " (required)"
			}
			names = append(names, n)
		}
		line("missing", "%s", strings.Join(names, ", "))
	}
	share := ""
	if f.Read > 0 {
		share = fmt.Sprintf(" (%.1f %%)", 100*float64(f.Rejected)/float64(f.Read))
	}
	line("rows", "read %d, would load %d, rejected %d%s, excluded %d (skyddad)", f.Read, f.Loaded, f.Rejected, share, f.Excluded)
	for i, g := range f.Rejects {
		key := ""
		if i == 0 {
			key = "rejected"
		}
		if i == maxGroups {
			rest := 0
			for _, h := range f.Rejects[i:] {
				rest += h.Count
			}
			line(key, "… %d more rows in %d more groups", rest, len(f.Rejects)-i)
			break
		}
		field := g.Field
		if field == "" {
			field = "(row)"
		}
		switch {
		case g.Values > 1:
			line(key, "%s: %s ×%d, %d different values (e.g. %s at line %d)", field, g.Rule, g.Count, g.Values, strconv.Quote(g.Value), g.Line)
		case g.Value == "" && g.Field == "":
			line(key, "%s: %s ×%d (first at line %d)", field, g.Rule, g.Count, g.Line)
		default:
			line(key, "%s: %s: %s ×%d (first at line %d)", field, g.Rule, strconv.Quote(g.Value), g.Count, g.Line)
		}
	}
	v := f.Verdict(maxShare)
	if v == "" {
		v = "ok"
	}
	line("verdict", "%s", v)
}

func from(where, otherwise string) string {
	if where == "" {
		return otherwise
	}
	return where
}

// steps describes a column's profile rule: " (extract, codes \"sys\", date …)".
func steps(r source.ColumnRule) string {
	var s []string
	if r.Extract != nil {
		s = append(s, "extract")
	}
	if r.Recode != nil {
		s = append(s, "recoded")
	}
	if r.List != nil {
		s = append(s, "codes "+strconv.Quote(r.List.Name))
	}
	if r.Default != nil {
		s = append(s, "default "+strconv.Quote(*r.Default))
	}
	if r.Dates != nil {
		var fs []string
		for _, d := range r.Dates {
			fs = append(fs, d.String())
		}
		s = append(s, "date "+strings.Join(fs, " or "))
	}
	if r.Number != nil {
		s = append(s, "number "+r.Number.String())
	}
	if len(s) == 0 {
		return ""
	}
	return " (" + strings.Join(s, ", ") + ")"
}

// personalTokens are the words of a header that names personal data:
// names, addresses, phone numbers, e-mail (inputs.md: such columns are
// never stored).
var personalTokens = map[string]bool{
	"namn": true, "fornamn": true, "efternamn": true, "tilltalsnamn": true, "mellannamn": true, "fullstandigtnamn": true,
	"name": true, "firstname": true, "lastname": true, "surname": true,
	"adress": true, "gatuadress": true, "postadress": true, "bostadsadress": true, "hemadress": true, "co": true, "address": true,
	"telefon": true, "telefonnummer": true, "tel": true, "telnr": true, "hemtelefon": true, "mobil": true, "mobilnr": true,
	"mobilnummer": true, "mobiltelefon": true, "phone": true,
	"epost": true, "epostadress": true, "email": true, "mail": true, "mejl": true,
}

// personalData reports whether a header names personal data.
func personalData(header string) bool {
	for _, tok := range tokens(fold(header)) {
		if personalTokens[tok] {
			return true
		}
	}
	return false
}

// fold lowercases s and writes å ä ö é ü as a a o e u, for comparing
// names and values.
func fold(s string) string {
	s = strings.ToLower(s)
	return strings.NewReplacer("å", "a", "ä", "a", "ö", "o", "é", "e", "è", "e", "ü", "u", "-", "").Replace(s)
}

// tokens splits a folded string at everything but letters and digits.
func tokens(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
}
