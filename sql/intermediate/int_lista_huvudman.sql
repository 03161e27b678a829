-- The closed list huvudman: codes of the input contract, shared by the
-- studies, in the spec's order (gathered into int_lista).
with
final as (
    select * from (values
        (1, 'KOMMUNAL'),
        (2, 'FRISTAENDE'),
        (3, 'EXTERN'),
        (4, 'OKÄNT')
    ) t(sort, varde)
)
select * from final
