-- Reference data: the omradesstatistik export of each kommun (the latest dated export, or
-- all parts; a row repeated in a later part counts once).
with
run as (
    select file_id from run_file where kind = 'omradesstatistik' and not superseded
),
final as (
    select r.kommunkod, r.omrade, r.ar, r.befolkning0_19, r.befolkning, r.andelforgymnasial, r.andeloppetarbetslosa, r.andelekonomisktbistand, r.medianinkomst, r.ohalsotal, r.sjalvskattadhalsa, r.file_id, r.line
    from raw_omradesstatistik r
    join run using (file_id)
    anti join run_duplicate using (file_id, line)
)
select * from final
