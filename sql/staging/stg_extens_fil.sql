-- The run's weekly Extens extracts as files, from the file catalog
-- (loaded_file, kept between runs and added to by each file a run reads):
-- every used extract dated on or before as_of, with its kommun, its date
-- and loaded, the number of its rows in raw_extens (skyddade purged), so
-- the rows of stg_extens with this file_id. A model that needs only some
-- extracts picks them here and reads the rows of those files alone: its
-- cost follows their rows, not the whole history's.
with
run as (
    select file_id from run_file where kind = 'extens' and not superseded
),
final as (
    select f.file_id, f.kommunkod, f.extract_date, f.loaded
    from loaded_file f
    join run using (file_id)
    where f.kind = 'extens' and f.extract_date <= getvariable('as_of')
)
select * from final
