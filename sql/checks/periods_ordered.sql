-- severity: warn
-- rule: periods end on or after they start (KAA periods, participations, åtgärder) and start after birth
with
reversed as (
    select file_id, line from stg_kaa_individer
    where avaktualiserad < aktualiserad or aktualiserad < fodelsedatum
    union all
    select file_id, line from stg_deltagare
    where utskriven < inskriven or inskriven < fodelsedatum
    union all
    select file_id, line from stg_kaa_atgarder
    where slut < start
),
final as (
    select f.path, r.line
    from reversed r
    join run_file f using (file_id)
)
select * from final
