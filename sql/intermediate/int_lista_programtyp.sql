-- The closed list programtyp: codes of the input contract, shared by the
-- studies, in the spec's order (gathered into int_lista).
with
final as (
    select * from (values
        (1, 'NATIONELLT'),
        (2, 'INTRODUKTION'),
        (3, 'INGET')
    ) t(sort, varde)
)
select * from final
