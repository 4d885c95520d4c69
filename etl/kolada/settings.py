"""Kolada constants, and the selection of what to pull (config/sources.yml).

Limits come from Kolada's documentation and public clients (rKolada,
koladapy): at most 25 ids in one path segment, up to 5000 items per page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from malkoll import settings, yamlfile

SOURCE = "kolada"
MAX_IDS_PER_SEGMENT = 25
PER_PAGE = 5000
PAGE_CAP = 200  # a runaway next_url chain stops here with an error, not a hang
GENDERS = frozenset({"T", "K", "M"})
UNITS = frozenset({"percent", "per_100k", "per_1000", "count", "days", "index", "other"})
DIRECTIONS = frozenset({"higher_is_better", "lower_is_better", "neutral"})


class SelectionError(ValueError):
    """config/sources.yml is wrong; the message names the file and line."""


@dataclass(frozen=True)
class KpiSelection:
    """One Kolada KPI to follow and what Kolada does not tell us about it."""

    id: str
    unit: str
    direction: str
    pooled_years: int | None = None
    caveats: str | None = None


@dataclass(frozen=True)
class Selection:
    kpis: tuple[KpiSelection, ...]
    areas: tuple[str, ...]


def sources_file() -> Path:
    return settings.config_dir() / "sources.yml"


def load_selection(path: Path | None = None) -> Selection:
    """Read the Kolada part of sources.yml, checking every entry.

    Raises:
        SelectionError: listing every problem with file and line.
    """
    path = path or sources_file()
    try:
        data = yamlfile.load(path)
    except (OSError, yamlfile.YamlFileError) as exc:
        raise SelectionError(str(exc)) from exc
    problems: list[str] = []
    section = data.get("kolada") if isinstance(data, dict) else None
    if not isinstance(section, dict):
        raise SelectionError(f"{path}: avsnittet 'kolada:' saknas")
    kpis: list[KpiSelection] = []
    for entry in section.get("indicators") or []:
        line = getattr(entry, "line", section.line_of("indicators"))
        if not isinstance(entry, dict) or not entry.get("id"):
            problems.append(f"{path}, rad {line}: en indikator utan 'id'")
            continue
        if entry.get("unit") not in UNITS:
            problems.append(f"{path}, rad {line}: {entry['id']}: okänd enhet {entry.get('unit')!r}; "
                            f"välj en av {', '.join(sorted(UNITS))}")
        if entry.get("direction") not in DIRECTIONS:
            problems.append(f"{path}, rad {line}: {entry['id']}: 'direction' saknas eller är okänd; "
                            f"välj en av {', '.join(sorted(DIRECTIONS))}")
        kpis.append(KpiSelection(str(entry["id"]), entry.get("unit", ""), entry.get("direction", ""),
                                 entry.get("pooled_years"), entry.get("caveats")))
    areas = []
    for code in section.get("areas") or []:
        if not (isinstance(code, str) and len(code) == 4 and code.isdigit()):
            problems.append(f"{path}, rad {section.line_of('areas')}: områdeskoden {code!r} ska vara "
                            "fyra siffror inom citattecken, t.ex. \"0023\"")
        areas.append(str(code))
    ids = [k.id for k in kpis]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(f"{path}: indikatorn {dup} står flera gånger")
    if not kpis:
        problems.append(f"{path}: inga Kolada-indikatorer valda")
    if not areas:
        problems.append(f"{path}: inga områden valda")
    if problems:
        raise SelectionError("\n".join(problems))
    return Selection(tuple(kpis), tuple(dict.fromkeys(areas)))
