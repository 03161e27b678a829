-- The closed list s6_period of S6, in the spec's order (gathered into
-- int_lista).
with
final as (
    select * from (values
        (1, 'manad'),
        (2, 'totalt')
    ) t(sort, varde)
)
select * from final
