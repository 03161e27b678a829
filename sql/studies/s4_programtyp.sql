-- S4: the population (s4_population) by programtyp of the Program in the
-- latest extens row dated on or before the population's date: NATIONELLT (not blank, not starting with IM),
-- INTRODUKTION (starting with IM), INGET (blank, or no extens row);
-- andel = antal / population size.
-- counts: antal
-- shares: andel
-- ratio: andel = antal / sum(antal)
-- sum: antal = s1_status.antal
with
persons as (
    select s.scope, p.programtyp from int_s4_person p join int_scope s using (kommunkod)
    where p.population = getvariable('s4_population')
),
scopes as (select distinct scope from int_scope),
values_ as (select sort, varde as programtyp from int_lista where lista = 'programtyp'),
counts as (select scope, programtyp, count(*) as antal from persons group by all),
totals as (select scope, count(*) as n from persons group by all),
final as (
    select
        sc.scope, v.sort, v.programtyp,
        cast(coalesce(c.antal, 0) as bigint) as antal,
        cast(coalesce(c.antal, 0) as double) / nullif(t.n, 0) as andel
    from scopes sc
    cross join values_ v
    left join counts c on c.scope = sc.scope and c.programtyp = v.programtyp
    left join totals t on t.scope = sc.scope
)
select * from final
