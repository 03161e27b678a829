-- S1: each cohort person (int_s1_kohort) with the status at s1_cutoff by the
-- spec's precedence and the försörjning of the latest observation on or
-- before the cutoff (int_s1_status).
with
final as (
    select
        c.kommunkod, c.person, c.fodelsedatum, c.kon, c.aktualiserad, c.registreringsorsak,
        s.status, s.forsorjning
    from int_s1_kohort c
    join int_s1_status s
        on s.kommunkod = c.kommunkod and s.person = c.person and s.cutoff = getvariable('s1_cutoff')
)
select * from final
