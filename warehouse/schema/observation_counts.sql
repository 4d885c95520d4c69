-- How many values each indicator has in each area, and when they were last fetched.
-- Derived from observations at every publish (warehouse/load/observation_counts.sql),
-- so that the pickers, the data page and Jämför do not count 7 M rows when a page
-- opens (bench/README.md, finding c).
create table if not exists observation_counts (
    indicator_id    varchar not null,
    area_code       varchar not null,
    values_present  bigint not null,   -- values with status ok (count(value))
    last_fetched_at timestamp          -- newest fetched_at of any row, values or not
);
