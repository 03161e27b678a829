-- Each person's latest extens row dated on or before s1_to (the latest
-- extract; two rows of one person in that extract: the last line of the
-- file), with its text values trimmed and blank as NULL. S3 takes the
-- postnummer from it, S4 the school background. No fallback to an earlier
-- row: a blank value in the latest row stays blank.
with
extens as (
    select
        kommunkod, person, postnummer, grundskola, gymnasieskola, program,
        row_number() over (
            partition by kommunkod, person
            order by extract_date desc, file_id desc, line desc
        ) as nr
    from stg_extens
    where extract_date <= getvariable('s1_to')
),
final as (
    select
        kommunkod, person,
        nullif(replace(trim(postnummer), ' ', ''), '') as postnummer,
        nullif(trim(grundskola), '') as grundskola,
        nullif(trim(gymnasieskola), '') as gymnasieskola,
        nullif(trim(program), '') as program
    from extens
    where nr = 1
)
select * from final
