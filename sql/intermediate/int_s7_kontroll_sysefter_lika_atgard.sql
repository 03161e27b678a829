-- S7 register check sysefter_lika_atgard (studies.md, S7): one row per finding,
-- an åtgärd whose SysEfter is its Atgard.
-- sort: 5
-- niva: rod
with
final as (
    select
        kommunkod, person, atgard, start, slut,
        cast(null as date) as aktualiserad, cast(null as date) as avaktualiserad,
        cast(null as date) as datum, sysefter as uppgift
    from int_s7_atgarder
    where sysefter = atgard
)
select * from final
