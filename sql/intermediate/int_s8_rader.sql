-- S8's rows in its period, per scope: a study with none says so in words
-- on its page ("Inga uppgifter för perioden …", pipeline/run) instead of
-- showing empty charts. fran, till: the period (fran null: everything up
-- to till); vad: what is counted, a Swedish plural for that sentence;
-- kinds: the input kinds counted (comma-separated). Counted: its two
-- sources, the GRUUS events and the rows of the Extens extracts.
with
counted as (
    select kommunkod, count(*) as rader from stg_gruus group by all
    union all
    select kommunkod, sum(loaded) as rader from stg_extens_fil group by all
),
final as (
    select
        s.scope, cast(null as date) as fran, cast(getvariable('as_of') as date) as till,
        'händelser i gruus eller rader i Extens-uttagen' as vad, 'gruus,extens' as kinds,
        coalesce(sum(c.rader), 0) as rader
    from int_scope s
    left join counted c using (kommunkod)
    group by all
)
select * from final
