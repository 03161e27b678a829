-- S9: outcome by background. Per factor (kon, alder, registreringsorsak,
-- huvudman, programtyp, grundskola, omrade, in that order) and value
-- (int_s9_utfall: closed lists complete, grundskola and omrade as they
-- occur): antal, studier (status STUDIER or EXAMEN at s1_cutoff), arbete
-- (status ARBETE); andel_studier = studier / antal with its 95 % Wilson
-- interval andel_lag – andel_hog; andel_arbete = arbete / antal (blank when
-- antal is 0).
-- counts: antal, studier, arbete
-- shares: andel_studier, andel_lag, andel_hog, andel_arbete
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
