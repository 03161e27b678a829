-- S5: registered minutes per kategori × kön (K, M, X) × åldersgrupp (16–17,
-- 18–19, 20–21, 22–24, övriga — övriga also takes blank ages), the full grid
-- with 0 where none. Minutes are not person counts: not suppressed.
-- plain: minuter
with
tid as (
    select s.scope, t.kategori, t.kon, t.aldersgrupp, t.minuter
    from int_s5_tid t join int_scope s using (kommunkod)
),
scopes as (select distinct scope from int_scope),
kategorier as (select sort, varde as kategori from int_lista where lista = 'kategori'),
kons as (select sort, varde as kon from int_lista where lista = 'kon_x'),
grupper as (select sort, varde as aldersgrupp from int_lista where lista = 'aldersgrupp'),
sums as (select scope, kategori, kon, aldersgrupp, sum(minuter) as minuter from tid group by all),
final as (
    select
        sc.scope, ka.sort * 100 + k.sort * 10 + g.sort as sort,
        ka.kategori, k.kon, g.aldersgrupp,
        cast(coalesce(s.minuter, 0) as bigint) as minuter
    from scopes sc
    cross join kategorier ka
    cross join kons k
    cross join grupper g
    left join sums s
        on s.scope = sc.scope and s.kategori = ka.kategori and s.kon = k.kon and s.aldersgrupp = g.aldersgrupp
)
select * from final
