-- S4: the population (s4_population) by huvudman of the grundskola (KOMMUNAL, FRISTAENDE,
-- EXTERN for a school not in the kommun's grundskolor, OKÄNT for a blank
-- school, no extens row, or a school whose huvudman is blank);
-- andel = antal / population size.
-- counts: antal
-- shares: andel
-- ratio: andel = antal / sum(antal)
-- sum: antal = s1_status.antal
with
persons as (
    select s.scope, p.huvudman from int_s4_person p join int_scope s using (kommunkod)
    where p.population = getvariable('s4_population')
),
scopes as (select distinct scope from int_scope),
values_ as (select sort, varde as huvudman from int_lista where lista = 'huvudman'),
counts as (select scope, huvudman, count(*) as antal from persons group by all),
totals as (select scope, count(*) as n from persons group by all),
final as (
    select
        sc.scope, v.sort, v.huvudman,
        cast(coalesce(c.antal, 0) as bigint) as antal,
        cast(coalesce(c.antal, 0) as double) / nullif(t.n, 0) as andel
    from scopes sc
    cross join values_ v
    left join counts c on c.scope = sc.scope and c.huvudman = v.huvudman
    left join totals t on t.scope = sc.scope
)
select * from final
