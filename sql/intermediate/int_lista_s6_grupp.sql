-- The closed list s6_grupp of S6, in the spec's order (gathered into
-- int_lista).
with
final as (
    select * from (values
        (1, 'alla'),
        (2, 'K'),
        (3, 'M'),
        (4, 'X'),
        (5, 'MG1'),
        (6, 'MG2')
    ) t(sort, varde)
)
select * from final
