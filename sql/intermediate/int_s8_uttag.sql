-- The Extens files S8 reads: per kommun, the files of its latest extract
-- on or before as_of, taken from the file catalog (stg_extens_fil) so that
-- only these files' rows are read. A file none of whose rows loaded (all
-- rejected or skyddade) is no one's extract.
with
senaste as (
    select kommunkod, max(extract_date) as extract_date
    from stg_extens_fil
    where loaded > 0
    group by all
),
final as (
    select f.kommunkod, f.extract_date, f.file_id, f.loaded
    from stg_extens_fil f
    join senaste using (kommunkod, extract_date)
)
select * from final
