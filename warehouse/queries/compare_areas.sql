-- One indicator for the "Jämför" page: the compared areas and their reference areas,
-- every period, sex and subgroup (the page picks one of each).
-- $indicator and $region are bound parameters ($region = a region's area code, e.g. '0023').
--
-- Level: the region's municipalities when any of them has a row for the indicator; otherwise
-- every region (indicators published only for regions, like BUP waiting times), against Riket.
-- role: 'area'    = a compared area (a municipality of $region, or any region)
--       'county'  = $region itself as reference (municipality level only)
--       'country' = Riket ('0000') as reference
-- sex: T/K/M = total/women/men. value is in the indicator's unit (percent on 0-100; rates per
-- 100 000 or per 1 000); numerator/denominator are counts (events or individuals; person-years
-- for pooled rates). status: ok | missing | suppressed (value withheld, never 0).
with source as (
    select *
    from observations
    where indicator_id = $indicator
),

municipal as (
    select count(*) > 0 as present
    from source
    join areas using (area_code)
    where areas.area_type = 'municipality' and areas.parent_code = $region
),

roles as (
    select
        a.area_code,
        a.name,
        a.area_type,
        case
            when a.area_type = 'country' then 'country'
            when m.present and a.area_code = $region then 'county'
            when m.present and a.area_type = 'municipality' and a.parent_code = $region then 'area'
            when not m.present and a.area_type = 'region' then 'area'
        end as role
    from areas as a
    cross join municipal as m
),

final as (
    select
        r.role,
        r.area_code,
        r.name,
        r.area_type,
        s.period,
        s.sex,
        s.subgroup,
        s.value,
        s.numerator,
        s.denominator,
        s.status,
        s.source,
        s.source_ref,
        s.fetched_at
    from source as s
    join roles as r using (area_code)
    where r.role is not null
)

select *
from final
order by case role when 'area' then 0 when 'county' then 1 else 2 end, name, period, sex, subgroup
