"""Apply a batch of values from one source to the warehouse, and say what changed.

Every source (Kolada, the offline snapshot, file imports) hands over a `Batch`.
`load_batches` stages each batch once, in its own schema of an in-memory
DuckDB connection with the served file attached read-only, and diffs it there
without writing anything. Only if something changed does it attach a copy of
the served file beside it (warehouse/publish.py), write the batch into the
copy, check and publish. So a refresh with no upstream change writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator

import duckdb
import pandas as pd

from warehouse.db import create_schema, is_current, sql, statements, use_schema
from warehouse.publish import staged_copy, writer_lock

AREA_COLUMNS = ["area_code", "name", "area_type", "parent_code"]
INDICATOR_COLUMNS = [
    "indicator_id", "title_sv", "unit", "direction", "source", "source_ref",
    "definition", "frequency", "pooled_years", "caveats", "next_publication",
]
OBSERVATION_COLUMNS = [
    "indicator_id", "area_code", "period", "sex", "subgroup", "value", "numerator",
    "denominator", "status", "source", "source_ref", "fetched_at",
]
KEY = ["indicator_id", "area_code", "period", "sex", "subgroup"]


def _frame(columns: list[str], rows: pd.DataFrame | None) -> pd.DataFrame:
    if rows is None or rows.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    missing = [c for c in columns if c not in rows.columns]
    if missing:
        raise ValueError(f"batch is missing columns {missing}")
    return rows[columns].reset_index(drop=True)


@dataclass(frozen=True)
class SourceFile:
    """An imported file, kept with the load that used it."""

    name: str
    kind: str
    content: bytes
    encoding: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass
class Batch:
    """Everything one source delivers in one run.

    Attributes:
        source: name written to loads.source and observations.source.
        observations: rows with OBSERVATION_COLUMNS.
        areas: area rows to add or update (optional).
        indicators: indicator rows to add or update (optional).
        removal_scope: (indicator_id, area_code) pairs this source pulled in full;
            its existing rows for those pairs that the batch lacks are removed.
            Empty for file imports, which add and change but never remove.
        removals: keys (KEY columns) the source says it withdrew; this source's rows
            with those keys are removed (a pull of changes since a date has no other
            way to say so).
        message: a one-line summary stored with the load.
        files: files the batch was read from, stored in load_files.
    """

    source: str
    observations: pd.DataFrame
    areas: pd.DataFrame | None = None
    indicators: pd.DataFrame | None = None
    removal_scope: pd.DataFrame | None = None
    removals: pd.DataFrame | None = None
    message: str = ""
    files: list[SourceFile] = field(default_factory=list)


@dataclass
class LoadResult:
    """What a batch changed; `published` is False when nothing changed."""

    source: str
    published: bool
    load_id: int | None
    changes: pd.DataFrame  # columns of diff_observations.sql
    areas_changed: int = 0
    indicators_changed: int = 0
    values_received: int = 0
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    # The newest load of the warehouse this result reflects, as (load_id, finished_at ISO):
    # this load when published, else the served file's newest at the diff. A later
    # run can tell from it whether anything was published since (etl/kolada/since.py).
    as_of_load: tuple[int, str] | None = None

    def count(self, change: str) -> int:
        return int((self.changes["change"] == change).sum()) if not self.changes.empty else 0


def _register(con: duckdb.DuckDBPyConnection, batch: Batch) -> None:
    """Stage the batch as typed tables staged_*, removal_scope and removed_keys in the schema in use.

    Typed copies (types from the real tables), so that empty frames and
    NULL-only columns compare and insert cleanly.
    """
    for table, like, frame in (
        ("staged_areas", "select * from areas", _frame(AREA_COLUMNS, batch.areas)),
        ("staged_indicators", "select * from indicators", _frame(INDICATOR_COLUMNS, batch.indicators)),
        ("staged_observations", "select * exclude (load_id) from observations",
         _frame(OBSERVATION_COLUMNS, batch.observations)),
        ("removal_scope", "select indicator_id, area_code from observations",
         _frame(["indicator_id", "area_code"], batch.removal_scope)),
        ("removed_keys", f"select {', '.join(KEY)} from observations", _frame(KEY, batch.removals)),
    ):
        con.register("raw_frame", frame)
        con.execute(f"create or replace table {table} as {like} limit 0")
        con.execute(f"insert into {table} select * from raw_frame")
        con.unregister("raw_frame")


@dataclass
class _Staged:
    """A batch staged in its own schema of the loader's connection and diffed against a warehouse."""

    result: LoadResult
    schema: str


def _stage(con: duckdb.DuckDBPyConnection, batch: Batch, schema: str, warehouse: str) -> _Staged:
    """Stage the batch in `schema` and diff it against the warehouse catalog `warehouse` (e.g. served.main)."""
    use_schema(con, schema, warehouse)
    _register(con, batch)
    con.execute("create or replace table batch_changes as " + sql("load/diff_observations.sql"),
                {"source": batch.source})
    areas_changed, indicators_changed = con.execute(sql("load/metadata_changes.sql")).fetchall()[0]
    # Through Arrow: DuckDB's .df() takes 1.4 s for a million changes, this 0.2 s (bench/README.md).
    changes = con.sql("select * from batch_changes").to_arrow_table().to_pandas()
    result = LoadResult(batch.source, False, None, changes,
                        int(areas_changed), int(indicators_changed), values_received=len(batch.observations))
    result.as_of_load = _newest_load(con)
    return _Staged(result, schema)


def _newest_load(con: duckdb.DuckDBPyConnection) -> tuple[int, str] | None:
    row = con.execute("select load_id, finished_at from loads order by load_id desc limit 1").fetchone()
    return (int(row[0]), row[1].isoformat()) if row else None


@contextmanager
def _loader_connection(served: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, str]]:
    """An in-memory connection with the served file attached read-only; yields it and the served schema.

    Why one connection for everything: each batch is staged once in its own
    schema here, diffed against `served`, and, when publishing, inserted into
    the copy attached beside it, so a million-value batch is never copied
    between connections (bench/README.md, finding d).
    """
    con = duckdb.connect()
    try:
        if Path(served).exists():
            con.execute("attach ? as served (read_only)", [str(served)])
            yield con, "served.main"
        else:
            create_schema(con)
            yield con, "memory.main"
    finally:
        con.close()


def _stage_all(con: duckdb.DuckDBPyConnection, batches: list[Batch], warehouse: str) -> list[_Staged]:
    staged = []
    for i, batch in enumerate(batches):
        con.execute(f"create schema batch_{i}")
        staged.append(_stage(con, batch, f"memory.batch_{i}", warehouse))
    return staged


def preview_batch(served: Path, batch: Batch) -> LoadResult:
    """Diff a batch against the served warehouse without writing anything."""
    with _loader_connection(served) as (con, warehouse):
        return _stage_all(con, [batch], warehouse)[0].result


def _unchanged(r: LoadResult) -> bool:
    return r.changes.empty and not r.areas_changed and not r.indicators_changed


def load_batches(served: Path, batches: list[Batch], started_at: dt.datetime | None = None) -> list[LoadResult]:
    """Diff every batch; if any changed something, apply all in one publish.

    All or nothing: the batches land together in one atomic rename, each as its
    own load, or none does. Batches that change nothing get no load record.

    Raises:
        warehouse.checks.DataCheckError: the result failed a data check (nothing published).
        warehouse.publish.PublishBusyError: another writer holds the lock.
    """
    started_at = started_at or dt.datetime.now(dt.UTC)
    served = Path(served)
    with writer_lock(served), _loader_connection(served) as (con, warehouse):
        previews = _stage_all(con, batches, warehouse)
        for p in previews:
            p.result.started_at = started_at
        if all(_unchanged(p.result) for p in previews):
            return [p.result for p in previews]
        results: list[LoadResult] = []
        with staged_copy(served, con) as stage:
            for batch, preview in zip(batches, previews):
                if _unchanged(preview.result):
                    results.append(preview.result)
                    continue
                # The first batch applied sees exactly what its preview saw: the copy is a byte copy
                # of the file the preview read, under the same lock. A later one is diffed again,
                # since an earlier batch in this publish may have touched its keys.
                staged = preview if not any(r.published for r in results) else _stage(con, batch, preview.schema, stage)
                results.append(_apply(con, batch, staged, stage, started_at))
    return results


def upgrade(served: Path) -> bool:
    """Publish the served warehouse again in the current schema if an older Målkoll wrote it.

    Readers need the current tables (observation_counts came in 0.2), and only a
    publish may change the served file. Returns whether it was upgraded.
    """
    served = Path(served)
    if not served.exists() or is_current(served):
        return False
    with writer_lock(served), _loader_connection(served) as (con, _warehouse):
        with staged_copy(served, con):
            pass
    return True


def load_batch(served: Path, batch: Batch, started_at: dt.datetime | None = None) -> LoadResult:
    """`load_batches` for a single batch."""
    return load_batches(served, [batch], started_at)[0]


def _apply(con: duckdb.DuckDBPyConnection, batch: Batch, staged: _Staged, stage: str,
           started_at: dt.datetime) -> LoadResult:
    """Write one staged batch into the copy (catalog `stage`) in its own transaction."""
    use_schema(con, stage, staged.schema)
    con.execute("begin transaction")
    load_id = con.execute("select coalesce(max(load_id), 0) + 1 from loads").fetchall()[0][0]
    for statement in statements(sql("load/apply_batch.sql")):
        params = {"load_id": load_id} if "$load_id" in statement else None
        con.execute(statement, params)
    changes = staged.result.changes
    counts = {k: int((changes["change"] == k).sum()) for k in ("new", "changed", "removed")}
    finished_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    con.execute(
        "insert into loads values (?, ?, ?, ?, ?, ?, ?, 'published', ?)",
        [load_id, batch.source, started_at.replace(tzinfo=None), finished_at,
         counts["new"], counts["changed"], counts["removed"], batch.message],
    )
    for f in batch.files:
        con.execute("insert into load_files values (?, ?, ?, ?, ?, ?, ?)",
                    [load_id, f.name, f.kind, f.sha256, len(f.content), f.encoding, f.content])
    con.execute("commit")
    return replace(staged.result, published=True, load_id=load_id, started_at=started_at,
                   as_of_load=(load_id, finished_at.isoformat()))
