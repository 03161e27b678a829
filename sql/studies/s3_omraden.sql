-- S3: representation of the population (s3_population: the S1 cohort, or
-- the avslutade deltagare; see int_s3_population) per bostadsområde. Rows: every område
-- of omradesstatistik in the statistics year (per kommun: the largest Ar on
-- or before the calendar year of s1_to), in alphabetical (Swedish) order,
-- then OKÄNT (always, 0 where none) for persons with no or an unmapped
-- postnummer. In the region scope an område is labelled "<kommunkod>
-- <område>", since names of different kommuner may collide.
-- andel_kohort = antal / population size; andel_befolkning_0_19 = the område's
-- Befolkning0_19 / the sum over the scope's områden; representation =
-- andel_kohort / andel_befolkning_0_19 (blank for OKÄNT and where the
-- population is blank or 0). The six factors as given (blank where blank).
-- representation is not a fraction 0..1, but it is annotated as a share so
-- that it is suppressed with its row's count: from it, the published
-- population figures and the cohort size, a small count could be recomputed.
-- counts: antal
-- plain: befolkning_0_19, andel_befolkning_0_19
-- shares: andel_kohort, andel_befolkning_0_19, representation
-- region: prefix omrade
-- ratio: andel_kohort = antal / sum(antal)
-- sum: antal = s1_status.antal
with
scopes as (select distinct scope from int_scope),
persons as (
    select s.scope, p.kommunkod, p.omrade
    from int_s3_person p join int_scope s using (kommunkod)
    where p.population = getvariable('s3_population')
),
cohort as (select scope, count(*) as n from persons group by all),
omraden as (
    select
        s.scope, o.kommunkod, o.omrade,
        case when s.scope = 'region' then o.kommunkod || ' ' || o.omrade else o.omrade end as label,
        o.befolkning0_19, o.andelforgymnasial, o.andeloppetarbetslosa, o.andelekonomisktbistand,
        o.medianinkomst, o.ohalsotal, o.sjalvskattadhalsa
    from int_s3_omrade o join int_scope s using (kommunkod)
),
befolkning as (select scope, sum(befolkning0_19) as n from omraden group by all),
counts as (
    select scope, kommunkod, omrade, count(*) as antal
    from persons where omrade is not null group by all
),
okant as (select scope, count(*) as antal from persons where omrade is null group by all),
rows_ as (
    select
        o.scope, false as ar_okant, o.label as omrade,
        coalesce(c.antal, 0) as antal,
        o.befolkning0_19, b.n as befolkning_total,
        o.andelforgymnasial, o.andeloppetarbetslosa, o.andelekonomisktbistand,
        o.medianinkomst, o.ohalsotal, o.sjalvskattadhalsa
    from omraden o
    left join counts c on c.scope = o.scope and c.kommunkod = o.kommunkod and c.omrade = o.omrade
    left join befolkning b on b.scope = o.scope
    union all
    select
        sc.scope, true as ar_okant, 'OKÄNT' as omrade,
        coalesce(k.antal, 0) as antal,
        null, null, null, null, null, null, null, null
    from scopes sc
    left join okant k on k.scope = sc.scope
),
shares as (
    select
        r.*,
        cast(r.antal as double) / nullif(c.n, 0) as andel_kohort,
        cast(r.befolkning0_19 as double) / nullif(r.befolkning_total, 0) as andel_befolkning_0_19
    from rows_ r
    left join cohort c on c.scope = r.scope
),
final as (
    select
        scope,
        row_number() over (
            partition by scope
            order by ar_okant, translate(lower(omrade), 'åäöæøéèáü', '{|}|}eeay'), omrade
        ) as sort,
        omrade,
        cast(antal as bigint) as antal,
        andel_kohort,
        cast(befolkning0_19 as bigint) as befolkning_0_19,
        andel_befolkning_0_19,
        case when not ar_okant then andel_kohort / nullif(andel_befolkning_0_19, 0) end as representation,
        cast(andelforgymnasial as double) as andelforgymnasial,
        cast(andeloppetarbetslosa as double) as andeloppetarbetslosa,
        cast(andelekonomisktbistand as double) as andelekonomisktbistand,
        cast(medianinkomst as double) as medianinkomst,
        cast(ohalsotal as double) as ohalsotal,
        cast(sjalvskattadhalsa as double) as sjalvskattadhalsa
    from shares
)
select * from final
