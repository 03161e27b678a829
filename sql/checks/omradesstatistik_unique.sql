-- severity: error
-- rule: an område has one row of background statistics per year
select kommunkod, omrade, ar, count(*) as n
from stg_omradesstatistik
group by all
having count(*) > 1
