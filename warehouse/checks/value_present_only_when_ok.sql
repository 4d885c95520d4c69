-- A value is present exactly when its status is ok: missing and suppressed
-- values must never be stored as numbers (a suppressed count is not zero).
select indicator_id, area_code, period, sex, subgroup, status, value
from observations
where (status = 'ok') <> (value is not null)
