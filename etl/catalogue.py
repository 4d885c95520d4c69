"""The indicator catalogue for everything that is not a Kolada KPI.

Definitions live in config/indicators/*.yml (derived.yml for imported and
computed series, local.yml for the plans' local counts and yes/no questions),
so an analyst adds an indicator without touching code.

The app checks plans against the catalogue on its first view, which runs
without pandas (warehouse/read.py says why), so the definitions come as rows
(`catalogue_rows`) and only the loaders' table (`load_catalogue`) needs pandas.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from malkoll import settings, yamlfile

if TYPE_CHECKING:
    import pandas as pd

REQUIRED = ("id", "title_sv", "unit", "direction", "source", "frequency")


class CatalogueError(ValueError):
    """An indicator definition is incomplete; the message names file and line."""


def catalogue_files(config_dir: Path | None = None) -> list[Path]:
    return sorted(((config_dir or settings.config_dir()) / "indicators").glob("*.yml"))


def catalogue_rows(config_dir: Path | None = None) -> list[dict[str, Any]]:
    """All non-Kolada indicator definitions, each a row of the indicators table.

    Raises:
        CatalogueError: listing every incomplete or duplicated definition.
    """
    rows, problems, seen = [], [], {}
    for path in catalogue_files(config_dir):
        data = yamlfile.load(path) or {}
        for entry in data.get("indicators") or []:
            missing = [k for k in REQUIRED if not entry.get(k)]
            if missing:
                problems.append(f"{path}, rad {entry.line}: saknar {', '.join(missing)}")
                continue
            if entry["id"] in seen:
                problems.append(f"{path}, rad {entry.line}: {entry['id']} är redan definierad i {seen[entry['id']]}")
                continue
            seen[entry["id"]] = path.name
            rows.append({
                "indicator_id": entry["id"], "title_sv": entry["title_sv"], "unit": entry["unit"],
                "direction": entry["direction"], "source": entry["source"],
                "source_ref": entry.get("source_ref"), "definition": entry.get("definition"),
                "frequency": entry["frequency"], "pooled_years": entry.get("pooled_years"),
                "caveats": entry.get("caveats") or None, "next_publication": None,
            })
    if problems:
        raise CatalogueError("\n".join(problems))
    return rows


def load_catalogue(config_dir: Path | None = None) -> pd.DataFrame:
    """`catalogue_rows` as a table in the indicators table's columns, for the loaders.

    Raises:
        CatalogueError: as `catalogue_rows`.
    """
    import pandas as pd

    from warehouse.loader import INDICATOR_COLUMNS

    return pd.DataFrame(catalogue_rows(config_dir), columns=INDICATOR_COLUMNS)
