-- Per source: how many indicators and values, the newest fetch, the next announced publication.
with per_indicator as (
    select indicator_id, sum(values_present) as values_present, max(last_fetched_at) as last_fetched_at
    from observation_counts
    group by indicator_id
)

select
    i.source,
    count(distinct i.indicator_id) as indicators,
    coalesce(sum(c.values_present), 0) as values_present,
    max(c.last_fetched_at) as last_fetched_at,
    min(i.next_publication) filter (where i.next_publication >= current_date) as next_publication
from indicators as i
left join per_indicator as c using (indicator_id)
group by i.source
order by i.source
