-- ESF participants registered up to as_of; an exit after as_of is not yet known.
-- The run's export: the latest dated one, or all parts (a row repeated in a
-- later part counts once, see run_duplicate).
with
run as (
    select file_id from run_file where kind = 'deltagare' and not superseded
),
final as (
    select
        d.kommunkod, d.person, d.fodelsedatum, d.kon, d.inskriven,
        case when d.utskriven <= getvariable('as_of') then d.utskriven end as utskriven,
        case when d.utskriven <= getvariable('as_of') then d.sysvidavslut end as sysvidavslut,
        case when d.utskriven <= getvariable('as_of') then d.anvisadstodinsats end as anvisadstodinsats,
        d.coach, d.file_id, d.line
    from raw_deltagare d
    join run using (file_id)
    anti join run_duplicate using (file_id, line)
    where d.inskriven <= getvariable('as_of')
)
select * from final
