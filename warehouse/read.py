"""Read queries over the served warehouse, shared by the CLI and the app.

Each function opens a short read-only connection, runs one parameterised
query from warehouse/queries/, and closes it. User input is only ever bound
as a parameter, never put into SQL text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from warehouse.db import read_only, sql


def _query(warehouse: Path, name: str, params: dict | None = None) -> pd.DataFrame:
    with read_only(warehouse) as con:
        return con.execute(sql(f"queries/{name}.sql"), params or {}).df()


def export_observations(warehouse: Path, indicator: str | None = None, area: str | None = None) -> pd.DataFrame:
    return _query(warehouse, "export_observations", {"indicator": indicator, "area": area})


def indicators(warehouse: Path) -> pd.DataFrame:
    """The catalogue; a text the source left out (caveats, definition) is None, not NaN.

    pandas reads a missing text as NaN, which is truthy: `meta["caveats"] or …`
    showed "nan" on the indicator card.
    """
    frame = _query(warehouse, "indicators")
    for column in ("source_ref", "definition", "caveats"):
        frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def areas(warehouse: Path) -> pd.DataFrame:
    return _query(warehouse, "areas")


def series(warehouse: Path, indicator: str, area: str) -> pd.DataFrame:
    return _query(warehouse, "series", {"indicator": indicator, "area": area})


def area_totals(warehouse: Path, indicator: str, areas: tuple[str, ...]) -> pd.DataFrame:
    """Totals (sex T, no subgroup) of one indicator for several areas, with area_code, in one query."""
    return _query(warehouse, "area_totals", {"indicator": indicator, "areas": list(areas)})


def latest_loads(warehouse: Path) -> pd.DataFrame:
    return _query(warehouse, "latest_loads")


def indicator_areas(warehouse: Path, indicator: str) -> pd.DataFrame:
    return _query(warehouse, "indicator_areas", {"indicator": indicator})


def sources_overview(warehouse: Path) -> pd.DataFrame:
    return _query(warehouse, "sources_overview")


def load_changes(warehouse: Path, load_id: int) -> pd.DataFrame:
    return _query(warehouse, "load_changes", {"load_id": load_id})


PlanKey = tuple[str, str, str, str]  # indicator_id, area_code, sex, subgroup


def plan_inputs(warehouse: Path, keys: list[PlanKey]) -> tuple[list[dict[str, Any]], pd.DataFrame]:
    """(rows, catalogue) for goal statuses: the values of exactly these keys, and the indicator catalogue.

    The overview is on the app's render path, so both come over one connection
    (opening the file costs 15-25 ms at national scale), and the rows come as
    plain dicts (plan_series.sql columns, None for NULL): goal statuses read them
    row by row, and a DataFrame turned into records cost 50 of the overview's
    185 ms (bench/README.md, finding b).
    """
    params = {"indicators": [k[0] for k in keys], "areas": [k[1] for k in keys],
              "sexes": [k[2] for k in keys], "subgroups": [k[3] for k in keys]}
    with read_only(warehouse) as con:
        result = con.execute(sql("queries/plan_series.sql"), params)
        columns = [d[0] for d in result.description]
        rows = [dict(zip(columns, values)) for values in result.fetchall()]
        catalogue = con.execute(sql("queries/indicators.sql")).df()
    return rows, catalogue


def compare_indicators(warehouse: Path) -> pd.DataFrame:
    """The indicator catalogue with how many municipalities and regions have values (Jämför page)."""
    return _query(warehouse, "compare_indicators")


def compare_areas(warehouse: Path, indicator: str, region: str) -> pd.DataFrame:
    """One indicator for a region's municipalities (or all regions) with county and Riket as references.

    See warehouse/queries/compare_areas.sql for the level rule and the `role` column.
    """
    return _query(warehouse, "compare_areas", {"indicator": indicator, "region": region})
