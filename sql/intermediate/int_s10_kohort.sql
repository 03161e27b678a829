-- S10: the calendar half-years from the kohort of the first start in the
-- run (int_s10_start, all kommuner) to the half-year of as_of: nr (year · 2
-- + 0 for H1, 1 for H2, increasing), kohort (2019H1), its last day, and
-- mogen: its last day + 1 year is on or before as_of.
with
bounds as (
    select
        min(year(start) * 2 + case when month(start) <= 6 then 0 else 1 end) as forsta,
        year(getvariable('as_of')) * 2 + case when month(getvariable('as_of')) <= 6 then 0 else 1 end as sista
    from int_s10_start
),
halvar as (
    select cast(g.nr as bigint) as nr
    from bounds b, generate_series(b.forsta, b.sista) g(nr)
    where b.forsta is not null
),
final as (
    select
        nr,
        cast(nr // 2 as varchar) || case when nr % 2 = 0 then 'H1' else 'H2' end as kohort,
        case when nr % 2 = 0 then make_date(cast(nr // 2 as bigint), 6, 30) else make_date(cast(nr // 2 as bigint), 12, 31) end as sista_dag,
        cast(sista_dag + interval 1 year as date) <= getvariable('as_of') as mogen
    from halvar
)
select * from final
