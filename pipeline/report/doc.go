// Package report renders the study tables of one scope into offline,
// self-contained HTML pages in Swedish: exact tables with method notes for
// the evaluators (printable to PDF on A4) and charts for the steering
// group.
//
// # Pages and templates
//
// [Render] writes dir/index.html (template index.html.tmpl) and one
// dir/<page>.html per [Page] from the templates embedded in package
// reports (top-level directory reports/). Every page is executed inside
// reports/layout.html.tmpl, which holds the head (inlined CSS for screen
// and print), the header (scope and as-of date), the navigation (relative
// links to all pages), the footer and, when the page has charts, the
// inlined ECharts script. A page template defines the block "content":
//
//	{{define "content"}}
//	<h2>Status vid uppföljningen</h2>
//	{{chart "bar" "s1_status" "status" "andel"}}
//	{{table "s1_status"}}
//	{{end}}
//
// The pages load nothing from the network: no CDN, no external src or
// href. ECharts comes from reports/assets/echarts.min.js, fetched by
// `make assets`; Render fails with "run `make assets`" if it is missing.
//
// # Template data
//
// The dot of every template is a page value with the fields
//
//	.Scope       kommunkod or "region"
//	.ScopeLabel  display name of the scope, e.g. "Sundsvall (2281)"
//	.AsOf        report date, "YYYY-MM-DD"
//	.Page        this page: .Name, .Title, .Href
//	.Pages       all pages incl. the index, in order: .Name, .Title, .Href, .Current
//	.Notes       Site.Notes[page name] (an empty map[string]any if none):
//	             parameters and data-quality figures for the method notes
//	.Notices     Site.Notices[page name]: data-quality notes the layout
//	             shows at the top of the page (an old Extens extract, a
//	             column missing from an input file)
//	.Empty       Site.Empty[page name]: "Inga uppgifter för perioden …"
//	             for a study with no rows in its period; the layout shows
//	             it and chart draws a short note instead of a chart
//
// # Template functions
//
// Tables are named as in docs studies.md (e.g. "s1_status"). A table that
// is not in Site.Tables, or a column that is not in the table, fails the
// rendering with an error that names the template and the table: a page
// never silently shows a blank.
//
//	table NAME [OPTION...]
//	    The table as HTML: column names as in the spec (first letter
//	    capitalised by CSS only), counts as integers (thousands grouped
//	    with a space from 10 000), shares as whole percent "42 %",
//	    other decimals with a decimal comma (at most 4 decimals), dates
//	    YYYY-MM-DD, suppressed cells as "<5", missing cells blank.
//	    Options: "where=COL:VALUE" (keep rows whose COL is VALUE, or one of
//	    VALUE|VALUE…; may be repeated), "cols=a,b,c" (these columns in this order),
//	    "caption=TEXT".
//	chart KIND NAME CATEGORY VALUE... [OPTION...]
//	    A chart of the table: CATEGORY is the column on the category axis
//	    (or the pie's slices), each VALUE column is one series. Share
//	    columns are drawn in whole percent (as in the table), counts as
//	    they are; one chart cannot mix shares and other values.
//	    Suppressed and missing values are left out, and the caption then
//	    says so. Options: "where=COL:VALUE" (repeatable), "series=COL"
//	    (one series per value of COL, e.g. kön; exactly one VALUE column),
//	    "goal=COL" or "goal=NUMBER" (a goal line, in the unit of the
//	    table, e.g. goal=mal or goal=0.5 for shares; bars at or above it
//	    are green, below orange), "stack=true" (stacked bars),
//	    "height=PX", "caption=TEXT" (text under the chart),
//	    "low=COL" "high=COL" (an interval per value, e.g. low=andel_lag
//	    high=andel_hog: error bars on bars and forest points, a band around
//	    a line; one VALUE column; hidden where suppressed), "ref=NUMBER"
//	    (forest only: a dashed reference line labelled "Alla", in the
//	    table's unit; "ref=" draws none).
//	cell NAME COL [where=COL:VALUE...]
//	    One cell formatted as in table; exactly one row must match.
//	nrows NAME
//	    The number of rows of the table.
//	has NAME
//	    Whether the table is in Site.Tables (for optional sections).
//	value X
//	    Any value Swedish style: integers grouped, decimal comma, dates
//	    YYYY-MM-DD, bool Ja/Nej, nil "–". For method notes.
//	pct X
//	    A fraction 0..1 as whole percent: 0.4167 → "42 %".
//	date X
//	    A time.Time (or string) as YYYY-MM-DD.
//	charted
//	    (for the layout) whether the page rendered any chart, i.e. whether
//	    ECharts must be inlined.
//
// # Chart kinds
//
//	bar   vertical bars; several VALUE columns or series=COL give grouped bars
//	hbar  horizontal bars (long category names, many categories)
//	pie   a donut of one VALUE column (no series=)
//	line  lines over the categories in table order (a trend over months)
//	forest  a point per category (top to bottom) with its interval
//	        (low=, high=) and a reference line (ref=): S9's share to studies
//	        per value of a background factor, one chart per factor
//
// A goal line (goal=) works with bar, hbar and line: the delmål bars of S2
// against their threshold are
//
//	{{chart "bar" "s2_delmal" "bas" "andel" "where=delmal:1" "goal=mal"}}
//
// Charts are built with go-echarts (option structs only; its page
// templates and its CDN asset host are never used) and drawn by ECharts in
// the browser with the SVG renderer and animation off, so a screenshot is
// deterministic. Element ids are "kaa-<page>-chart-<n>" (n counts the
// charts of the page from 1). The chart options are embedded as JSON in a
// <script type="application/json"> element with '<', '>' and '&' written
// as \u003c, \u003e, \u0026, so that table text can never close the script
// element; ECharts draws all text as SVG text, and the tooltip uses
// ECharts' rich-text mode (no HTML), so no table text is ever parsed as
// HTML. Tables are rendered with html/template (auto-escaping).
package report
