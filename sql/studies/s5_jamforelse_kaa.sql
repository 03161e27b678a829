-- S5: ages 16–19 of the registered minutes beside the ages of the persons
-- aktuella for KAA on s5_kaa_date (Aktualiserad ≤ date and no Avaktualiserad
-- ≤ date in some period; age in completed years on that date). Both shares
-- are within ages 16–19: andel_minuter of the minutes of participants aged
-- 16–19, andel_kaa of the aktuella persons aged 16–19. Minutes are not
-- person counts (not suppressed); antal_kaa is.
-- counts: antal_kaa
-- plain: alder, minuter, andel_minuter
-- shares: andel_minuter, andel_kaa
-- key: alder
-- ratio: andel_kaa = antal_kaa / sum(antal_kaa)
with
aldrar as (
    select cast(a as bigint) as alder from range(16, 20) t(a)
),
scopes as (select distinct scope from int_scope),
tid as (
    select s.scope, t.alder, t.minuter
    from int_s5_tid t join int_scope s using (kommunkod)
    where t.alder between 16 and 19
),
minuter as (select scope, alder, sum(minuter) as minuter from tid group by all),
minuter_totalt as (select scope, sum(minuter) as minuter from tid group by all),
aktuella as (
    select distinct
        kommunkod, person,
        (year(getvariable('s5_kaa_date')) - year(fodelsedatum))
            - case when strftime(getvariable('s5_kaa_date'), '%m%d') < strftime(fodelsedatum, '%m%d') then 1 else 0 end
            as alder
    from stg_kaa_individer
    where aktualiserad <= getvariable('s5_kaa_date')
      and (avaktualiserad is null or avaktualiserad > getvariable('s5_kaa_date'))
),
kaa as (
    select s.scope, a.alder, count(*) as antal
    from aktuella a join int_scope s using (kommunkod)
    where a.alder between 16 and 19
    group by all
),
kaa_totalt as (select scope, sum(antal) as antal from kaa group by all),
final as (
    select
        sc.scope, a.alder,
        cast(coalesce(m.minuter, 0) as bigint) as minuter,
        cast(coalesce(m.minuter, 0) as double) / nullif(mt.minuter, 0) as andel_minuter,
        cast(coalesce(k.antal, 0) as bigint) as antal_kaa,
        cast(coalesce(k.antal, 0) as double) / nullif(kt.antal, 0) as andel_kaa
    from scopes sc
    cross join aldrar a
    left join minuter m on m.scope = sc.scope and m.alder = a.alder
    left join minuter_totalt mt on mt.scope = sc.scope
    left join kaa k on k.scope = sc.scope and k.alder = a.alder
    left join kaa_totalt kt on kt.scope = sc.scope
)
select * from final
