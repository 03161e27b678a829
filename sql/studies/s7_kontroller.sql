-- S7: the register checks before the half-yearly SCB report — per check
-- (closed list, spec's order: six red, three yellow, one green) the number
-- of persons with at least one finding (int_s7_fynd); 0 where none. In the
-- region a person is (kommunkod, person).
-- counts: antal_personer
with
fynd as (
    select distinct s.scope, f.kontroll, f.kommunkod, f.person
    from int_s7_fynd f
    join int_scope s using (kommunkod)
),
scopes as (select distinct scope from int_scope),
kontroller as (select sort, kontroll, niva from int_s7_kontroll),
counts as (
    select scope, kontroll, count(*) as antal from fynd group by all
),
final as (
    select
        sc.scope, k.sort, k.kontroll, k.niva,
        cast(coalesce(c.antal, 0) as bigint) as antal_personer
    from scopes sc
    cross join kontroller k
    left join counts c on c.scope = sc.scope and c.kontroll = k.kontroll
)
select * from final
