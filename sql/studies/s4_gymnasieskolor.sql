-- S4: the population (s4_population) by the Gymnasieskola of the latest
-- extens row dated on or before the population's date; INGEN for a blank
-- one or no extens row (always shown, last; 0 where none). Schools as they occur, in alphabetical (Swedish)
-- order; names are trimmed and grouped case-insensitively (shown in the
-- first spelling by sort order). Gymnasieskolor are not tied to the
-- person's kommun, so in the region the same name is one row.
-- andel = antal / population size.
-- counts: antal
-- shares: andel
-- region: nocase gymnasieskola
-- ratio: andel = antal / sum(antal)
-- sum: antal = s1_status.antal
with
persons as (
    select s.scope, p.gymnasieskola, lower(p.gymnasieskola) as nyckel
    from int_s4_person p join int_scope s using (kommunkod)
    where p.population = getvariable('s4_population')
),
scopes as (select distinct scope from int_scope),
totals as (select scope, count(*) as n from persons group by all),
skolor as (
    select scope, nyckel, min(gymnasieskola) as gymnasieskola, count(*) as antal
    from persons
    where nyckel <> 'ingen'
    group by all
),
ingen as (
    select sc.scope, 'ingen' as nyckel, 'INGEN' as gymnasieskola, count(p.scope) as antal
    from scopes sc
    left join persons p on p.scope = sc.scope and p.nyckel = 'ingen'
    group by all
),
rows_ as (
    select *, false as ar_ingen from skolor
    union all
    select *, true as ar_ingen from ingen
),
final as (
    select
        r.scope,
        row_number() over (
            partition by r.scope
            order by r.ar_ingen, translate(r.nyckel, 'åäöæøéèáü', '{|}|}eeay'), r.gymnasieskola
        ) as sort,
        r.gymnasieskola,
        cast(r.antal as bigint) as antal,
        cast(r.antal as double) / nullif(t.n, 0) as andel
    from rows_ r
    left join totals t on t.scope = r.scope
)
select * from final
