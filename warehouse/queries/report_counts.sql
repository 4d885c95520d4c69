-- The refresh report (etl/report.py): per indicator, how many values are new, changed and removed.
-- Runs on one load's changes (a DataFrame registered as `changes`), not on the warehouse.
select
    indicator_id,
    count(*) filter (where change = 'new') as new,
    count(*) filter (where change = 'changed') as changed,
    count(*) filter (where change = 'removed') as removed
from changes
group by indicator_id
order by indicator_id
