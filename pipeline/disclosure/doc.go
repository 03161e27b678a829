// Package disclosure owns small-count suppression of the published
// tables: which cells are hidden so that no person count 1..n-1 can be
// read or worked out from what is published, and the attack that checks
// it.
//
// # The rule
//
// With suppress_below = n ≥ 2 (Protect):
//
//   - a person count 1..n-1 is shown as "<n" (primary suppression);
//   - in every group of cells that adds up to a total a reader knows or
//     can compute — the kön values of a status, the statuses of a cohort,
//     alla = K + M + X, a region and its kommuner, a share's denominator —
//     no cell or at least two cells are hidden: while a reader could work
//     out a hidden cell, the smallest shown non-zero count among the cells
//     it is summed with is hidden too, as "x" (complementary suppression);
//     a total is one cell of its group, so it is hidden when its parts
//     would give it away;
//   - a share (and an interval) is hidden with its row's counts, and with
//     the cells it is computed from;
//   - zeros are never hidden, nor plain columns (reference figures such as
//     population and sistaårselever, minutes, ages). So "<n" means 1..n-1
//     and "x" means at least n;
//   - when the markers alone give a count away (a chain of small counts in
//     a trend, where nothing shown is left to hide), the table is withheld
//     in that scope: every count and share "..", which may be anything. So
//     is it when nothing summed with the count is shown and three counts
//     hidden around it (beyond its own sums) have not freed it: hiding
//     ever farther counts, other kommuners' totals, protects nothing.
//
// "Could work out" is decided by Attack, the reader's best effort: every
// hidden cell is bounded by its marker, the declared sums, the shown
// shares (to their four decimals) and the region sums, by bound
// propagation and linear programming over the hidden cells; a cell is
// determined when one integer value is left. Protect repeats attack and
// complement until nothing is determined, then shows again every
// complementary cell that turns out not to be needed (largest first).
// Components of more than maxLP hidden cells (national regions) are
// checked by bound propagation only, and a round gives such a component
// a complement for each finding that is in none of the sums an earlier
// complement of the round was taken from.
//
// # Declarations
//
// A study table declares its structure once, in the leading comment lines
// of its SQL file (sql/studies/<table>.sql). Columns are named in
// lowercase as in the table; a declaration naming a column or table that
// does not exist stops the run with the file and the name.
//
//	-- counts: antal, uppfyllda     person counts. Every integer column is one
//	                                unless listed under plain: (fail closed)
//	-- plain: minuter, befolkning_0_19, andel_befolkning_0_19
//	                                never hidden; a column also in shares: is
//	                                formatted as a share
//	-- shares: andel, andel_lag, andel_hog
//	                                fractions 0..1 (4 decimals in CSV, % in
//	                                HTML), hidden with their row's counts
//	-- key: delmal, bas             the columns that name a row (default: the
//	                                text columns)
//	-- total: antal                 the column's sum over the table is shown on
//	                                its page (the S1 cohort size)
//	-- region: prefix omrade        in the region the column reads
//	                                "<kommunkod> <value>"
//	-- region: nocase gymnasieskola the region groups the column's values
//	                                case-insensitively
//	-- sum: LEFT = RIGHT [by K, ...]
//	-- sum: LEFT >= RIGHT [by K, ...]
//	                                cells that add up: for each combination of
//	                                the by-columns' values (by K=value: only
//	                                the rows with that value)
//	-- ratio: COL[SEL] = NUM / DEN  what a share is a share of
//
// LEFT, RIGHT, NUM and DEN are sums of terms joined by " + " or " - ". A
// term is [table.]column[selectors][@scopecolumn]: the sum of the column
// over the rows that agree with the context (the by-columns of a sum:, the
// key of the share's row for a ratio:, on the columns the referenced
// table has) and match the selectors: key=value, key=$column (the context
// row's value), prev (the row before) or last (the last row).
// @scopecolumn takes the cells from the scope named by that column of the
// context row (region_jamforelse names each kommun). sum(term [by K]) in
// a ratio is a sum over the rows agreeing on K only (the whole table
// without by): a share of a total.
//
//	-- ratio: andel = antal / sum(antal by kon)          within kön
//	-- ratio: andel = uppfyllda / antal                  within the row
//	-- sum: antal = s1_status.antal by status            the kön of each status add up
//	-- sum: antal[grupp=alla] = antal[grupp=K] + antal[grupp=M] + antal[grupp=X] by matt
//	-- sum: aktiva = aktiva[prev] + nya - avslutade by manad
//	-- sum: antal = s4_huvudman.antal[huvudman=$varde] by faktor=huvudman, varde
//
// Every region table is also the sum of its kommuner's, row by row with
// the same key values; no declaration is needed. A declared sum or ratio
// that does not hold in a run's data is not used (Published.Unused): a
// reader cannot use it either. The study tests assert that every
// declaration holds on the demo and region data.
package disclosure
