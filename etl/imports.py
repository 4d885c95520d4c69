"""`malkoll import FILE`: local files into the warehouse through the same atomic publish.

The parsers (etl/files/) turn a BUP export, a school survey table or the
local template into observation rows, or refuse the file with its row and
column. Here those rows become a Batch that is previewed (dry run) or loaded
like a refresh: diffed, checked, published in one rename, reported as new,
changed and removed, and logged in the run journal. The original file is kept
with its load (load_files) so every value can be traced back to it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from etl import journal
from etl.catalogue import load_catalogue
from etl.files.errors import FileRejected
from etl.files.parse import Parsed, parse
from etl.report import format_report
from warehouse import read
from warehouse.checks import DataCheckError
from warehouse.publish import PublishBusyError
from warehouse.loader import INDICATOR_COLUMNS, Batch, LoadResult, SourceFile, load_batch, preview_batch

SOURCE_OF_KIND = {"bup": "vantetider", "survey": "survey", "local": "local"}


@dataclass
class ImportOutcome:
    parsed: Parsed
    result: LoadResult
    report: str
    dry_run: bool


def area_names(warehouse: Path) -> dict[str, str]:
    """Every spelling of an area's name the parsers may meet → its code."""
    names: dict[str, str] = {}
    for code, name in ((a["area_code"], a["name"]) for a in read.areas(warehouse)):
        names[name] = code
        if name.startswith("Region "):
            names[name.removeprefix("Region ")] = code
    return names


def known_indicators(warehouse: Path) -> pd.DataFrame:
    """Every indicator a file may name, by id: the warehouse's, and the catalogue's, which win."""
    in_warehouse = pd.DataFrame(read.indicators(warehouse), columns=INDICATOR_COLUMNS)
    return pd.concat([in_warehouse, load_catalogue()]) \
        .drop_duplicates("indicator_id", keep="last").set_index("indicator_id")


def _indicator_rows(parsed: Parsed, known: pd.DataFrame) -> pd.DataFrame:
    """Catalogue rows for the indicators in the file, with what the file says about them."""
    rows = {}
    for indicator_id in parsed.observations["indicator_id"].unique():
        if indicator_id in known.index:
            rows[indicator_id] = {"indicator_id": indicator_id, **known.loc[indicator_id].to_dict()}
    for definition in parsed.indicators:
        base = rows.get(definition["id"], {"indicator_id": definition["id"], "pooled_years": None,
                                           "caveats": None, "next_publication": None})
        base.update({k: v for k, v in definition.items() if k != "id" and v})
        rows[definition["id"]] = base
    return pd.DataFrame(list(rows.values()), columns=INDICATOR_COLUMNS)


def build_batch(path: Path, parsed: Parsed, known: pd.DataFrame) -> Batch:
    """The file's rows as a Batch; `known` is known_indicators(warehouse)."""
    fetched = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    observations = parsed.observations.assign(source=SOURCE_OF_KIND[parsed.kind], fetched_at=fetched)
    return Batch(
        source="import", observations=observations, indicators=_indicator_rows(parsed, known),
        removal_scope=None,  # an import adds and changes; it never removes what other files brought
        message=f"Import av {Path(path).name} ({parsed.kind}): {len(observations)} värden",
        files=[SourceFile(Path(path).name, parsed.kind, Path(path).read_bytes(), parsed.encoding)],
    )


def import_file(path: Path, warehouse: Path, kind: str | None = None, dry_run: bool = False,
                user: str | None = None, display_name: str | None = None) -> ImportOutcome:
    """Parse, then preview (dry run) or publish one file.

    Raises:
        etl.files.errors.FileRejected: the file cannot be understood (file, row, column, what, expected).
        warehouse.checks.DataCheckError / PublishBusyError: the publish was stopped; nothing changed.
    """
    started = journal.now_iso()
    name = display_name or Path(path).name
    try:
        known = known_indicators(warehouse)
        units = {i: u if isinstance(u, str) else None for i, u in known["unit"].items()}  # values checked per unit
        parsed = parse(Path(path), kind=kind, areas=area_names(warehouse), known_indicators=units)
        batch = build_batch(path, parsed, known)
        if display_name:
            batch.files = [SourceFile(display_name, f.kind, f.content, f.encoding) for f in batch.files]
        titles = dict(zip(batch.indicators["indicator_id"], batch.indicators["title_sv"]))
        if dry_run:
            result = preview_batch(warehouse, batch)
            return ImportOutcome(parsed, result, format_report([result], titles, str(warehouse), dry_run=True), True)
        result = load_batch(warehouse, batch)
    except (FileRejected, DataCheckError, PublishBusyError) as exc:
        if not dry_run:  # Datakällor lists refused and stopped imports beside the refreshes
            journal.append(warehouse, journal.RunRecord(
                source=f"import:{kind or 'fil'}", started_at=started, finished_at=journal.now_iso(),
                outcome="failed", message=f"Import av {name}: {exc}", user=user, details={"file": name}))
        raise
    journal.append(warehouse, journal.RunRecord(
        source=f"import:{parsed.kind}", started_at=started, finished_at=journal.now_iso(),
        outcome="published" if result.published else "unchanged", message=batch.message,
        load_id=result.load_id, rows_new=result.count("new"), rows_changed=result.count("changed"),
        rows_removed=result.count("removed"), values_received=result.values_received, user=user,
        details={"file": batch.files[0].name, "sha256": batch.files[0].sha256}))
    return ImportOutcome(parsed, result, format_report([result], titles, str(warehouse)), False)


TEMPLATE_COLUMNS = ["indikator", "område", "undergrupp", "kön", "period", "värde", "kommentar"]
_SEX_WORD = {"T": "Totalt", "K": "Kvinnor", "M": "Män"}


def local_template(plans: list, catalogue: pd.DataFrame) -> str:
    """The template for the plans' local counts and yes/no indicators, one row per plan indicator.

    One row per indicator, area, subgroup and sex that a goal follows: a plan
    may count the meetings of three networks as three subgroups of one
    indicator, and a value filled in without its subgroup would never reach
    those goals. Semicolons and UTF-8 with BOM, so that Swedish Excel opens it
    in columns with å, ä, ö intact. `värde` is a number (yes/no: Ja or Nej);
    `period` is YYYY or YYYY-MM; `kommentar` starts as the goal's text.
    """
    local = set(catalogue.loc[catalogue["source"] == "local", "indicator_id"])
    lines = [";".join(TEMPLATE_COLUMNS)]
    seen = set()
    for plan in plans:
        for goal in plan.goals:
            for spec in goal.indicators:
                key = (spec.indicator, spec.area, spec.subgroup, spec.sex)
                if spec.indicator in local and key not in seen:
                    seen.add(key)
                    cells = [spec.indicator, spec.area, spec.subgroup, _SEX_WORD[spec.sex], "", "", spec.text[:80]]
                    lines.append(";".join(c.replace(";", ",") for c in cells))
    return "\ufeff" + "\n".join(lines) + "\n"
