-- severity: error
-- rule: every file's rows read = loaded + rejected + excluded
select path, read, loaded, rejected, excluded
from loaded_file
where read <> loaded + rejected + excluded
