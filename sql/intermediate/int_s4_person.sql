-- S4: each person of each S3/S4 population (int_s3_population: the S1
-- cohort, the avslutade deltagare) with the school background of their
-- latest extens row dated on or before the population's date (int_s1_extens).
-- grundskola: the row's Grundskola, mapped through the kommun's skolalias
-- (Alias → Skola, one step) to its current name, then matched against the
-- kommun's grundskolor of the school year (int_s4_skola): that school and
-- its huvudman (OKÄNT if the huvudman is blank); blank or no extens row →
-- OKÄNT; not blank and not in grundskolor → EXTERN. Alias and school names
-- are matched trimmed and case-insensitively.
-- gymnasieskola: the row's Gymnasieskola trimmed, INGEN for blank or no row.
-- programtyp: INTRODUKTION for a Program starting with IM (any case),
-- NATIONELLT for any other Program, INGET for blank or no row.
with
cohort as (
    select population, kommunkod, person from int_s3_population
),
latest as (
    select population, kommunkod, person, grundskola, gymnasieskola, program from int_s1_extens
),
alias as (
    -- an alias listed twice with different schools: the first school by name
    select kommunkod, lower(trim(alias)) as alias_key, min(trim(skola)) as skola
    from stg_skolalias
    group by all
),
resolved as (
    select
        c.population, c.kommunkod, c.person,
        l.grundskola as grundskola_extens,
        coalesce(a.skola, l.grundskola) as grundskola_aktuell,
        l.gymnasieskola, l.program
    from cohort c
    left join latest l using (population, kommunkod, person)
    left join alias a on a.kommunkod = c.kommunkod and a.alias_key = lower(l.grundskola)
),
final as (
    select
        r.population, r.kommunkod, r.person, r.grundskola_extens,
        s.skola is not null as i_grundskolor,
        case
            when r.grundskola_aktuell is null then 'OKÄNT'
            when s.skola is null then 'EXTERN'
            else s.skola
        end as grundskola,
        case
            when r.grundskola_aktuell is null then 'OKÄNT'
            when s.skola is null then 'EXTERN'
            else coalesce(s.huvudman, 'OKÄNT')
        end as huvudman,
        coalesce(r.gymnasieskola, 'INGEN') as gymnasieskola,
        case
            when r.program is null then 'INGET'
            when upper(r.program) like 'IM%' then 'INTRODUKTION'
            else 'NATIONELLT'
        end as programtyp
    from resolved r
    left join int_s4_skola s on s.kommunkod = r.kommunkod and s.skola_key = lower(r.grundskola_aktuell)
)
select * from final
