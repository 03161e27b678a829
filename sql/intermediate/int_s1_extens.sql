-- Each person of an S3/S4 population (int_s3_population) with their latest
-- extens row dated on or before the population's date (the S1 cohort: s1_to;
-- avslutade deltagare: their last Utskriven) — the latest extract; two rows
-- of one person in that extract: the last line of the file — with its text
-- values trimmed and blank as NULL. S3 takes the postnummer from it, S4 the
-- school background. No fallback to an earlier row: a blank value in the
-- latest row stays blank. A person in no such extract has no row.
with
latest as (
    -- one aggregate per person instead of a window over every extens row:
    -- it needs memory per person, not per row (national scale)
    select
        p.population, p.kommunkod, p.person,
        arg_max(
            struct_pack(e.postnummer, e.grundskola, e.gymnasieskola, e.program),
            struct_pack(e.extract_date, e.file_id, e.line)
        ) as r
    from int_s3_population p
    join stg_extens e
        on e.kommunkod = p.kommunkod and e.person = p.person and e.extract_date <= p.datum
    group by p.population, p.kommunkod, p.person
),
final as (
    select
        population, kommunkod, person,
        nullif(replace(trim(r.postnummer), ' ', ''), '') as postnummer,
        nullif(trim(r.grundskola), '') as grundskola,
        nullif(trim(r.gymnasieskola), '') as gymnasieskola,
        nullif(trim(r.program), '') as program
    from latest
)
select * from final
