-- Region: each kommun's figures of the monthly studies side by side (only
-- in the region scope), beside region_jamforelse. From the study tables of
-- each kommun's own scope: the participants registered up to the end of
-- the S6 month; the counted avbrott and the share aktualiserade within 90
-- days in the latest läsår with avbrott (S8); the persons the latest
-- extract says KAA covers and those of them missing in the register (S8).
-- Its sums reach S6 and S8 only, so that `kaa monthly` protects its tables
-- together with this one and no others.
-- counts: deltagare, avbrott, omfattas_enligt_extens, saknas_i_registret
-- shares: andel_aktualiserade_inom_90
-- key: kommunkod
-- sum: deltagare = s6_manad.antal[matt=totalt, grupp=alla]@kommunkod by kommunkod
-- sum: avbrott = s8_kedja.avbrott[lasar=$senaste_lasar]@kommunkod by kommunkod
-- sum: omfattas_enligt_extens = s8_identifiering.antal[matt=omfattas_enligt_extens]@kommunkod by kommunkod
-- sum: saknas_i_registret = s8_identifiering.antal[matt=saknas_i_registret]@kommunkod by kommunkod
-- ratio: andel_aktualiserade_inom_90 = s8_kedja.aktualiserade_inom_90[lasar=$senaste_lasar]@kommunkod / avbrott
with
kommuner as (
    select distinct kommunkod from int_scope where scope = 'region'
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
        cast(coalesce(s6.deltagare, 0) as bigint) as deltagare,
        s8.lasar as senaste_lasar,
        cast(coalesce(s8.avbrott, 0) as bigint) as avbrott,
        cast(s8.aktualiserade_inom_90 as double) / nullif(s8.avbrott, 0) as andel_aktualiserade_inom_90,
        cast(coalesce(i.omfattas_enligt_extens, 0) as bigint) as omfattas_enligt_extens,
        cast(coalesce(i.saknas_i_registret, 0) as bigint) as saknas_i_registret
    from kommuner k
    left join s6 using (kommunkod)
    left join (select * from s8 where nr = 1) s8 using (kommunkod)
    left join ident i using (kommunkod)
)
select * from final
