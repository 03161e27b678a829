-- S7 register check atgard_utan_sysselsattning (studies.md, S7): one row per finding,
-- an åtgärd with no observation (any code) dated in [Start,
-- coalesce(Slut, as_of)].
-- sort: 2
-- niva: rod
with
observationer as (select kommunkod, person, datum from stg_kaa_sysselsattning),
final as (
    select
        a.kommunkod, a.person, a.atgard, a.start, a.slut,
        cast(null as date) as aktualiserad, cast(null as date) as avaktualiserad,
        cast(null as date) as datum, cast(null as varchar) as uppgift
    from int_s7_atgarder a
    where not exists (
        select 1 from observationer o
        where o.kommunkod = a.kommunkod and o.person = a.person
          and o.datum between a.start and a.slut_eller_as_of
    )
)
select * from final
