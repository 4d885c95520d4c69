-- Areas with how many values each has, Riket first, then regions, then municipalities.
select
    a.*,
    count(o.value) as values_present
from areas as a
left join observations as o using (area_code)
group by all
order by case a.area_type when 'country' then 0 when 'region' then 1 else 2 end, a.name
