-- S7 register check saknar_sensysreg (studies.md, S7): one row per finding,
-- SenSysReg blank in a period aktuell some day in the half-year
-- (int_s7_aktuella).
-- sort: 7
-- niva: gul
with
final as (
    select
        kommunkod, person,
        cast(null as varchar) as atgard, cast(null as date) as start, cast(null as date) as slut,
        aktualiserad, avaktualiserad, cast(null as date) as datum, cast(null as varchar) as uppgift
    from int_s7_aktuella
    where sensysreg is null
)
select * from final
