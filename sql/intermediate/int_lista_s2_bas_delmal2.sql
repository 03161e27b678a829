-- The closed list s2_bas_delmal2 of S2, in the spec's order (gathered into
-- int_lista).
with
final as (
    select * from (values
        (1, 'inskrivning'),
        (2, 'utskrivning')
    ) t(sort, varde)
)
select * from final
