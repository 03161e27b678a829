-- S9's cohort per scope: antal persons (int_s9_person), studier of them
-- gone on to studies. A scope with an empty cohort has no row. Read by the
-- S9 page's notes (the share to studies, the reference line).
with
person as (select kommunkod, studier from int_s9_person),
scoped as (
    select s.scope, p.studier
    from person p
    join int_scope s using (kommunkod)
),
final as (
    select scope, count(*) as antal, count(*) filter (where studier) as studier
    from scoped
    group by all
)
select * from final
