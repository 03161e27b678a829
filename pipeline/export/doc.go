// Package export owns reading one CSV export file, whatever its kind:
// encoding (UTF-8 with or without BOM, Windows-1252), delimiter (';' ','
// or tab), the header line, a kommun's mapping profile (renamed columns
// and recoded values), streaming records with exact line numbers, and the
// field parsers for dates, decimals, yes/no and whole numbers.
//
// It knows nothing of file kinds: the caller (pipeline/contract) says
// which canonical columns it wants and which are required. Values are
// returned as trimmed strings aligned with those columns; extra columns
// in the file are never returned.
//
// Errors are *Error ("file:line: Field: rule"). Open's errors are file
// errors (the file cannot be read; the run stops); Next's are row errors
// (one record is rejected; reading goes on), except a failing underlying
// reader. No error message contains a cell's value.
//
// # Mapping profile
//
// A kommun may put a mapping.toml next to its exports (LoadProfile).
// Every key is optional; unknown keys and kinds are errors.
//
//	encoding = "windows-1252"   # forces the encoding of all files: utf-8 | windows-1252
//	delimiter = ";"             # forces the delimiter of all files
//
//	[extens.columns]            # canonical column = header in this kommun's export
//	Personnummer = "Pnr"
//	Grundskola = "Skola åk 9"
//
//	[extens.values.Avgangstyp]  # export value = canonical value (exact match, after trimming)
//	"Avbrutit" = "AVBROTT"
//	"Examen" = "EXAMEN"
//
//	[kaa_individer.columns]
//	Aktualiserad = "Aktuell from"
//
// Table names are the file kinds: extens, gruus, kaa_individer,
// kaa_sysselsattning, kaa_atgarder, deltagare, tidsstudie, omraden,
// omradesstatistik, grundskolor, skolalias. Column names on the left are
// canonical (case-insensitive); a renamed column is matched only under its
// new header. Profile.Options(kind) gives the Options for Open; Open
// rejects a profile naming a column the kind does not have.
package export
