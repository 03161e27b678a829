-- The closed list s9_faktor of S9, in the spec's order (gathered into
-- int_lista).
with
final as (
    select * from (values
        (1, 'kon'),
        (2, 'alder'),
        (3, 'registreringsorsak'),
        (4, 'huvudman'),
        (5, 'programtyp'),
        (6, 'grundskola'),
        (7, 'omrade')
    ) t(sort, varde)
)
select * from final
