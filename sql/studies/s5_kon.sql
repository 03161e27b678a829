-- S5: registered minutes per the participant's kön (K, M, X; a blank Kon is
-- X, "other / not stated"); andel = share of all registered minutes.
-- Minutes are not person counts: not suppressed.
-- plain: minuter, andel
-- shares: andel
with
tid as (
    select s.scope, t.kon, t.minuter from int_s5_tid t join int_scope s using (kommunkod)
),
scopes as (select distinct scope from int_scope),
values_ as (select sort, varde as kon from int_lista where lista = 'kon_x'),
sums as (select scope, kon, sum(minuter) as minuter from tid group by all),
totals as (select scope, sum(minuter) as minuter from tid group by all),
final as (
    select
        sc.scope, v.sort, v.kon,
        cast(coalesce(s.minuter, 0) as bigint) as minuter,
        cast(coalesce(s.minuter, 0) as double) / nullif(t.minuter, 0) as andel
    from scopes sc
    cross join values_ v
    left join sums s on s.scope = sc.scope and s.kon = v.kon
    left join totals t on t.scope = sc.scope
)
select * from final
