-- S7: the SCB collection period (insamlingsperiod) that the register checks
-- prepare: the calendar half-year (1 Jan–30 Jun or 1 Jul–31 Dec) that
-- contains as_of, so that the checks run before the report at its end.
-- One row: p_from, p_to (both inclusive).
with
rapportdag as (
    select cast(getvariable('as_of') as date) as d
),
final as (
    select
        case when month(d) <= 6 then make_date(year(d), 1, 1) else make_date(year(d), 7, 1) end as p_from,
        case when month(d) <= 6 then make_date(year(d), 6, 30) else make_date(year(d), 12, 31) end as p_to
    from rapportdag
)
select * from final
