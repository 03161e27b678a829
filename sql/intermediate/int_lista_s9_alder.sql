-- The closed list s9_alder of S9, in the spec's order (gathered into
-- int_lista).
with
final as (
    select * from (values
        (1, '16'),
        (2, '17'),
        (3, '18'),
        (4, '19'),
        (5, 'ÖVRIGA')
    ) t(sort, varde)
)
select * from final
