-- Occupation observations up to as_of, with their category.
-- The run's export: the latest dated one, or all parts (a row repeated in a
-- later part counts once, see run_duplicate).
with
run as (
    select file_id from run_file where kind = 'kaa_sysselsattning' and not superseded
),
final as (
    select
        s.kommunkod, s.person, s.fodelsedatum, s.kon, s.datum,
        s.sysselsattning, c.kategori, s.forsorjning, s.file_id, s.line
    from raw_kaa_sysselsattning s
    join run using (file_id)
    anti join run_duplicate using (file_id, line)
    left join kod_sysselsattning c on c.kod = s.sysselsattning
    where s.datum <= getvariable('as_of')
)
select * from final
