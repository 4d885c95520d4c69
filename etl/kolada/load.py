"""Turn Kolada responses into a warehouse Batch, refusing anything malformed.

Why strict: Kolada revises values and retires KPIs without notice, and a
half-understood payload must never reach the served warehouse. Every check
names the request URL and the field, so the analyst knows what broke.
`value: null` is stored as status 'missing' (no data), never as zero.
Records with `isdeleted: true` are left out, so a value Kolada withdrew
is reported as removed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import pandas as pd

from etl.http import SourceError
from etl.kolada.client import KoladaClient, chunks
from etl.kolada.settings import GENDERS, SOURCE, Selection
from warehouse.loader import Batch

Progress = Callable[[str], None]


def _fail(url: str, where: str, problem: str) -> SourceError:
    return SourceError(SOURCE, url, f"{where}: {problem}")


def area_type(code: str, kolada_type: str) -> str:
    """Kolada types regions and Riket alike ('L'); Riket is '0000'."""
    if code == "0000":
        return "country"
    return "region" if kolada_type == "L" else "municipality"


def parent_of(code: str, kind: str) -> str | None:
    """A municipality's region is '00' + its first two digits; a region's parent is Riket."""
    if kind == "country":
        return None
    return "0000" if kind == "region" else "00" + code[:2]


def parse_areas(items: list[tuple[str, dict[str, Any]]]) -> pd.DataFrame:
    rows = []
    for i, (url, item) in enumerate(items):
        where = f"område nr {i + 1}"
        code, title, kind = item.get("id"), item.get("title"), item.get("type")
        if not (isinstance(code, str) and len(code) == 4 and code.isdigit()):
            raise _fail(url, where, f"fältet 'id' ska vara fyra siffror som text, fick {code!r}")
        if not isinstance(title, str) or not title:
            raise _fail(url, where, f"fältet 'title' saknas för {code}")
        if kind not in ("K", "L"):
            raise _fail(url, where, f"fältet 'type' ska vara K eller L, fick {kind!r}")
        atype = area_type(code, kind)
        rows.append((code, title, atype, parent_of(code, atype)))
    return pd.DataFrame(rows, columns=["area_code", "name", "area_type", "parent_code"])


def parse_indicators(items: list[tuple[str, dict[str, Any]]], selection: Selection) -> pd.DataFrame:
    chosen = {k.id: k for k in selection.kpis}
    rows, seen = [], set()
    for i, (url, item) in enumerate(items):
        kpi_id, title = item.get("id"), item.get("title")
        if not isinstance(kpi_id, str) or not isinstance(title, str) or not title:
            raise _fail(url, f"KPI nr {i + 1}", "fälten 'id' och 'title' krävs")
        if kpi_id not in chosen:
            continue
        seen.add(kpi_id)
        k = chosen[kpi_id]
        publication = item.get("publication_date")
        rows.append({
            "indicator_id": kpi_id, "title_sv": title.strip(), "unit": k.unit, "direction": k.direction,
            "source": SOURCE, "source_ref": f"Kolada {kpi_id}",
            "definition": (item.get("description") or "").strip() or None,
            "frequency": "annual", "pooled_years": k.pooled_years, "caveats": k.caveats,
            "next_publication": dt.date.fromisoformat(publication) if isinstance(publication, str) and publication else None,
        })
    missing = [k for k in chosen if k not in seen]
    if missing:
        raise SourceError(SOURCE, "kpi/" + ",".join(missing),
                          f"Kolada känner inte till {', '.join(missing)} (borttagen eller felstavad i config/sources.yml)")
    return pd.DataFrame(rows)


def parse_data(records: list[tuple[str, dict[str, Any]]], fetched_at: dt.datetime) -> pd.DataFrame:
    cols: dict[str, list[Any]] = {c: [] for c in (
        "indicator_id", "area_code", "period", "sex", "subgroup", "value", "numerator",
        "denominator", "status", "source", "source_ref", "fetched_at")}
    seen: set[tuple[str, str, str, str]] = set()
    for i, (url, rec) in enumerate(records):
        where = f"post nr {i + 1}"
        kpi, area, period, values = rec.get("kpi"), rec.get("municipality"), rec.get("period"), rec.get("values")
        if not isinstance(kpi, str) or not isinstance(area, str):
            raise _fail(url, where, "fälten 'kpi' och 'municipality' krävs som text")
        if isinstance(period, bool) or not isinstance(period, (int, str)) or not str(period).isdigit() or len(str(period)) != 4:
            raise _fail(url, where, f"fältet 'period' ska vara ett årtal, fick {period!r}")
        if not isinstance(values, list):
            raise _fail(url, where, "fältet 'values' ska vara en lista")
        for v in values:
            if not isinstance(v, dict):
                raise _fail(url, where, f"ett värde är inte ett objekt: {v!r}")
            if v.get("isdeleted") is True:
                continue
            gender, value = v.get("gender"), v.get("value")
            if gender not in GENDERS:
                raise _fail(url, where, f"fältet 'gender' ska vara T, K eller M, fick {gender!r}")
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                raise _fail(url, where, f"fältet 'value' ska vara ett tal eller null, fick {value!r}")
            key = (kpi, area, str(period), gender)
            if key in seen:
                raise _fail(url, where, f"värdet för {kpi} {area} {period} {gender} står två gånger")
            seen.add(key)
            for c, x in zip(cols, (kpi, area, str(period), gender, "", None if value is None else float(value),
                                   None, None, "missing" if value is None else "ok", SOURCE, url, fetched_at)):
                cols[c].append(x)
    return pd.DataFrame(cols)


def pull(client: KoladaClient, selection: Selection, progress: Progress = lambda _m: None) -> Batch:
    """Fetch metadata and data for the selection and return one Batch.

    Raises:
        SourceError: a request failed after retries, or a response was malformed.
    """
    fetched_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    progress("Kolada: hämtar områden")
    areas = parse_areas(client.municipalities())
    unknown = sorted(set(selection.areas) - set(areas["area_code"]))
    if unknown:
        raise SourceError(SOURCE, "municipality", f"okända områdeskoder i config/sources.yml: {', '.join(unknown)}")
    progress(f"Kolada: hämtar beskrivningar av {len(selection.kpis)} indikatorer")
    kpi_ids = [k.id for k in selection.kpis]
    indicators = parse_indicators(client.kpis(kpi_ids), selection)
    records = []
    calls = [(k, a) for k in chunks(kpi_ids) for a in chunks(list(selection.areas))]
    for i, (kpis, areas_part) in enumerate(calls, start=1):
        progress(f"Kolada: hämtar värden, anrop {i}/{len(calls)} ({len(kpis)} indikatorer × {len(areas_part)} områden)")
        records.extend(client.data(kpis, areas_part))
    observations = parse_data(records, fetched_at)
    scope = pd.DataFrame([(k, a) for k in kpi_ids for a in selection.areas], columns=["indicator_id", "area_code"])
    return Batch(
        source=SOURCE, observations=observations, areas=areas, indicators=indicators, removal_scope=scope,
        message=f"Kolada: {len(observations)} värden för {len(kpi_ids)} indikatorer och {len(selection.areas)} områden",
    )
