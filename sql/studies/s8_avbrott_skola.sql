-- S8: counted avbrott (persons, once per läsår) per läsår, skola (OKÄNT for
-- blank) and programtyp of the counted AVBROTT event (NATIONELLT,
-- INTRODUKTION for IM programmes, INGET for blank). Each läsår and skola
-- with a counted avbrott shows all three programtyper, 0 where none.
-- counts: avbrott
-- sum: avbrott = s8_avbrott_lasar.avbrott by lasar
with
avbrott as (
    select s.scope, h.lasar, h.skola, h.programtyp
    from int_s8_handelse h join int_scope s using (kommunkod)
    where h.raknad
),
skolor as (
    select
        scope, lasar, skola,
        dense_rank() over (partition by scope order by lasar, skola = 'OKÄNT', skola) as nr
    from (select distinct scope, lasar, skola from avbrott)
),
typer as (select sort, varde as programtyp from int_lista where lista = 'programtyp'),
counts as (select scope, lasar, skola, programtyp, count(*) as avbrott from avbrott group by all),
final as (
    select
        sk.scope, sk.nr * 10 + t.sort as sort, sk.lasar, sk.skola, t.programtyp,
        cast(coalesce(c.avbrott, 0) as bigint) as avbrott
    from skolor sk
    cross join typer t
    left join counts c
        on c.scope = sk.scope and c.lasar = sk.lasar and c.skola = sk.skola and c.programtyp = t.programtyp
)
select * from final
