-- The closed list registreringsorsak: codes of the input contract, shared by the
-- studies, in the spec's order (gathered into int_lista).
with
final as (
    select * from (values
        (1, 'AVBROTT_IM'),
        (2, 'AVBROTT_NP'),
        (3, 'GYMNASIEINTYG'),
        (4, 'STUDIEBEVIS'),
        (5, 'EJ_PABORJAT'),
        (6, 'OKAND')
    ) t(sort, varde)
)
select * from final
