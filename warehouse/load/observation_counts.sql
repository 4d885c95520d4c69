-- Rebuild observation_counts from observations; run in the staged copy at every publish.
delete from observation_counts;
insert into observation_counts
select indicator_id, area_code, count(value), max(fetched_at)
from observations
group by indicator_id, area_code;
