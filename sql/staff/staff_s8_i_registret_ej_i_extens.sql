-- S8: persons aktuella in the KAA register on the date of the latest Extens
-- extract who are not omfattade according to that extract — for the KAA
-- staff to look into (pseudonyms; never published). orsak: INTE_I_UTTAGET
-- (not in the extract), EXAMEN, INSKRIVEN, ALDER (not 16–19 on the date).
with
final as (
    select
        s.scope, i.kommunkod, i.person, i.extract_date, i.aktualiserad, i.registreringsorsak,
        i.orsak, i.alder_i_extens as alder
    from int_s8_identifiering i
    join int_scope s using (kommunkod)
    where i.aktuell_i_registret and not i.omfattas_enligt_extens
)
select * from final
