-- Reference data: the grundskolor export of each kommun (the latest dated export, or
-- all parts; a row repeated in a later part counts once).
with
run as (
    select file_id from run_file where kind = 'grundskolor' and not superseded
),
final as (
    select r.kommunkod, r.skola, r.huvudman, r.ar, r.sistaarselever, r.file_id, r.line
    from raw_grundskolor r
    join run using (file_id)
    anti join run_duplicate using (file_id, line)
)
select * from final
