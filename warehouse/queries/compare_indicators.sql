-- The indicator catalogue for the "Jämför" page, with how many areas of each level have values,
-- so the page can open on an indicator that has something to compare.
with counts as (
    select
        c.indicator_id,
        count(*) filter (where a.area_type = 'municipality') as municipalities_with_values,
        count(*) filter (where a.area_type = 'region') as regions_with_values
    from observation_counts as c
    join areas as a using (area_code)
    where c.values_present > 0
    group by c.indicator_id
)

select
    i.*,
    coalesce(c.municipalities_with_values, 0) as municipalities_with_values,
    coalesce(c.regions_with_values, 0) as regions_with_values
from indicators as i
left join counts as c using (indicator_id)
order by i.title_sv
