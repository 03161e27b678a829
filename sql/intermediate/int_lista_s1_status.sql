-- The closed list s1_status of S1, in the spec's order (gathered into
-- int_lista).
with
final as (
    select * from (values
        (1, 'EXAMEN'),
        (2, 'STUDIER'),
        (3, 'ARBETE'),
        (4, 'KVAR_I_KAA'),
        (5, 'INGEN_UPPGIFT')
    ) t(sort, varde)
)
select * from final
