-- The refresh report (etl/report.py): each indicator's first $max_lines changed or removed values,
-- in key order. Runs on one load's changes (a DataFrame registered as `changes`).
select indicator_id, area_code, period, sex, subgroup, change, old_value, new_value, old_status, new_status
from changes
where change <> 'new'
qualify row_number() over (partition by indicator_id order by area_code, subgroup, sex, period) <= $max_lines
order by indicator_id, area_code, subgroup, sex, period
