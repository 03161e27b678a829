-- S7's rows in its period, per scope: a study with none says so in words
-- on its page ("Inga uppgifter för perioden …", pipeline/run) instead of
-- showing empty charts. fran, till: the period (fran null: everything up
-- to till); vad: what is counted, a Swedish plural for that sentence;
-- kinds: the input kinds counted (comma-separated). Counted: the
-- register's periods.
with
counted as (
    select kommunkod, count(*) as rader from stg_kaa_individer group by all
),
final as (
    select
        s.scope, cast(null as date) as fran, cast(getvariable('as_of') as date) as till,
        'perioder i kaa_individer' as vad, 'kaa_individer' as kinds,
        coalesce(sum(c.rader), 0) as rader
    from int_scope s
    left join counted c using (kommunkod)
    group by all
)
select * from final
