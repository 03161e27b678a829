-- S8: every GRUUS event up to as_of with its läsår (1 July – 30 June,
-- written 2018/19), skola (OKÄNT for blank) and programtyp (INTRODUKTION for
-- a Program starting with IM, NATIONELLT for any other, INGET for blank).
-- An AVBROTT is atertagen when the same person has an ATERTAGET event 1–60
-- days after it (same day does not count); of a person's AVBROTT events
-- that are not atertagna, the first in each läsår is raknad (counted).
with
handelser as (
    select
        kommunkod, person, handelse, handelsedatum, line,
        coalesce(nullif(trim(skola), ''), 'OKÄNT') as skola,
        nullif(trim(program), '') as program,
        case when month(handelsedatum) >= 7 then year(handelsedatum) else year(handelsedatum) - 1 end as lasar_start
    from stg_gruus
),
atertaget as (
    select distinct a.kommunkod, a.person, a.handelsedatum
    from handelser a
    join handelser t
        on t.kommunkod = a.kommunkod and t.person = a.person
       and t.handelse = 'ATERTAGET'
       and t.handelsedatum between a.handelsedatum + 1 and a.handelsedatum + 60
    where a.handelse = 'AVBROTT'
),
flagged as (
    select
        h.*,
        h.handelse = 'AVBROTT' and r.person is not null as atertagen
    from handelser h
    left join atertaget r
        on r.kommunkod = h.kommunkod and r.person = h.person and r.handelsedatum = h.handelsedatum
       and h.handelse = 'AVBROTT'
),
ranked as (
    select
        f.*,
        case when f.handelse = 'AVBROTT' and not f.atertagen then
            row_number() over (
                partition by f.kommunkod, f.person, f.lasar_start, (f.handelse = 'AVBROTT' and not f.atertagen)
                order by f.handelsedatum, f.skola, f.program nulls last, f.line
            )
        end as nr
    from flagged f
),
final as (
    select
        kommunkod, person, handelse, handelsedatum,
        cast(lasar_start as varchar) || '/' || lpad(cast((lasar_start + 1) % 100 as varchar), 2, '0') as lasar,
        skola,
        program,
        case
            when program is null then 'INGET'
            when upper(program) like 'IM%' then 'INTRODUKTION'
            else 'NATIONELLT'
        end as programtyp,
        atertagen,
        coalesce(nr = 1, false) as raknad
    from ranked
)
select * from final
