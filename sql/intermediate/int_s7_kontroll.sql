-- S7: the closed list of register checks, one row each, in the spec's
-- order (sort) with its level: rod = blocks the SCB report, gul = worth a
-- look, gron = open åtgärder. Each check's rule is its CTE of the same
-- name in int_s7_fynd.
with
final as (
    select * from (values
        (1, 'ingen_under_oppen_atgard', 'rod'),
        (2, 'atgard_utan_sysselsattning', 'rod'),
        (3, 'avslutad_atgard_utan_grund', 'rod'),
        (4, 'avslutad_atgard_utan_sysefter', 'rod'),
        (5, 'sysefter_lika_atgard', 'rod'),
        (6, 'sensysreg_bakat', 'rod'),
        (7, 'saknar_sensysreg', 'gul'),
        (8, 'atgard_utanfor_aktuell_period', 'gul'),
        (9, 'aktuell_utan_sysselsattning', 'gul'),
        (10, 'atgard_utan_slutdatum', 'gron')
    ) t(sort, kontroll, niva)
)
select * from final
