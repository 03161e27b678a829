-- S7: every finding of the register checks before the half-yearly SCB
-- report, one row per record to look at (an åtgärd, a period, an
-- observation, or a pair of them), with the check's id. Everything is as
-- known on as_of (staging drops rows dated later and treats an end after
-- as_of as not yet set). The half-year is int_s7_halvar. Rules:
--   ingen_under_oppen_atgard      observation INGEN dated in [Start, Slut] of an åtgärd (Slut blank: up to as_of)
--   atgard_utan_sysselsattning    åtgärd with no observation (any code) dated in [Start, coalesce(Slut, as_of)]
--   avslutad_atgard_utan_grund    Slut set, GrundAtgSlut blank
--   avslutad_atgard_utan_sysefter Slut set, SysEfter blank
--   sysefter_lika_atgard          SysEfter = Atgard
--   sensysreg_bakat               a period's SenSysReg at a lower level (int_s7_studieniva) than that of a period
--                                 with an earlier Aktualiserad (periods with blank SenSysReg are skipped)
--   saknar_sensysreg              SenSysReg blank in a period aktuell some day in the half-year
--   atgard_utanfor_aktuell_period åtgärd [Start, coalesce(Slut, as_of)] not inside any one period
--                                 [Aktualiserad, Avaktualiserad] (blank Avaktualiserad: open), ends inclusive
--   aktuell_utan_sysselsattning   a period aktuell some day in the half-year, and the person has no
--                                 observation dated in the half-year
--   atgard_utan_slutdatum         åtgärd with Slut blank
-- Aktuell on day d: Aktualiserad ≤ d < Avaktualiserad (or no Avaktualiserad).
-- coach is the Coach of the person's latest period (by Aktualiserad), so
-- that each coach can find their own persons, as in the method book.
with
halvar as (
    select p_from, p_to from int_s7_halvar
),
atgarder as (
    select
        kommunkod, person, atgard, start, slut, grundatgslut, sysefter,
        coalesce(slut, cast(getvariable('as_of') as date)) as slut_eller_as_of
    from stg_kaa_atgarder
),
observationer as (
    select kommunkod, person, datum, sysselsattning from stg_kaa_sysselsattning
),
perioder as (
    select
        kommunkod, person, aktualiserad, avaktualiserad, nullif(trim(sensysreg), '') as sensysreg, coach, line, file_id
    from stg_kaa_individer
),
aktuella as (
    select p.*
    from perioder p
    cross join halvar h
    where p.aktualiserad <= h.p_to
      and (p.avaktualiserad is null or p.avaktualiserad > greatest(p.aktualiserad, h.p_from))
),
ingen_under_oppen_atgard as (
    select
        'ingen_under_oppen_atgard' as kontroll, a.kommunkod, a.person, a.atgard, a.start, a.slut,
        cast(null as date) as aktualiserad, cast(null as date) as avaktualiserad,
        o.datum, o.sysselsattning as uppgift
    from atgarder a
    join observationer o
      on o.kommunkod = a.kommunkod and o.person = a.person
     and o.sysselsattning = 'INGEN'
     and o.datum between a.start and a.slut_eller_as_of
),
atgard_utan_sysselsattning as (
    select
        'atgard_utan_sysselsattning' as kontroll, a.kommunkod, a.person, a.atgard, a.start, a.slut,
        cast(null as date) as aktualiserad, cast(null as date) as avaktualiserad,
        cast(null as date) as datum, cast(null as varchar) as uppgift
    from atgarder a
    where not exists (
        select 1 from observationer o
        where o.kommunkod = a.kommunkod and o.person = a.person
          and o.datum between a.start and a.slut_eller_as_of
    )
),
avslutad_atgard_utan_grund as (
    select
        'avslutad_atgard_utan_grund' as kontroll, kommunkod, person, atgard, start, slut,
        cast(null as date) as aktualiserad, cast(null as date) as avaktualiserad,
        cast(null as date) as datum, sysefter as uppgift
    from atgarder
    where slut is not null and coalesce(trim(grundatgslut), '') = ''
),
avslutad_atgard_utan_sysefter as (
    select
        'avslutad_atgard_utan_sysefter' as kontroll, kommunkod, person, atgard, start, slut,
        cast(null as date) as aktualiserad, cast(null as date) as avaktualiserad,
        cast(null as date) as datum, grundatgslut as uppgift
    from atgarder
    where slut is not null and coalesce(trim(sysefter), '') = ''
),
sysefter_lika_atgard as (
    select
        'sysefter_lika_atgard' as kontroll, kommunkod, person, atgard, start, slut,
        cast(null as date) as aktualiserad, cast(null as date) as avaktualiserad,
        cast(null as date) as datum, sysefter as uppgift
    from atgarder
    where sysefter = atgard
),
nivaer as (
    select p.kommunkod, p.person, p.aktualiserad, p.avaktualiserad, p.sensysreg, n.niva
    from perioder p
    join int_s7_studieniva n on n.kod = p.sensysreg
),
sensysreg_bakat as (
    select
        'sensysreg_bakat' as kontroll, senare.kommunkod, senare.person,
        cast(null as varchar) as atgard, cast(null as date) as start, cast(null as date) as slut,
        senare.aktualiserad, senare.avaktualiserad,
        tidigare.aktualiserad as datum,
        tidigare.sensysreg || ' → ' || senare.sensysreg as uppgift
    from nivaer senare
    join nivaer tidigare
      on tidigare.kommunkod = senare.kommunkod and tidigare.person = senare.person
     and tidigare.aktualiserad < senare.aktualiserad
     and tidigare.niva > senare.niva
),
saknar_sensysreg as (
    select
        'saknar_sensysreg' as kontroll, kommunkod, person,
        cast(null as varchar) as atgard, cast(null as date) as start, cast(null as date) as slut,
        aktualiserad, avaktualiserad, cast(null as date) as datum, cast(null as varchar) as uppgift
    from aktuella
    where sensysreg is null
),
atgard_utanfor_aktuell_period as (
    select
        'atgard_utanfor_aktuell_period' as kontroll, a.kommunkod, a.person, a.atgard, a.start, a.slut,
        cast(null as date) as aktualiserad, cast(null as date) as avaktualiserad,
        cast(null as date) as datum, cast(null as varchar) as uppgift
    from atgarder a
    where not exists (
        select 1 from perioder p
        where p.kommunkod = a.kommunkod and p.person = a.person
          and p.aktualiserad <= a.start
          and (p.avaktualiserad is null or a.slut_eller_as_of <= p.avaktualiserad)
    )
),
senaste_observation as (
    select kommunkod, person, max(datum) as datum from observationer group by all
),
aktuell_utan_sysselsattning as (
    select
        'aktuell_utan_sysselsattning' as kontroll, a.kommunkod, a.person,
        cast(null as varchar) as atgard, cast(null as date) as start, cast(null as date) as slut,
        a.aktualiserad, a.avaktualiserad, s.datum, cast(null as varchar) as uppgift
    from aktuella a
    cross join halvar h
    left join senaste_observation s on s.kommunkod = a.kommunkod and s.person = a.person
    where not exists (
        select 1 from observationer o
        where o.kommunkod = a.kommunkod and o.person = a.person
          and o.datum between h.p_from and h.p_to
    )
),
atgard_utan_slutdatum as (
    select
        'atgard_utan_slutdatum' as kontroll, kommunkod, person, atgard, start, slut,
        cast(null as date) as aktualiserad, cast(null as date) as avaktualiserad,
        cast(null as date) as datum, cast(null as varchar) as uppgift
    from atgarder
    where slut is null
),
fynd as (
    select * from ingen_under_oppen_atgard
    union all select * from atgard_utan_sysselsattning
    union all select * from avslutad_atgard_utan_grund
    union all select * from avslutad_atgard_utan_sysefter
    union all select * from sysefter_lika_atgard
    union all select * from sensysreg_bakat
    union all select * from saknar_sensysreg
    union all select * from atgard_utanfor_aktuell_period
    union all select * from aktuell_utan_sysselsattning
    union all select * from atgard_utan_slutdatum
),
coacher as (
    select kommunkod, person, coach
    from (
        select
            kommunkod, person, coach,
            row_number() over (partition by kommunkod, person order by aktualiserad desc, line desc, file_id desc) as nr
        from perioder
    )
    where nr = 1
),
final as (
    select
        f.kontroll, f.kommunkod, f.person, c.coach, f.atgard, f.start, f.slut,
        f.aktualiserad, f.avaktualiserad, f.datum, f.uppgift
    from fynd f
    left join coacher c using (kommunkod, person)
)
select * from final
