-- The indicator catalogue with how many values each has (0 = not loaded yet).
select
    i.*,
    count(o.value) as values_present,
    max(o.fetched_at) as last_fetched_at
from indicators as i
left join observations as o using (indicator_id)
group by all
order by i.title_sv
