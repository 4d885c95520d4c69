-- The value-level report of one load, with indicator titles and area names.
select c.change, c.indicator_id, i.title_sv, c.area_code, a.name as area_name, c.period, c.sex,
       c.subgroup, c.old_value, c.new_value, c.old_status, c.new_status
from load_changes as c
left join indicators as i using (indicator_id)
left join areas as a using (area_code)
where c.load_id = $load_id
order by c.indicator_id, c.area_code, c.subgroup, c.sex, c.period
