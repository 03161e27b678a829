-- Reference data: the skolalias export of each kommun (the latest dated export, or
-- all parts; a row repeated in a later part counts once).
with
run as (
    select file_id from run_file where kind = 'skolalias' and not superseded
),
final as (
    select r.kommunkod, r.alias, r.skola, r.file_id, r.line
    from raw_skolalias r
    join run using (file_id)
    anti join run_duplicate using (file_id, line)
)
select * from final
