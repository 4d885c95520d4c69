"""The refresh report an analyst reads: per indicator, what is new, changed, removed.

Plain text in Swedish, with decimal commas, so it can be pasted into an e-mail.
"""

from __future__ import annotations

import math
from typing import Iterable

import duckdb
import pandas as pd

from malkoll.formatting import number
from warehouse.db import sql
from warehouse.loader import LoadResult

MAX_LINES_PER_INDICATOR = 10


def _value(value: float | None, status: str | None) -> str:
    if status == "suppressed":
        return "för få fall"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "saknas"
    return number(value, 2, trim=True)


def describe_changes(changes: pd.DataFrame, titles: dict[str, str]) -> list[str]:
    """Lines for each indicator: counts, then up to ten value changes (old → new).

    Counted and picked by DuckDB: a national refresh has over a million changes,
    and sorting them all in pandas took a second of the refresh for thirty lines.
    """
    if changes.empty:
        return []
    con = duckdb.connect()
    try:
        con.register("changes", changes)
        counts = con.execute(sql("queries/report_counts.sql")).fetchall()
        shown = con.execute(sql("queries/report_shown.sql"), {"max_lines": MAX_LINES_PER_INDICATOR}).df()
    finally:
        con.close()
    shown_by_indicator = dict(tuple(shown.groupby("indicator_id", sort=False)))
    lines: list[str] = []
    for indicator_id, new, changed, removed in counts:
        title = titles.get(str(indicator_id), "")
        lines.append(f"  {indicator_id} {title}: {new} nya, {changed} ändrade, {removed} borttagna")
        group = shown_by_indicator.get(indicator_id, shown.iloc[:0])
        for row in group.itertuples():
            key = f"{row.area_code} {row.period} {row.sex}" + (f" {row.subgroup}" if row.subgroup else "")
            if row.change == "changed":
                lines.append(f"      ändrat  {key}: {_value(row.old_value, row.old_status)} → "
                             f"{_value(row.new_value, row.new_status)}")
            else:
                lines.append(f"      borttaget {key}: var {_value(row.old_value, row.old_status)}")
        hidden = changed + removed - len(group)
        if hidden > 0:
            lines.append(f"      … och {hidden} till")
    return lines


def format_report(results: Iterable[LoadResult], titles: dict[str, str], warehouse: str,
                  dry_run: bool = False, how: dict[str, str] | None = None) -> str:
    """The whole report for one refresh or import (a dry run says what *would* change).

    `how` says per source how it was pulled (a full pull or changes only, and why).
    """
    lines: list[str] = []
    published = False
    for r in results:
        if how and r.source in how:
            lines.append(f"{r.source}: hämtade {how[r.source]}.")
        if r.changes.empty and not r.areas_changed and not r.indicators_changed:
            lines.append(f"{r.source}: {r.values_received} värden hämtade; inga ändringar.")
            continue
        published = published or r.published
        lines.append(f"{r.source}: {r.values_received} värden hämtade; {r.count('new')} nya, "
                     f"{r.count('changed')} ändrade, {r.count('removed')} borttagna"
                     + (f"; {r.indicators_changed} indikatorbeskrivningar och {r.areas_changed} områden uppdaterade"
                        if r.indicators_changed or r.areas_changed else "") + ".")
        lines.extend(describe_changes(r.changes, titles))
    if dry_run:
        lines.append("Provkörning: inget laddades.")
    elif published:
        load_ids = ", ".join(str(r.load_id) for r in results if r.published)
        lines.append(f"Publicerat i {warehouse} (laddning {load_ids}).")
    else:
        lines.append("Inga ändringar: inget publicerades.")
    return "\n".join(lines)
