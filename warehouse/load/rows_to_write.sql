-- The batch's rows whose key is new or changed: what publishing inserts.
-- Inputs: staged_observations, batch_changes (the diff).
select s.*
from staged_observations as s
semi join (select * from batch_changes where change in ('new', 'changed')) as c
    using (indicator_id, area_code, period, sex, subgroup)
