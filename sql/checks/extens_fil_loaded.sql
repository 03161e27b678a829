-- severity: error
-- rule: each Extens file S8 reads has in raw_extens the rows the file catalog says loaded
with
rader as (
    select file_id, count(*) as rader from stg_extens
    where file_id in (select file_id from int_s8_uttag)
    group by all
),
final as (
    select r.path, u.loaded, coalesce(n.rader, 0) as rader
    from int_s8_uttag u
    join run_file r using (file_id)
    left join rader n using (file_id)
    where u.loaded <> coalesce(n.rader, 0)
)
select * from final
