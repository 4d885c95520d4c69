-- What a batch would change in the warehouse, value by value.
-- Inputs: staged_observations (the batch), removal_scope (indicator_id, area_code pairs
-- whose rows from this source that the batch no longer has are removed), $source.
-- One row per key that is new, changed (value, status, numerator or denominator) or removed.
with staged as (
    select * from staged_observations
),

current_rows as (
    select o.*
    from observations as o
    where exists (
            select 1 from staged as s
            where s.indicator_id = o.indicator_id and s.area_code = o.area_code
              and s.period = o.period and s.sex = o.sex and s.subgroup = o.subgroup)
       or (o.source = $source and exists (
            select 1 from removal_scope as r
            where r.indicator_id = o.indicator_id and r.area_code = o.area_code))
),

joined as (
    select
        coalesce(s.indicator_id, c.indicator_id) as indicator_id,
        coalesce(s.area_code, c.area_code) as area_code,
        coalesce(s.period, c.period) as period,
        coalesce(s.sex, c.sex) as sex,
        coalesce(s.subgroup, c.subgroup) as subgroup,
        case
            when c.indicator_id is null then 'new'
            when s.indicator_id is null then 'removed'
            when s.value is distinct from c.value
              or s.status is distinct from c.status
              or s.numerator is distinct from c.numerator
              or s.denominator is distinct from c.denominator then 'changed'
        end as change,
        c.value as old_value,
        s.value as new_value,
        c.status as old_status,
        s.status as new_status
    from staged as s
    full outer join current_rows as c
        on s.indicator_id = c.indicator_id and s.area_code = c.area_code
       and s.period = c.period and s.sex = c.sex and s.subgroup = c.subgroup
)

select * from joined where change is not null
