-- The value-level report of each load: what a refresh added, changed or removed.
create table if not exists load_changes (
    load_id      integer not null,
    indicator_id varchar not null,
    area_code    varchar not null,
    period       varchar not null,
    sex          varchar not null,
    subgroup     varchar not null,
    change       varchar not null,  -- new | changed | removed
    old_value    double,
    new_value    double,
    old_status   varchar,
    new_status   varchar
);
