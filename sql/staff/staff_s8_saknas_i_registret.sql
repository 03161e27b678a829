-- S8: persons omfattade according to the latest Extens extract (16–19, not
-- enrolled, no examen) who are not aktuella in the KAA register on the
-- extract's date — for the KAA staff to look into (pseudonyms; never
-- published). orsak: INTE_I_REGISTRET (no period at all), AVAKTUALISERAD
-- (a period ended on or before the date), AKTUALISERAD_SENARE (a period
-- starts after the date, up to as_of).
with
final as (
    select
        s.scope, i.kommunkod, i.person, i.extract_date, i.alder_i_extens as alder,
        i.orsak, i.senast_avaktualiserad, i.nasta_aktualiserad
    from int_s8_identifiering i
    join int_scope s using (kommunkod)
    where i.omfattas_enligt_extens and not i.aktuell_i_registret
)
select * from final
