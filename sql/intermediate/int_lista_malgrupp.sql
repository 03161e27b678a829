-- The closed list malgrupp: codes of the input contract, shared by the
-- studies, in the spec's order (gathered into int_lista).
with
final as (
    select * from (values
        (1, 'MG1'),
        (2, 'MG2'),
        (3, 'UTANFÖR')
    ) t(sort, varde)
)
select * from final
