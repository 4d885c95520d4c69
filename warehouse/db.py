"""Opening the warehouse: short read-only connections and schema creation.

Why read-only and short: publishing replaces the served file by renaming a new
one over it. A reader that opens, queries and closes never blocks that, and
never sees a half-written file, and each opening reads the file served at that
moment. The app's connections also have external access disabled and
configuration locked, so a query cannot read other files.
"""

from __future__ import annotations

from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Iterator

import duckdb

HERE = Path(__file__).resolve().parent
# Order matters only for readability; there are no foreign keys (checks do that).
SCHEMA_FILES = ("areas", "indicators", "loads", "observations", "load_changes", "load_files", "observation_counts")


class WarehouseMissingError(FileNotFoundError):
    """The served warehouse file does not exist yet."""


@cache
def sql(relative: str) -> str:
    """The text of a .sql file under warehouse/, e.g. sql('queries/series.sql')."""
    return (HERE / relative).read_text(encoding="utf-8")


def statements(text: str) -> list[str]:
    """Split a multi-statement .sql file on ';', dropping comment-only lines."""
    code = "\n".join(line for line in text.splitlines() if not line.strip().startswith("--"))
    return [part.strip() for part in code.split(";") if part.strip()]


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table that does not exist yet (idempotent)."""
    for name in SCHEMA_FILES:
        con.execute(sql(f"schema/{name}.sql"))


def use_schema(con: duckdb.DuckDBPyConnection, first: str, then: str | None = None) -> None:
    """Create unqualified tables in `first`; look names up in `first`, then `then`.

    The loader's one connection holds the served file, the copy being published
    and a schema per staged batch; this says which of them plain SQL means.
    """
    con.execute(f"use {first}")
    con.execute(f"set search_path = '{first}{',' + then if then else ''}'")


def _observations_keyed(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether observations (in the database in use) still has 0.1's primary key."""
    return bool(con.execute(
        "select count(*) from duckdb_constraints() where database_name = current_database() "
        "and table_name = 'observations' and constraint_type = 'PRIMARY KEY'").fetchall()[0][0])


def upgrade_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """Bring a warehouse written by an older Målkoll to the current schema, in the staged copy.

    Why here: `create table if not exists` adds new tables (observation_counts
    came in 0.2) but cannot change an existing one. Warehouses from 0.1 have a
    primary key on observations, which schema/observations.sql no longer
    declares; the table is rebuilt without it, sorted by key, once, at the next
    publish. Returns whether the table was rebuilt.
    """
    create_schema(con)
    if not _observations_keyed(con):
        return False
    con.execute("alter table observations rename to observations_keyed")
    con.execute(sql("schema/observations.sql"))
    con.execute("insert into observations select * from observations_keyed "
                "order by indicator_id, area_code, sex, subgroup, period")
    con.execute("drop table observations_keyed")
    return True


def is_current(path: Path) -> bool:
    """Whether the warehouse file has the current schema (see upgrade_schema), read without writing."""
    with read_only(path) as con:
        tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
        return set(SCHEMA_FILES) <= tables and not _observations_keyed(con)


def refresh_observation_counts(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the derived observation_counts from observations (every publish does this)."""
    for statement in statements(sql("load/observation_counts.sql")):
        con.execute(statement)


@contextmanager
def read_only(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short read-only connection to the served warehouse.

    Raises:
        WarehouseMissingError: if the file does not exist (callers show how to build it).
    """
    if not Path(path).exists():
        raise WarehouseMissingError(str(path))
    # Attached to a fresh in-memory database, not duckdb.connect(path): connect() hands out the
    # database already open in this process for that path, which after a publish is the replaced
    # file. Another session still reading the old version would make this one read it too.
    con = duckdb.connect()
    try:
        con.execute("attach ? as warehouse (read_only)", [str(path)])
        con.execute("use warehouse")
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
        yield con
    finally:
        con.close()
