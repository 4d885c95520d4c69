-- Areas with how many values each has, Riket first, then regions, then municipalities.
with counts as (
    select area_code, sum(values_present) as values_present
    from observation_counts
    group by area_code
)

select a.*, coalesce(c.values_present, 0) as values_present
from areas as a
left join counts as c using (area_code)
order by case a.area_type when 'country' then 0 when 'region' then 1 else 2 end, a.name
