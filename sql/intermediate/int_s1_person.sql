-- S1: each cohort person (first Aktualiserad in [s1_from, s1_to]) with the
-- status at s1_cutoff by the spec's precedence, and the försörjning of the
-- latest observation on or before the cutoff.
with
periods as (
    select
        kommunkod, person, kon, aktualiserad, registreringsorsak,
        row_number() over (
            partition by kommunkod, person
            order by aktualiserad, registreringsorsak nulls last, line
        ) as nr
    from stg_kaa_individer
    where aktualiserad between getvariable('s1_from') and getvariable('s1_to')
),
cohort as (
    select kommunkod, person, kon, aktualiserad, coalesce(registreringsorsak, 'OKAND') as registreringsorsak
    from periods
    where nr = 1
),
examen as (
    select kommunkod, person from stg_extens
    where examen and extract_date <= getvariable('s1_cutoff')
    union
    select kommunkod, person from stg_kaa_individer
    where avaktualiseringsorsak = 'EXAMEN' and avaktualiserad <= getvariable('s1_cutoff')
),
observations as (
    select
        kommunkod, person, kategori, forsorjning,
        row_number() over (
            partition by kommunkod, person
            order by datum desc,
                case kategori when 'STUDIER' then 0 when 'ARBETE' then 1 else 2 end,
                sysselsattning, forsorjning nulls last
        ) as nr
    from stg_kaa_sysselsattning
    where datum <= getvariable('s1_cutoff')
),
latest as (
    select kommunkod, person, kategori, forsorjning from observations where nr = 1
),
aktuell as (
    select distinct kommunkod, person from stg_kaa_individer
    where aktualiserad <= getvariable('s1_cutoff')
      and (avaktualiserad is null or avaktualiserad > getvariable('s1_cutoff'))
),
final as (
    select
        c.kommunkod, c.person, c.kon, c.aktualiserad, c.registreringsorsak,
        case
            when e.person is not null then 'EXAMEN'
            when l.kategori = 'STUDIER' then 'STUDIER'
            when l.kategori = 'ARBETE' then 'ARBETE'
            when a.person is not null then 'KVAR_I_KAA'
            else 'INGEN_UPPGIFT'
        end as status,
        coalesce(l.forsorjning, 'OKAND') as forsorjning
    from cohort c
    left join (select distinct kommunkod, person from examen) e using (kommunkod, person)
    left join latest l using (kommunkod, person)
    left join aktuell a using (kommunkod, person)
)
select * from final
