// Package reports holds the HTML page templates of the published reports
// and their assets, embedded into the binary. pipeline/report renders
// them; its package doc describes the template data and functions.
//
//   - layout.html.tmpl — the frame of every page: head with the inlined
//     CSS (screen and print) and ECharts, header, navigation, footer. It
//     executes the template "content" that each page file defines.
//   - index.html.tmpl  — the scope's start page (written as index.html).
//   - <page>.html.tmpl — one study page, e.g. s1.html.tmpl.
//   - rapport.html.tmpl — "Hela rapporten": every page's content in order,
//     for printing to PDF (written as rapport.html).
//   - assets/echarts.min.js — ECharts, fetched by `make assets` (not
//     committed); see assets/README.md.
package reports

import "embed"

// FS holds the templates and assets.
//
//go:embed *.tmpl assets
var FS embed.FS
