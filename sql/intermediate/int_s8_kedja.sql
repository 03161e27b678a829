-- S8: the follow-up chain of each counted avbrott (one per person and
-- läsår): the days from its Handelsedatum to the person's first Aktualiserad
-- on or after it (up to as_of); dagar is null when not aktualiserad.
with
avbrott as (
    select kommunkod, person, lasar, handelsedatum
    from int_s8_handelse
    where raknad
),
forsta as (
    select a.kommunkod, a.person, a.lasar, min(k.aktualiserad) as aktualiserad
    from avbrott a
    join stg_kaa_individer k
        on k.kommunkod = a.kommunkod and k.person = a.person and k.aktualiserad >= a.handelsedatum
    group by all
),
final as (
    select
        a.kommunkod, a.person, a.lasar, a.handelsedatum, f.aktualiserad,
        cast(f.aktualiserad - a.handelsedatum as bigint) as dagar
    from avbrott a
    left join forsta f using (kommunkod, person, lasar)
)
select * from final
