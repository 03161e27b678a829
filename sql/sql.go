// Package sql holds the warehouse's SQL models and data checks, embedded.
// The folders are the data flow: staging/stg_<kind>.sql (views over the raw
// tables restricted to the run), intermediate/int_<thing>.sql (shared
// tables), studies/s<N>_<name>.sql (the tables of shared/spec/studies.md)
// staff/staff_<list>.sql (pseudonym lists for the KAA staff, never
// published) and checks/<name>.sql (queries returning the rows that break a rule).
// A file's name is the table it makes; see pipeline/warehouse.
package sql

import "embed"

// FS is the sql/ tree.
//
//go:embed staging intermediate studies staff checks
var FS embed.FS
