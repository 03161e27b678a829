-- S9: per scope and factor, Pearson's chi-square test of independence
-- between the factor's values with antal > 0 (int_s9_utfall) and studier
-- yes / no. With k such values, n persons and s of them studying, each value
-- of antal a and studier o has the expected counts a·s/n (studier) and
-- a·(n − s)/n (not), and chi2 = Σ (observed − expected)² / expected over
-- the 2k cells; frihetsgrader = k − 1; p = the upper tail of the chi-square
-- distribution with k − 1 degrees of freedom at chi2 (chi2_upper, a Go
-- function of the warehouse). frihetsgrader, chi2 and p are blank when k < 2;
-- chi2 and p also when nobody or everybody studies (s = 0 or s = n: an
-- expected count is 0 and the statistic is not defined). n is always given
-- (0 for an empty cohort). forvantat_min: the smallest expected count (the
-- page warns when it is below 5); not published.
with
scopes as (select distinct scope from int_scope),
faktorer as (select sort, varde as faktor from int_lista where lista = 's9_faktor'),
values_ as (
    select scope, faktor, antal, studier from int_s9_utfall where antal > 0
),
totals as (
    select scope, faktor, count(*) as k, sum(antal) as n, sum(studier) as s
    from values_
    group by all
),
cells as (
    select
        v.scope, v.faktor,
        cast(v.studier as double) as o1,
        cast(v.antal - v.studier as double) as o0,
        cast(v.antal as double) * t.s / t.n as e1,
        cast(v.antal as double) * (t.n - t.s) / t.n as e0
    from values_ v
    join totals t using (scope, faktor)
),
stats as (
    select
        scope, faktor,
        sum((o1 - e1) ^ 2 / nullif(e1, 0) + (o0 - e0) ^ 2 / nullif(e0, 0)) as chi2,
        min(least(e1, e0)) as forvantat_min
    from cells
    group by all
),
tested as (
    select
        sc.scope, f.sort, f.faktor,
        cast(coalesce(t.n, 0) as bigint) as n,
        cast(case when t.k >= 2 then t.k - 1 end as bigint) as frihetsgrader,
        cast(case when t.k >= 2 and t.s > 0 and t.s < t.n then st.chi2 end as double) as chi2,
        case when t.k >= 2 then st.forvantat_min end as forvantat_min
    from scopes sc
    cross join faktorer f
    left join totals t on t.scope = sc.scope and t.faktor = f.faktor
    left join stats st on st.scope = sc.scope and st.faktor = f.faktor
),
final as (
    select *, chi2_upper(chi2, frihetsgrader) as p
    from tested
)
select * from final
