-- S1: the cohort — persons whose Aktualiserad lies in [s1_from, s1_to] —
-- each once, with the first period in the window: its date, its
-- Registreringsorsak (OKAND for blank) and the person's kön and birth date.
with
periods as (
    select
        kommunkod, person, fodelsedatum, kon, aktualiserad, registreringsorsak,
        row_number() over (
            partition by kommunkod, person
            order by aktualiserad, registreringsorsak nulls last, line, file_id
        ) as nr
    from stg_kaa_individer
    where aktualiserad between getvariable('s1_from') and getvariable('s1_to')
),
final as (
    select
        kommunkod, person, fodelsedatum, kon, aktualiserad,
        coalesce(registreringsorsak, 'OKAND') as registreringsorsak
    from periods
    where nr = 1
)
select * from final
