-- The indicator catalogue with how many values each has (0 = not loaded yet).
with counts as (
    select indicator_id, sum(values_present) as values_present, max(last_fetched_at) as last_fetched_at
    from observation_counts
    group by indicator_id
)

select i.*, coalesce(c.values_present, 0) as values_present, c.last_fetched_at
from indicators as i
left join counts as c using (indicator_id)
order by i.title_sv
