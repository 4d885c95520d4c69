-- What a batch would change in the warehouse, value by value.
-- Inputs: staged_observations (the batch), removal_scope ((indicator_id, area_code) pairs
-- pulled in full: this source's rows there that the batch lacks are removed), removed_keys
-- (keys the source says it withdrew), $source.
-- One row per key that is new, changed (value, status, numerator or denominator) or removed.
-- Why the pairs first: a semi join on two columns cuts the warehouse down to the
-- areas and indicators the batch touches before the five-column full outer join.
with staged as (
    select * from staged_observations
),

pairs as (
    select indicator_id, area_code from staged
    union
    select indicator_id, area_code from removal_scope
    union
    select indicator_id, area_code from removed_keys
),

current_rows as (
    select o.*
    from observations as o
    semi join pairs as p using (indicator_id, area_code)
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
            when s.indicator_id is null then
                case when c.source = $source and (
                        exists (select 1 from removal_scope as r
                                where r.indicator_id = c.indicator_id and r.area_code = c.area_code)
                        or exists (select 1 from removed_keys as k
                                   where k.indicator_id = c.indicator_id and k.area_code = c.area_code
                                     and k.period = c.period and k.sex = c.sex and k.subgroup = c.subgroup))
                     then 'removed' end
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
