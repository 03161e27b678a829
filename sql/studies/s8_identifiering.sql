-- S8: the weekly Extens check on the date of each kommun's latest extens
-- extract (≤ as_of): persons omfattade according to Extens (aged 16–19 on
-- that date, neither Inskriven=J nor Examen=J; blank counts as N), persons
-- aktuella in the KAA register on that date (any age), both, and each side
-- only. A kommun with no extens extract has 0 in every row.
-- counts: antal
-- sum: antal[matt=omfattas_enligt_extens] = antal[matt=bada] + antal[matt=saknas_i_registret]
-- sum: antal[matt=aktuella_i_registret] = antal[matt=bada] + antal[matt=i_registret_ej_i_extens]
with
personer as (
    select s.scope, i.*
    from int_s8_identifiering i join int_scope s using (kommunkod)
),
scopes as (select distinct scope from int_scope),
matt as (
    select * from (values
        (1, 'omfattas_enligt_extens'),
        (2, 'aktuella_i_registret'),
        (3, 'bada'),
        (4, 'saknas_i_registret'),
        (5, 'i_registret_ej_i_extens')
    ) t(sort, matt)
),
counts as (
    select scope, 'omfattas_enligt_extens' as matt, count(*) filter (where omfattas_enligt_extens) as antal from personer group by scope
    union all
    select scope, 'aktuella_i_registret', count(*) filter (where aktuell_i_registret) from personer group by scope
    union all
    select scope, 'bada', count(*) filter (where omfattas_enligt_extens and aktuell_i_registret) from personer group by scope
    union all
    select scope, 'saknas_i_registret', count(*) filter (where omfattas_enligt_extens and not aktuell_i_registret) from personer group by scope
    union all
    select scope, 'i_registret_ej_i_extens', count(*) filter (where aktuell_i_registret and not omfattas_enligt_extens) from personer group by scope
),
final as (
    select sc.scope, m.sort, m.matt, cast(coalesce(c.antal, 0) as bigint) as antal
    from scopes sc
    cross join matt m
    left join counts c on c.scope = sc.scope and c.matt = m.matt
)
select * from final
