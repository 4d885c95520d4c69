-- The most recent published loads, newest first.
select * from loads order by load_id desc limit 50
