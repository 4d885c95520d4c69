-- The indicator catalogue as stored: unit, title, pooling. No counts, so no scan of observations
-- (indicators.sql adds the counts the pickers need).
select * from indicators
