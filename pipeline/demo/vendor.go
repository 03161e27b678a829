package demo

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"

	"github.com/kaa-uppfoljning/kaa/pipeline/contract"
)

// The vendor-shaped writer: with Options.Vendor every file of a kommun is
// written the way the systems of a kommun in the Göteborg region export
// them — their own file names, a title line above the header, Swedish
// headers and codes, dates with a time of day, thousands separators, a
// postal address holding the postnummer, UTF-16 and Windows-1252 — and
// the kommun folder gets the mapping.toml (VendorProfile) that reads them
// back into the canonical layout. The data are exactly those of the same
// Options without Vendor: each canonical row is rewritten field by field
// as it is written, so reading the vendor files through the profile must
// give the canonical files' tables (pipeline/cli's TestVendorShape).

// vendorEnc is how a vendor file is encoded.
type vendorEnc int

const (
	encUTF8 vendorEnc = iota
	encUTF8BOM
	encCP1252
	encUTF16LEBOM // Excel's "Unicode text"
	encUTF16LE    // the same without a byte order mark
)

// vendorKind is the shape of one file kind.
type vendorKind struct {
	name    func(canonical string, k vendorInfo) string
	title   func(canonical string) []string // lines above the header
	enc     vendorEnc
	delim   byte
	crlf    bool
	headers map[string]string              // canonical header → vendor header (absent: the same)
	values  map[string]func(string) string // canonical column → vendor value
}

// vendorFile is the shape of one file being written.
type vendorFile struct {
	name       string
	title      []string
	enc        vendorEnc
	delim      byte
	crlf       bool
	header     []string
	transforms []func(string) string // per canonical column, nil: unchanged
}

// registerDate is the date of the vendor's register exports: the report
// date of the demo (two days after the last extract).
func registerDate(end day) string { return (end + 2).String() }

func recode(m map[string]string) func(string) string {
	return func(v string) string {
		if out, ok := m[v]; ok {
			return out
		}
		return v // an unknown value stays as it is (a bad row stays bad)
	}
}

// dateTime writes a canonical date as a date-time (2020-03-02 00:00:00).
func dateTime(suffix string) func(string) string {
	return func(v string) string {
		if v == "" {
			return ""
		}
		return v + suffix
	}
}

var yesNo = recode(map[string]string{"J": "Ja", "N": "Nej"})

// thousands writes a whole number with a space between groups of three
// digits, the decimal comma as it is: 301000 → "301 000".
func thousands(v string) string {
	whole, frac, hasFrac := strings.Cut(v, ",")
	neg := strings.HasPrefix(whole, "-")
	whole = strings.TrimPrefix(whole, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString("," + frac)
	}
	return b.String()
}

// The vendors' words for the contract's codes.
var (
	vendorSys = map[string]string{
		"GYMNASIE": "Gymnasieskola", "KOMVUX": "Komvux", "FOLKHOGSKOLA": "Folkhögskola", "SFI": "SFI",
		"OVRIGA_STUDIER": "Övriga studier", "ARBETE": "Arbete", "PRAKTIK": "Praktik", "ARBETSTRANING": "Arbetsträning",
		"SOMMARJOBB": "Sommarjobb", "AMT": "Arbetsmarknadsutbildning", "UNG_KRAFT": "Ung kraft", "I_KRAFT": "I kraft",
		"AF_INSATS": "Insats via Arbetsförmedlingen", "ARBETSSOKANDE": "Arbetssökande", "FK": "Försäkringskassan",
		"SOCIALTJANST": "Socialtjänsten", "HVB": "HVB-hem", "LSS": "LSS", "FORALDRALEDIG": "Föräldraledig",
		"SJUK": "Sjukskriven", "FLYTTAT": "Flyttat", "INGEN": "Ingen sysselsättning", "OKAND": "Okänd",
	}
	vendorKon = map[string]string{"K": "Kvinna", "M": "Man", "X": "Annat"}
)

// vendorKinds are the shapes, by canonical kind.
var vendorKinds = map[string]vendorKind{
	"extens": {
		name: func(c string, _ vendorInfo) string {
			return "Extens_utdrag_" + strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(c, "extens_"), ".csv"), "-", "") + ".csv"
		},
		title: func(c string) []string {
			return []string{"Utdrag ur Extens;" + strings.TrimSuffix(strings.TrimPrefix(c, "extens_"), ".csv")}
		},
		enc: encCP1252, delim: ';', crlf: true,
		headers: map[string]string{
			"Personnummer": "Personnr", "Kon": "Kön", "Postnummer": "Postadress", "Skyddad": "Skyddad identitet",
			"Grundskola": "Skola åk 9", "Inskriven": "Inskriven gy", "Avgangsdatum": "Avgångsdatum",
			"Avgangstyp": "Avgångstyp", "Examen": "Gymnasieexamen", "Fornamn": "Förnamn", "Adress": "Gatuadress",
		},
		values: map[string]func(string) string{
			"Kon": recode(vendorKon), "Skyddad": yesNo, "Inskriven": yesNo, "Examen": yesNo,
			"Avgangsdatum": dateTime(" 00:00:00"),
			"Avgangstyp": recode(map[string]string{"AVBROTT": "Avbrutna studier", "EXAMEN": "Gymnasieexamen",
				"STUDIEBEVIS": "Studiebevis", "GYMNASIEINTYG": "Gymnasieintyg"}),
		},
	},
	"gruus": {
		name: func(c string, _ vendorInfo) string { return "ELIN_avbrott_" + strings.TrimPrefix(c, "gruus_") },
		enc:  encUTF8, delim: '\t',
		headers: map[string]string{"Skola": "Skolenhet", "Program": "Programkod", "Handelse": "Händelse",
			"Handelsedatum": "Händelsedatum", "Rapportdatum": "Rapporterad"},
		values: map[string]func(string) string{
			"Handelse":      recode(map[string]string{"BEFARAT_AVBROTT": "Befarat avbrott", "AVBROTT": "Avbrott", "ATERTAGET": "Återtaget"}),
			"Handelsedatum": dateTime(" 00:00"), "Rapportdatum": dateTime(" 00:00"),
		},
	},
	"kaa_individer": {
		name: func(_ string, k vendorInfo) string { return "UKA_export_individer_" + k.exportDate + ".csv" },
		enc:  encUTF16LEBOM, delim: '\t', crlf: true,
		headers: map[string]string{"Aktualiserad": "Aktualiserad datum", "Registreringsorsak": "Orsak",
			"SenSysReg": "Sysselsättning vid registrering", "Avaktualiserad": "Avaktualiserad datum",
			"Avaktualiseringsorsak": "Avslutsorsak", "Kontaktstatus": "Kontakt", "Coach": "Handläggare", "Telefon": "Mobilnummer"},
		values: map[string]func(string) string{
			"Aktualiserad": dateTime(" 00:00:00"), "Avaktualiserad": dateTime(" 00:00:00"),
			"Registreringsorsak": recode(map[string]string{"AVBROTT_IM": "Avbrott IM", "AVBROTT_NP": "Avbrott NP",
				"GYMNASIEINTYG": "Gymnasieintyg", "STUDIEBEVIS": "Studiebevis", "EJ_PABORJAT": "Ej påbörjat"}),
			"SenSysReg": recode(vendorSys),
			"Avaktualiseringsorsak": recode(map[string]string{"FYLLT_20": "Fyllt 20", "EXAMEN": "Examen", "STUDIER": "Studier",
				"FLYTTAT": "Flyttat", "AVLIDEN": "Avliden", "OVRIGT": "Övrigt"}),
			"Kontaktstatus": recode(map[string]string{"NADD": "Nådd", "EJ_NADD": "Ej nådd", "SAKNAR_KONTAKTUPPGIFTER": "Saknar kontaktuppgifter"}),
		},
	},
	"kaa_sysselsattning": {
		name: func(_ string, k vendorInfo) string { return "UKA_export_sysselsattning_" + k.exportDate + ".csv" },
		enc:  encUTF16LE, delim: '\t', crlf: true,
		headers: map[string]string{"Datum": "Datum", "Sysselsattning": "Sysselsättning", "Forsorjning": "Försörjning"},
		values: map[string]func(string) string{
			"Datum": dateTime(" 00:00:00"), "Sysselsattning": recode(vendorSys),
			"Forsorjning": recode(map[string]string{"CSN": "Studiemedel", "EKONOMISKT_BISTAND": "Ekonomiskt bistånd",
				"FK": "Försäkringskassan", "AF": "Arbetsförmedlingen", "LON": "Lön", "OKAND": "Uppgift saknas"}),
		},
	},
	"kaa_atgarder": {
		name: func(_ string, k vendorInfo) string { return "UKA_export_atgarder_" + k.exportDate + ".csv" },
		enc:  encUTF8BOM, delim: ',',
		headers: map[string]string{"Atgard": "Åtgärd", "Start": "Startdatum", "Slut": "Slutdatum",
			"GrundAtgSlut": "Orsak till avslut", "SysEfter": "Sysselsättning efter"},
		values: map[string]func(string) string{
			"Atgard": recode(vendorSys), "SysEfter": recode(vendorSys),
			"GrundAtgSlut": recode(map[string]string{"SLUTFORD": "Slutförd", "AVBRUTEN": "Avbruten", "FYLLT_20": "Fyllt 20",
				"FLYTTAT": "Flyttat", "OVRIGT": "Övrigt"}),
		},
	},
	"deltagare": {
		name:  func(_ string, k vendorInfo) string { return "ESF_deltagarlista_" + k.name + ".csv" },
		title: func(string) []string { return []string{"ESF-projekt Drivkraft – deltagarlista", ""} },
		enc:   encCP1252, delim: ';', crlf: true,
		headers: map[string]string{"Inskriven": "Inskrivningsdatum", "Utskriven": "Utskrivningsdatum",
			"SysVidAvslut": "Sysselsättning vid avslut", "AnvisadStodinsats": "Anvisad till stödinsats"},
		values: map[string]func(string) string{
			"Inskriven": dateTime(" 00:00:00"), "Utskriven": dateTime(" 00:00:00"),
			"SysVidAvslut": recode(vendorSys), "AnvisadStodinsats": yesNo,
		},
	},
	"tidsstudie": {
		name: func(c string, _ vendorInfo) string { return "Tidsregistrering_" + strings.TrimPrefix(c, "tidsstudie_") },
		enc:  encUTF8, delim: ';',
		headers: map[string]string{"Coach": "Medarbetare", "Minuter": "Tid (min)", "Kon": "Kön", "Alder": "Ålder"},
		values: map[string]func(string) string{
			"Kon": recode(vendorKon),
			"Kategori": recode(map[string]string{"DELTAGARKONTAKT": "Deltagarkontakt", "ADMINISTRATION": "Administration",
				"SAMVERKANSPART": "Samverkanspart", "DELTAGARE_OCH_SAMVERKANSPART": "Deltagare och samverkanspart"}),
		},
	},
	"omraden": {
		name: func(string, vendorInfo) string { return "Postnummer_bostadsomraden.csv" },
		enc:  encCP1252, delim: ';', crlf: true,
		headers: map[string]string{"Postnummer": "Postnr", "Omrade": "Bostadsområde"},
		values: map[string]func(string) string{
			"Postnummer": func(v string) string {
				if len(v) == 5 {
					return v[:3] + " " + v[3:]
				}
				return v
			},
		},
	},
	"omradesstatistik": {
		name:  func(string, vendorInfo) string { return "Statistik_per_bostadsomrade.csv" },
		title: func(string) []string { return []string{"Källa: SCB och kommunens egna uppgifter"} },
		enc:   encUTF8, delim: ';',
		headers: map[string]string{"Omrade": "Bostadsområde", "Ar": "År", "Befolkning0_19": "Befolkning 0-19 år",
			"Befolkning": "Befolkning totalt", "AndelForgymnasial": "Förgymnasial utbildning (%)",
			"AndelOppetArbetslosa": "Öppet arbetslösa (%)", "AndelEkonomisktBistand": "Ekonomiskt bistånd (%)",
			"Medianinkomst": "Medianinkomst (kr)", "Ohalsotal": "Ohälsotal", "SjalvskattadHalsa": "Självskattad hälsa (%)"},
		values: map[string]func(string) string{
			"Befolkning0_19": thousands, "Befolkning": thousands, "Medianinkomst": thousands,
		},
	},
	"grundskolor": {
		name: func(_ string, k vendorInfo) string { return "Grundskolor_" + k.name + ".csv" }, // the contract's own name rule matches
		enc:  encUTF8BOM, delim: ',',
		headers: map[string]string{"Ar": "År", "Sistaarselever": "Antal elever i åk 9"},
		values: map[string]func(string) string{
			"Huvudman": recode(map[string]string{"KOMMUNAL": "Kommunal", "FRISTAENDE": "Fristående"}),
		},
	},
	"skolalias": {
		name: func(string, vendorInfo) string { return "Sammanslagna_skolor.csv" },
		enc:  encUTF8, delim: ';',
		headers: map[string]string{"Alias": "Gammalt namn", "Skola": "Nytt namn"},
	},
}

// kommunName returns the name of a built-in kommun ("Kommun 3001" for a
// synthetic code).
func kommunName(kod string) string {
	for _, k := range builtinKommuner {
		if k.kod == kod {
			return k.name
		}
	}
	return "Kommun " + kod
}

// vendorKindOf returns the kind of a canonical file name.
func vendorKindOf(name string) string {
	k, _ := contract.Classify(name)
	return k.Name
}

// vendorInfo is what a vendor file's name and values take from the kommun.
type vendorInfo struct {
	name       string // the kommun's name, e.g. Partille
	exportDate string // date of the register exports
}

// vendorShape returns the vendor shape of a canonical file of a kommun.
func vendorShape(name string, k vendorInfo, header []string) *vendorFile {
	vk, ok := vendorKinds[vendorKindOf(name)]
	if !ok {
		return nil
	}
	f := &vendorFile{name: vk.name(name, k), enc: vk.enc, delim: vk.delim, crlf: vk.crlf}
	if vk.title != nil {
		f.title = vk.title(name)
	}
	for _, h := range header {
		v := h
		if x, ok := vk.headers[h]; ok {
			v = x
		}
		f.header = append(f.header, v)
		f.transforms = append(f.transforms, vk.values[h])
	}
	if vendorKindOf(name) == "extens" {
		// the postal address: postnummer and ort, as the folkbokföring has it
		for i, h := range header {
			if h == "Postnummer" {
				ort := strings.ToUpper(k.name)
				f.transforms[i] = func(v string) string {
					if v == "" {
						return ""
					}
					v = strings.ReplaceAll(v, " ", "")
					return v[:min(3, len(v))] + " " + v[min(3, len(v)):] + " " + ort
				}
			}
		}
	}
	return f
}

// row rewrites one canonical row (fields joined by delim, with its line
// end) in the vendor's shape.
func (v *vendorFile) row(dst, b []byte, delim byte) []byte {
	b = bytes.TrimRight(b, "\r\n")
	fields := bytes.Split(b, []byte{delim})
	for i, f := range fields {
		if i > 0 {
			dst = append(dst, v.delim)
		}
		if i < len(v.transforms) && v.transforms[i] != nil {
			dst = append(dst, v.transforms[i](string(f))...)
		} else {
			dst = append(dst, f...)
		}
	}
	return v.lineEnd(dst)
}

func (v *vendorFile) lineEnd(dst []byte) []byte {
	if v.crlf {
		dst = append(dst, '\r')
	}
	return append(dst, '\n')
}

// head returns the title lines and the header line.
func (v *vendorFile) head() []byte {
	var b []byte
	for _, t := range v.title {
		b = v.lineEnd(append(b, t...))
	}
	for i, h := range v.header {
		if i > 0 {
			b = append(b, v.delim)
		}
		b = append(b, h...)
	}
	return v.lineEnd(b)
}

// encodeUTF16 encodes UTF-8 text as UTF-16 little endian, with a BOM if
// bom.
func encodeUTF16(text []byte, bom bool) []byte {
	units := utf16.Encode([]rune(string(text)))
	out := make([]byte, 0, 2*len(units)+2)
	if bom {
		out = append(out, 0xFF, 0xFE)
	}
	for _, u := range units {
		out = binary.LittleEndian.AppendUint16(out, u)
	}
	return out
}

// writeVendorProfile writes the kommun's mapping.toml.
func writeVendorProfile(dir string, k vendorInfo) error {
	text := strings.ReplaceAll(VendorProfile, "{kommun}", k.name)
	return os.WriteFile(filepath.Join(dir, "mapping.toml"), []byte(text), 0o644)
}
