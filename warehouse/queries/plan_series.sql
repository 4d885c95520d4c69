-- Every value of a plan's indicators, exactly for the plan's keys, for goal statuses.
-- The keys come as four lists of equal length bound as single parameters
-- ($indicators, $areas, $sexes, $subgroups); row i of the lists is one key.
-- Why exact keys and not "indicator in (...) and area in (...)": that cross
-- product returns every indicator for every area and sex, 17-48 times the
-- rows a plan uses at national scale (bench/README.md, finding b). The any()
-- filters are there for speed only: DuckDB pushes them into the scan, where the
-- join alone reads every row (35 ms against 88 ms at national scale).
with plan_keys as (
    select unnest($indicators) as indicator_id, unnest($areas) as area_code,
           unnest($sexes) as sex, unnest($subgroups) as subgroup
)

select o.indicator_id, o.area_code, o.sex, o.subgroup, o.period, o.value, o.numerator,
       o.denominator, o.status, o.source, o.source_ref, o.fetched_at
from observations as o
semi join plan_keys as k using (indicator_id, area_code, sex, subgroup)
where o.indicator_id = any($indicators) and o.area_code = any($areas)
order by o.indicator_id, o.area_code, o.sex, o.subgroup, o.period
