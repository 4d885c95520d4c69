-- A 'YYYY-MM' period belongs to an indicator published by month.
select o.indicator_id, o.period
from observations as o
join indicators as i using (indicator_id)
where length(o.period) = 7 and i.frequency not in ('monthly', 'irregular')
