-- Areas that have at least one value of an indicator, Riket and regions first.
with counts as (
    select area_code, count(value) as values_present
    from observations
    where indicator_id = $indicator
    group by area_code
)

select a.area_code, a.name, a.area_type, c.values_present
from counts as c
join areas as a using (area_code)
order by case a.area_type when 'country' then 0 when 'region' then 1 else 2 end, a.name
