-- Each person's latest extens row dated on or before s1_to (the latest
-- extract; two rows of one person in that extract: the last line of the
-- file), with its text values trimmed and blank as NULL. S3 takes the
-- postnummer from it, S4 the school background. No fallback to an earlier
-- row: a blank value in the latest row stays blank.
with
latest as (
    -- one aggregate per person instead of a window over every extens row:
    -- it needs memory per person, not per row (national scale)
    select
        kommunkod, person,
        arg_max(
            struct_pack(postnummer, grundskola, gymnasieskola, program),
            struct_pack(extract_date, file_id, line)
        ) as r
    from stg_extens
    where extract_date <= getvariable('s1_to')
    group by kommunkod, person
),
final as (
    select
        kommunkod, person,
        nullif(replace(trim(r.postnummer), ' ', ''), '') as postnummer,
        nullif(trim(r.grundskola), '') as grundskola,
        nullif(trim(r.gymnasieskola), '') as gymnasieskola,
        nullif(trim(r.program), '') as program
    from latest
)
select * from final
