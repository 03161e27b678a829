-- The S1 cohort with each person's status at the cutoff, for the KAA staff
-- to follow up person by person (pseudonyms; never published).
with
final as (
    select s.scope, p.person, p.aktualiserad, p.registreringsorsak, p.status, p.forsorjning
    from int_s1_person p
    join int_scope s using (kommunkod)
)
select * from final
