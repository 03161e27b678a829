-- The closed list kategori: codes of the input contract, shared by the
-- studies, in the spec's order (gathered into int_lista).
with
final as (
    select * from (values
        (1, 'DELTAGARKONTAKT'),
        (2, 'ADMINISTRATION'),
        (3, 'SAMVERKANSPART'),
        (4, 'DELTAGARE_OCH_SAMVERKANSPART')
    ) t(sort, varde)
)
select * from final
