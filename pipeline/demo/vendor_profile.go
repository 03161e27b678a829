package demo

// VendorProfile is the mapping.toml written into a vendor-shaped kommun
// folder ({kommun} stands for the kommun's name): it reads the files of
// vendor.go back into the canonical layout. The format is docs/mapping.md.
const VendorProfile = `# Mapping profile of a kommun whose exports come straight from its systems
# (Extens, ELIN, UKA, the ESF project's Excel lists). Format: docs/mapping.md.

# Code lists shared by several columns and kinds.
[codes.sysselsattning]
ignore_case = true
[codes.sysselsattning.values]
"Gymnasieskola" = "GYMNASIE"
"Komvux" = "KOMVUX"
"Folkhögskola" = "FOLKHOGSKOLA"
"SFI" = "SFI"
"Övriga studier" = "OVRIGA_STUDIER"
"Arbete" = "ARBETE"
"Praktik" = "PRAKTIK"
"Arbetsträning" = "ARBETSTRANING"
"Sommarjobb" = "SOMMARJOBB"
"Arbetsmarknadsutbildning" = "AMT"
"Ung kraft" = "UNG_KRAFT"
"I kraft" = "I_KRAFT"
"Insats via Arbetsförmedlingen" = "AF_INSATS"
"Arbetssökande" = "ARBETSSOKANDE"
"Försäkringskassan" = "FK"
"Socialtjänsten" = "SOCIALTJANST"
"HVB-hem" = "HVB"
"LSS" = "LSS"
"Föräldraledig" = "FORALDRALEDIG"
"Sjukskriven" = "SJUK"
"Flyttat" = "FLYTTAT"
"Ingen sysselsättning" = "INGEN"
"Okänd" = "OKAND"

[codes.kon]
ignore_case = true
values = { "Kvinna" = "K", "Man" = "M", "Annat" = "X" }

# Extens: weekly "utdrag", Windows-1252, a title line above the header.
[extens]
file = "Extens_utdrag_{date:YYYYMMDD}.csv"
encoding = "windows-1252"
header_line = 2

[extens.columns]
Personnummer = "Personnr"
Kon = { header = "Kön", codes = "kon" }
Postnummer = { header = "Postadress", extract = '^(\d{3} ?\d{2})\b' }
Skyddad = "Skyddad identitet"
Grundskola = "Skola åk 9"
Inskriven = "Inskriven gy"
Avgangsdatum = { header = "Avgångsdatum", date_format = "YYYY-MM-DD hh:mm:ss" }
Examen = "Gymnasieexamen"

[extens.columns.Avgangstyp]
header = "Avgångstyp"
ignore_case = true
values = { "Avbrutna studier" = "AVBROTT", "Gymnasieexamen" = "EXAMEN", "Studiebevis" = "STUDIEBEVIS", "Gymnasieintyg" = "GYMNASIEINTYG" }

# ELIN (which replaced GRUUS): tab-separated, dates with a time of day.
[gruus]
file = "ELIN_avbrott_*.csv"
date_format = "YYYY-MM-DD hh:mm"

[gruus.columns]
Skola = "Skolenhet"
Program = "Programkod"
Handelse = { header = "Händelse", values = { "Befarat avbrott" = "BEFARAT_AVBROTT", "Avbrott" = "AVBROTT", "Återtaget" = "ATERTAGET" } }
Handelsedatum = "Händelsedatum"
Rapportdatum = "Rapporterad"

# UKA, the KAA register: dated full exports, Excel "Unicode text" (UTF-16,
# detected), tab-separated.
[kaa_individer]
file = "UKA_export_individer_{date}.csv"
date_format = "YYYY-MM-DD hh:mm:ss"

[kaa_individer.columns]
Aktualiserad = "Aktualiserad datum"
Registreringsorsak = { header = "Orsak", values = { "Avbrott IM" = "AVBROTT_IM", "Avbrott NP" = "AVBROTT_NP", "Ej påbörjat" = "EJ_PABORJAT" } }
SenSysReg = { header = "Sysselsättning vid registrering", codes = "sysselsattning" }
Avaktualiserad = "Avaktualiserad datum"
Avaktualiseringsorsak = { header = "Avslutsorsak", values = { "Fyllt 20" = "FYLLT_20", "Övrigt" = "OVRIGT" } }
Kontaktstatus = { header = "Kontakt", values = { "Nådd" = "NADD", "Ej nådd" = "EJ_NADD", "Saknar kontaktuppgifter" = "SAKNAR_KONTAKTUPPGIFTER" } }
Coach = "Handläggare"

[kaa_sysselsattning]
file = "UKA_export_sysselsattning_{date}.csv"
encoding = "utf-16le"
date_format = "YYYY-MM-DD hh:mm:ss"

[kaa_sysselsattning.columns]
Sysselsattning = { header = "Sysselsättning", codes = "sysselsattning" }
# "Uppgift saknas" and anything else unlisted means OKAND (an explicit default).
Forsorjning = { header = "Försörjning", values = { "Studiemedel" = "CSN", "Ekonomiskt bistånd" = "EKONOMISKT_BISTAND", "Försäkringskassan" = "FK", "Arbetsförmedlingen" = "AF", "Lön" = "LON" }, default = "OKAND" }

[kaa_atgarder]
file = "UKA_export_atgarder_{date}.csv"

[kaa_atgarder.columns]
Atgard = { header = "Åtgärd", codes = "sysselsattning" }
Start = "Startdatum"
Slut = "Slutdatum"
GrundAtgSlut = { header = "Orsak till avslut", values = { "Slutförd" = "SLUTFORD", "Avbruten" = "AVBRUTEN", "Fyllt 20" = "FYLLT_20", "Övrigt" = "OVRIGT" } }
SysEfter = { header = "Sysselsättning efter", codes = "sysselsattning" }

# The ESF project's participant list, saved from Excel: Windows-1252, a
# title and a blank line above the header.
[deltagare]
file = "ESF_deltagarlista_*.csv"
header_line = 3
date_format = "YYYY-MM-DD hh:mm:ss"

[deltagare.columns]
Inskriven = "Inskrivningsdatum"
Utskriven = "Utskrivningsdatum"
SysVidAvslut = { header = "Sysselsättning vid avslut", codes = "sysselsattning" }
AnvisadStodinsats = "Anvisad till stödinsats"

[tidsstudie]
file = "Tidsregistrering_*.csv"

[tidsstudie.columns]
Coach = "Medarbetare"
Kategori = { ignore_case = true, values = { "Deltagare och samverkanspart" = "DELTAGARE_OCH_SAMVERKANSPART" } }
Minuter = "Tid (min)"
Kon = { header = "Kön", codes = "kon" }
Alder = "Ålder"

[omraden]
file = "Postnummer_bostadsomraden.csv"

[omraden.columns]
Postnummer = "Postnr"
Omrade = "Bostadsområde"

# Background statistics: a source line above the header, numbers with a
# space between thousands and a decimal comma.
[omradesstatistik]
file = "Statistik_per_bostadsomrade.csv"
skip_lines = 1
decimal = ","
thousands = " "

[omradesstatistik.columns]
Omrade = "Bostadsområde"
Ar = "År"
Befolkning0_19 = "Befolkning 0-19 år"
Befolkning = "Befolkning totalt"
AndelForgymnasial = "Förgymnasial utbildning (%)"
AndelOppetArbetslosa = "Öppet arbetslösa (%)"
AndelEkonomisktBistand = "Ekonomiskt bistånd (%)"
Medianinkomst = "Medianinkomst (kr)"
Ohalsotal = "Ohälsotal"
SjalvskattadHalsa = "Självskattad hälsa (%)"

# Grundskolor_{kommun}.csv already fits the contract's name grundskolor*.csv.
[grundskolor.columns]
Ar = "År"
Sistaarselever = "Antal elever i åk 9"
Huvudman = { ignore_case = true, values = { "Fristående" = "FRISTAENDE" } }

[skolalias]
file = "Sammanslagna_skolor.csv"

[skolalias.columns]
Alias = "Gammalt namn"
Skola = "Nytt namn"
`
