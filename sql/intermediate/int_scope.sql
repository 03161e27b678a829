-- The scopes a run reports on: each kommun its own, and `region` over all
-- of them when the run covers more than one kommun.
with
kommuner as (
    select distinct kommunkod from run_file
),
final as (
    select kommunkod, kommunkod as scope from kommuner
    union all
    select kommunkod, 'region' as scope from kommuner
    where (select count(*) from kommuner) > 1
)
select * from final
