-- Region: each kommun's key figures side by side (only in the region scope;
-- a run over one kommun has no region). From the study tables of each
-- kommun's own scope: the S1 cohort and its shares in studier or arbete and
-- with examen at the cutoff; the participants registered up to the end of
-- the S6 month; delmål 1 among mature exits (S2); the counted avbrott and
-- the share aktualiserade within 90 days in the latest läsår with avbrott
-- (S8); the persons the latest extract says KAA covers and those of them
-- missing in the register (S8).
-- counts: kohort, deltagare, delmal1_antal, avbrott, omfattas_enligt_extens, saknas_i_registret
-- shares: andel_studier_arbete, andel_examen, delmal1_andel, andel_aktualiserade_inom_90
-- key: kommunkod
-- sum: kohort = s1_status.antal@kommunkod by kommunkod
-- sum: deltagare = s6_manad.antal[matt=totalt, grupp=alla]@kommunkod by kommunkod
-- sum: delmal1_antal = s2_delmal.antal[delmal=1, bas=inskrivning_mogna]@kommunkod by kommunkod
-- sum: avbrott = s8_kedja.avbrott[lasar=$senaste_lasar]@kommunkod by kommunkod
-- sum: omfattas_enligt_extens = s8_identifiering.antal[matt=omfattas_enligt_extens]@kommunkod by kommunkod
-- sum: saknas_i_registret = s8_identifiering.antal[matt=saknas_i_registret]@kommunkod by kommunkod
-- ratio: andel_studier_arbete = (s1_status.antal[status=STUDIER]@kommunkod + s1_status.antal[status=ARBETE]@kommunkod) / kohort
-- ratio: andel_examen = s1_status.antal[status=EXAMEN]@kommunkod / kohort
-- ratio: delmal1_andel = s2_delmal.uppfyllda[delmal=1, bas=inskrivning_mogna]@kommunkod / delmal1_antal
-- ratio: andel_aktualiserade_inom_90 = s8_kedja.aktualiserade_inom_90[lasar=$senaste_lasar]@kommunkod / avbrott
with
kommuner as (
    select distinct kommunkod from int_scope where scope = 'region'
),
s1 as (
    select
        scope as kommunkod,
        sum(antal) as kohort,
        sum(antal) filter (where status in ('STUDIER', 'ARBETE')) as studier_arbete,
        sum(antal) filter (where status = 'EXAMEN') as examen
    from s1_status
    group by all
),
s2 as (
    select scope as kommunkod, antal as delmal1_antal, andel as delmal1_andel
    from s2_delmal
    where delmal = 1 and bas = 'inskrivning_mogna'
),
s6 as (
    select scope as kommunkod, antal as deltagare
    from s6_manad
    where matt = 'totalt' and grupp = 'alla'
),
s8 as (
    select scope as kommunkod, lasar, avbrott, aktualiserade_inom_90,
        row_number() over (partition by scope order by lasar desc) as nr
    from s8_kedja
),
ident as (
    select
        scope as kommunkod,
        sum(antal) filter (where matt = 'omfattas_enligt_extens') as omfattas_enligt_extens,
        sum(antal) filter (where matt = 'saknas_i_registret') as saknas_i_registret
    from s8_identifiering
    group by all
),
final as (
    select
        'region' as scope,
        k.kommunkod,
        cast(coalesce(s1.kohort, 0) as bigint) as kohort,
        cast(s1.studier_arbete as double) / nullif(s1.kohort, 0) as andel_studier_arbete,
        cast(s1.examen as double) / nullif(s1.kohort, 0) as andel_examen,
        cast(coalesce(s6.deltagare, 0) as bigint) as deltagare,
        cast(coalesce(s2.delmal1_antal, 0) as bigint) as delmal1_antal,
        cast(s2.delmal1_andel as double) as delmal1_andel,
        s8.lasar as senaste_lasar,
        cast(coalesce(s8.avbrott, 0) as bigint) as avbrott,
        cast(s8.aktualiserade_inom_90 as double) / nullif(s8.avbrott, 0) as andel_aktualiserade_inom_90,
        cast(coalesce(i.omfattas_enligt_extens, 0) as bigint) as omfattas_enligt_extens,
        cast(coalesce(i.saknas_i_registret, 0) as bigint) as saknas_i_registret
    from kommuner k
    left join s1 using (kommunkod)
    left join s2 using (kommunkod)
    left join s6 using (kommunkod)
    left join (select * from s8 where nr = 1) s8 using (kommunkod)
    left join ident i using (kommunkod)
)
select * from final
