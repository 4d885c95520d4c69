-- Observations for export, optionally filtered by indicator and area.
-- $indicator and $area are bound parameters; null means "all".
-- Suppressed and missing values stay empty in value (see status).
select
    o.indicator_id,
    o.area_code,
    a.name as area_name,
    o.period,
    o.sex,
    o.value,
    o.numerator,
    o.denominator,
    o.source,
    o.subgroup,
    o.status,
    o.source_ref,
    o.fetched_at,
    i.unit,
    i.title_sv,
    i.definition,
    i.source_ref as indicator_source
from observations as o
left join areas as a using (area_code)
left join indicators as i using (indicator_id)
where ($indicator is null or o.indicator_id = $indicator)
  and ($area is null or o.area_code = $area)
order by o.indicator_id, o.area_code, o.subgroup, o.sex, o.period
