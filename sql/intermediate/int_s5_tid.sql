-- S5: the time-study registrations dated in [s5_from, s5_to], with kön (X for
-- blank) and åldersgrupp (övriga for ages outside 16–24 and for blank ages);
-- minutes as whole minutes.
with
rows_ as (
    select kommunkod, kategori, kon, alder, minuter
    from stg_tidsstudie
    where datum between getvariable('s5_from') and getvariable('s5_to')
),
final as (
    select
        kommunkod,
        kategori,
        coalesce(nullif(trim(kon), ''), 'X') as kon,
        cast(alder as bigint) as alder,
        case
            when alder between 16 and 17 then '16–17'
            when alder between 18 and 19 then '18–19'
            when alder between 20 and 21 then '20–21'
            when alder between 22 and 24 then '22–24'
            else 'övriga'
        end as aldersgrupp,
        cast(minuter as bigint) as minuter
    from rows_
)
select * from final
