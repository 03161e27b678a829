-- S7 register check atgard_utan_slutdatum (studies.md, S7): one row per finding,
-- an åtgärd with Slut blank.
-- sort: 10
-- niva: gron
with
final as (
    select
        kommunkod, person, atgard, start, slut,
        cast(null as date) as aktualiserad, cast(null as date) as avaktualiserad,
        cast(null as date) as datum, cast(null as varchar) as uppgift
    from int_s7_atgarder
    where slut is null
)
select * from final
