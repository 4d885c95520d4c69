-- One indicator's series for one area, every sex and subgroup, oldest first.
select
    o.period,
    o.sex,
    o.subgroup,
    o.value,
    o.numerator,
    o.denominator,
    o.status,
    o.source,
    o.source_ref,
    o.fetched_at
from observations as o
where o.indicator_id = $indicator and o.area_code = $area
order by o.subgroup, o.sex, o.period
