-- S1: the cohort by status at the cutoff; andel_lag, andel_hog: the 95 %
-- Wilson interval of antal of the cohort size.
-- counts: antal
-- shares: andel, andel_lag, andel_hog
-- total: antal
-- ratio: andel = antal / sum(antal)
with
persons as (
    select s.scope, p.status from int_s1_person p join int_scope s using (kommunkod)
),
scopes as (select distinct scope from int_scope),
statuses as (select sort, varde as status from int_lista where lista = 's1_status'),
counts as (select scope, status, count(*) as antal from persons group by all),
totals as (select scope, count(*) as n from persons group by all),
final as (
    select
        sc.scope, st.sort, st.status,
        coalesce(c.antal, 0) as antal,
        coalesce(c.antal, 0) / nullif(t.n, 0) as andel,
        wilson_lag(coalesce(c.antal, 0), t.n) as andel_lag,
        wilson_hog(coalesce(c.antal, 0), t.n) as andel_hog
    from scopes sc
    cross join statuses st
    left join counts c on c.scope = sc.scope and c.status = st.status
    left join totals t on t.scope = sc.scope
)
select * from final
