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

// Pages discovers the study pages from the templates in fsys: every
// <name>.html.tmpl but the layout, the index and the whole report is a
// page named <name>, whose leading comment starts with its title
// ("title: Uppföljning av aktualiserade för KAA") and, for a page of the
// region scope only, "scope: region". Order: the studies s<N> by N, then
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
		out = append(out, Page{Name: strings.TrimSuffix(f, ".html.tmpl"), Title: string(m[1]), Template: f, RegionOnly: len(m[2]) > 0})
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
