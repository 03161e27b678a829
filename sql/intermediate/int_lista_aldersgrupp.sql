-- The closed list aldersgrupp: codes of the input contract, shared by the
-- studies, in the spec's order (gathered into int_lista).
with
final as (
    select * from (values
        (1, '16–17'),
        (2, '18–19'),
        (3, '20–21'),
        (4, '22–24'),
        (5, 'övriga')
    ) t(sort, varde)
)
select * from final
