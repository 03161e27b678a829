-- S7: the persons behind each register check, one row per finding (the
-- åtgärd, period or observation to correct), for the KAA staff to fix before
-- the SCB export (pseudonyms; never published). coach = the Coach of the
-- person's latest period. Details per check: åtgärd checks give atgard,
-- start, slut (and datum = the INGEN observation's date, uppgift = SysEfter
-- or GrundAtgSlut where useful); period checks give aktualiserad,
-- avaktualiserad; sensysreg_bakat gives the later period, datum = the
-- earlier period's Aktualiserad and uppgift = 'earlier → later' code;
-- aktuell_utan_sysselsattning gives datum = the person's latest
-- observation (before the half-year), blank if none.
with
fynd as (
    select s.scope, f.*
    from int_s7_fynd f
    join int_scope s using (kommunkod)
),
final as (
    select
        f.scope, k.sort, f.kontroll, k.niva, f.person, f.kommunkod, f.coach,
        f.atgard, f.start, f.slut, f.aktualiserad, f.avaktualiserad, f.datum, f.uppgift
    from fynd f
    join int_s7_kontroll k using (kontroll)
)
select * from final
