-- Reference data: the newest present grundskolor export of each kommun.
with
run as (
    select file_id from run_file where kind = 'grundskolor' and not superseded
),
final as (
    select r.kommunkod, r.skola, r.huvudman, r.ar, r.sistaarselever, r.file_id, r.line
    from raw_grundskolor r
    join run using (file_id)
)
select * from final
