-- Reference data: the newest present omraden export of each kommun.
with
run as (
    select file_id from run_file where kind = 'omraden' and not superseded
),
final as (
    select r.kommunkod, r.postnummer, r.omrade, r.file_id, r.line
    from raw_omraden r
    join run using (file_id)
)
select * from final
