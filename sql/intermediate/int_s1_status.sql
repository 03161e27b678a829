-- The S1 status rules, for every (person, cutoff) asked: the S1 cohort at
-- s1_cutoff (int_s1_person) and every person of a mature S10 kohort one
-- year after their start (s10_utfall). One model, so that S1 and S10 apply
-- the same rules. Status at the cutoff, the first rule that holds:
--   EXAMEN        a gymnasieexamen dated on or before the cutoff (extens
--                 Examen=J in an extract dated <= cutoff, or
--                 Avaktualiseringsorsak EXAMEN dated <= cutoff);
--   STUDIER       the latest sysselsättning observation dated <= cutoff has a
--                 study code (several that day: study over work over other);
--   ARBETE        that latest observation has a work code;
--   KVAR_I_KAA    aktuell at the cutoff in any period (Aktualiserad <= cutoff
--                 and no Avaktualiserad, or Avaktualiserad > cutoff);
--   INGEN_UPPGIFT none of the above.
-- forsorjning: the Forsorjning of that latest observation (OKAND if none or
-- blank). Same-day ties after the category: code, then försörjning.
with
fragor as (
    select kommunkod, person, getvariable('s1_cutoff') as cutoff from int_s1_kohort
    union
    select p.kommunkod, p.person, p.cutoff
    from int_s10_start p
    join int_s10_kohort k using (kohort)
    where k.mogen
),
examen_datum as (
    select kommunkod, person, min(datum) as datum
    from (
        select kommunkod, person, extract_date as datum from stg_extens where examen
        union all
        select kommunkod, person, avaktualiserad from stg_kaa_individer
        where avaktualiseringsorsak = 'EXAMEN' and avaktualiserad is not null
    )
    group by all
),
observations as (
    select
        f.kommunkod, f.person, f.cutoff, o.kategori, o.forsorjning,
        row_number() over (
            partition by f.kommunkod, f.person, f.cutoff
            order by o.datum desc,
                case o.kategori when 'STUDIER' then 0 when 'ARBETE' then 1 else 2 end,
                o.sysselsattning, o.forsorjning nulls last
        ) as nr
    from fragor f
    join stg_kaa_sysselsattning o
        on o.kommunkod = f.kommunkod and o.person = f.person and o.datum <= f.cutoff
),
latest as (
    select kommunkod, person, cutoff, kategori, forsorjning from observations where nr = 1
),
aktuell as (
    select distinct f.kommunkod, f.person, f.cutoff
    from fragor f
    join stg_kaa_individer k on k.kommunkod = f.kommunkod and k.person = f.person
    where k.aktualiserad <= f.cutoff
      and (k.avaktualiserad is null or k.avaktualiserad > f.cutoff)
),
final as (
    select
        f.kommunkod, f.person, f.cutoff,
        case
            when e.datum <= f.cutoff then 'EXAMEN'
            when l.kategori = 'STUDIER' then 'STUDIER'
            when l.kategori = 'ARBETE' then 'ARBETE'
            when a.person is not null then 'KVAR_I_KAA'
            else 'INGEN_UPPGIFT'
        end as status,
        coalesce(l.forsorjning, 'OKAND') as forsorjning
    from fragor f
    left join examen_datum e using (kommunkod, person)
    left join latest l using (kommunkod, person, cutoff)
    left join aktuell a using (kommunkod, person, cutoff)
)
select * from final
