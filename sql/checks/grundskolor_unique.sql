-- severity: error
-- rule: a school appears once per year in grundskolor
select kommunkod, skola, ar, count(*) as n
from stg_grundskolor
group by all
having count(*) > 1
