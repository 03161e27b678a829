-- S4: representation of the population (s4_population: the S1 cohort, or
-- the avslutade deltagare; see int_s3_population) per grundskola. Rows: every school of
-- grundskolor in the school year (per kommun: the largest Ar on or before
-- the calendar year of s1_to), in alphabetical (Swedish) order, 0 where
-- none, then EXTERN (a school not in the kommun's grundskolor) and OKÄNT
-- (blank or no extens row), always, with the school figures blank and
-- huvudman EXTERN / OKÄNT. In the region scope a school is labelled
-- "<kommunkod> <skola>", since names of different kommuner may collide.
-- andel_kohort = antal / population size; andel_sistaarselever = the school's
-- Sistaarselever / the sum over the scope's schools of the year;
-- representation = andel_kohort / andel_sistaarselever (blank where that is
-- blank or 0). representation is not a fraction 0..1, but it is annotated
-- as a share so that it is suppressed with its row's count: from it and the
-- published Sistaarselever, a small count could be recomputed.
-- counts: antal
-- plain: sistaarselever, andel_sistaarselever
-- shares: andel_kohort, andel_sistaarselever, representation
-- region: prefix grundskola
-- ratio: andel_kohort = antal / sum(antal)
-- sum: antal = s1_status.antal
-- sum: antal = s4_huvudman.antal by huvudman
with
scopes as (select distinct scope from int_scope),
persons as (
    select s.scope, p.kommunkod, p.grundskola, p.i_grundskolor
    from int_s4_person p join int_scope s using (kommunkod)
    where p.population = getvariable('s4_population')
),
cohort as (select scope, count(*) as n from persons group by all),
skolor as (
    select
        s.scope, k.kommunkod, k.skola,
        case when s.scope = 'region' then k.kommunkod || ' ' || k.skola else k.skola end as label,
        k.huvudman, k.sistaarselever
    from int_s4_skola k join int_scope s using (kommunkod)
),
elever as (select scope, sum(sistaarselever) as n from skolor group by all),
counts as (
    select scope, kommunkod, grundskola, count(*) as antal
    from persons where i_grundskolor group by all
),
ovriga_counts as (
    select scope, grundskola, count(*) as antal
    from persons where not i_grundskolor group by all
),
ovriga as (
    select * from (values (1, 'EXTERN'), (2, 'OKÄNT')) t(nr, grundskola)
),
rows_ as (
    select
        k.scope, 0 as grupp, k.label as grundskola, k.huvudman,
        coalesce(c.antal, 0) as antal,
        k.sistaarselever, e.n as elever_total
    from skolor k
    left join counts c on c.scope = k.scope and c.kommunkod = k.kommunkod and c.grundskola = k.skola
    left join elever e on e.scope = k.scope
    union all
    select
        sc.scope, o.nr as grupp, o.grundskola, o.grundskola as huvudman,
        coalesce(oc.antal, 0) as antal,
        null, null
    from scopes sc
    cross join ovriga o
    left join ovriga_counts oc on oc.scope = sc.scope and oc.grundskola = o.grundskola
),
shares as (
    select
        r.*,
        cast(r.antal as double) / nullif(c.n, 0) as andel_kohort,
        cast(r.sistaarselever as double) / nullif(r.elever_total, 0) as andel_sistaarselever
    from rows_ r
    left join cohort c on c.scope = r.scope
),
final as (
    select
        scope,
        row_number() over (
            partition by scope
            order by grupp, translate(lower(grundskola), 'åäöæøéèáü', '{|}|}eeay'), grundskola
        ) as sort,
        grundskola,
        huvudman,
        cast(antal as bigint) as antal,
        andel_kohort,
        cast(sistaarselever as bigint) as sistaarselever,
        andel_sistaarselever,
        andel_kohort / nullif(andel_sistaarselever, 0) as representation
    from shares
)
select * from final
