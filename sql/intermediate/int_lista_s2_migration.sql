-- The closed list s2_migration of S2, in the spec's order (gathered into
-- int_lista).
with
final as (
    select * from (values
        (1, 'avslutade_mg1_vid_inskrivning'),
        (2, 'migrerade'),
        (3, 'migrerade_uppfyllt_delmal1')
    ) t(sort, varde)
)
select * from final
