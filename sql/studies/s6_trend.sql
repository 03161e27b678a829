-- S6: the 12 months ending with month M (s6_month), oldest first: nya
-- (Inskriven in the month), avslutade (Utskriven in the month) and aktiva at
-- the end of the month (Inskriven <= end and no Utskriven or one after it),
-- as in s6_manad (grupp alla). Every month is listed, 0 where none.
-- counts: nya, avslutade, aktiva
-- sum: aktiva = aktiva[prev] + nya - avslutade by manad
-- sum: nya[last] = s6_manad.antal[matt=nya, grupp=alla]
-- sum: avslutade[last] = s6_manad.antal[matt=avslutade, grupp=alla]
-- sum: aktiva[last] = s6_manad.antal[matt=aktiva, grupp=alla]
with
manader as (
    select
        cast(i + 1 as integer) as sort,
        cast(cast(getvariable('s6_month') as date) - to_months(cast(11 - i as integer)) as date) as forsta
    from range(12) t(i)
),
manader_ as (
    select sort, forsta, cast(last_day(forsta) as date) as sista, strftime(forsta, '%Y-%m') as manad
    from manader
),
deltagande as (
    select s.scope, d.inskriven, d.utskriven
    from int_s2_deltagare d
    join int_scope s using (kommunkod)
),
scopes as (select distinct scope from int_scope),
final as (
    select
        sc.scope, m.sort, m.manad,
        cast(count(d.inskriven) filter (where d.inskriven between m.forsta and m.sista) as bigint) as nya,
        cast(count(d.inskriven) filter (where d.utskriven between m.forsta and m.sista) as bigint) as avslutade,
        cast(count(d.inskriven) filter (
            where d.inskriven <= m.sista and (d.utskriven is null or d.utskriven > m.sista)
        ) as bigint) as aktiva
    from scopes sc
    cross join manader_ m
    left join deltagande d on d.scope = sc.scope
    group by sc.scope, m.sort, m.manad
)
select * from final
