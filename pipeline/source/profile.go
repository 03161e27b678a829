package source

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// ValueType is what a mapping profile may say about a column's values:
// date formats apply to Date columns, number formats to Number columns.
type ValueType int

// Value types of a Schema column.
const (
	TextValue ValueType = iota
	DateValue
	NumberValue
)

// Schema is the set of file kinds a mapping profile may configure, with
// their canonical columns. The caller (pipeline/ingest, from
// pipeline/contract) supplies it; this package knows no kinds.
type Schema []SchemaKind

// SchemaKind is one file kind of a Schema.
type SchemaKind struct {
	Name    string
	Columns []SchemaColumn
	// NeedsDate: a profile file-name pattern for this kind must hold a
	// {date} (extens: the extract date comes from the name).
	NeedsDate bool
}

// SchemaColumn is one canonical column of a SchemaKind.
type SchemaColumn struct {
	Name string
	Type ValueType
}

func (s Schema) kind(name string) (SchemaKind, bool) {
	for _, k := range s {
		if k.Name == name {
			return k, true
		}
	}
	return SchemaKind{}, false
}

func (s Schema) names() []string {
	out := make([]string, len(s))
	for i, k := range s {
		out[i] = k.Name
	}
	return out
}

// Profile is a kommun's mapping profile (mapping.toml; the format is
// docs/mapping.md). The zero Profile maps nothing and detects encoding
// and delimiter.
type Profile struct {
	// Path is the profile's file as given to LoadProfile (also when the
	// file does not exist: messages say where a mapping would go).
	Path string
	// Exists reports whether the file was there.
	Exists bool
	// Kinds holds the per-kind settings, keyed by file kind.
	Kinds map[string]KindProfile

	defaults settings
	schema   Schema
}

// settings are the keys that may be given at the top (for every kind) and
// per kind.
type settings struct {
	encoding   string
	delimiter  rune
	headerLine int
	dates      []DateFormat
	number     *NumberFormat
	where      map[string]string // key → "path:line"
}

// KindProfile is the mapping of one file kind.
type KindProfile struct {
	// Files are the kind's file-name patterns, in profile order.
	Files []NamePattern
	// Columns: canonical column name → its rule.
	Columns map[string]ColumnRule

	settings settings
}

// Options returns the Options for reading a file of the given kind:
// the kind's settings over the profile-wide ones, and for every column
// the profile's rule, with the kind's or profile's date and number
// formats on the Date and Number columns that set none of their own.
func (p Profile) Options(kind string) Options {
	k := p.Kinds[kind]
	pick := func(key string) (string, bool) {
		if w, ok := k.settings.where[key]; ok {
			return w, true
		}
		w, ok := p.defaults.where[key]
		return w, ok
	}
	o := Options{Encoding: p.defaults.encoding, Delimiter: p.defaults.delimiter, HeaderLine: p.defaults.headerLine,
		Profile: p.Path, Kind: kind}
	if _, ok := k.settings.where["encoding"]; ok {
		o.Encoding = k.settings.encoding
	}
	if _, ok := k.settings.where["delimiter"]; ok {
		o.Delimiter = k.settings.delimiter
	}
	if _, ok := k.settings.where["header_line"]; ok {
		o.HeaderLine = k.settings.headerLine
	}
	o.EncodingFrom, _ = pick("encoding")
	o.DelimiterFrom, _ = pick("delimiter")
	o.HeaderLineFrom, _ = pick("header_line")
	dates, datesFrom := p.defaults.dates, p.defaults.where["date_format"]
	if w, ok := k.settings.where["date_format"]; ok {
		dates, datesFrom = k.settings.dates, w
	}
	number, numberFrom := p.defaults.number, p.defaults.where["number"]
	if w, ok := k.settings.where["number"]; ok {
		number, numberFrom = k.settings.number, w
	}
	datesFrom, numberFrom = shortWhere(datesFrom, p.Path), shortWhere(numberFrom, p.Path)
	sk, _ := p.schema.kind(kind)
	for _, c := range sk.Columns {
		r, has := k.Columns[c.Name]
		switch {
		case c.Type == DateValue && r.Dates == nil && dates != nil:
			r.Dates, r.FormatFrom = dates, datesFrom
		case c.Type == NumberValue && r.Number == nil && number != nil:
			r.Number, r.FormatFrom = number, numberFrom
		case !has:
			continue
		}
		if o.Columns == nil {
			o.Columns = map[string]ColumnRule{}
		}
		o.Columns[c.Name] = r
	}
	return o
}

// shortWhere rewrites "path:line" with the profile's short name
// ("1402/mapping.toml:7"). Row rules name their line this way: the text
// goes into rejects and the database, which must not depend on where the
// inputs folder is.
func shortWhere(where, path string) string {
	if where == "" || path == "" {
		return where
	}
	return strings.Replace(where, path, shortName(path), 1)
}

// shortName is the profile's kommun folder and file name.
func shortName(path string) string {
	return filepath.ToSlash(filepath.Join(filepath.Base(filepath.Dir(path)), filepath.Base(path)))
}

// Classify returns the kind whose file pattern in the profile matches the
// base name of a file, the pattern, and the date the name carries (zero
// if the pattern has no {date}). ok is false when no pattern matches. A
// name matched by patterns of two kinds, or whose {date} is not a date,
// is an error naming the profile's lines.
func (p Profile) Classify(base string) (kind string, pat NamePattern, date time.Time, ok bool, err error) {
	for _, k := range p.schema.names() {
		for _, np := range p.Kinds[k].Files {
			d, hit, derr := np.Match(base)
			if !hit {
				continue
			}
			if ok {
				return "", NamePattern{}, time.Time{}, false, fmt.Errorf("matches the file patterns of two kinds: %s:%d (%s) and %s:%d (%s)",
					p.Path, pat.Line, kind, p.Path, np.Line, k)
			}
			if derr != nil {
				return "", NamePattern{}, time.Time{}, false, fmt.Errorf("%s:%d: %v", p.Path, np.Line, derr)
			}
			kind, pat, date, ok = k, np, d, true
		}
	}
	return kind, pat, date, ok, nil
}

// LoadProfile reads a mapping profile (docs/mapping.md) for the kinds of
// schema. A file that does not exist gives a Profile that maps nothing
// (Exists false) and no error. Every problem is an error naming the
// profile's path and line ("2281/mapping.toml:7: …"); all of them are
// gathered (errors.Join). Unknown keys, kinds, columns and code lists are
// errors: a misspelt key must not be ignored silently.
func LoadProfile(path string, schema Schema) (Profile, error) {
	p := Profile{Path: path, schema: schema}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return p, nil
	}
	if err != nil {
		return p, err
	}
	p.Exists = true
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(data) {
		return p, fmt.Errorf("%s: not UTF-8 (save the profile as UTF-8)", path)
	}
	var top map[string]any
	if _, err := toml.Decode(string(data), &top); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return p, fmt.Errorf("%s:%d: %s", path, pe.Position.Line, pe.Message)
		}
		return p, fmt.Errorf("%s: %v", path, err)
	}
	l := &loader{path: path, lines: keyLines(string(data)), schema: schema}
	p.defaults = l.settings(top, nil)
	lists := l.codeLists(top)
	for _, key := range sortedKeys(top) {
		if key == "codes" || settingKeys[key] {
			continue
		}
		sk, ok := schema.kind(key)
		if !ok {
			if _, table := top[key].(map[string]any); table {
				l.fail([]string{key}, "unknown kind [%s] (kinds: %s)", key, strings.Join(schema.names(), ", "))
			} else {
				l.fail([]string{key}, "unknown key %q", key)
			}
			continue
		}
		kp := l.kind(sk, top[key], lists)
		if p.Kinds == nil {
			p.Kinds = map[string]KindProfile{}
		}
		p.Kinds[key] = kp
	}
	if len(l.errs) > 0 {
		return Profile{Path: path, Exists: true, schema: schema}, errors.Join(l.errs...)
	}
	return p, nil
}

// settingKeys may appear at the top and in a kind.
var settingKeys = map[string]bool{
	"encoding": true, "delimiter": true, "header_line": true, "skip_lines": true,
	"date_format": true, "decimal": true, "thousands": true,
}

// loader gathers the problems of one profile.
type loader struct {
	path   string
	lines  map[string]int
	schema Schema
	errs   []error
}

// at returns "path:line" of a key path (the nearest defined parent's line).
func (l *loader) at(path []string) string {
	for n := len(path); n > 0; n-- {
		if line, ok := l.lines[pathKey(path[:n])]; ok {
			return l.path + ":" + strconv.Itoa(line)
		}
	}
	return l.path
}

func (l *loader) fail(path []string, format string, args ...any) {
	l.errs = append(l.errs, fmt.Errorf("%s: %s: %s", l.at(path), strings.Join(path, "."), fmt.Sprintf(format, args...)))
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (l *loader) str(path []string, v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		l.fail(path, "must be a string, not %s", tomlType(v))
	}
	return s, ok
}

func (l *loader) table(path []string, v any) (map[string]any, bool) {
	m, ok := v.(map[string]any)
	if !ok {
		l.fail(path, "must be a table, not %s", tomlType(v))
	}
	return m, ok
}

// strings accepts a string or an array of strings.
func (l *loader) strs(path []string, v any) ([]string, bool) {
	switch x := v.(type) {
	case string:
		return []string{x}, true
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				l.fail(path, "must be a string or a list of strings")
				return nil, false
			}
			out = append(out, s)
		}
		if len(out) == 0 {
			l.fail(path, "must not be an empty list")
			return nil, false
		}
		return out, true
	}
	l.fail(path, "must be a string or a list of strings, not %s", tomlType(v))
	return nil, false
}

func tomlType(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case int64:
		return "a number"
	case float64:
		return "a decimal number"
	case bool:
		return "true/false"
	case []any, []map[string]any:
		return "a list"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}

// settings reads the setting keys of the top level or of a kind (prefix).
func (l *loader) settings(m map[string]any, prefix []string) settings {
	s := settings{where: map[string]string{}}
	path := func(k string) []string { return append(append([]string(nil), prefix...), k) }
	if v, ok := m["encoding"]; ok {
		if str, ok := l.str(path("encoding"), v); ok {
			if enc, known := normEncoding(str); !known || enc == "" {
				l.fail(path("encoding"), "unknown encoding %q (use utf-8, windows-1252, utf-16, utf-16le or utf-16be)", str)
			} else {
				s.encoding = enc
				s.where["encoding"] = l.at(path("encoding"))
			}
		}
	}
	if v, ok := m["delimiter"]; ok {
		if str, ok := l.str(path("delimiter"), v); ok {
			r, size := utf8.DecodeRuneInString(str)
			if str == "tab" {
				r, size = '\t', len(str)
			}
			if size == 0 || size != len(str) || r >= utf8.RuneSelf || strings.ContainsRune("\" \r\n", r) {
				l.fail(path("delimiter"), "delimiter must be one ASCII character such as \";\", \",\" or \"\\t\", not %q", str)
			} else {
				s.delimiter = r
				s.where["delimiter"] = l.at(path("delimiter"))
			}
		}
	}
	hl, hasHL := m["header_line"]
	sl, hasSL := m["skip_lines"]
	switch {
	case hasHL && hasSL:
		l.fail(path("skip_lines"), "give header_line or skip_lines, not both")
	case hasHL:
		if n, ok := hl.(int64); !ok || n < 1 || n > 1000 {
			l.fail(path("header_line"), "must be a line number 1–1000 (the line of the file holding the header)")
		} else {
			s.headerLine = int(n)
			s.where["header_line"] = l.at(path("header_line"))
		}
	case hasSL:
		if n, ok := sl.(int64); !ok || n < 0 || n > 999 {
			l.fail(path("skip_lines"), "must be a number of lines 0–999 (lines above the header)")
		} else {
			s.headerLine = int(n) + 1
			s.where["header_line"] = l.at(path("skip_lines"))
		}
	}
	if v, ok := m["date_format"]; ok {
		if fs := l.dateFormats(path("date_format"), v); fs != nil {
			s.dates = fs
			s.where["date_format"] = l.at(path("date_format"))
		}
	}
	if nf, where, ok := l.number(m, prefix); ok {
		s.number = &nf
		s.where["number"] = where
	}
	return s
}

func (l *loader) dateFormats(path []string, v any) []DateFormat {
	list, ok := l.strs(path, v)
	if !ok {
		return nil
	}
	var out []DateFormat
	for _, s := range list {
		f, err := ParseDateFormat(s)
		if err != nil {
			l.fail(path, "%v", err)
			return nil
		}
		out = append(out, f)
	}
	return out
}

// number reads decimal and thousands from m, if either is there.
func (l *loader) number(m map[string]any, prefix []string) (NumberFormat, string, bool) {
	path := func(k string) []string { return append(append([]string(nil), prefix...), k) }
	dv, hasD := m["decimal"]
	tv, hasT := m["thousands"]
	if !hasD && !hasT {
		return NumberFormat{}, "", false
	}
	var nf NumberFormat
	good := true
	where := ""
	if hasD {
		where = l.at(path("decimal"))
		s, ok := l.str(path("decimal"), dv)
		switch {
		case !ok:
			good = false
		case s == "," || s == ".":
			nf.Decimal = rune(s[0])
		default:
			l.fail(path("decimal"), `must be "," or ".", not %q`, s)
			good = false
		}
	}
	if hasT {
		if where == "" {
			where = l.at(path("thousands"))
		}
		s, ok := l.str(path("thousands"), tv)
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case !ok:
			good = false
		case s == "":
		case size == len(s) && (r == ' ' || r == '.' || r == ',' || r == '\'' || r == '\u00A0' || r == '\u202F'):
			if r == '\u00A0' || r == '\u202F' {
				r = ' '
			}
			nf.Thousands = r
		default:
			l.fail(path("thousands"), `must be " ", ".", ",", "'" or "", not %q`, s)
			good = false
		}
	}
	if good && nf.Thousands != 0 && nf.Thousands == nf.Decimal {
		l.fail(path("thousands"), "the thousands and decimal separators must differ")
		good = false
	}
	if good && nf.Decimal == 0 && (nf.Thousands == ',' || nf.Thousands == '.') {
		nf.Decimal = ',' + '.' - nf.Thousands // the other one
	}
	return nf, where, good
}

// codeList is a named list of recodes ([codes.NAME]).
type codeList struct {
	values     map[string]string
	ignoreCase bool
	def        *string
	where      string
}

func (l *loader) codeLists(top map[string]any) map[string]codeList {
	lists := map[string]codeList{}
	v, ok := top["codes"]
	if !ok {
		return lists
	}
	m, ok := l.table([]string{"codes"}, v)
	if !ok {
		return lists
	}
	for _, name := range sortedKeys(m) {
		path := []string{"codes", name}
		t, ok := l.table(path, m[name])
		if !ok {
			continue
		}
		cl := codeList{where: l.at(path)}
		for _, key := range sortedKeys(t) {
			kp := append(append([]string(nil), path...), key)
			switch key {
			case "values":
				cl.values = l.recodes(kp, t[key])
			case "ignore_case":
				b, ok := t[key].(bool)
				if !ok {
					l.fail(kp, "must be true or false")
				}
				cl.ignoreCase = b
			case "default":
				if s, ok := l.str(kp, t[key]); ok {
					cl.def = &s
				}
			default:
				l.fail(kp, "unknown key %q in a code list (put recodes under [codes.%s.values]; other keys: ignore_case, default)", key, name)
			}
		}
		if cl.values == nil && cl.def == nil {
			l.fail(path, "code list has no values")
		}
		lists[name] = cl
	}
	return lists
}

// recodes reads a table of export value → canonical value.
func (l *loader) recodes(path []string, v any) map[string]string {
	t, ok := l.table(path, v)
	if !ok {
		return nil
	}
	out := make(map[string]string, len(t))
	for _, k := range sortedKeys(t) {
		if s, ok := l.str(append(append([]string(nil), path...), k), t[k]); ok {
			out[strings.TrimSpace(k)] = s
		}
	}
	return out
}

var kindKeys = map[string]bool{"file": true, "columns": true, "values": true}

func (l *loader) kind(sk SchemaKind, v any, lists map[string]codeList) KindProfile {
	kp := KindProfile{}
	m, ok := l.table([]string{sk.Name}, v)
	if !ok {
		return kp
	}
	for _, key := range sortedKeys(m) {
		if !settingKeys[key] && !kindKeys[key] {
			l.fail([]string{sk.Name, key}, "unknown key %q (keys of a kind: file, columns, encoding, delimiter, header_line, skip_lines, date_format, decimal, thousands)", key)
		}
	}
	kp.settings = l.settings(m, []string{sk.Name})
	if f, ok := m["file"]; ok {
		path := []string{sk.Name, "file"}
		if pats, ok := l.strs(path, f); ok {
			for _, s := range pats {
				np, err := ParseNamePattern(s)
				if err != nil {
					l.fail(path, "%v", err)
					continue
				}
				if sk.NeedsDate && !np.HasDate() {
					l.fail(path, "file pattern %q must hold the extract date as {date:FORMAT}, e.g. \"Extens_utdrag_{date:YYYYMMDD}.csv\"", s)
					continue
				}
				np.Line, _ = strconv.Atoi(strings.TrimPrefix(l.at(path), l.path+":"))
				kp.Files = append(kp.Files, np)
			}
		}
	}
	canon := map[string]SchemaColumn{}
	for _, c := range sk.Columns {
		canon[strings.ToLower(c.Name)] = c
	}
	column := func(path []string, name string) (SchemaColumn, bool) {
		c, ok := canon[strings.ToLower(name)]
		if !ok {
			l.fail(path, "unknown column %q of %s (columns: %s)", name, sk.Name, strings.Join(columnNames(sk), ", "))
		}
		return c, ok
	}
	if cv, ok := m["columns"]; ok {
		if t, ok := l.table([]string{sk.Name, "columns"}, cv); ok {
			for _, name := range sortedKeys(t) {
				path := []string{sk.Name, "columns", name}
				c, ok := column(path, name)
				if !ok {
					continue
				}
				if _, dup := kp.Columns[c.Name]; dup {
					l.fail(path, "column %s given twice", c.Name)
					continue
				}
				r, ok := l.column(path, c, t[name], lists)
				if !ok {
					continue
				}
				if kp.Columns == nil {
					kp.Columns = map[string]ColumnRule{}
				}
				kp.Columns[c.Name] = r
			}
		}
	}
	if vv, ok := m["values"]; ok { // v1: [kind.values.COLUMN] export value = canonical value
		if t, ok := l.table([]string{sk.Name, "values"}, vv); ok {
			for _, name := range sortedKeys(t) {
				path := []string{sk.Name, "values", name}
				c, ok := column(path, name)
				if !ok {
					continue
				}
				r := kp.Columns[c.Name]
				if r.Recode != nil {
					l.fail(path, "recodes for %s are given twice (here and in [%s.columns])", c.Name, sk.Name)
					continue
				}
				if r.Where == "" {
					r.Where = l.at(path)
				}
				r.Recode = l.recodes(path, t[name])
				if kp.Columns == nil {
					kp.Columns = map[string]ColumnRule{}
				}
				kp.Columns[c.Name] = r
			}
		}
	}
	return kp
}

func columnNames(sk SchemaKind) []string {
	out := make([]string, len(sk.Columns))
	for i, c := range sk.Columns {
		out[i] = c.Name
	}
	return out
}

var columnKeys = []string{"header", "extract", "codes", "values", "ignore_case", "default", "date_format", "decimal", "thousands"}

// column reads one entry of [kind.columns]: a header name, a list of
// header names, or a table of column keys.
func (l *loader) column(path []string, c SchemaColumn, v any, lists map[string]codeList) (ColumnRule, bool) {
	r := ColumnRule{Where: l.at(path)}
	t, isTable := v.(map[string]any)
	if !isTable {
		hs, ok := l.strs(path, v)
		if !ok {
			return r, false
		}
		r.Headers = hs
		return r, l.headersOK(path, r.Headers)
	}
	ok := true
	sub := func(k string) []string { return append(append([]string(nil), path...), k) }
	for _, key := range sortedKeys(t) {
		if !slices.Contains(columnKeys, key) {
			l.fail(sub(key), "unknown key %q (keys of a column: %s)", key, strings.Join(columnKeys, ", "))
			ok = false
		}
	}
	if hv, has := t["header"]; has {
		hs, good := l.strs(sub("header"), hv)
		if good && l.headersOK(sub("header"), hs) {
			r.Headers = hs
		} else {
			ok = false
		}
	}
	if ev, has := t["extract"]; has {
		if s, good := l.str(sub("extract"), ev); good {
			re, err := regexp.Compile(s)
			switch {
			case err != nil:
				l.fail(sub("extract"), "bad regular expression: %v", err)
				ok = false
			case re.NumSubexp() != 1:
				l.fail(sub("extract"), "the regular expression must have exactly one group ( … ), the part kept; it has %d", re.NumSubexp())
				ok = false
			default:
				r.Extract = re
				r.ExtractFrom = shortWhere(l.at(sub("extract")), l.path)
			}
		} else {
			ok = false
		}
	}
	if iv, has := t["ignore_case"]; has {
		b, good := iv.(bool)
		if !good {
			l.fail(sub("ignore_case"), "must be true or false")
			ok = false
		}
		r.IgnoreCase = b
	}
	if vv, has := t["values"]; has {
		r.Recode = l.recodes(sub("values"), vv)
	}
	if cv, has := t["codes"]; has {
		if name, good := l.str(sub("codes"), cv); good {
			cl, found := lists[name]
			if !found {
				l.fail(sub("codes"), "unknown code list %q (define it as [codes.%s])", name, name)
				ok = false
			} else {
				r.List = &CodeList{Name: name, Values: cl.values, IgnoreCase: cl.ignoreCase, Default: cl.def, Where: cl.where}
			}
		} else {
			ok = false
		}
	}
	if dv, has := t["default"]; has {
		if s, good := l.str(sub("default"), dv); good {
			r.Default = &s
		} else {
			ok = false
		}
	}
	if dv, has := t["date_format"]; has {
		if c.Type != DateValue {
			l.fail(sub("date_format"), "%s is not a date column", c.Name)
			ok = false
		} else if fs := l.dateFormats(sub("date_format"), dv); fs != nil {
			r.Dates = fs
			r.FormatFrom = shortWhere(l.at(sub("date_format")), l.path)
		} else {
			ok = false
		}
	}
	if _, hasD := t["decimal"]; hasD || t["thousands"] != nil {
		if c.Type != NumberValue {
			l.fail(path, "%s is not a number column: decimal and thousands do not apply", c.Name)
			ok = false
		} else if nf, where, good := l.number(t, path); good {
			r.Number = &nf
			r.FormatFrom = shortWhere(where, l.path)
		} else {
			ok = false
		}
	}
	return r, ok
}

func (l *loader) headersOK(path []string, hs []string) bool {
	for _, h := range hs {
		if normName(h) == "" {
			l.fail(path, "empty header name")
			return false
		}
	}
	return true
}
