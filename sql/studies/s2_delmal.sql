-- S2: delmål 1 and 2 per bas: uppfyllda (participations that met the goal),
-- antal (the denominator: exited participations of the bas), andel, mal (the
-- configured threshold, s2_goal1 / s2_goal2) and mal_uppnatt (J when andel >=
-- mal; N otherwise, also when antal is 0 and andel is blank). Bases: delmål 1
-- for MG1 at entry among mature exits (inskrivning_mogna), MG1 at entry among
-- all exits (inskrivning_alla) and MG1 at exit (utskrivning); delmål 2 for MG2
-- at entry (inskrivning) and MG2 at exit (utskrivning). Each row of deltagare
-- is one participation. andel_lag, andel_hog: the 95 % Wilson interval of
-- uppfyllda of antal.
-- counts: uppfyllda, antal
-- plain: delmal
-- shares: andel, andel_lag, andel_hog
-- key: delmal, bas
-- ratio: andel = uppfyllda / antal
-- sum: antal >= uppfyllda by delmal, bas
-- sum: antal[bas=inskrivning_alla] >= antal[bas=inskrivning_mogna] by delmal
-- sum: uppfyllda[bas=inskrivning_alla] >= uppfyllda[bas=inskrivning_mogna] by delmal
-- sum: antal[bas=inskrivning_alla] - uppfyllda[bas=inskrivning_alla] >= antal[bas=inskrivning_mogna] - uppfyllda[bas=inskrivning_mogna] by delmal
with
deltagande as (
    select s.scope, d.*
    from int_s2_deltagare d
    join int_scope s using (kommunkod)
    where d.avslutad
),
bas as (
    select scope, 1 as delmal, 'inskrivning_mogna' as bas, delmal1 as uppfylld from deltagande where mg_in = 'MG1' and mogen
    union all
    select scope, 1, 'inskrivning_alla', delmal1 from deltagande where mg_in = 'MG1'
    union all
    select scope, 1, 'utskrivning', delmal1 from deltagande where mg_ut = 'MG1'
    union all
    select scope, 2, 'inskrivning', delmal2 from deltagande where mg_in = 'MG2'
    union all
    select scope, 2, 'utskrivning', delmal2 from deltagande where mg_ut = 'MG2'
),
counts as (
    select scope, delmal, bas, count(*) filter (where uppfylld) as uppfyllda, count(*) as antal
    from bas
    group by all
),
scopes as (select distinct scope from int_scope),
rader as (
    select 1 as delmal, sort, varde as bas from int_lista where lista = 's2_bas_delmal1'
    union all
    select 2 as delmal, sort, varde as bas from int_lista where lista = 's2_bas_delmal2'
),
tal as (
    select
        sc.scope, r.delmal * 10 + r.sort as sort, r.delmal, r.bas,
        cast(coalesce(c.uppfyllda, 0) as bigint) as uppfyllda,
        cast(coalesce(c.antal, 0) as bigint) as antal,
        cast(coalesce(c.uppfyllda, 0) / nullif(coalesce(c.antal, 0), 0) as double) as andel,
        cast(case r.delmal when 1 then getvariable('s2_goal1') else getvariable('s2_goal2') end as double) as mal
    from scopes sc
    cross join rader r
    left join counts c on c.scope = sc.scope and c.delmal = r.delmal and c.bas = r.bas
),
final as (
    select
        scope, sort, cast(delmal as bigint) as delmal, bas, uppfyllda, antal, andel,
        wilson_lag(uppfyllda, antal) as andel_lag,
        wilson_hog(uppfyllda, antal) as andel_hog,
        mal,
        case when andel >= mal then 'J' else 'N' end as mal_uppnatt
    from tal
)
select * from final
