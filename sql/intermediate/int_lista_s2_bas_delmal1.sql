-- The closed list s2_bas_delmal1 of S2, in the spec's order (gathered into
-- int_lista).
with
final as (
    select * from (values
        (1, 'inskrivning_mogna'),
        (2, 'inskrivning_alla'),
        (3, 'utskrivning')
    ) t(sort, varde)
)
select * from final
