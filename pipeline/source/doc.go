// Package source owns reading one CSV export file, whatever its kind:
// encoding (UTF-8 with or without BOM, Windows-1252, UTF-16 LE/BE),
// delimiter (';' ',' or tab), the lines above the header, the header
// line, a kommun's mapping profile, streaming records with exact line
// numbers, and the field parsers for dates, decimals, yes/no and whole
// numbers.
//
// It knows nothing of file kinds: the caller (pipeline/ingest, from
// pipeline/contract) says which canonical columns it wants and which are
// required, and gives LoadProfile the Schema a profile is checked
// against. Values are returned as trimmed strings aligned with those
// columns, rewritten by the profile's rules into the canonical layout
// (ColumnRule: extract, recode, date and number formats); extra columns
// in the file are never returned.
//
// Errors are *Error ("file:line: Field: rule"). Open's errors are file
// errors (the file cannot be read; the run stops); Next's are row errors
// (one record is rejected; reading goes on), except a failing underlying
// reader. No error message contains a cell's value (Error.Value carries
// it apart, for a masked rejects file).
//
// # Mapping profile
//
// A kommun may put a mapping.toml next to its exports (LoadProfile). The
// format — every key, the order in which the steps apply, and a worked
// example — is docs/mapping.md; docs/mapping.example.toml uses every key.
// Every problem of a profile is an error naming its line (BurntSushi/toml
// keeps key positions to itself; keyLines finds them). Profile.Options
// gives the Options for Open, Profile.Classify the kind of a file name.
package source
