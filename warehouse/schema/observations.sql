-- One value of one indicator for one area, period, sex and subgroup.
-- sex: T = totalt (all), K = kvinnor (women), M = män (men).
-- status: ok (value present) | missing (source says no data; never stored as 0)
--         | suppressed (too few cases to publish; value withheld).
-- Percent values are on the 0-100 scale.
-- No primary key: the key (indicator_id, area_code, period, sex, subgroup) is kept
-- unique by the loader and checked before every publish (schema.yml). As a DuckDB
-- index it made up 90 % of the file and most of the load time at national scale
-- (bench/README.md); rows are inserted sorted by key, so reads of one series
-- prune row groups by their min/max instead.
create table if not exists observations (
    indicator_id varchar not null,
    area_code    varchar not null,
    period       varchar not null,  -- 'YYYY' or 'YYYY-MM'
    sex          varchar not null,
    subgroup     varchar not null default '',  -- '' = everyone; else e.g. 'Åk 9', '15-24', 'LVU'
    value        double,
    numerator    double,
    denominator  double,
    status       varchar not null,
    source       varchar not null,
    source_ref   varchar,           -- request URL, file and row, or document and section
    fetched_at   timestamp not null,
    load_id      integer not null
);
