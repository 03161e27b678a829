-- S7: the closed list of register checks in the spec's order (sort from
-- int_lista, list s7_kontroll) with each check's level: rod = blocks the
-- SCB report, gul = worth a look, gron = open åtgärder.
with
lista as (
    select sort, varde as kontroll from int_lista where lista = 's7_kontroll'
),
nivaer as (
    select * from (values
        ('ingen_under_oppen_atgard', 'rod'),
        ('atgard_utan_sysselsattning', 'rod'),
        ('avslutad_atgard_utan_grund', 'rod'),
        ('avslutad_atgard_utan_sysefter', 'rod'),
        ('sysefter_lika_atgard', 'rod'),
        ('sensysreg_bakat', 'rod'),
        ('saknar_sensysreg', 'gul'),
        ('atgard_utanfor_aktuell_period', 'gul'),
        ('aktuell_utan_sysselsattning', 'gul'),
        ('atgard_utan_slutdatum', 'gron')
    ) t(kontroll, niva)
),
final as (
    select l.sort, l.kontroll, n.niva
    from lista l
    join nivaer n using (kontroll)
)
select * from final
