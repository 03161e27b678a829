-- S9: outcome by background. Per factor (kon, alder, registreringsorsak,
-- huvudman, programtyp, grundskola, omrade, in that order) and value
-- (int_s9_utfall: closed lists complete, grundskola and omrade as they
-- occur): antal, studier (status STUDIER or EXAMEN at s1_cutoff), arbete
-- (status ARBETE); andel_studier = studier / antal with its 95 % Wilson
-- interval andel_lag – andel_hog; andel_arbete = arbete / antal (blank when
-- antal is 0).
-- counts: antal, studier, arbete
-- shares: andel_studier, andel_lag, andel_hog, andel_arbete
-- key: faktor, varde
-- region: prefix varde
-- ratio: andel_studier = studier / antal
-- ratio: andel_arbete = arbete / antal
-- sum: antal >= studier + arbete by faktor, varde
-- sum: antal = s1_status.antal by faktor
-- sum: studier = s1_status.antal[status=STUDIER] + s1_status.antal[status=EXAMEN] by faktor
-- sum: arbete = s1_status.antal[status=ARBETE] by faktor
-- sum: antal = s1_status_kon.antal[kon=$varde] by faktor=kon, varde
-- sum: studier = s1_status_kon.antal[kon=$varde, status=STUDIER] + s1_status_kon.antal[kon=$varde, status=EXAMEN] by faktor=kon, varde
-- sum: arbete = s1_status_kon.antal[kon=$varde, status=ARBETE] by faktor=kon, varde
-- sum: antal = s1_registreringsorsak.antal[registreringsorsak=$varde] by faktor=registreringsorsak, varde
-- sum: antal = s4_huvudman.antal[huvudman=$varde] by faktor=huvudman, varde
-- sum: antal = s4_programtyp.antal[programtyp=$varde] by faktor=programtyp, varde
-- sum: antal = s4_grundskolor.antal[grundskola=$varde] by faktor=grundskola, varde
-- sum: antal = s3_omraden.antal[omrade=$varde] by faktor=omrade, varde
with
final as (
    select
        scope,
        faktor_sort * 100000 + varde_sort as sort,
        faktor, varde,
        cast(antal as bigint) as antal,
        cast(studier as bigint) as studier,
        cast(arbete as bigint) as arbete,
        cast(studier as double) / nullif(antal, 0) as andel_studier,
        wilson_lag(studier, antal) as andel_lag,
        wilson_hog(studier, antal) as andel_hog,
        cast(arbete as double) / nullif(antal, 0) as andel_arbete
    from int_s9_utfall
)
select * from final
