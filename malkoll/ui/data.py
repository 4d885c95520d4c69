"""Cached reads of the served warehouse for the app.

Every read goes through one cache whose key includes the warehouse file's
version (`stamp`: modification time, size, inode), so a publish (which
replaces the file) is picked up on the next rerun without a restart. The
queries themselves are in warehouse/read.py. The lookups an indicator page
needs (catalogue, areas, series) are plain rows, so its first view runs
without pandas (warehouse/read.py says why).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import streamlit as st

from malkoll import settings
from malkoll.formatting import literal_markdown
from malkoll.i18n import t
from warehouse import read
from warehouse.db import is_current
from warehouse.publish import PublishBusyError

if TYPE_CHECKING:
    import pandas as pd

Row = read.Row


def warehouse() -> Path:
    return settings.warehouse_path()


Stamp = tuple[int, int, int]


def stamp(path: Path) -> Stamp:
    """Which version of a file this is, for cache keys: (modification time, size, inode); zeros if missing.

    Why more than the time: network shares and FAT keep modification times in
    whole seconds or two, so two versions written close together can share one.
    A publish renames a new file over the served one, which gives it a new inode;
    an edited plan usually changes size.
    """
    try:
        found = path.stat()
    except FileNotFoundError:
        return (0, 0, 0)
    return (found.st_mtime_ns, found.st_size, found.st_ino)


@st.cache_resource(show_spinner=False, max_entries=4)
def _upgraded(path: str, version: Stamp) -> bool:
    if not Path(path).exists() or is_current(Path(path)):
        return False
    from warehouse.loader import upgrade  # the loader brings pandas; a current warehouse never needs it

    return upgrade(Path(path))


def upgrade_if_older() -> None:
    """Publish a warehouse written by an older Målkoll in the current schema (once per file version).

    Raises:
        PublishBusyError, OSError, duckdb.Error: as `warehouse.loader.upgrade`.
    """
    path = warehouse()
    _upgraded(str(path), stamp(path))


def ensure_current() -> None:
    """`upgrade_if_older`, with a Swedish message on screen when it cannot, or cannot read the file at all."""
    try:
        upgrade_if_older()
    except PublishBusyError as exc:  # another writer is busy; the next rerun tries again
        st.warning(str(exc))
    except OSError as exc:  # e.g. the app may not write beside the warehouse
        st.error(t("warehouse_outdated", path=literal_markdown(str(warehouse())), error=literal_markdown(str(exc))))
        st.stop()
    except duckdb.Error as exc:  # not a DuckDB file, or a damaged one: every page would fail to read it
        st.error(t("warehouse_unreadable", path=literal_markdown(str(warehouse())),
                   error=literal_markdown(str(exc).splitlines()[0])))
        st.stop()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(query: str, path: str, version: Stamp, *args: Any) -> Any:
    return getattr(read, query)(Path(path), *args)


def _read(query: str, *args: Any) -> Any:
    path = warehouse()
    return _cached(query, str(path), stamp(path), *args)


def indicators() -> list[Row]:
    return _read("indicators")


def areas() -> list[Row]:
    return _read("areas")


def indicator(indicator_id: str) -> Row | None:
    """One indicator's catalogue row, or None if the warehouse does not have it."""
    return next((i for i in indicators() if i["indicator_id"] == indicator_id), None)


def area_names() -> dict[str, str]:
    """Area code → name, for every area."""
    return {a["area_code"]: a["name"] for a in areas()}


def series(indicator: str, area: str) -> list[Row]:
    return _read("series", indicator, area)


def area_totals(indicator: str, areas: tuple[str, ...]) -> list[Row]:
    return _read("area_totals", indicator, areas)


def indicator_areas(indicator: str) -> list[Row]:
    return _read("indicator_areas", indicator)


def sources_overview() -> pd.DataFrame:
    return _read("sources_overview")


def latest_loads() -> pd.DataFrame:
    return _read("latest_loads")


def load_changes(load_id: int) -> pd.DataFrame:
    return _read("load_changes", load_id)


def compare_indicators() -> pd.DataFrame:
    return _read("compare_indicators")


def compare_areas(indicator: str, region: str) -> pd.DataFrame:
    return _read("compare_areas", indicator, region)


def export_view(indicator: str, area: str) -> pd.DataFrame:
    return _read("export_observations", indicator, area)
