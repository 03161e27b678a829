-- S3 and S4: the persons of each population, with the date on or before
-- which their latest extens row places them (int_s1_extens):
--   kohort               the S1 cohort (int_s1_kohort), placed at s1_to;
--   avslutade_deltagare  the participants of deltagare with Utskriven on or
--                        before as_of, each person once, placed at their
--                        last Utskriven.
-- S3 and S4 show the population of s3_population / s4_population; S9 always
-- the kohort. The avslutade_deltagare rows are made only when one of the two
-- asks for them.
with
kohort as (
    select 'kohort' as population, kommunkod, person, getvariable('s1_to') as datum
    from int_s1_kohort
),
avslutade as (
    select 'avslutade_deltagare' as population, kommunkod, person, max(utskriven) as datum
    from stg_deltagare
    where utskriven is not null
      and 'avslutade_deltagare' in (getvariable('s3_population'), getvariable('s4_population'))
    group by kommunkod, person
),
final as (
    select * from kohort
    union all
    select * from avslutade
)
select * from final
