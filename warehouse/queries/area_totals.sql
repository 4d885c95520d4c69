-- One indicator's totals (both sexes, no subgroup) for a few areas at once: the comparison
-- lines (country, county) on the indicator view, read together rather than one area per query.
select
    o.area_code,
    o.period,
    o.value,
    o.status
from observations as o
where o.indicator_id = $indicator
  and list_contains($areas, o.area_code)
  and o.sex = 'T'
  and o.subgroup = ''
order by o.area_code, o.period
