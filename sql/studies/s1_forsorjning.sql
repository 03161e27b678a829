-- S1: försörjning of the persons neither studying nor working at the cutoff
-- (status EXAMEN, KVAR_I_KAA or INGEN_UPPGIFT), from their latest observation.
-- counts: antal
-- shares: andel
-- ratio: andel = antal / sum(antal)
-- sum: antal = s1_status.antal[status=EXAMEN] + s1_status.antal[status=KVAR_I_KAA] + s1_status.antal[status=INGEN_UPPGIFT]
with
persons as (
    select s.scope, p.forsorjning
    from int_s1_person p join int_scope s using (kommunkod)
    where p.status in ('EXAMEN', 'KVAR_I_KAA', 'INGEN_UPPGIFT')
),
scopes as (select distinct scope from int_scope),
values_ as (select sort, varde as forsorjning from int_lista where lista = 'forsorjning'),
counts as (select scope, forsorjning, count(*) as antal from persons group by all),
totals as (select scope, count(*) as n from persons group by all),
final as (
    select
        sc.scope, v.sort, v.forsorjning,
        coalesce(c.antal, 0) as antal,
        coalesce(c.antal, 0) / nullif(t.n, 0) as andel
    from scopes sc
    cross join values_ v
    left join counts c on c.scope = sc.scope and c.forsorjning = v.forsorjning
    left join totals t on t.scope = sc.scope
)
select * from final
