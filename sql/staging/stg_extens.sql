-- Weekly Extens extracts of the run, dated on or before as_of.
with
run as (
    select file_id from run_file where kind = 'extens' and not superseded
),
final as (
    select
        e.kommunkod, e.person, e.fodelsedatum, e.kon, e.extract_date,
        e.postnummer, e.grundskola, e.gymnasieskola, e.program,
        e.inskriven, e.avgangsdatum, e.avgangstyp, e.examen,
        e.file_id, e.line
    from raw_extens e
    join run using (file_id)
    where e.extract_date <= getvariable('as_of')
)
select * from final
