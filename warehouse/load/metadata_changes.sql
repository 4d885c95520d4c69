-- How many area and indicator rows a batch would add or alter.
select
    (select count(*) from (select * from staged_areas except select * from areas)) as areas_changed,
    (select count(*) from (select * from staged_indicators except select * from indicators)) as indicators_changed
