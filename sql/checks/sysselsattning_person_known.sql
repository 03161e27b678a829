-- severity: warn
-- rule: every occupation observation's person is in the KAA register or the participant list
select s.kommunkod, s.file_id, s.line
from stg_kaa_sysselsattning s
where not exists (select 1 from stg_kaa_individer k where k.kommunkod = s.kommunkod and k.person = s.person)
  and not exists (select 1 from stg_deltagare d where d.kommunkod = s.kommunkod and d.person = s.person)
