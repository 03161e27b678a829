-- S8: the weekly Extens check, per kommun on the date of its latest extens
-- extract on or before as_of. Extens side (omfattas): persons in that
-- extract aged 16–19 on that date with neither Inskriven=J nor Examen=J (a
-- blank Inskriven or Examen counts as N). Register side (aktuell): persons
-- with a KAA period aktuell on that date (Aktualiserad ≤ date and no
-- Avaktualiserad ≤ date), any age. One row per person on either side; a
-- kommun with no extens extract has no date and so no rows. orsak says why
-- a person on one side only is not on the other.
with
uttag as (
    select distinct kommunkod, extract_date from int_s8_uttag
),
extens as (
    select
        e.kommunkod, e.person, u.extract_date,
        min((year(u.extract_date) - year(e.fodelsedatum))
            - case when strftime(u.extract_date, '%m%d') < strftime(e.fodelsedatum, '%m%d') then 1 else 0 end) as alder,
        bool_or(coalesce(e.inskriven, false)) as inskriven,
        bool_or(coalesce(e.examen, false)) as examen
    from stg_extens e
    join int_s8_uttag u using (file_id)
    group by all
),
omfattas as (
    select *, alder between 16 and 19 and not inskriven and not examen as omfattas from extens
),
perioder as (
    select k.kommunkod, k.person, u.extract_date, k.aktualiserad, k.avaktualiserad, k.registreringsorsak, k.line, k.file_id
    from stg_kaa_individer k
    join uttag u using (kommunkod)
),
aktuella as (
    select
        kommunkod, person, extract_date,
        min(aktualiserad) as aktualiserad,
        arg_min(registreringsorsak, (aktualiserad, line, file_id)) as registreringsorsak
    from perioder
    where aktualiserad <= extract_date and (avaktualiserad is null or avaktualiserad > extract_date)
    group by all
),
register as (
    select
        kommunkod, person,
        max(avaktualiserad) filter (where avaktualiserad <= extract_date) as senast_avaktualiserad,
        min(aktualiserad) filter (where aktualiserad > extract_date) as nasta_aktualiserad
    from perioder
    group by all
),
personer as (
    select kommunkod, person, extract_date from omfattas where omfattas
    union
    select kommunkod, person, extract_date from aktuella
),
final as (
    select
        p.kommunkod, p.person, p.extract_date,
        coalesce(o.omfattas, false) as omfattas_enligt_extens,
        a.person is not null as aktuell_i_registret,
        o.alder as alder_i_extens,
        a.aktualiserad,
        a.registreringsorsak,
        case
            when coalesce(o.omfattas, false) and a.person is null then
                case
                    when r.nasta_aktualiserad is not null then 'AKTUALISERAD_SENARE'
                    when r.senast_avaktualiserad is not null then 'AVAKTUALISERAD'
                    else 'INTE_I_REGISTRET'
                end
            when a.person is not null and not coalesce(o.omfattas, false) then
                case
                    when o.person is null then 'INTE_I_UTTAGET'
                    when o.examen then 'EXAMEN'
                    when o.inskriven then 'INSKRIVEN'
                    else 'ALDER'
                end
        end as orsak,
        r.senast_avaktualiserad,
        r.nasta_aktualiserad
    from personer p
    left join omfattas o using (kommunkod, person)
    left join aktuella a using (kommunkod, person)
    left join register r using (kommunkod, person)
)
select * from final
