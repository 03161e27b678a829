-- The closed list kon: codes of the input contract, shared by the
-- studies, in the spec's order (gathered into int_lista).
with
final as (
    select * from (values
        (1, 'K'),
        (2, 'M')
    ) t(sort, varde)
)
select * from final
