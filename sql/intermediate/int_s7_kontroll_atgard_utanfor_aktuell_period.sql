-- S7 register check atgard_utanfor_aktuell_period (studies.md, S7): one row per finding,
-- an åtgärd [Start, coalesce(Slut, as_of)] not inside any one
-- period [Aktualiserad, Avaktualiserad] (blank Avaktualiserad: open), ends
-- inclusive.
-- sort: 8
-- niva: gul
with
final as (
    select
        a.kommunkod, a.person, a.atgard, a.start, a.slut,
        cast(null as date) as aktualiserad, cast(null as date) as avaktualiserad,
        cast(null as date) as datum, cast(null as varchar) as uppgift
    from int_s7_atgarder a
    where not exists (
        select 1 from int_s7_perioder p
        where p.kommunkod = a.kommunkod and p.person = a.person
          and p.aktualiserad <= a.start
          and (p.avaktualiserad is null or a.slut_eller_as_of <= p.avaktualiserad)
    )
)
select * from final
