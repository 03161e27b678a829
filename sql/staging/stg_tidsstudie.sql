-- Time-study registrations up to as_of.
with
run as (
    select file_id from run_file where kind = 'tidsstudie' and not superseded
),
final as (
    select t.kommunkod, t.datum, t.coach, t.kategori, t.minuter, t.kon, t.alder, t.file_id, t.line
    from raw_tidsstudie t
    join run using (file_id)
    where t.datum <= getvariable('as_of')
)
select * from final
