-- Individual measures started up to as_of; an end after as_of is not yet known.
-- The run's export: the latest dated one, or all parts (a row repeated in a
-- later part counts once, see run_duplicate).
with
run as (
    select file_id from run_file where kind = 'kaa_atgarder' and not superseded
),
final as (
    select
        a.kommunkod, a.person, a.fodelsedatum, a.kon, a.atgard, a.start,
        case when a.slut <= getvariable('as_of') then a.slut end as slut,
        case when a.slut <= getvariable('as_of') then a.grundatgslut end as grundatgslut,
        case when a.slut <= getvariable('as_of') then a.sysefter end as sysefter,
        a.file_id, a.line
    from raw_kaa_atgarder a
    join run using (file_id)
    anti join run_duplicate using (file_id, line)
    where a.start <= getvariable('as_of')
)
select * from final
