-- S6: utfall of the participations that exited, by SysVidAvslut as given in
-- deltagare (blank: OKAND): period manad = Utskriven in month M (s6_month),
-- totalt = Utskriven on or before the end of M. Codes as they occur.
-- counts: antal
-- sum: antal[period=manad] = s6_manad.antal[matt=avslutade, grupp=alla]
-- sum: antal[period=totalt] = s6_manad.antal[matt=totalt, grupp=alla] - s6_manad.antal[matt=aktiva, grupp=alla]
-- sum: antal[period=totalt] >= antal[period=manad] by sysselsattning
with
manad as (
    select
        cast(getvariable('s6_month') as date) as forsta,
        cast(last_day(cast(getvariable('s6_month') as date)) as date) as sista
),
avslutade as (
    select s.scope, d.utskriven, coalesce(d.sysvidavslut, 'OKAND') as sysselsattning
    from int_s2_deltagare d
    join int_scope s using (kommunkod)
    cross join manad m
    where d.utskriven <= m.sista
),
perioder as (
    select a.scope, 'manad' as period, a.sysselsattning
    from avslutade a cross join manad m
    where a.utskriven >= m.forsta
    union all
    select scope, 'totalt', sysselsattning from avslutade
),
counts as (select scope, period, sysselsattning, count(*) as antal from perioder group by all),
final as (
    select c.scope, p.sort, c.period, c.sysselsattning, cast(c.antal as bigint) as antal
    from counts c
    join (select sort, varde as period from int_lista where lista = 's6_period') p using (period)
)
select * from final
