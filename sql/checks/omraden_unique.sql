-- severity: error
-- rule: a postnummer maps to one område
select kommunkod, postnummer, count(distinct omrade) as n
from stg_omraden
group by all
having count(distinct omrade) > 1
