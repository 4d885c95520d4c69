-- Apply a staged batch inside one transaction (the caller opens and commits it).
-- Runs with the copy being published first on the search path and the batch's schema
-- second (loader._apply): staged_areas, staged_indicators, staged_observations and
-- batch_changes (the diff) come from the batch; $load_id is the new load.
-- Unchanged rows keep their fetched_at and load_id.
-- observations has no primary key (schema/observations.sql says why): changed and
-- removed keys are deleted, then new and changed rows inserted; the unique check
-- in schema.yml refuses the publish if a key ever appears twice.
insert or replace into areas select * from staged_areas;
insert or replace into indicators select * from staged_indicators;
delete from observations as o
using batch_changes as c
where c.change in ('removed', 'changed')
  and o.indicator_id = c.indicator_id and o.area_code = c.area_code
  and o.period = c.period and o.sex = c.sex and o.subgroup = c.subgroup;
insert into observations
select s.indicator_id, s.area_code, s.period, s.sex, s.subgroup, s.value, s.numerator,
       s.denominator, s.status, s.source, s.source_ref, s.fetched_at, $load_id
from staged_observations as s
semi join (select * from batch_changes where change in ('new', 'changed')) as c
    using (indicator_id, area_code, period, sex, subgroup)
order by s.indicator_id, s.area_code, s.sex, s.subgroup, s.period;
insert into load_changes
select $load_id, indicator_id, area_code, period, sex, subgroup, change,
       old_value, new_value, old_status, new_status
from batch_changes;
