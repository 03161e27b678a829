// Package report renders the study tables of one scope into offline,
// self-contained HTML pages in Swedish: exact tables with method notes for
// the evaluators (printable to PDF on A4) and charts for the steering
// group.
//
// # Swedish words for codes
//
// The table files keep the codes and column names of studies.md (they are
// the interface); the pages speak Swedish. labels.go is the one label
// dictionary: codes → words per column ("KVAR_I_KAA" → "Kvar i KAA"),
// column names → headings with å/ä/ö ("mal_uppnatt" → "Mål uppnått"),
// what a count counts (units, for axis titles), the colours of S7's
// nivåer, and kommunkoder → "Sundsvall (2281)" (from reference/
// kommuner.csv). A study's own words (its tables' "table.column" headings,
// codes, units and formats) are declared in its page template's leading
// comment and merged into it at start (see declLine). Every table cell, chart category, legend, heading and
// note goes through it; [CodesIn] finds codes in a page's visible text,
// and the tests check that every code of pipeline/contract, of the spec's
// closed lists and of every published table has a label. Each HTML table
// links its CSV and Parquet file and lists, folded away, the file's column
// names and codes with their words.
//
// # Pages and templates
//
// [Render] writes dir/index.html (template index.html.tmpl), one
// dir/<page>.html per [Page] from the templates embedded in package
// reports (top-level directory reports/), and, when reports/ has
// rapport.html.tmpl, dir/rapport.html ("Hela rapporten"): the content of
// every other page in order, each section starting a new printed page, for
// printing to PDF (there .InReport is true and links to pages go to their
// sections). Every page is executed inside reports/layout.html.tmpl, which
// holds the head (inlined CSS for screen, phone width and A4 print), the
// header (scope and as-of date), the navigation (folded away at phone
// width), the footer and, when the page has charts, the inlined ECharts
// script. A page template defines the block "content", and may define
// "overview" and "period": its key figures and its period on the index,
// which renders them in page order with the index's data ([PageData]
// .Overviews, .Periods):
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
//	.InReport    true when the content is a section of rapport.html
//	.Link NAME   the navigation item of page NAME (nil if the scope has none)
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
//	    The table as HTML: headings and codes in Swedish words (the
//	    dictionary), counts as integers (thousands grouped with a space
//	    from 10 000), shares as whole percent "42 %", other decimals with a
//	    decimal comma (at most 4 decimals), dates YYYY-MM-DD, suppressed
//	    cells as "<5", missing cells blank; then links to the table's CSV
//	    and Parquet files. Options: "where=COL:VALUE" (keep rows whose COL
//	    is VALUE, or one of VALUE|VALUE…; may be repeated), "cols=a,b,c"
//	    (these columns in this order), "transpose=COL" (one column per row,
//	    headed by its COL; for a few wide rows), "caption=TEXT".
//	crosstab NAME rows=A[,B] cols=C[,D] values=V[,W…] [OPTION...]
//	    A long table as a matrix: a row per value of A (and B), a column
//	    per value of C (and D) and in each cell V (and W…); at most two
//	    heading levels. The files stay long. "missing=TEXT" fills
//	    combinations without a row (e.g. "0" for codes listed as they
//	    occur); where= and caption= as for table.
//	chart KIND NAME CATEGORY VALUE... [OPTION...]
//	    A chart of the table: CATEGORY is the column on the category axis
//	    (or the pie's slices), each VALUE column is one series. Share
//	    columns are drawn in whole percent (as in the table), counts as
//	    they are; one chart cannot mix shares and other values.
//	    Categories, series and legends are the codes' Swedish words. Both
//	    axes are named: the category axis by the category column's
//	    heading, the value axis by the value column's heading and unit
//	    ("Andel av kohorten (%)", "Antal (personer)"). A value hidden by
//	    suppression is drawn as its marker "<5" where its bar or point
//	    would be; a missing one is left out; the caption says so. A chart
//	    with no data says "Inga uppgifter". Under each chart: PNG and SVG
//	    download and the table's files.
//	    Options: "where=COL:VALUE" (repeatable, VALUE|VALUE…), "series=COL"
//	    (one series per value of COL, e.g. kön; exactly one VALUE column;
//	    codes with a colour in the dictionary, e.g. S7's nivå, get it),
//	    "goal=COL" or "goal=NUMBER" (a goal line, in the unit of the
//	    table, e.g. goal=mal or goal=0.5 for shares; bars at or above it
//	    are green, below orange), "ref=NUMBER" (a reference line, bars keep
//	    their colours; in a forest chart labelled "Alla", "ref=" draws
//	    none), "stack=true" (stacked bars), "overlap=true" (nested counts,
//	    widest first, drawn over each other: cumulative measures such as
//	    S8's chain), "low=COL" "high=COL" (an interval per value, e.g.
//	    low=andel_lag high=andel_hog: error bars on bars and forest points,
//	    a band around a line; one VALUE column; hidden where suppressed),
//	    "axis=TEXT" and "catAxis=TEXT" (the axis titles), "height=PX",
//	    "caption=TEXT" (text under the chart). Keep a cumulative measure (a
//	    total to date) out of a chart of monthly ones: its scale would
//	    flatten them.
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
//	label COL CODE, header COL
//	    A code's words and a column's heading from the dictionary; COL may
//	    be "table.column" ({{label "s6_manad.matt" "totalt"}}). For notes.
//	rows NAME [where=…], last ROWS, maxrow/minrow NAME COL [where=…]
//	    Rows as maps of formatted cells by column name (codes as words; the
//	    raw value under "<col>_raw"), the last of them, the row with the
//	    largest or smallest COL: for the overview's sentences. num RAW
//	    reads a raw value as a number (NaN if none), pvalue RAW writes a
//	    p-value for a reader ("p = 0,41"), lower TEXT in lower case.
//	sum NAME COL [where=…], nonzero NAME COL [where=…]
//	    The sum of COL ("" if a cell is suppressed), the number of rows
//	    whose COL is not 0.
//	few TEXT, fewshare TEXT
//	    A suppressed count or share in words for a sentence ("färre än 5",
//	    "färre än 5 personer"); other text as it is.
//	month X, place SCOPE, kommun KOD
//	    "februari 2021"; "i Sundsvall" or "i regionen"; "Sundsvall (2281)".
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
// deterministic. The page's script fits the category labels to the width
// (wrapping, or turning them when many), draws the suppression markers,
// resizes the charts to the A4 text width before printing and gives their
// SVG a viewBox so that print CSS can shrink a chart drawn for a wider
// screen; window.kaaCharts exposes the charts and their PNG and SVG
// images (for the download buttons and the tests). Element ids are "kaa-<page>-chart-<n>" (n counts the
// charts of the page from 1). The chart options are embedded as JSON in a
// <script type="application/json"> element with '<', '>' and '&' written
// as \u003c, \u003e, \u0026, so that table text can never close the script
// element; ECharts draws all text as SVG text, and the tooltip uses
// ECharts' rich-text mode (no HTML), so no table text is ever parsed as
// HTML. Tables are rendered with html/template (auto-escaping).
package report
