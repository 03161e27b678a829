-- How many rows each study has in its period, per scope. A study whose
-- count is 0 says so in words on its page ("Inga uppgifter för perioden …")
-- and in the run's stderr summary, instead of showing empty charts.
-- study: the page name; fran, till: the period (fran null: everything up to
-- till); vad: what is counted, a Swedish plural for the page's sentence;
-- kinds: the input kinds counted (comma-separated).
-- S1, S3, S4 and S9 count the S1 cohort; S2 the participants; S5 the
-- time-study registrations of its period; S6 the participants registered by
-- the end of its month; S7 and S10 the register's periods; S8 the GRUUS
-- events and the rows of the Extens extracts (its two sources).
with
cohort as (
    select kommunkod, count(distinct person) as rader
    from stg_kaa_individer
    where aktualiserad between getvariable('s1_from') and getvariable('s1_to')
    group by all
),
extens as (
    select f.kommunkod, sum(l.loaded) as rader
    from run_file f
    join loaded_file l using (file_id)
    where f.kind = 'extens' and l.extract_date <= getvariable('as_of')
    group by all
),
counts as (
    select kommunkod, 's1' as study, rader from cohort
    union all
    select kommunkod, 's3', rader from cohort
    union all
    select kommunkod, 's4', rader from cohort
    union all
    select kommunkod, 's9', rader from cohort
    union all
    select kommunkod, 's2', count(*) from stg_deltagare group by all
    union all
    select kommunkod, 's5', count(*) from stg_tidsstudie
    where datum between getvariable('s5_from') and getvariable('s5_to')
    group by all
    union all
    select kommunkod, 's6', count(*) from stg_deltagare
    where inskriven < getvariable('s6_month') + interval 1 month
    group by all
    union all
    select kommunkod, 's7', count(*) from stg_kaa_individer group by all
    union all
    select kommunkod, 's10', count(*) from stg_kaa_individer group by all
    union all
    select kommunkod, 's8', count(*) from stg_gruus group by all
    union all
    select kommunkod, 's8', rader from extens
),
studies as (
    select * from (values
        ('s1', getvariable('s1_from'), getvariable('s1_to'), 'aktualiserade för KAA i kaa_individer', 'kaa_individer'),
        ('s2', null, getvariable('as_of'), 'projektdeltagare i deltagare', 'deltagare'),
        ('s3', getvariable('s1_from'), getvariable('s1_to'), 'aktualiserade för KAA i kaa_individer', 'kaa_individer'),
        ('s4', getvariable('s1_from'), getvariable('s1_to'), 'aktualiserade för KAA i kaa_individer', 'kaa_individer'),
        ('s5', getvariable('s5_from'), getvariable('s5_to'), 'tidsstudieregistreringar i tidsstudie', 'tidsstudie'),
        ('s6', null, cast(getvariable('s6_month') + interval 1 month - interval 1 day as date), 'projektdeltagare i deltagare', 'deltagare'),
        ('s7', null, getvariable('as_of'), 'perioder i kaa_individer', 'kaa_individer'),
        ('s8', null, getvariable('as_of'), 'händelser i gruus eller rader i Extens-uttagen', 'gruus,extens'),
        ('s9', getvariable('s1_from'), getvariable('s1_to'), 'aktualiserade för KAA i kaa_individer', 'kaa_individer'),
        ('s10', null, getvariable('as_of'), 'perioder i kaa_individer', 'kaa_individer')
    ) t(study, fran, till, vad, kinds)
),
final as (
    select
        s.scope, st.study, cast(st.fran as date) as fran, cast(st.till as date) as till, st.vad, st.kinds,
        coalesce(sum(c.rader), 0) as rader
    from int_scope s
    cross join studies st
    left join counts c on c.kommunkod = s.kommunkod and c.study = st.study
    group by all
)
select * from final
