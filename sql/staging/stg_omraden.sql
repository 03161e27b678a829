-- Reference data: the omraden export of each kommun (the latest dated export, or
-- all parts; a row repeated in a later part counts once).
with
run as (
    select file_id from run_file where kind = 'omraden' and not superseded
),
final as (
    select r.kommunkod, r.postnummer, r.omrade, r.file_id, r.line
    from raw_omraden r
    join run using (file_id)
    anti join run_duplicate using (file_id, line)
)
select * from final
