-- S2 (and S6): each participation, i.e. each row of deltagare with Inskriven
-- on or before as_of (a person with several rows has several participations),
-- with its målgrupp at entry and at exit, whether it is a mature exit
-- (Utskriven + 1 year <= as_of), and whether it met delmål 1 (a study code
-- observed in [Inskriven, Utskriven + 1 year]) and delmål 2
-- (AnvisadStodinsats=J or a study or work code observed in [Inskriven,
-- Utskriven]). Observations are kaa_sysselsattning rows only (dated <= as_of).
-- studieform: the first study code in the delmål-1 window (same date: the
-- alphabetically first code). senaste_sysselsattning: the latest observation
-- <= as_of (same date: study over work over other, then alphabetical code).
with
deltagande as (
    select
        row_number() over (order by kommunkod, file_id, line, person, inskriven, utskriven) as deltagande_id,
        kommunkod, person, fodelsedatum, kon, inskriven, utskriven, sysvidavslut,
        coalesce(anvisadstodinsats, false) as anvisadstodinsats
    from stg_deltagare
),
alder as (
    select
        *,
        (year(inskriven) - year(fodelsedatum))
            - case when strftime(inskriven, '%m%d') < strftime(fodelsedatum, '%m%d') then 1 else 0 end as alder_in,
        (year(utskriven) - year(fodelsedatum))
            - case when strftime(utskriven, '%m%d') < strftime(fodelsedatum, '%m%d') then 1 else 0 end as alder_ut,
        cast(utskriven + interval 1 year as date) as fonster1_slut
    from deltagande
),
malgrupp as (
    select
        *,
        case when alder_in between 16 and 19 then 'MG1'
             when alder_in between 20 and 24 then 'MG2'
             else 'UTANFÖR' end as mg_in,
        case when utskriven is null then null
             when alder_ut between 16 and 19 then 'MG1'
             when alder_ut between 20 and 24 then 'MG2'
             else 'UTANFÖR' end as mg_ut,
        utskriven is not null as avslutad,
        coalesce(fonster1_slut <= getvariable('as_of'), false) as mogen
    from alder
),
studier_i_fonster as (
    select
        d.deltagande_id, o.sysselsattning,
        row_number() over (partition by d.deltagande_id order by o.datum, o.sysselsattning) as nr
    from malgrupp d
    join stg_kaa_sysselsattning o on o.kommunkod = d.kommunkod and o.person = d.person
    where o.kategori = 'STUDIER'
      and o.datum between d.inskriven and d.fonster1_slut
),
studieform as (
    select deltagande_id, sysselsattning as studieform from studier_i_fonster where nr = 1
),
delmal2_obs as (
    select distinct d.deltagande_id
    from malgrupp d
    join stg_kaa_sysselsattning o on o.kommunkod = d.kommunkod and o.person = d.person
    where o.kategori in ('STUDIER', 'ARBETE')
      and o.datum between d.inskriven and d.utskriven
),
observationer as (
    select
        kommunkod, person, sysselsattning,
        row_number() over (
            partition by kommunkod, person
            order by datum desc,
                case kategori when 'STUDIER' then 0 when 'ARBETE' then 1 else 2 end,
                sysselsattning
        ) as nr
    from stg_kaa_sysselsattning
),
senaste as (
    select kommunkod, person, sysselsattning from observationer where nr = 1
),
final as (
    select
        d.deltagande_id, d.kommunkod, d.person, d.fodelsedatum, d.kon,
        d.inskriven, d.utskriven, d.sysvidavslut, d.anvisadstodinsats,
        d.alder_in, d.alder_ut, d.mg_in, d.mg_ut, d.avslutad, d.mogen,
        sf.studieform is not null as delmal1,
        d.avslutad and (d.anvisadstodinsats or d2.deltagande_id is not null) as delmal2,
        sf.studieform,
        coalesce(se.sysselsattning, 'OKAND') as senaste_sysselsattning
    from malgrupp d
    left join studieform sf using (deltagande_id)
    left join delmal2_obs d2 using (deltagande_id)
    left join senaste se on se.kommunkod = d.kommunkod and se.person = d.person
)
select * from final
