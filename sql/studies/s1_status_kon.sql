-- S1: status at the cutoff within each kön; andel_lag, andel_hog: the 95 %
-- Wilson interval of antal of the kön's size.
-- counts: antal
-- shares: andel, andel_lag, andel_hog
-- ratio: andel = antal / sum(antal by kon)
-- sum: antal = s1_status.antal by status
with
persons as (
    select s.scope, p.status, p.kon from int_s1_person p join int_scope s using (kommunkod)
),
scopes as (select distinct scope from int_scope),
statuses as (select sort, varde as status from int_lista where lista = 's1_status'),
kons as (select sort, varde as kon from int_lista where lista = 'kon'),
counts as (select scope, status, kon, count(*) as antal from persons group by all),
totals as (select scope, kon, count(*) as n from persons group by all),
final as (
    select
        sc.scope, st.sort * 10 + k.sort as sort, st.status, k.kon,
        coalesce(c.antal, 0) as antal,
        coalesce(c.antal, 0) / nullif(t.n, 0) as andel,
        wilson_lag(coalesce(c.antal, 0), t.n) as andel_lag,
        wilson_hog(coalesce(c.antal, 0), t.n) as andel_hog
    from scopes sc
    cross join statuses st
    cross join kons k
    left join counts c on c.scope = sc.scope and c.status = st.status and c.kon = k.kon
    left join totals t on t.scope = sc.scope and t.kon = k.kon
)
select * from final
