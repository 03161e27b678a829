-- Region: each kommun's key figures of the follow-up studies side by side
-- (only in the region scope; a run over one kommun has no region). From
-- the study tables of each kommun's own scope: the S1 cohort and its
-- shares in studier or arbete and with examen at the cutoff; delmål 1
-- among mature exits (S2). The figures that `kaa monthly` updates (S6, S8)
-- are in region_jamforelse_manad: a table summing both would tie the
-- monthly tables to S1 and S2 in one suppression system.
-- counts: kohort, delmal1_antal
-- shares: andel_studier_arbete, andel_examen, delmal1_andel
-- key: kommunkod
-- sum: kohort = s1_status.antal@kommunkod by kommunkod
-- sum: delmal1_antal = s2_delmal.antal[delmal=1, bas=inskrivning_mogna]@kommunkod by kommunkod
-- ratio: andel_studier_arbete = (s1_status.antal[status=STUDIER]@kommunkod + s1_status.antal[status=ARBETE]@kommunkod) / kohort
-- ratio: andel_examen = s1_status.antal[status=EXAMEN]@kommunkod / kohort
-- ratio: delmal1_andel = s2_delmal.uppfyllda[delmal=1, bas=inskrivning_mogna]@kommunkod / delmal1_antal
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
final as (
    select
        'region' as scope,
        k.kommunkod,
        cast(coalesce(s1.kohort, 0) as bigint) as kohort,
        cast(s1.studier_arbete as double) / nullif(s1.kohort, 0) as andel_studier_arbete,
        cast(s1.examen as double) / nullif(s1.kohort, 0) as andel_examen,
        cast(coalesce(s2.delmal1_antal, 0) as bigint) as delmal1_antal,
        cast(s2.delmal1_andel as double) as delmal1_andel
    from kommuner k
    left join s1 using (kommunkod)
    left join s2 using (kommunkod)
)
select * from final
