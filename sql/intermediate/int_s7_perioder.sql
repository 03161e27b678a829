-- S7: the register's periods as known on as_of, SenSysReg blank as null.
-- Read by the register checks (int_s7_kontroll_<kontroll>) and for each
-- person's coach (int_s7_fynd).
with
final as (
    select
        kommunkod, person, aktualiserad, avaktualiserad, nullif(trim(sensysreg), '') as sensysreg, coach, line, file_id
    from stg_kaa_individer
)
select * from final
