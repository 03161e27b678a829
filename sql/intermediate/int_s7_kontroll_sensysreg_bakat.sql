-- S7 register check sensysreg_bakat (studies.md, S7): one row per finding,
-- a period's SenSysReg at a lower level (int_s7_studieniva) than
-- that of a period with an earlier Aktualiserad (periods with blank
-- SenSysReg are skipped). The later period, datum = the earlier one's
-- Aktualiserad, uppgift = 'earlier → later' code.
-- sort: 6
-- niva: rod
with
nivaer as (
    select p.kommunkod, p.person, p.aktualiserad, p.avaktualiserad, p.sensysreg, n.niva
    from int_s7_perioder p
    join int_s7_studieniva n on n.kod = p.sensysreg
),
final as (
    select
        senare.kommunkod, senare.person,
        cast(null as varchar) as atgard, cast(null as date) as start, cast(null as date) as slut,
        senare.aktualiserad, senare.avaktualiserad,
        tidigare.aktualiserad as datum,
        tidigare.sensysreg || ' → ' || senare.sensysreg as uppgift
    from nivaer senare
    join nivaer tidigare
      on tidigare.kommunkod = senare.kommunkod and tidigare.person = senare.person
     and tidigare.aktualiserad < senare.aktualiserad
     and tidigare.niva > senare.niva
)
select * from final
