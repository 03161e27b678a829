-- S6's rows in its period, per scope: a study with none says so in words
-- on its page ("Inga uppgifter för perioden …", pipeline/run) instead of
-- showing empty charts. fran, till: the period (fran null: everything up
-- to till); vad: what is counted, a Swedish plural for that sentence;
-- kinds: the input kinds counted (comma-separated). Counted: the
-- participants registered by the end of its month.
with
counted as (
    select kommunkod, count(*) as rader from stg_deltagare
    where inskriven < getvariable('s6_month') + interval 1 month
    group by all
),
final as (
    select
        s.scope, cast(null as date) as fran, cast(getvariable('s6_month') + interval 1 month - interval 1 day as date) as till,
        'projektdeltagare i deltagare' as vad, 'deltagare' as kinds,
        coalesce(sum(c.rader), 0) as rader
    from int_scope s
    left join counted c using (kommunkod)
    group by all
)
select * from final
