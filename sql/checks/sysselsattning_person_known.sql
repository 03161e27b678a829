-- severity: warn
-- rule: every occupation observation's person is in the KAA register or the participant list
with
unknown as (
    select s.file_id, s.line
    from stg_kaa_sysselsattning s
    where not exists (select 1 from stg_kaa_individer k where k.kommunkod = s.kommunkod and k.person = s.person)
      and not exists (select 1 from stg_deltagare d where d.kommunkod = s.kommunkod and d.person = s.person)
),
final as (
    select f.path, u.line
    from unknown u
    join run_file f using (file_id)
)
select * from final
