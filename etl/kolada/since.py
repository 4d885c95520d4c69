"""Whether `malkoll refresh` may ask Kolada only for what changed, and since which day.

Why: a full pull of a national selection moves a million values to learn, most
months, that nothing changed. Kolada's `from_date` answers with only the
records changed since a day, withdrawn values marked `isdeleted`
(DOMAIN.md, section 4). A full pull is still needed now and then: it is the
only way to notice a value Kolada dropped without marking it, and the only
start for a new selection. So a refresh asks for changes only when all hold:

- the warehouse exists, and the run journal has a successful full pull of the
  same KPIs and areas that ended less than MALKOLL_KOLADA_FULL_EVERY_DAYS ago;
- the warehouse still holds what the latest successful pull of that selection
  left (same newest load, or later loads that changed none of its KPIs).
  A rebuilt warehouse or an import that touched a Kolada KPI means a full pull.

It then asks for changes since the day before that latest pull started: a day's
margin for time zones and for values Kolada published while it ran. Asking for
too much is harmless, since unchanged values diff to nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from etl import journal
from etl.kolada.settings import SOURCE, Selection
from malkoll import settings
from warehouse.db import read_only

FULL = "full"
CHANGES = "changes"


def selection_key(selection: Selection) -> str:
    """What a full pull covered: the KPI ids and area codes, order ignored."""
    text = ",".join(sorted(k.id for k in selection.kpis)) + "|" + ",".join(sorted(selection.areas))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Plan:
    """How to pull: `since` None is a full pull; `reason` completes "kolada: hämtade …" in the report."""

    since: dt.date | None
    reason: str

    @property
    def mode(self) -> str:
        return FULL if self.since is None else CHANGES


def _time(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))


def _untouched_since(warehouse: Path, as_of: list, kpis: list[str]) -> bool:
    """The warehouse has load `as_of` and no later load changed any of `kpis`."""
    load_id, finished_at = as_of
    try:
        with read_only(warehouse) as con:
            row = con.execute("select finished_at from loads where load_id = ?", [load_id]).fetchone()
            if row is None or row[0].isoformat() != finished_at:
                return False
            touched = con.execute("select count(*) from load_changes where load_id > ? "
                                  "and indicator_id in (select unnest(?))", [load_id, kpis]).fetchone()[0]
    except duckdb.Error:
        return False
    return touched == 0


def plan_pull(warehouse: Path, selection: Selection, full: bool = False,
              now: dt.datetime | None = None) -> Plan:
    """Full pull or changes since a day, from the run journal and the warehouse (see the module doc)."""
    if full:
        return Plan(None, "hela serien, på begäran (--full)")
    if not Path(warehouse).exists():
        return Plan(None, "hela serien, eftersom lagret är nytt")
    now = now or dt.datetime.now(dt.UTC)
    key = selection_key(selection)
    runs = [r for r in journal.read(warehouse, limit=1000)
            if r.source == SOURCE and r.outcome in ("published", "unchanged") and r.details.get("selection") == key]
    full_runs = [r for r in runs if r.details.get("mode") == FULL]
    every = int(settings.KOLADA_FULL_EVERY_DAYS.get())
    if not full_runs:
        return Plan(None, "hela serien, eftersom urvalet i config/sources.yml inte har hämtats helt förut")
    if now - _time(full_runs[0].finished_at) >= dt.timedelta(days=every):
        return Plan(None, f"hela serien, som hämtas var {every}:e dag (MALKOLL_KOLADA_FULL_EVERY_DAYS)")
    latest = runs[0]
    as_of = latest.details.get("as_of_load")
    if not as_of or not _untouched_since(warehouse, as_of, [k.id for k in selection.kpis]):
        return Plan(None, "hela serien, eftersom lagret har ändrats sedan förra hämtningen från Kolada")
    since = _time(latest.started_at).date() - dt.timedelta(days=1)
    return Plan(since, f"bara ändringar sedan {since.isoformat()} (hela serien hämtas var {every}:e dag "
                       "och med --full)")
