-- S3: each person of each S3/S4 population (int_s3_population: the S1
-- cohort, the avslutade deltagare) with the område they lived in: the
-- postnummer of their latest extens row dated on or before the population's
-- date (int_s1_extens), mapped through the kommun's omraden to an område of the kommun's
-- statistics year (int_s3_omrade). omrade is NULL (OKÄNT) when the person
-- is in no such extract, the postnummer there is blank, the postnummer is
-- not in omraden, or its område has no statistics in that year. Postnummer
-- and område names are matched trimmed, postnummer without spaces, område
-- names case-insensitively.
with
cohort as (
    select population, kommunkod, person from int_s3_population
),
latest as (
    select population, kommunkod, person, postnummer from int_s1_extens
),
omraden as (
    -- a postnummer mapped to two områden is stopped by the check omraden_unique
    select kommunkod, replace(trim(postnummer), ' ', '') as postnummer, min(lower(trim(omrade))) as omrade_key
    from stg_omraden
    group by all
),
final as (
    select c.population, c.kommunkod, c.person, l.postnummer, o.omrade
    from cohort c
    left join latest l using (population, kommunkod, person)
    left join omraden m on m.kommunkod = c.kommunkod and m.postnummer = l.postnummer
    left join int_s3_omrade o on o.kommunkod = c.kommunkod and o.omrade_key = m.omrade_key
)
select * from final
