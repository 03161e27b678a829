-- S5's rows in its period, per scope: a study with none says so in words
-- on its page ("Inga uppgifter för perioden …", pipeline/run) instead of
-- showing empty charts. fran, till: the period (fran null: everything up
-- to till); vad: what is counted, a Swedish plural for that sentence;
-- kinds: the input kinds counted (comma-separated). Counted: the
-- time-study registrations of its period.
with
counted as (
    select kommunkod, count(*) as rader from stg_tidsstudie
    where datum between getvariable('s5_from') and getvariable('s5_to')
    group by all
),
final as (
    select
        s.scope, cast(getvariable('s5_from') as date) as fran, cast(getvariable('s5_to') as date) as till,
        'tidsstudieregistreringar i tidsstudie' as vad, 'tidsstudie' as kinds,
        coalesce(sum(c.rader), 0) as rader
    from int_scope s
    left join counted c using (kommunkod)
    group by all
)
select * from final
