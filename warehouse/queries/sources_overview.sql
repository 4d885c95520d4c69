-- Per source: how many indicators and values, the newest fetch, the next announced publication.
select
    i.source,
    count(distinct i.indicator_id) as indicators,
    count(o.value) as values_present,
    max(o.fetched_at) as last_fetched_at,
    min(i.next_publication) filter (where i.next_publication >= current_date) as next_publication
from indicators as i
left join observations as o using (indicator_id)
group by i.source
order by i.source
