-- S10: each person's start — their first Aktualiserad in kaa_individer over
-- all periods (on or before as_of) — its kohort, the calendar half-year
-- written 2019H1 / 2019H2, and the follow-up date one year after the start
-- (the same day a year later; 29 February → 28 February).
with
starts as (
    select kommunkod, person, min(aktualiserad) as start
    from stg_kaa_individer
    group by all
),
final as (
    select
        kommunkod, person, start,
        cast(year(start) as varchar) || case when month(start) <= 6 then 'H1' else 'H2' end as kohort,
        cast(start + interval 1 year as date) as cutoff
    from starts
)
select * from final
