-- S7 register check ingen_under_oppen_atgard (studies.md, S7): one row per finding,
-- an observation INGEN dated in [Start, Slut] of an åtgärd (Slut blank: up to as_of).
-- sort: 1
-- niva: rod
with
observationer as (select kommunkod, person, datum, sysselsattning from stg_kaa_sysselsattning),
final as (
    select
        a.kommunkod, a.person, a.atgard, a.start, a.slut,
        cast(null as date) as aktualiserad, cast(null as date) as avaktualiserad,
        o.datum, o.sysselsattning as uppgift
    from int_s7_atgarder a
    join observationer o
      on o.kommunkod = a.kommunkod and o.person = a.person
     and o.sysselsattning = 'INGEN'
     and o.datum between a.start and a.slut_eller_as_of
)
select * from final
