package report

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"github.com/kaa-uppfoljning/kaa/pipeline/table"
	"github.com/kaa-uppfoljning/kaa/reports"
)

// Page is one study page.
type Page struct {
	Name     string // file stem, e.g. "s1" → s1.html; lowercase letters, digits, '_' and '-'
	Title    string // heading and navigation text, e.g. "S1 Uppföljning av aktualiserade"
	Template string // template file in reports/, e.g. "s1.html.tmpl"
	// RegionOnly: the page is published in the region scope only.
	RegionOnly bool
	// Tables and Staff are the study tables and staff lists of the page's
	// study, as its template declares them ("tables:", "staff:").
	Tables, Staff []string
	// Missing: the optional input columns whose absence changes the page's
	// figures, declared in its template ("missing" lines, see declLine).
	Missing []Missing
	// labels: the page's label declarations (see declLine), merged into
	// the dictionary of labels.go for the templates of reports/.
	labels []decl
}

// Site is everything published for one scope.
type Site struct {
	Scope      string // kommunkod or "region"
	ScopeLabel string // e.g. "Sundsvall (2281)"; Scope if empty
	AsOf       time.Time
	Pages      []Page                 // study pages in navigation order (the index comes first by itself)
	Tables     map[string]table.Table // by table name, already suppressed
	Notes      map[string]any         // method-note data by page name ("index" for the index page)
	// Only, when not empty, names the pages to write (the index is "index");
	// the navigation still lists every page. Nil writes every page.
	Only []string
	// Notices are data-quality notes shown at the top of a page, by page
	// name ("index" too): a warning that applies everywhere goes under
	// every page's name.
	Notices map[string][]string
	// Empty holds, by page name, the sentence of a study with no rows in
	// its period ("Inga uppgifter för perioden …"): the layout shows it
	// above the content and the page's charts are not drawn.
	Empty map[string]string
}

// Fact is a labelled value, for lists in method notes (parameters,
// data-quality figures): {{range .Notes.kvalitet}}{{.Label}}: {{value .Value}}{{end}}.
type Fact struct {
	Label string
	Value any
}

// The files of the template set.
const (
	LayoutTemplate = "layout.html.tmpl"
	IndexTemplate  = "index.html.tmpl"
	ReportTemplate = "rapport.html.tmpl"
	EChartsAsset   = "assets/echarts.min.js"
)

// ReportPage is the page with the whole report of a scope (the index and
// every study page in order, for printing to PDF); it comes last in the
// navigation.
const ReportPage = "rapport"

var pageNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// Render writes dir/index.html and dir/<page>.html for every page of s,
// from the templates embedded in package reports. It fails if
// reports/assets/echarts.min.js is missing (run `make assets`), if a
// template refers to a table or column that s does not have, or if a
// template fails.
func Render(dir string, s Site) error { return RenderFS(reports.FS, dir, s) }

// closesScript reports whether js holds "</script" in any case, which would
// end the <script> element it is inlined into.
func closesScript(js []byte) bool {
	for i := bytes.Index(js, []byte("</")); i >= 0; {
		if rest := js[i+2:]; len(rest) >= 6 && bytes.EqualFold(rest[:6], []byte("script")) {
			return true
		}
		j := bytes.Index(js[i+2:], []byte("</"))
		if j < 0 {
			break
		}
		i += 2 + j
	}
	return false
}

// RenderFS is Render with the templates and assets taken from fsys (laid
// out like the reports directory).
func RenderFS(fsys fs.FS, dir string, s Site) error {
	js, err := fs.ReadFile(fsys, EChartsAsset)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("report: reports/%s is missing: run `make assets` (then rebuild)", EChartsAsset)
	}
	if err != nil {
		return fmt.Errorf("report: read reports/%s: %w", EChartsAsset, err)
	}
	if closesScript(js) || bytes.Contains(js, []byte("<!--")) {
		return fmt.Errorf("report: reports/%s cannot be inlined into a <script> element", EChartsAsset)
	}

	pages := append([]Page{{Name: "index", Title: "Översikt", Template: IndexTemplate}}, s.Pages...)
	if _, err := fs.Stat(fsys, ReportTemplate); err == nil {
		pages = append(pages, Page{Name: ReportPage, Title: "Hela rapporten", Template: ReportTemplate})
	}
	seen := map[string]bool{}
	for _, p := range pages {
		if !pageNameRE.MatchString(p.Name) {
			return fmt.Errorf("report: page name %q: use lowercase letters, digits, '_' and '-'", p.Name)
		}
		if seen[p.Name] {
			return fmt.Errorf("report: page %q given twice (\"index\" is the start page)", p.Name)
		}
		seen[p.Name] = true
		if p.Template == "" {
			return fmt.Errorf("report: page %q has no template", p.Name)
		}
	}

	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	for i := range pages {
		if s.Only != nil && !slices.Contains(s.Only, pages[i].Name) {
			continue
		}
		var out []byte
		if pages[i].Name == ReportPage {
			out, err = renderReport(fsys, &s, pages, i, template.JS(js))
		} else {
			out, err = renderPage(fsys, &s, pages, i, template.JS(js))
		}
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, pages[i].Name+".html"), out, 0o644); err != nil {
			return fmt.Errorf("report: %w", err)
		}
	}
	return nil
}

// NavItem is a page in the navigation.
type NavItem struct {
	Name, Title, Href string
	Current           bool
}

// PageData is the dot of every template; see the package doc.
type PageData struct {
	Scope      string
	ScopeLabel string
	AsOf       string
	Page       NavItem
	Pages      []NavItem
	Notes      any
	Notices    []string // Site.Notices of the page
	Empty      string   // Site.Empty of the page
	ECharts    template.JS
	// InReport is true when the content is a section of the whole report
	// (rapport.html): links to other pages then go to their sections.
	InReport bool
	// Sections are the pages' contents, in order (rapport.html only).
	Sections []Section
	// Overviews and Periods are, on the index only, what each page's
	// templates "overview" (its key figures, an <li>) and "period" (its
	// period, <dt> and <dd>) give, in page order; a page without one is
	// left out. They are executed with the index's data and funcs.
	Overviews, Periods []template.HTML
}

// Section is one page's content within the whole report.
type Section struct {
	Name, Title string
	HTML        template.HTML
}

// pageData is the template data of page idx.
func pageData(s *Site, pages []Page, idx int, js template.JS, inReport bool) PageData {
	p := pages[idx]
	data := PageData{
		Scope:      s.Scope,
		ScopeLabel: s.ScopeLabel,
		AsOf:       table.FormatDate(s.AsOf),
		Notes:      s.Notes[p.Name],
		Notices:    s.Notices[p.Name],
		Empty:      s.Empty[p.Name],
		ECharts:    js,
		InReport:   inReport,
	}
	if data.ScopeLabel == "" {
		data.ScopeLabel = s.Scope
	}
	if data.Notes == nil {
		data.Notes = map[string]any{}
	}
	for i, q := range pages {
		href := q.Name + ".html"
		if inReport && q.Name != ReportPage {
			href = "#" + q.Name
		}
		item := NavItem{Name: q.Name, Title: q.Title, Href: href, Current: i == idx}
		data.Pages = append(data.Pages, item)
		if i == idx {
			data.Page = item
		}
	}
	return data
}

// pageRoom is the room a page's buffer is given beyond the inlined
// ECharts library: most pages fit, so the buffer grows at most once.
const pageRoom = 256 << 10

func renderPage(fsys fs.FS, s *Site, pages []Page, idx int, js template.JS) ([]byte, error) {
	p := pages[idx]
	r := &pageRenderer{site: s, page: p}
	t, err := template.New(LayoutTemplate).Funcs(r.funcs()).ParseFS(fsys, LayoutTemplate, p.Template)
	if err != nil {
		return nil, fmt.Errorf("report: page %q: %w", p.Name, err)
	}
	if t.Lookup("content") == nil {
		return nil, fmt.Errorf("report: page %q: template %s does not define \"content\"", p.Name, p.Template)
	}
	data := pageData(s, pages, idx, js, false)
	if err := indexParts(fsys, r, s, &data); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	buf.Grow(len(js) + pageRoom) // the inlined library is most of a page
	if err := t.ExecuteTemplate(&buf, LayoutTemplate, data); err != nil {
		return nil, fmt.Errorf("report: page %q (template %s): %w", p.Name, p.Template, err)
	}
	return buf.Bytes(), nil
}

// renderReport renders rapport.html: the content of every other page in
// order, each in a section that starts a new printed page.
func renderReport(fsys fs.FS, s *Site, pages []Page, idx int, js template.JS) ([]byte, error) {
	charts := 0
	var sections []Section
	for i, p := range pages {
		if i == idx {
			continue
		}
		r := &pageRenderer{site: s, page: p}
		// the layout too, for the partials it defines (e.g. "skydd")
		t, err := template.New(p.Template).Funcs(r.funcs()).ParseFS(fsys, LayoutTemplate, p.Template)
		if err != nil {
			return nil, fmt.Errorf("report: page %q: %w", p.Name, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("report: page %q: template %s does not define \"content\"", p.Name, p.Template)
		}
		data := pageData(s, pages, i, js, true)
		if err := indexParts(fsys, r, s, &data); err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := t.ExecuteTemplate(&buf, "content", data); err != nil {
			return nil, fmt.Errorf("report: page %q (template %s, in %s.html): %w", p.Name, p.Template, ReportPage, err)
		}
		charts += r.nCharts
		sections = append(sections, Section{Name: p.Name, Title: p.Title, HTML: template.HTML(buf.String())})
	}
	p := pages[idx]
	r := &pageRenderer{site: s, page: p, nCharts: charts}
	t, err := template.New(LayoutTemplate).Funcs(r.funcs()).ParseFS(fsys, LayoutTemplate, p.Template)
	if err != nil {
		return nil, fmt.Errorf("report: page %q: %w", p.Name, err)
	}
	data := pageData(s, pages, idx, js, false)
	data.Sections = sections
	var buf bytes.Buffer
	buf.Grow(len(js) + pageRoom) // the inlined library is most of a page
	if err := t.ExecuteTemplate(&buf, LayoutTemplate, data); err != nil {
		return nil, fmt.Errorf("report: page %q (template %s): %w", p.Name, p.Template, err)
	}
	return buf.Bytes(), nil
}

// indexParts fills the index's Overviews and Periods (data is the index's
// when data.Page.Name is "index"; other pages are left alone) from the
// templates of the site's pages, executed with r's funcs.
func indexParts(fsys fs.FS, r *pageRenderer, s *Site, data *PageData) error {
	if data.Page.Name != "index" {
		return nil
	}
	for _, p := range s.Pages {
		t, err := template.New(p.Template).Funcs(r.funcs()).ParseFS(fsys, LayoutTemplate, p.Template)
		if err != nil {
			return fmt.Errorf("report: page %q: %w", p.Name, err)
		}
		for _, part := range []struct {
			name string
			into *[]template.HTML
		}{{"overview", &data.Overviews}, {"period", &data.Periods}} {
			if t.Lookup(part.name) == nil {
				continue
			}
			var buf bytes.Buffer
			if err := t.ExecuteTemplate(&buf, part.name, *data); err != nil {
				return fmt.Errorf("report: page %q (template %s, %q on the index): %w", p.Name, p.Template, part.name, err)
			}
			*part.into = append(*part.into, template.HTML(buf.String()))
		}
	}
	return nil
}

// Link is the navigation item of the page with the given name, nil if the
// scope has no such page: {{with .Link "s1"}}<a href="{{.Href}}">…{{end}}.
func (d PageData) Link(name string) *NavItem {
	for i := range d.Pages {
		if d.Pages[i].Name == name {
			return &d.Pages[i]
		}
	}
	return nil
}
