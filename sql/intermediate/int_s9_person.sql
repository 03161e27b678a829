-- S9: each S1 cohort person (int_s1_person, with the S1 status at
-- s1_cutoff) with the outcome — studier: status STUDIER or EXAMEN; arbete:
-- status ARBETE — and the value of each background factor:
--   kon                 K / M;
--   alder               completed years on the first Aktualiserad in the
--                       window, '16' … '19', any other age 'ÖVRIGA';
--   registreringsorsak  of that first period (OKAND for blank), as S1;
--   huvudman, programtyp, grundskola (with i_grundskolor: a school of the
--                       kommun's grundskolor), as S4 for the cohort;
--   omrade              as S3 for the cohort (NULL = OKÄNT).
-- Område and school are placed by the S1 cohort rule (the latest extens row
-- dated on or before s1_to) whatever s3_population and s4_population say.
with
alder as (
    select
        p.*,
        (year(p.aktualiserad) - year(p.fodelsedatum))
            - case when strftime(p.aktualiserad, '%m%d') < strftime(p.fodelsedatum, '%m%d') then 1 else 0 end as alder_ar
    from int_s1_person p
),
final as (
    select
        a.kommunkod, a.person,
        a.status in ('STUDIER', 'EXAMEN') as studier,
        a.status = 'ARBETE' as arbete,
        a.kon,
        case when a.alder_ar between 16 and 19 then cast(a.alder_ar as varchar) else 'ÖVRIGA' end as alder,
        a.registreringsorsak,
        s4.huvudman, s4.programtyp, s4.grundskola, s4.i_grundskolor,
        s3.omrade
    from alder a
    left join int_s4_person s4
        on s4.population = 'kohort' and s4.kommunkod = a.kommunkod and s4.person = a.person
    left join int_s3_person s3
        on s3.population = 'kohort' and s3.kommunkod = a.kommunkod and s3.person = a.person
)
select * from final
