-- One row per indicator, whatever its source. Kolada indicators keep their KPI id
-- (N15428); derived and local indicators have readable snake_case ids.
create table if not exists indicators (
    indicator_id varchar primary key,
    title_sv     varchar not null,
    unit         varchar not null,  -- percent (0-100, not 0-1) | per_100k | per_1000 | count | days | yes_no | index | other
    direction    varchar not null,  -- higher_is_better | lower_is_better | neutral
    source       varchar not null,  -- kolada | plan | kurvan | vantetider | socialstyrelsen | scb | survey | local
    source_ref   varchar,           -- e.g. the Kolada KPI id, a file name, an API path
    definition   varchar,
    frequency    varchar not null,  -- annual | monthly | once | irregular
    pooled_years integer,           -- 3 or 5 for pooled-window indicators; period = last year of the window
    caveats      varchar,
    next_publication date           -- when the source next publishes, where it says (Kolada publication_date)
);
