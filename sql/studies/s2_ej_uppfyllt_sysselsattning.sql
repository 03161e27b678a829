-- S2: participations with MG1 at entry that exited (all exits) and did not
-- meet delmål 1, by the person's latest sysselsättning observation dated on or
-- before the report date (same date: study over work over other codes, then
-- alphabetical; OKAND if none). Codes as they occur.
-- counts: antal
-- sum: antal = s2_delmal.antal[delmal=1, bas=inskrivning_alla] - s2_delmal.uppfyllda[delmal=1, bas=inskrivning_alla]
with
deltagande as (
    select s.scope, d.senaste_sysselsattning as sysselsattning
    from int_s2_deltagare d
    join int_scope s using (kommunkod)
    where d.avslutad and d.mg_in = 'MG1' and not d.delmal1
),
final as (
    select scope, sysselsattning, cast(count(*) as bigint) as antal
    from deltagande
    group by all
)
select * from final
