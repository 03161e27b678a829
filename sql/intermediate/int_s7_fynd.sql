-- S7: every finding of the register checks before the half-yearly SCB
-- report, one row per record to look at (an åtgärd, a period, an
-- observation, or a pair of them), with the check's id. Each check is its
-- own file, int_s7_kontroll_<kontroll>.sql, with its rule, order and nivå
-- (gathered by int_s7_fynd_alla and int_s7_kontroll). Everything is as
-- known on as_of (staging drops rows dated later and treats an end after
-- as_of as not yet set). The half-year is int_s7_halvar.
-- coach is the Coach of the person's latest period (by Aktualiserad), so
-- that each coach can find their own persons, as in the method book.
with
fynd as (
    select * from int_s7_fynd_alla
),
coacher as (
    select kommunkod, person, coach
    from (
        select
            kommunkod, person, coach,
            row_number() over (partition by kommunkod, person order by aktualiserad desc, line desc, file_id desc) as nr
        from int_s7_perioder
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
