-- S6: participations in month M (s6_month): nya (Inskriven in M), avslutade
-- (Utskriven in M), aktiva at the end of M (Inskriven <= end of M and no
-- Utskriven or one after it) and totalt registrerade up to the end of M
-- (Inskriven <= end of M), each for alla, by kön (X: kön unknown) and by
-- målgrupp at entry (MG1, MG2; UTANFÖR is counted only in alla). Each row of
-- deltagare is one participation.
-- counts: antal
-- sum: antal[grupp=alla] = antal[grupp=K] + antal[grupp=M] + antal[grupp=X] by matt
-- sum: antal[grupp=alla] >= antal[grupp=MG1] + antal[grupp=MG2] by matt
-- sum: antal[matt=totalt] >= antal[matt=aktiva] + antal[matt=avslutade] by grupp
-- sum: antal[matt=totalt] >= antal[matt=nya] by grupp
with
manad as (
    select
        cast(getvariable('s6_month') as date) as forsta,
        cast(last_day(cast(getvariable('s6_month') as date)) as date) as sista
),
deltagande as (
    select
        s.scope,
        case when d.kon in ('K', 'M') then d.kon else 'X' end as kon,
        d.mg_in,
        d.inskriven between m.forsta and m.sista as nya,
        coalesce(d.utskriven between m.forsta and m.sista, false) as avslutade,
        d.inskriven <= m.sista and (d.utskriven is null or d.utskriven > m.sista) as aktiva,
        d.inskriven <= m.sista as totalt
    from int_s2_deltagare d
    join int_scope s using (kommunkod)
    cross join manad m
),
matt as (
    select scope, 'nya' as matt, kon, mg_in from deltagande where nya
    union all
    select scope, 'avslutade', kon, mg_in from deltagande where avslutade
    union all
    select scope, 'aktiva', kon, mg_in from deltagande where aktiva
    union all
    select scope, 'totalt', kon, mg_in from deltagande where totalt
),
grupper as (
    select scope, matt, 'alla' as grupp from matt
    union all
    select scope, matt, kon from matt
    union all
    select scope, matt, mg_in from matt where mg_in in ('MG1', 'MG2')
),
counts as (select scope, matt, grupp, count(*) as antal from grupper group by all),
scopes as (select distinct scope from int_scope),
mattlista as (select sort, varde as matt from int_lista where lista = 's6_matt'),
grupplista as (select sort, varde as grupp from int_lista where lista = 's6_grupp'),
final as (
    select
        sc.scope, ml.sort * 10 + gl.sort as sort, ml.matt, gl.grupp,
        cast(coalesce(c.antal, 0) as bigint) as antal
    from scopes sc
    cross join mattlista ml
    cross join grupplista gl
    left join counts c on c.scope = sc.scope and c.matt = ml.matt and c.grupp = gl.grupp
)
select * from final
