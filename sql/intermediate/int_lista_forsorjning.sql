-- The closed list forsorjning: codes of the input contract, shared by the
-- studies, in the spec's order (gathered into int_lista).
with
final as (
    select * from (values
        (1, 'CSN'),
        (2, 'EKONOMISKT_BISTAND'),
        (3, 'FK'),
        (4, 'AF'),
        (5, 'LON'),
        (6, 'OKAND')
    ) t(sort, varde)
)
select * from final
