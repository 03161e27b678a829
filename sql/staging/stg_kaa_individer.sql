-- KAA register periods known on as_of: an Avaktualiserad after as_of is not
-- yet known, so the period is open.
-- The run's export: the latest dated one, or all parts (a row repeated in a
-- later part counts once, see run_duplicate).
with
run as (
    select file_id from run_file where kind = 'kaa_individer' and not superseded
),
final as (
    select
        k.kommunkod, k.person, k.fodelsedatum, k.kon, k.aktualiserad,
        k.registreringsorsak, k.sensysreg,
        case when k.avaktualiserad <= getvariable('as_of') then k.avaktualiserad end as avaktualiserad,
        case when k.avaktualiserad <= getvariable('as_of') then k.avaktualiseringsorsak end as avaktualiseringsorsak,
        k.kontaktstatus, k.coach, k.file_id, k.line
    from raw_kaa_individer k
    join run using (file_id)
    anti join run_duplicate using (file_id, line)
    where k.aktualiserad <= getvariable('as_of')
)
select * from final
