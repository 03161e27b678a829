-- S5: registered minutes and registrations per kategori in [s5_from, s5_to];
-- andel = share of all registered minutes. Minutes and registrations are
-- not person counts (the time study has no persons): not suppressed.
-- plain: minuter, registreringar, andel
-- shares: andel
with
tid as (
    select s.scope, t.kategori, t.minuter from int_s5_tid t join int_scope s using (kommunkod)
),
scopes as (select distinct scope from int_scope),
values_ as (select sort, varde as kategori from int_lista where lista = 'kategori'),
sums as (
    select scope, kategori, sum(minuter) as minuter, count(*) as registreringar
    from tid group by all
),
totals as (select scope, sum(minuter) as minuter from tid group by all),
final as (
    select
        sc.scope, v.sort, v.kategori,
        cast(coalesce(s.minuter, 0) as bigint) as minuter,
        cast(coalesce(s.registreringar, 0) as bigint) as registreringar,
        cast(coalesce(s.minuter, 0) as double) / nullif(t.minuter, 0) as andel
    from scopes sc
    cross join values_ v
    left join sums s on s.scope = sc.scope and s.kategori = v.kategori
    left join totals t on t.scope = sc.scope
)
select * from final
