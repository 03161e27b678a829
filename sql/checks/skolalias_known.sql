-- severity: warn
-- rule: every skolalias points at a school in grundskolor
select a.kommunkod, a.alias, a.skola
from stg_skolalias a
where not exists (
    select 1 from stg_grundskolor g where g.kommunkod = a.kommunkod and g.skola = a.skola
)
