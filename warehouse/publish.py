"""Atomic publishing of the served warehouse file.

A change never touches the served file. It is made in a copy beside it; the
data checks run in the copy; the copy is closed, flushed to disk and renamed
over the served file in one `os.replace`. So a failure at any point (network,
bad payload, failed check, killed process) leaves the served file
byte-identical, and readers that opened the old file keep reading it.

One writer at a time: a lock file beside the warehouse stops two refreshes or
imports from copying the same old file and losing each other's changes.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb

from warehouse.checks import assert_checks_pass, changed_rows
from warehouse.db import refresh_observation_counts, upgrade_schema, use_schema

try:  # POSIX: an advisory lock on the lock file; Windows: a lock on its first byte.
    import fcntl
except ImportError:  # pragma: no cover - not on Linux
    fcntl = None  # type: ignore[assignment]
    import msvcrt


class PublishBusyError(RuntimeError):
    """Another refresh or import is publishing to the same warehouse."""


def lock_path(served: Path) -> Path:
    return served.with_name(served.name + ".lock")


# What taking a held lock raises, without waiting.
_HELD = BlockingIOError if fcntl is not None else OSError


def _lock(handle) -> None:
    if fcntl is not None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    else:  # pragma: no cover - Windows
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)


def _unlock(handle) -> None:
    if fcntl is not None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    else:  # pragma: no cover - Windows
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


@contextmanager
def writer_lock(served: Path, wait_seconds: float = 10.0) -> Iterator[None]:
    """Hold the single-writer lock for `served`, waiting up to `wait_seconds`."""
    served.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(served)
    handle = open(path, "a+")
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                _lock(handle)
                break
            except _HELD:
                if time.monotonic() >= deadline:
                    raise PublishBusyError(
                        f"En annan uppdatering eller import skriver till {served} just nu; försök igen om en stund."
                    ) from None
                time.sleep(0.1)
        try:
            yield
        finally:
            _unlock(handle)
    finally:
        handle.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":  # pragma: no cover
        return
    _fsync(path)


def _detach(con: duckdb.DuckDBPyConnection) -> None:
    """Close the copy, also after a failure inside a transaction on it."""
    try:
        con.execute("rollback")
    except duckdb.Error:
        pass  # no transaction was open
    con.execute("use memory")
    con.execute("reset search_path")
    con.execute("detach stage")


def _compacted(tmp: Path) -> Path:
    return tmp.with_name(tmp.name + ".compact")


def _compact(con: duckdb.DuckDBPyConnection, tmp: Path) -> None:
    """Write the attached copy into a fresh file beside it (the caller moves it over `tmp`).

    Why: an upgrade rebuilds the observations table, and DuckDB never shrinks a
    file, so the old table's blocks would stay in the warehouse (1 GB of a 0.1
    national warehouse) and be copied at every publish.
    """
    con.execute("attach ? as compact", [str(_compacted(tmp))])
    try:
        con.execute("copy from database stage to compact")
    finally:
        con.execute("detach compact")


def _cleanup(tmp: Path) -> None:
    for p in (tmp, tmp.with_name(tmp.name + ".wal"), _compacted(tmp)):
        p.unlink(missing_ok=True)


@contextmanager
def staged_copy(served: Path, con: duckdb.DuckDBPyConnection) -> Iterator[str]:
    """Attach a copy of `served` to `con` read-write; yield its schema name; publish it on success.

    The caller must hold `writer_lock(served)` and, if `served` exists, have it
    attached to `con` read-only as `served` (the checks compare with it). If
    the body raises, or the data checks fail, the copy is deleted and the
    served file is untouched.
    """
    served = Path(served)
    # Under the writer lock no other copy can be in progress: any left is from a killed run.
    for stale in served.parent.glob(f".{served.name}.*.tmp*"):
        stale.unlink(missing_ok=True)
    tmp = served.with_name(f".{served.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        existed = served.exists()
        if existed:
            shutil.copyfile(served, tmp)
        con.execute("attach ? as stage", [str(tmp)])
        try:
            use_schema(con, "stage.main")
            upgraded = upgrade_schema(con)
            yield "stage.main"
            use_schema(con, "stage.main")
            refresh_observation_counts(con)
            # Rows the served file already had passed the checks when it was published.
            assert_checks_pass(con, changed_rows(con, "served") if existed and not upgraded else None)
            con.execute("checkpoint stage")
            if upgraded:
                _compact(con, tmp)
        finally:
            _detach(con)
        if upgraded:
            os.replace(_compacted(tmp), tmp)
        _fsync(tmp)
        os.replace(tmp, served)
        _fsync_dir(served.parent)
    finally:
        _cleanup(tmp)
