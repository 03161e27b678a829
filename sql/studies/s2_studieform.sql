-- S2: participations with MG1 at entry that exited (all exits, mature or not)
-- and met delmål 1, by studieform: the first study code observed in the
-- window [Inskriven, Utskriven + 1 year] (same date: alphabetically first
-- code). Codes as they occur.
-- counts: antal
-- sum: antal = s2_delmal.uppfyllda[delmal=1, bas=inskrivning_alla]
with
deltagande as (
    select s.scope, d.studieform
    from int_s2_deltagare d
    join int_scope s using (kommunkod)
    where d.avslutad and d.mg_in = 'MG1' and d.delmal1
),
final as (
    select scope, studieform, cast(count(*) as bigint) as antal
    from deltagande
    group by all
)
select * from final
