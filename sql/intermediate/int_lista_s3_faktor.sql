-- The closed list s3_faktor of S3, in the spec's order (gathered into
-- int_lista).
with
final as (
    select * from (values
        (1, 'AndelForgymnasial'),
        (2, 'AndelOppetArbetslosa'),
        (3, 'AndelEkonomisktBistand'),
        (4, 'Medianinkomst'),
        (5, 'Ohalsotal'),
        (6, 'SjalvskattadHalsa')
    ) t(sort, varde)
)
select * from final
