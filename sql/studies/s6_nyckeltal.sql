-- S6: key figures for month M (s6_month), all shares (blank when the
-- denominator is 0), mal blank where there is no target:
--   andel_man / andel_kvinnor: kön M / K among all participations registered
--     up to the end of M (Inskriven <= end of M); mal s6_target_men and
--     1 - s6_target_men;
--   kontaktstatus_*: Kontaktstatus (of the latest period aktuell during M)
--     among persons aktuella for KAA during M who are MG1 (age 16–19) on the
--     last day of M; a blank Kontaktstatus counts in the denominator only;
--   andel_aktuella_kaa_deltagare: among persons aktuella for KAA during M,
--     the share who are participants during M (a deltagare row with
--     Inskriven <= end of M and no Utskriven or one on or after the first
--     day of M). See int_s6_kaa.
-- plain: mal
-- shares: varde, mal
-- key: nyckeltal
-- ratio: varde[nyckeltal=andel_man] = s6_manad.antal[matt=totalt, grupp=M] / s6_manad.antal[matt=totalt, grupp=alla]
-- ratio: varde[nyckeltal=andel_kvinnor] = s6_manad.antal[matt=totalt, grupp=K] / s6_manad.antal[matt=totalt, grupp=alla]
with
manad as (
    select cast(last_day(cast(getvariable('s6_month') as date)) as date) as sista
),
registrerade as (
    select s.scope, d.kon
    from int_s2_deltagare d
    join int_scope s using (kommunkod)
    cross join manad m
    where d.inskriven <= m.sista
),
kaa as (
    select s.scope, k.*
    from int_s6_kaa k
    join int_scope s using (kommunkod)
),
scopes as (select distinct scope from int_scope),
varden as (
    select sc.scope, 'andel_man' as nyckeltal,
        (select count(*) filter (where r.kon = 'M') / nullif(count(*), 0) from registrerade r where r.scope = sc.scope) as varde,
        getvariable('s6_target_men') as mal
    from scopes sc
    union all
    select sc.scope, 'andel_kvinnor',
        (select count(*) filter (where r.kon = 'K') / nullif(count(*), 0) from registrerade r where r.scope = sc.scope),
        1 - getvariable('s6_target_men')
    from scopes sc
    union all
    select sc.scope, 'kontaktstatus_nadd',
        (select count(*) filter (where k.kontaktstatus = 'NADD') / nullif(count(*), 0) from kaa k where k.scope = sc.scope and k.mg1),
        null
    from scopes sc
    union all
    select sc.scope, 'kontaktstatus_ej_nadd',
        (select count(*) filter (where k.kontaktstatus = 'EJ_NADD') / nullif(count(*), 0) from kaa k where k.scope = sc.scope and k.mg1),
        null
    from scopes sc
    union all
    select sc.scope, 'kontaktstatus_saknar_kontaktuppgifter',
        (select count(*) filter (where k.kontaktstatus = 'SAKNAR_KONTAKTUPPGIFTER') / nullif(count(*), 0) from kaa k where k.scope = sc.scope and k.mg1),
        null
    from scopes sc
    union all
    select sc.scope, 'andel_aktuella_kaa_deltagare',
        (select count(*) filter (where k.deltagare) / nullif(count(*), 0) from kaa k where k.scope = sc.scope),
        null
    from scopes sc
),
final as (
    select v.scope, l.sort, v.nyckeltal, cast(v.varde as double) as varde, cast(v.mal as double) as mal
    from varden v
    join (select sort, varde as nyckeltal from int_lista where lista = 's6_nyckeltal') l using (nyckeltal)
)
select * from final
