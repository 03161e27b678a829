-- S7 register check avslutad_atgard_utan_grund (studies.md, S7): one row per finding,
-- an åtgärd with Slut set and GrundAtgSlut blank (uppgift: SysEfter).
-- sort: 3
-- niva: rod
with
final as (
    select
        kommunkod, person, atgard, start, slut,
        cast(null as date) as aktualiserad, cast(null as date) as avaktualiserad,
        cast(null as date) as datum, sysefter as uppgift
    from int_s7_atgarder
    where slut is not null and coalesce(trim(grundatgslut), '') = ''
)
select * from final
