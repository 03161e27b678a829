-- S2: migration between målgrupper: exited participations with MG1 at entry,
-- those of them with MG2 at exit (migrerade), and the migrerade that met
-- delmål 1.
-- counts: antal
-- sum: antal[matt=avslutade_mg1_vid_inskrivning] = s2_delmal.antal[delmal=1, bas=inskrivning_alla]
-- sum: antal[matt=avslutade_mg1_vid_inskrivning] >= antal[matt=migrerade]
-- sum: antal[matt=migrerade] >= antal[matt=migrerade_uppfyllt_delmal1]
-- sum: s2_delmal.uppfyllda[delmal=1, bas=inskrivning_alla] >= antal[matt=migrerade_uppfyllt_delmal1]
-- sum: s2_delmal.antal[delmal=2, bas=utskrivning] >= antal[matt=migrerade]
with
deltagande as (
    select s.scope, d.*
    from int_s2_deltagare d
    join int_scope s using (kommunkod)
    where d.avslutad and d.mg_in = 'MG1'
),
counts as (
    select scope, 'avslutade_mg1_vid_inskrivning' as matt, count(*) as antal from deltagande group by all
    union all
    select scope, 'migrerade', count(*) from deltagande where mg_ut = 'MG2' group by all
    union all
    select scope, 'migrerade_uppfyllt_delmal1', count(*) from deltagande where mg_ut = 'MG2' and delmal1 group by all
),
scopes as (select distinct scope from int_scope),
matt as (select sort, varde as matt from int_lista where lista = 's2_migration'),
final as (
    select sc.scope, m.sort, m.matt, cast(coalesce(c.antal, 0) as bigint) as antal
    from scopes sc
    cross join matt m
    left join counts c on c.scope = sc.scope and c.matt = m.matt
)
select * from final
