"""One entry for every file an analyst uploads: recognise it, parse it, or refuse it.

`parse(path)` reads the file (`reader.py`), decides what it is (`detect_kind`),
hands it to the layout's parser (`bup.py`, `survey.py`, or the local template
here) and returns observation rows ready for a `warehouse.loader.Batch`, plus
indicator definitions for the catalogue. It writes nothing.

The local template is the simplest layout: a header row with the columns
indikator (indicator), område (area), period, värde (value) and kommentar
(comment), and optionally kön (sex), undergrupp (subgroup), täljare
(numerator) and nämnare (denominator). The area is a name or a Kolada code;
the period "2024" or "2024-05"; the value a number, or Ja/Nej for yes/no
indicators (stored 1/0). A row with an empty value is a template row not
filled in and is skipped (with a warning), never stored as missing; write
"saknas" to record that a value is missing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl.files import bup, errors, survey
from etl.files.errors import FileRejected
from etl.files.reader import (
    MAX_FILE_BYTES, AreaNames, Extract, Table, cell_status, in_range_or_reject, number_or_reject, observation,
    read_table, reject_duplicates,
)

OBSERVATION_COLUMNS = [
    "indicator_id", "area_code", "period", "sex", "subgroup", "value", "numerator", "denominator",
    "status", "source_ref",
]
# Catalogue fields that stay as the catalogue says when a file re-defines a known indicator.
CATALOGUE_WINS = ("title_sv", "unit", "direction", "frequency", "caveats", "pooled_years")

LOCAL_COLUMNS = {
    "indicator": ("indikator", "indicator", "indicator_id", "indikator_id"),
    "area": ("område", "omrade", "area", "area_code", "kommun", "region"),
    "period": ("period", "år", "year"),
    "value": ("värde", "varde", "value"),
    "comment": ("kommentar", "comment", "anmärkning"),
    "sex": ("kön", "kon", "sex"),
    "subgroup": ("undergrupp", "subgroup", "grupp"),
    "numerator": ("täljare", "numerator"),
    "denominator": ("nämnare", "denominator"),
}
LOCAL_REQUIRED = ("indicator", "area", "period", "value")
_YES = ("ja", "yes")
_NO = ("nej", "no")


@dataclass
class Parsed:
    """What a file holds, ready to load.

    Attributes:
        kind: "bup", "survey" or "local".
        observations: OBSERVATION_COLUMNS; value on the indicator's scale
            (percent 0-100), None unless status is 'ok'.
        indicators: definitions (id, title_sv, unit, direction, source,
            source_ref, definition, frequency) to add to or update in the catalogue.
        encoding: how the bytes were decoded ("xlsx" for Excel).
        warnings: things the analyst should see but that do not stop the import.
        layout: which layout was read ("socialstyrelsen", "vantetider",
            "survey_long", "survey_crosstab", "local").
    """

    kind: str
    observations: pd.DataFrame
    indicators: list[dict] = field(default_factory=list)
    encoding: str = ""
    warnings: list[str] = field(default_factory=list)
    layout: str = ""


def _columns(header: list[str], aliases: dict[str, tuple[str, ...]]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for c, name in enumerate(header):
        key = " ".join(name.casefold().split())
        for role, names in aliases.items():
            if key in names and role not in cols:
                cols[role] = c
                break
    return cols


def _first_row(table: Table) -> list[str]:
    rows = table.nonempty()
    return table.rows[rows[0]] if rows else []


def detect_layout(table: Table) -> str | None:
    """The layout of a table: "local", "vantetider", "survey_long", "survey_crosstab",
    "socialstyrelsen", or None."""
    if not table.nonempty():
        return None
    if all(k in _columns(_first_row(table), LOCAL_COLUMNS) for k in LOCAL_REQUIRED):
        return "local"
    if bup.looks_like_vantetider(table):
        return "vantetider"
    if survey.looks_like_long(table):
        return "survey_long"
    if survey.find_crosstab_header(table) is not None:
        return "survey_crosstab"
    if bup.looks_like_socialstyrelsen(table):
        return "socialstyrelsen"
    return None


KIND_OF_LAYOUT = {
    "local": "local", "vantetider": "bup", "socialstyrelsen": "bup",
    "survey_long": "survey", "survey_crosstab": "survey",
}


def detect_kind(table: Table) -> str | None:
    """"bup", "survey", "local", or None when the file is none of them."""
    return KIND_OF_LAYOUT.get(detect_layout(table) or "")


def _area_code(text: str, areas: AreaNames, codes: set[str]) -> str | None:
    """A Kolada code or an area's name → the code; None if it is neither.

    A code of one to three digits is one that a spreadsheet stripped of its
    leading zeros ("23" for 0023, Region Jämtland Härjedalen): only region
    codes and Riket's start with zeros, so it cannot be mistaken.
    """
    if re.fullmatch(r"\d{1,4}", text):
        code = text.zfill(4)
        return code if code in codes else None
    return areas.any(text)


def parse_local(table: Table, areas: AreaNames, known_indicators: Mapping[str, str | None] | set[str] | None = None
                ) -> Extract:
    """Observations from the local template (see module docstring).

    `known_indicators`: the ids a row may name; as a mapping id → unit, values
    are also checked against their unit (a share 0–100, yes/no 0 or 1).
    """
    file = table.name
    h = table.nonempty()[0]
    header = table.rows[h]
    cols = _columns(header, LOCAL_COLUMNS)
    data = [i for i in table.nonempty() if i > h]
    if not data:
        raise errors.header_only(file, table.row_no(h))
    out = Extract()
    skipped = []
    codes = areas.codes()
    problems = errors.Problems()
    for i in data:
        with problems.row():
            row_no = table.row_no(i)

            def cell(role: str) -> str:
                return table.cell(i, cols[role]) if role in cols else ""

            def col(role: str) -> str:
                return header[cols[role]]

            if not cell("value"):
                # A template row not filled in: storing it as missing would overwrite a value
                # loaded earlier. An explicit "saknas" is stored as missing.
                skipped.append(row_no)
                continue
            indicator_id = cell("indicator")
            if not indicator_id or (known_indicators is not None and indicator_id not in known_indicators):
                raise FileRejected(file, row=row_no, column=col("indicator"), found=indicator_id,
                                   expected="ett indikator-id ur katalogen (t.ex. network_meetings_held)")
            area = cell("area")
            code = _area_code(area, areas, codes)
            if code is None:
                raise errors.unknown_area(file, row_no, col("area"), area, with_codes=True)
            period = cell("period")
            if not re.fullmatch(r"(19|20)\d\d(-(0[1-9]|1[0-2]))?", period):
                raise FileRejected(file, row=row_no, column=col("period"), found=period,
                                   expected='ett år ("2024") eller en månad ("2024-05")')
            sex = survey.normalise_sex(cell("sex")) if cell("sex") else "T"
            if sex is None:
                raise errors.unknown_sex(file, row_no, col("sex"), cell("sex"))
            text = cell("value")
            if text.casefold() in _YES + _NO:
                value, status = (1.0 if text.casefold() in _YES else 0.0), "ok"
            else:
                status = cell_status(text)
                value = number_or_reject(text, file, row_no, col("value"), "ett tal med decimalkomma, eller Ja/Nej") \
                    if status == "ok" else None
            unit = known_indicators.get(indicator_id) if isinstance(known_indicators, Mapping) else None
            in_range_or_reject(value, unit, file, row_no, col("value"))
            numerator = number_or_reject(cell("numerator"), file, row_no, col("numerator")) if cell("numerator") else None
            denominator = number_or_reject(cell("denominator"), file, row_no, col("denominator")) if cell("denominator") else None
            for role, count in (("numerator", numerator), ("denominator", denominator)):
                in_range_or_reject(count, None, file, row_no, col(role) if role in cols else role)
            row = observation(file, row_no, indicator_id, code, period, value=value, status=status, sex=sex,
                              subgroup=cell("subgroup"), numerator=numerator, denominator=denominator)
            if cell("comment"):  # the analyst's comment travels with the value's provenance
                row["source_ref"] = f"{row['source_ref']}: {cell('comment')}"
            out.rows.append(row)
    problems.check()
    if skipped:
        out.warnings.append(f"{file}: {len(skipped)} {'rad' if len(skipped) == 1 else 'rader'} utan värde hoppades över (rad "
                            f"{', '.join(map(str, skipped[:10]))}{' …' if len(skipped) > 10 else ''})")
    reject_duplicates(file, out.rows, "indikator, område, period, kön och undergrupp",
                      ("indicator_id", "area_code", "period", "sex", "subgroup"))
    return out


def _catalogue() -> dict[str, dict]:
    """Known indicator definitions by id; empty if the catalogue cannot be read."""
    try:
        from etl.catalogue import load_catalogue

        frame = load_catalogue()
    except Exception:  # the parsers must work without a configured project
        return {}
    return {r["indicator_id"]: {k: v for k, v in r.items() if v is not None and v == v}
            for r in frame.to_dict("records")}


def complete_definitions(definitions: list[dict], catalogue: dict[str, dict] | None = None) -> list[dict]:
    """Merge what a file says about an indicator with what the catalogue says.

    The file's definition and source_ref describe this import (a Socialstyrelsen
    title row is the only statement of what was selected), so they win; the
    catalogue's title, unit, direction and frequency stay, so a re-import does
    not rename an indicator.
    """
    catalogue = _catalogue() if catalogue is None else catalogue
    out = []
    for d in definitions:
        known = dict(catalogue.get(d["id"], {}))
        known.pop("indicator_id", None)
        merged = {"id": d["id"], **known, **d}
        merged.update({k: known[k] for k in CATALOGUE_WINS if k in known})
        out.append(merged)
    return out


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=OBSERVATION_COLUMNS)
    for c in ("value", "numerator", "denominator"):
        frame[c] = pd.to_numeric(frame[c]).astype("float64")
    return frame


def parse_table(
    table: Table, kind: str | None = None, areas: AreaNames | dict[str, str] | None = None, *,
    region_code: str | None = None, period: str | None = None,
    known_indicators: Mapping[str, str | None] | set[str] | None = None, catalogue: dict[str, dict] | None = None,
) -> Parsed:
    """Parse an already read Table; see `parse`."""
    if not table.nonempty():
        raise errors.empty_file(table.name)
    if not isinstance(areas, AreaNames):
        areas = AreaNames.default(areas)
    layout = detect_layout(table)
    if layout is None or (kind is not None and KIND_OF_LAYOUT[layout] != kind):
        if len(table.nonempty()) == 1 and layout is None:
            raise errors.header_only(table.name, table.row_no(table.nonempty()[0]))
        raise errors.unknown_kind(table.name, kind)
    if layout == "local":
        extract = parse_local(table, areas, known_indicators)
    elif layout == "vantetider":
        extract = bup.parse_vantetider(table, areas, period)
    elif layout == "socialstyrelsen":
        extract = bup.parse_socialstyrelsen(table, areas)
    elif layout == "survey_long":
        extract = survey.parse_long(table, areas, region_code)
    else:
        extract = survey.parse_crosstab(table, areas, region_code, period)
    return Parsed(
        kind=KIND_OF_LAYOUT[layout], observations=_frame(extract.rows),
        indicators=complete_definitions(extract.indicators, catalogue),
        encoding=table.encoding, warnings=extract.warnings, layout=layout,
    )


def parse(
    path: Path | str, kind: str | None = None, areas: AreaNames | dict[str, str] | None = None, *,
    region_code: str | None = None, period: str | None = None,
    known_indicators: Mapping[str, str | None] | set[str] | None = None, max_bytes: int = MAX_FILE_BYTES,
) -> Parsed:
    """Read, recognise and parse one uploaded file.

    Args:
        path: a .csv/.txt/.tsv or .xlsx file.
        kind: "bup", "survey" or "local" when the analyst said what it is;
            a file of another kind is then refused. None detects it.
        areas: extra area names → Kolada codes (a code starting "00" is a
            region), added to Kolada's list from the offline snapshot.
        region_code: the region "Länet" means in a survey table ("0023");
            otherwise the region the title or footer names.
        period: "YYYY-MM" for a vantetider.se export, or "YYYY" for a
            survey cross-tab, when the file itself does not say.
        known_indicators: if given, local-template indicator ids must be in it; a mapping
            id → unit also checks each value against its unit.
        max_bytes: refuse larger files.

    Raises:
        FileRejected: naming file, row, column, what was found and what was expected.
    """
    table = read_table(path, max_bytes=max_bytes)
    return parse_table(table, kind, areas, region_code=region_code, period=period,
                       known_indicators=known_indicators)
