package report

import (
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// pageHead is a page template's leading comment: its first lines
// "title: <navigation text>" and optionally "scope: region".
var pageHead = regexp.MustCompile(`\A\{\{- /\*\n  title: ([^\n]+)\n(?:  scope: (region)\n)?`)

// declLine is one declaration of a page's leading comment, right after its
// title (and scope) lines; the first other line ends them:
//
//	tables: <table>, <table>                the study tables the page shows (its
//	                                        models: built and published with it)
//	staff: <list>, <list>                   the staff lists (sql/staff) of its study
//	heading <table>.<column>: <text>        the column's heading in HTML
//	unit <table>.<column>: <word>           what the column counts, for axis titles
//	code <table>.<column> <code>: <label>   a code's label in that column
//	codes <table>.<column>: <list>          the column's codes are a shared list
//	                                        of labels.go or another declared column's
//	codesby <table>.<column>: <column>      the column's codes are those of the code
//	                                        list the row's other column names (S9's varde)
//	format <table>.<column>: halfyear|percent
//	missing <kind>.<Column>: <text>         an optional input column absent from a used
//	                                        file changes this page: how (a data-quality note)
//
// A column key may leave out the table (every table's column).
var declLine = regexp.MustCompile(`^  (heading|unit|code|codes|codesby|format|missing) ([A-Za-z0-9_:]+(?:\.[A-Za-z0-9_]+)?)(?: ([^:\s]+))?: (\S.*)$`)

// memberLine is a declLine naming the page's tables or staff lists.
var memberLine = regexp.MustCompile(`^  (tables|staff): ([a-z][a-z0-9_]*(?:, [a-z][a-z0-9_]*)*)$`)

// decl is a parsed declLine.
type decl struct {
	kind, key, code, value string
}

// Missing says what an optional input column absent from a used file
// changes on a page: Column "kind.Column", Text how, as the note ends.
type Missing struct {
	Column, Text string
}

// Pages discovers the study pages from the templates in fsys: every
// <name>.html.tmpl but the layout, the index and the whole report is a
// page named <name>, whose leading comment starts with its title
// ("title: Uppföljning av aktualiserade för KAA") and, for a page of the
// region scope only, "scope: region", then the page's declarations
// (declLine: its labels and the input columns its figures need). Order: the studies s<N> by N, then
// the other pages by name. A template without a title is an error naming
// it.
func Pages(fsys fs.FS) ([]Page, error) {
	files, err := fs.Glob(fsys, "*.html.tmpl")
	if err != nil {
		return nil, err
	}
	var out []Page
	for _, f := range files {
		if f == LayoutTemplate || f == IndexTemplate || f == ReportTemplate {
			continue
		}
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		m := pageHead.FindSubmatch(b)
		if m == nil {
			return nil, fmt.Errorf("reports/%s: the leading comment does not start with \"title: <the page's title>\"", f)
		}
		p := Page{Name: strings.TrimSuffix(f, ".html.tmpl"), Title: string(m[1]), Template: f, RegionOnly: len(m[2]) > 0}
		head, _, _ := strings.Cut(string(b[len(m[0]):]), "*/")
		for _, line := range strings.Split(head, "\n") {
			if mm := memberLine.FindStringSubmatch(line); mm != nil {
				names := strings.Split(mm[2], ", ")
				if mm[1] == "tables" {
					p.Tables = append(p.Tables, names...)
				} else {
					p.Staff = append(p.Staff, names...)
				}
				continue
			}
			d := declLine.FindStringSubmatch(line)
			if d == nil {
				break
			}
			if (d[1] == "code") != (d[3] != "") {
				return nil, fmt.Errorf("reports/%s: %q: only a code line names a code before the colon", f, strings.TrimSpace(line))
			}
			if d[1] == "missing" {
				p.Missing = append(p.Missing, Missing{Column: d[2], Text: d[4]})
				continue
			}
			p.labels = append(p.labels, decl{kind: d[1], key: d[2], code: d[3], value: d[4]})
		}
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, aok := studyNumber(out[i].Name)
		b, bok := studyNumber(out[j].Name)
		if aok != bok {
			return aok
		}
		if aok {
			return a < b
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// studyNumber is N of a study's name s<N>.
func studyNumber(name string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimPrefix(name, "s"))
	return n, err == nil && strings.HasPrefix(name, "s")
}
