-- S8: per läsår (1 July – 30 June, e.g. 2018/19) the befarade avbrott
-- (BEFARAT_AVBROTT events), the avbrott (persons with an AVBROTT not
-- withdrawn by an ATERTAGET 1–60 days later, once per läsår) and the
-- återtagna (withdrawn AVBROTT events, in the läsår of the AVBROTT). One row
-- per läsår that occurs in any of the three. Events are events of single
-- persons, so all three are suppressed like person counts.
-- counts: befarade, avbrott, atertagna
-- sum: avbrott = s8_kedja.avbrott by lasar
with
handelser as (
    select s.scope, h.*
    from int_s8_handelse h join int_scope s using (kommunkod)
),
final as (
    select
        scope, lasar,
        cast(count(*) filter (where handelse = 'BEFARAT_AVBROTT') as bigint) as befarade,
        cast(count(*) filter (where raknad) as bigint) as avbrott,
        cast(count(*) filter (where atertagen) as bigint) as atertagna
    from handelser
    group by scope, lasar
    having count(*) filter (where handelse = 'BEFARAT_AVBROTT' or handelse = 'AVBROTT') > 0
)
select * from final
