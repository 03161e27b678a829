-- GRUUS dropout events of the run up to as_of; an event reported in several
-- files (same person, händelse, date and skola) counts once.
with
run as (
    select file_id from run_file where kind = 'gruus' and not superseded
),
events as (
    select g.*
    from raw_gruus g
    join run using (file_id)
    where g.handelsedatum <= getvariable('as_of')
),
final as (
    select
        kommunkod, person, fodelsedatum, kon, skola, program, handelse,
        handelsedatum, min(rapportdatum) as rapportdatum,
        min(file_id) as file_id, min(line) as line
    from events
    group by all
)
select * from final
