-- Areas that have rows of an indicator (values_present may be 0 where all are missing),
-- Riket and regions first.
select a.area_code, a.name, a.area_type, c.values_present
from observation_counts as c
join areas as a using (area_code)
where c.indicator_id = $indicator
order by case a.area_type when 'country' then 0 when 'region' then 1 else 2 end, a.name
