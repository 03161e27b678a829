-- S9: correlation between each background factor of omradesstatistik (the
-- six of S3, in the order of the input columns) and the område's share to
-- studies (andel_studier of s9_utfall: studier / antal of the S1 cohort
-- persons placed in the område), over the områden with antal >= 1 and the
-- factor given (not OKÄNT); n = that number of områden. pearson = Pearson's
-- r; spearman = Pearson's r of the ranks, tied values getting the average
-- of their ranks. Both blank when n < 3 or when the factor or the share has
-- the same value in all n områden, as in s3_korrelation. The share is
-- compared rounded to 12 decimals, so that equal shares tie exactly. In the
-- region the områden of every kommun count, each with its own factors.
-- corr is fed its rows in a fixed order (by x, then y), so that its
-- floating-point result does not depend on how DuckDB splits the work
-- between threads, and is rounded to 12 decimals (+ 0.0 turns -0 into 0),
-- so that an exactly zero correlation is 0 and not a residue such as
-- -9.6e-17 (a page would show "-0").
-- plain: n
with
scopes as (select distinct scope from int_scope),
faktorer as (select sort, varde as faktor from int_lista where lista = 's3_faktor'),
omraden as (
    select
        s.scope, p.kommunkod, p.omrade,
        cast(count(*) filter (where p.studier) as double) / count(*) as andel_studier
    from int_s9_person p
    join int_scope s using (kommunkod)
    where p.omrade is not null
    group by all
),
faktorvarden as (
    select om.scope, om.andel_studier as y, o.*
    from omraden om
    join int_s3_omrade o on o.kommunkod = om.kommunkod and o.omrade = om.omrade
),
long as (
    select scope, 'AndelForgymnasial' as faktor, andelforgymnasial as x, y from faktorvarden
    union all
    select scope, 'AndelOppetArbetslosa', andeloppetarbetslosa, y from faktorvarden
    union all
    select scope, 'AndelEkonomisktBistand', andelekonomisktbistand, y from faktorvarden
    union all
    select scope, 'Medianinkomst', medianinkomst, y from faktorvarden
    union all
    select scope, 'Ohalsotal', ohalsotal, y from faktorvarden
    union all
    select scope, 'SjalvskattadHalsa', sjalvskattadhalsa, y from faktorvarden
),
pairs as (
    select scope, faktor, x, round(y, 12) as y from long where x is not null
),
ranked as (
    select
        scope, faktor, x, y,
        rank() over (partition by scope, faktor order by x)
            + (count(*) over (partition by scope, faktor, x) - 1) / 2.0 as rx,
        rank() over (partition by scope, faktor order by y)
            + (count(*) over (partition by scope, faktor, y) - 1) / 2.0 as ry
    from pairs
),
stats as (
    select
        scope, faktor,
        count(*) as n,
        count(distinct x) as nx,
        count(distinct y) as ny,
        round(corr(y, x order by x, y), 12) + 0.0 as pearson,
        round(corr(ry, rx order by rx, ry), 12) + 0.0 as spearman
    from ranked
    group by all
),
final as (
    select
        sc.scope, f.sort, f.faktor,
        cast(coalesce(s.n, 0) as bigint) as n,
        cast(case when s.n >= 3 and s.nx > 1 and s.ny > 1 then s.pearson end as double) as pearson,
        cast(case when s.n >= 3 and s.nx > 1 and s.ny > 1 then s.spearman end as double) as spearman
    from scopes sc
    cross join faktorer f
    left join stats s on s.scope = sc.scope and s.faktor = f.faktor
)
select * from final
