-- Every published load: what was pulled, when, and what it changed.
create table if not exists loads (
    load_id      integer primary key,
    source       varchar not null,
    started_at   timestamp not null,
    finished_at  timestamp not null,
    rows_new     integer not null,
    rows_changed integer not null,
    rows_removed integer not null,
    outcome      varchar not null,  -- published (failed and no-change runs are in the run journal)
    message      varchar
);
