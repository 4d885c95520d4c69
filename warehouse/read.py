"""Read queries over the served warehouse, shared by the CLI and the app.

Each function opens a short read-only connection, runs one parameterised
query from warehouse/queries/, and closes it. User input is only ever bound
as a parameter, never put into SQL text.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from warehouse.db import read_only, sql


def _query(warehouse: Path, name: str, params: dict | None = None) -> pd.DataFrame:
    with read_only(warehouse) as con:
        return con.execute(sql(f"queries/{name}.sql"), params or {}).df()


def export_observations(warehouse: Path, indicator: str | None = None, area: str | None = None) -> pd.DataFrame:
    return _query(warehouse, "export_observations", {"indicator": indicator, "area": area})


def indicators(warehouse: Path) -> pd.DataFrame:
    return _query(warehouse, "indicators")


def areas(warehouse: Path) -> pd.DataFrame:
    return _query(warehouse, "areas")


def series(warehouse: Path, indicator: str, area: str) -> pd.DataFrame:
    return _query(warehouse, "series", {"indicator": indicator, "area": area})


def latest_loads(warehouse: Path) -> pd.DataFrame:
    return _query(warehouse, "latest_loads")


def indicator_areas(warehouse: Path, indicator: str) -> pd.DataFrame:
    return _query(warehouse, "indicator_areas", {"indicator": indicator})


def sources_overview(warehouse: Path) -> pd.DataFrame:
    return _query(warehouse, "sources_overview")


def load_changes(warehouse: Path, load_id: int) -> pd.DataFrame:
    return _query(warehouse, "load_changes", {"load_id": load_id})


def plan_series(warehouse: Path, indicators: list[str], areas: list[str]) -> pd.DataFrame:
    return _query(warehouse, "plan_series", {"indicators": indicators, "areas": areas})


def compare_indicators(warehouse: Path) -> pd.DataFrame:
    """The indicator catalogue with how many municipalities and regions have values (Jämför page)."""
    return _query(warehouse, "compare_indicators")


def compare_areas(warehouse: Path, indicator: str, region: str) -> pd.DataFrame:
    """One indicator for a region's municipalities (or all regions) with county and Riket as references.

    See warehouse/queries/compare_areas.sql for the level rule and the `role` column.
    """
    return _query(warehouse, "compare_areas", {"indicator": indicator, "region": region})
