-- The closed list s6_nyckeltal of S6, in the spec's order (gathered into
-- int_lista).
with
final as (
    select * from (values
        (1, 'andel_man'),
        (2, 'andel_kvinnor'),
        (3, 'kontaktstatus_nadd'),
        (4, 'kontaktstatus_ej_nadd'),
        (5, 'kontaktstatus_saknar_kontaktuppgifter'),
        (6, 'andel_aktuella_kaa_deltagare')
    ) t(sort, varde)
)
select * from final
