-- S7: the åtgärder as known on as_of, with slut_eller_as_of = Slut, or
-- as_of while Slut is blank (staging treats an end after as_of as not yet
-- set). Read by the register checks (int_s7_kontroll_<kontroll>).
with
final as (
    select
        kommunkod, person, atgard, start, slut, grundatgslut, sysefter,
        coalesce(slut, cast(getvariable('as_of') as date)) as slut_eller_as_of
    from stg_kaa_atgarder
)
select * from final
