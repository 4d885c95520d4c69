-- Every value of the given indicators in the given areas, for goal statuses.
-- $indicators and $areas are lists bound as single parameters.
select o.indicator_id, o.area_code, o.sex, o.subgroup, o.period, o.value, o.numerator,
       o.denominator, o.status, o.source, o.source_ref, o.fetched_at
from observations as o
where o.indicator_id = any($indicators) and o.area_code = any($areas)
order by o.indicator_id, o.area_code, o.sex, o.subgroup, o.period
