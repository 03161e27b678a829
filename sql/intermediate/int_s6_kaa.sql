-- S6: persons aktuella for KAA at some time during month M (s6_month): a
-- period with Aktualiserad <= the last day of M and no Avaktualiserad or one
-- after the first day of M (a period is not aktuell on its Avaktualiserad
-- date). Per person (kommunkod, person): age and MG1 (16–19) on the last day
-- of M, the Kontaktstatus of the latest period aktuell during M (latest
-- Aktualiserad; same date: a given status before a blank one, then
-- alphabetical), and whether the person is a participant during M: a
-- deltagare row with Inskriven <= the last day of M and no Utskriven or one
-- on or after the first day of M.
with
manad as (
    select
        cast(getvariable('s6_month') as date) as forsta,
        cast(last_day(cast(getvariable('s6_month') as date)) as date) as sista
),
perioder as (
    select
        k.kommunkod, k.person, k.fodelsedatum, k.kontaktstatus,
        row_number() over (
            partition by k.kommunkod, k.person
            order by k.aktualiserad desc, k.kontaktstatus nulls last, k.kontaktstatus, k.line desc, k.file_id desc
        ) as nr
    from stg_kaa_individer k
    cross join manad m
    where k.aktualiserad <= m.sista
      and (k.avaktualiserad is null or k.avaktualiserad > m.forsta)
),
personer as (
    select p.kommunkod, p.person, p.fodelsedatum, p.kontaktstatus,
        (year(m.sista) - year(p.fodelsedatum))
            - case when strftime(m.sista, '%m%d') < strftime(p.fodelsedatum, '%m%d') then 1 else 0 end as alder
    from perioder p
    cross join manad m
    where p.nr = 1
),
deltagare as (
    select distinct d.kommunkod, d.person
    from int_s2_deltagare d
    cross join manad m
    where d.inskriven <= m.sista
      and (d.utskriven is null or d.utskriven >= m.forsta)
),
final as (
    select
        p.kommunkod, p.person, p.alder,
        p.alder between 16 and 19 as mg1,
        p.kontaktstatus,
        d.person is not null as deltagare
    from personer p
    left join deltagare d using (kommunkod, person)
)
select * from final
