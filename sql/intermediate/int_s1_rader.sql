-- S1's rows in its period, per scope: a study with none says so in words
-- on its page ("Inga uppgifter för perioden …", pipeline/run) instead of
-- showing empty charts. fran, till: the period (fran null: everything up
-- to till); vad: what is counted, a Swedish plural for that sentence;
-- kinds: the input kinds counted (comma-separated). Counted: the S1
-- cohort (S3, S4 and S9 count it too: int_s3_rader, ...).
with
counted as (
    select kommunkod, count(distinct person) as rader
    from stg_kaa_individer
    where aktualiserad between getvariable('s1_from') and getvariable('s1_to')
    group by all
),
final as (
    select
        s.scope, cast(getvariable('s1_from') as date) as fran, cast(getvariable('s1_to') as date) as till,
        'aktualiserade för KAA i kaa_individer' as vad, 'kaa_individer' as kinds,
        coalesce(sum(c.rader), 0) as rader
    from int_scope s
    left join counted c using (kommunkod)
    group by all
)
select * from final
