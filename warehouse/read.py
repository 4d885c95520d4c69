"""Read queries over the served warehouse, shared by the CLI and the app.

Each function opens a short read-only connection, runs one parameterised
query from warehouse/queries/, and closes it. User input is only ever bound
as a parameter, never put into SQL text.

Two shapes of result, on purpose. The lookups on the app's render path (the
catalogue, the areas, one series, the comparison lines) come as plain rows,
dicts with None for NULL: an indicator page or a meeting's first view then
never imports pandas, which took 0.5 CPU-seconds of a 2-core cold start while
the browser loaded Streamlit's front end (bench/README.md, finding c, sixth
pass). Results that become tables, exports or comparisons stay DataFrames.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from warehouse.db import read_only, sql

if TYPE_CHECKING:
    import pandas as pd

Row = dict[str, Any]


def _query(warehouse: Path, name: str, params: dict | None = None) -> pd.DataFrame:
    with read_only(warehouse) as con:
        return con.execute(sql(f"queries/{name}.sql"), params or {}).df()  # DuckDB imports pandas here


def _fetch(con, name: str, params: dict | None = None) -> list[Row]:
    result = con.execute(sql(f"queries/{name}.sql"), params or {})
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, values)) for values in result.fetchall()]


def _rows(warehouse: Path, name: str, params: dict | None = None) -> list[Row]:
    with read_only(warehouse) as con:
        return _fetch(con, name, params)


def export_observations(warehouse: Path, indicator: str | None = None, area: str | None = None) -> pd.DataFrame:
    return _query(warehouse, "export_observations", {"indicator": indicator, "area": area})


def indicators(warehouse: Path) -> list[Row]:
    """The catalogue (indicators.sql columns), ordered by title."""
    return _rows(warehouse, "indicators")


def areas(warehouse: Path) -> list[Row]:
    """Every area (areas.sql columns): Riket, then regions, then municipalities, each by name."""
    return _rows(warehouse, "areas")


def area_names(warehouse: Path) -> dict[str, str]:
    """Area code → name, for every area."""
    return {a["area_code"]: a["name"] for a in areas(warehouse)}


def series(warehouse: Path, indicator: str, area: str) -> list[Row]:
    """One indicator's rows for one area (series.sql columns), oldest first per subgroup and sex."""
    return _rows(warehouse, "series", {"indicator": indicator, "area": area})


def area_totals(warehouse: Path, indicator: str, areas: tuple[str, ...]) -> list[Row]:
    """Totals (sex T, no subgroup) of one indicator for several areas, with area_code, in one query."""
    return _rows(warehouse, "area_totals", {"indicator": indicator, "areas": list(areas)})


def latest_loads(warehouse: Path) -> pd.DataFrame:
    return _query(warehouse, "latest_loads")


def indicator_areas(warehouse: Path, indicator: str) -> list[Row]:
    """The areas that have rows of an indicator (indicator_areas.sql columns)."""
    return _rows(warehouse, "indicator_areas", {"indicator": indicator})


def sources_overview(warehouse: Path) -> pd.DataFrame:
    return _query(warehouse, "sources_overview")


def load_changes(warehouse: Path, load_id: int) -> pd.DataFrame:
    return _query(warehouse, "load_changes", {"load_id": load_id})


PlanKey = tuple[str, str, str, str]  # indicator_id, area_code, sex, subgroup


def plan_inputs(warehouse: Path, keys: list[PlanKey]) -> tuple[list[Row], list[Row]]:
    """(rows, catalogue) for goal statuses: the values of exactly these keys, and the indicator catalogue.

    The overview is on the app's render path, so both come over one connection
    (opening the file costs 15-25 ms at national scale), and as plain rows
    (plan_series.sql and indicators.sql columns): goal statuses read them row by
    row, and a DataFrame turned into records cost 50 of the overview's 185 ms
    (bench/README.md, finding b).
    """
    params = {"indicators": [k[0] for k in keys], "areas": [k[1] for k in keys],
              "sexes": [k[2] for k in keys], "subgroups": [k[3] for k in keys]}
    with read_only(warehouse) as con:
        return _fetch(con, "plan_series", params), _fetch(con, "indicators")


def compare_indicators(warehouse: Path) -> pd.DataFrame:
    """The indicator catalogue with how many municipalities and regions have values (Jämför page)."""
    return _query(warehouse, "compare_indicators")


def compare_areas(warehouse: Path, indicator: str, region: str) -> pd.DataFrame:
    """One indicator for a region's municipalities (or all regions) with county and Riket as references.

    See warehouse/queries/compare_areas.sql for the level rule and the `role` column.
    """
    return _query(warehouse, "compare_areas", {"indicator": indicator, "region": region})
