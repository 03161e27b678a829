-- S1: the cohort by Registreringsorsak of the person's first period in the
-- window (OKAND for blank).
-- counts: antal
-- shares: andel
-- ratio: andel = antal / sum(antal)
-- sum: antal = s1_status.antal
with
persons as (
    select s.scope, p.registreringsorsak from int_s1_person p join int_scope s using (kommunkod)
),
scopes as (select distinct scope from int_scope),
values_ as (select sort, varde as registreringsorsak from int_lista where lista = 'registreringsorsak'),
counts as (select scope, registreringsorsak, count(*) as antal from persons group by all),
totals as (select scope, count(*) as n from persons group by all),
final as (
    select
        sc.scope, v.sort, v.registreringsorsak,
        coalesce(c.antal, 0) as antal,
        coalesce(c.antal, 0) / nullif(t.n, 0) as andel
    from scopes sc
    cross join values_ v
    left join counts c on c.scope = sc.scope and c.registreringsorsak = v.registreringsorsak
    left join totals t on t.scope = sc.scope
)
select * from final
