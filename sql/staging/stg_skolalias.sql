-- Reference data: the newest present skolalias export of each kommun.
with
run as (
    select file_id from run_file where kind = 'skolalias' and not superseded
),
final as (
    select r.kommunkod, r.alias, r.skola, r.file_id, r.line
    from raw_skolalias r
    join run using (file_id)
)
select * from final
