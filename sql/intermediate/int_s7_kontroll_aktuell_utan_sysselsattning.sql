-- S7 register check aktuell_utan_sysselsattning (studies.md, S7): one row per finding,
-- a period aktuell some day in the half-year, and the person
-- has no observation dated in the half-year; datum = the person's latest
-- observation (before the half-year), blank if none.
-- sort: 9
-- niva: gul
with
halvar as (
    select p_from, p_to from int_s7_halvar
),
observationer as (select kommunkod, person, datum from stg_kaa_sysselsattning),
senaste_observation as (
    select kommunkod, person, max(datum) as datum from observationer group by all
),
final as (
    select
        a.kommunkod, a.person,
        cast(null as varchar) as atgard, cast(null as date) as start, cast(null as date) as slut,
        a.aktualiserad, a.avaktualiserad, s.datum, cast(null as varchar) as uppgift
    from int_s7_aktuella a
    cross join halvar h
    left join senaste_observation s on s.kommunkod = a.kommunkod and s.person = a.person
    where not exists (
        select 1 from observationer o
        where o.kommunkod = a.kommunkod and o.person = a.person
          and o.datum between h.p_from and h.p_to
    )
)
select * from final
