-- The closed list kontaktstatus: codes of the input contract, shared by the
-- studies, in the spec's order (gathered into int_lista).
with
final as (
    select * from (values
        (1, 'NADD'),
        (2, 'EJ_NADD'),
        (3, 'SAKNAR_KONTAKTUPPGIFTER')
    ) t(sort, varde)
)
select * from final
