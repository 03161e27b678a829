-- S3: correlation between each background factor and representation, over
-- the områden of s3_omraden (not OKÄNT) where the factor is given and
-- representation is defined; n = that number of områden. One row per
-- factor, in the order of the input columns. pearson = Pearson's r;
-- spearman = Pearson's r of the ranks, tied values getting the average of
-- their ranks. Both are blank when n < 3 or when the factor or the
-- representation has the same value in all n områden (zero variance).
-- Representation is compared rounded to 12 decimals, so that equal ratios
-- computed from different counts tie exactly.
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
    select * from s3_omraden where representation is not null
),
long as (
    select scope, 'AndelForgymnasial' as faktor, andelforgymnasial as x, representation as y from omraden
    union all
    select scope, 'AndelOppetArbetslosa', andeloppetarbetslosa, representation from omraden
    union all
    select scope, 'AndelEkonomisktBistand', andelekonomisktbistand, representation from omraden
    union all
    select scope, 'Medianinkomst', medianinkomst, representation from omraden
    union all
    select scope, 'Ohalsotal', ohalsotal, representation from omraden
    union all
    select scope, 'SjalvskattadHalsa', sjalvskattadhalsa, representation from omraden
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
