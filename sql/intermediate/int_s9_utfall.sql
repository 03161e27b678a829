-- S9: per scope, factor and value: antal (persons), studier and arbete
-- (those of them with that outcome; int_s9_person). Factors in the spec's
-- order (int_lista s9_faktor). Closed lists complete, 0 where none: kon,
-- alder (16–19, ÖVRIGA), registreringsorsak, huvudman, programtyp. Open
-- ones as they occur, in alphabetical (Swedish) order: grundskola (then
-- EXTERN, OKÄNT) and omrade (then OKÄNT). In the region scope a school or
-- område is labelled "<kommunkod> <name>", as in S3 and S4.
with
scopes as (select distinct scope from int_scope),
persons as (
    select s.scope, p.*
    from int_s9_person p join int_scope s using (kommunkod)
),
long as (
    select scope, 'kon' as faktor, kon as varde, studier, arbete from persons
    union all
    select scope, 'alder', alder, studier, arbete from persons
    union all
    select scope, 'registreringsorsak', registreringsorsak, studier, arbete from persons
    union all
    select scope, 'huvudman', huvudman, studier, arbete from persons
    union all
    select scope, 'programtyp', programtyp, studier, arbete from persons
    union all
    select
        scope, 'grundskola',
        case when scope = 'region' and i_grundskolor then kommunkod || ' ' || grundskola else grundskola end,
        studier, arbete
    from persons
    union all
    select
        scope, 'omrade',
        case when omrade is null then 'OKÄNT' when scope = 'region' then kommunkod || ' ' || omrade else omrade end,
        studier, arbete
    from persons
),
counts as (
    select
        scope, faktor, varde,
        count(*) as antal,
        count(*) filter (where studier) as studier,
        count(*) filter (where arbete) as arbete
    from long
    group by all
),
faktorer as (select sort as faktor_sort, varde as faktor from int_lista where lista = 's9_faktor'),
closed as (
    select f.faktor_sort, f.faktor, l.sort as varde_sort, l.varde
    from faktorer f
    join int_lista l on l.lista = case f.faktor
        when 'kon' then 'kon'
        when 'alder' then 's9_alder'
        when 'registreringsorsak' then 'registreringsorsak'
        when 'huvudman' then 'huvudman'
        when 'programtyp' then 'programtyp'
    end
),
closed_rows as (
    select
        sc.scope, c.faktor_sort, c.faktor, c.varde_sort, c.varde,
        coalesce(n.antal, 0) as antal, coalesce(n.studier, 0) as studier, coalesce(n.arbete, 0) as arbete
    from scopes sc
    cross join closed c
    left join counts n on n.scope = sc.scope and n.faktor = c.faktor and n.varde = c.varde
),
open_rows as (
    select
        n.scope, f.faktor_sort, n.faktor,
        row_number() over (
            partition by n.scope, n.faktor
            order by
                case
                    when n.faktor = 'grundskola' and n.varde = 'EXTERN' then 1
                    when n.varde = 'OKÄNT' then 2
                    else 0
                end,
                translate(lower(n.varde), 'åäöæøéèáü', '{|}|}eeay'), n.varde
        ) as varde_sort,
        n.varde, n.antal, n.studier, n.arbete
    from counts n
    join faktorer f using (faktor)
    where n.faktor in ('grundskola', 'omrade')
),
final as (
    select scope, faktor_sort, faktor, varde_sort, varde, antal, studier, arbete from closed_rows
    union all
    select scope, faktor_sort, faktor, varde_sort, varde, antal, studier, arbete from open_rows
)
select * from final
