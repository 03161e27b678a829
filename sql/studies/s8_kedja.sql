-- S8: the follow-up chain per läsår of the counted avbrott: how many were
-- aktualiserade for KAA (first Aktualiserad on or after the avbrott, up to
-- as_of) within 30 and within 90 days (cumulative, same day = 0 days), how
-- many were not aktualiserade at all, and the median of the days over the
-- aktualiserade (x.5 when their number is even). One row per läsår with a
-- counted avbrott.
-- counts: avbrott, aktualiserade_inom_30, aktualiserade_inom_90, ej_aktualiserade
-- sum: avbrott >= aktualiserade_inom_90 + ej_aktualiserade by lasar
-- sum: aktualiserade_inom_90 >= aktualiserade_inom_30 by lasar
with
kedja as (
    select s.scope, k.lasar, k.dagar
    from int_s8_kedja k join int_scope s using (kommunkod)
),
final as (
    select
        scope, lasar,
        cast(count(*) as bigint) as avbrott,
        cast(count(*) filter (where dagar <= 30) as bigint) as aktualiserade_inom_30,
        cast(count(*) filter (where dagar <= 90) as bigint) as aktualiserade_inom_90,
        cast(count(*) filter (where dagar is null) as bigint) as ej_aktualiserade,
        cast(median(dagar) as double) as median_dagar
    from kedja
    group by scope, lasar
)
select * from final
