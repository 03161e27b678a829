-- S5: registered minutes per the participant's age, each age as it occurs;
-- andel = share of ALL registered minutes of the period (the same
-- denominator as s5_kategori and s5_kon). Registrations with a blank age
-- have no row here (so the shares then sum to less than 1); they are
-- counted in s5_kategori, s5_kon and, as övriga, in s5_kategori_kon_alder.
-- Minutes are not person counts: not suppressed.
-- plain: alder, minuter, andel
-- shares: andel
with
tid as (
    select s.scope, t.alder, t.minuter from int_s5_tid t join int_scope s using (kommunkod)
),
sums as (
    select scope, alder, sum(minuter) as minuter from tid where alder is not null group by all
),
totals as (select scope, sum(minuter) as minuter from tid group by all),
final as (
    select
        s.scope, s.alder,
        cast(s.minuter as bigint) as minuter,
        cast(s.minuter as double) / nullif(t.minuter, 0) as andel
    from sums s
    join totals t using (scope)
)
select * from final
