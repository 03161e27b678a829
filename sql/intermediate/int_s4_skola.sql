-- S4: the grundskolor of each kommun's school year — the largest Ar of
-- grundskolor that is on or before the calendar year of s1_to, chosen per
-- kommun — with huvudman and Sistaarselever. skola is trimmed; skola_key
-- (lower case) is what the persons' schools are matched on.
with
years as (
    select kommunkod, max(ar) as ar
    from stg_grundskolor
    where ar <= year(getvariable('s1_to'))
    group by all
),
final as (
    select
        g.kommunkod,
        trim(g.skola) as skola,
        lower(trim(g.skola)) as skola_key,
        g.huvudman,
        g.ar,
        g.sistaarselever
    from stg_grundskolor g
    join years y using (kommunkod, ar)
)
select * from final
