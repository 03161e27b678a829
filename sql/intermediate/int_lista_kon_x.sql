-- The closed list kon_x: codes of the input contract, shared by the
-- studies, in the spec's order (gathered into int_lista).
with
final as (
    select * from (values
        (1, 'K'),
        (2, 'M'),
        (3, 'X')
    ) t(sort, varde)
)
select * from final
