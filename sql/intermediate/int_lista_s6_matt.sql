-- The closed list s6_matt of S6, in the spec's order (gathered into
-- int_lista).
with
final as (
    select * from (values
        (1, 'nya'),
        (2, 'avslutade'),
        (3, 'aktiva'),
        (4, 'totalt')
    ) t(sort, varde)
)
select * from final
