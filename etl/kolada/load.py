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
import gc
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator

import numpy as np
import pandas as pd

from etl.http import SourceError
from etl.kolada.client import KoladaClient, chunks
from etl.kolada.settings import GENDERS, SOURCE, Selection
from warehouse.loader import KEY as REMOVAL_KEY, Batch

Progress = Callable[[str], None]


def _fail(url: str, where: str, problem: str) -> SourceError:
    return SourceError(SOURCE, url, f"{where}: {problem}")


def _record_error(url: str, index: int, problem: str) -> SourceError:
    """The error for data record number `index` (0-based) of a pull."""
    return _fail(url, f"post nr {index + 1}", problem)


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


def parse_data(records: Iterable[tuple[str, dict[str, Any]]],
               fetched_at: dt.datetime) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Warehouse rows from Kolada data records, checking every field; raises on the first bad one.

    Returns the rows and the keys (indicator_id, area_code, period, sex,
    subgroup) of values Kolada marks `isdeleted`: a pull of changes since a
    date learns of withdrawn values only that way.

    Why it is written this way: a national refresh parses over a million values,
    and this was most of its time (bench/README.md, finding d). `records` is
    consumed as the pages arrive, so no page is kept once parsed. What a record
    holds once (KPI, area, year, URL) is kept once per record and spread over
    its values as categorical columns, so a value costs two list appends; the
    duplicate check is one vectorised pass at the end.
    """
    kpis: list[str] = []
    areas: list[str] = []
    years: list[str] = []
    urls: list[str] = []
    kept: list[int] = []  # values kept per record
    sexes: list[str] = []
    values: list[float | None] = []
    withdrawn: list[tuple[str, str, str, str, str]] = []
    for i, (url, rec) in enumerate(records):
        kpi, area, period, vals = rec.get("kpi"), rec.get("municipality"), rec.get("period"), rec.get("values")
        if type(kpi) is not str or type(area) is not str:
            raise _record_error(url, i, "fälten 'kpi' och 'municipality' krävs som text")
        year = str(period)
        if type(period) not in (int, str) or len(year) != 4 or not year.isdigit():
            raise _record_error(url, i, f"fältet 'period' ska vara ett årtal, fick {period!r}")
        if type(vals) is not list:
            raise _record_error(url, i, "fältet 'values' ska vara en lista")
        before = len(sexes)
        for v in vals:
            if type(v) is not dict:
                raise _record_error(url, i, f"ett värde är inte ett objekt: {v!r}")
            gender, value = v.get("gender"), v.get("value")
            if gender not in GENDERS:
                raise _record_error(url, i, f"fältet 'gender' ska vara T, K eller M, fick {gender!r}")
            if v.get("isdeleted") is True:
                withdrawn.append((kpi, area, year, gender, ""))
                continue
            if value is not None and type(value) not in (float, int):
                raise _record_error(url, i, f"fältet 'value' ska vara ett tal eller null, fick {value!r}")
            sexes.append(gender)
            values.append(value)
        kpis.append(kpi)
        areas.append(area)
        years.append(year)
        urls.append(url)
        kept.append(len(sexes) - before)
    record_of = np.repeat(np.arange(len(kept)), kept)  # the record each value came from

    def spread(labels: list[str]) -> pd.Categorical:
        codes, uniques = pd.factorize(pd.Series(labels, dtype=object))
        return pd.Categorical.from_codes(codes[record_of], categories=uniques)

    def constant(label: str) -> pd.Categorical:
        return pd.Categorical.from_codes(np.zeros(len(record_of), dtype=np.int8), categories=[label])

    frame = pd.DataFrame({"indicator_id": spread(kpis), "area_code": spread(areas), "period": spread(years),
                          "sex": pd.Categorical(sexes, categories=sorted(GENDERS))})
    twice = frame.duplicated(keep="first").to_numpy().nonzero()[0]
    if len(twice):
        record = int(record_of[twice[0]])
        kpi, area, period, gender = frame.iloc[int(twice[0])]
        raise _record_error(urls[record], record, f"värdet för {kpi} {area} {period} {gender} står två gånger")
    number = pd.Series(values, dtype="float64")
    rows = frame.assign(
        subgroup=constant(""), value=number, numerator=pd.Series(dtype="float64", index=frame.index),
        denominator=pd.Series(dtype="float64", index=frame.index),
        status=pd.Categorical.from_codes(number.isna().to_numpy().astype(np.int8), categories=["ok", "missing"]),
        source=constant(SOURCE), source_ref=spread(urls), fetched_at=pd.Timestamp(fetched_at),
    )
    return rows, pd.DataFrame(withdrawn, columns=REMOVAL_KEY)


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while pages are decoded and parsed.

    Why: decoding a national pull allocates millions of dicts and lists, and
    each allocation burst makes the collector walk every live object again
    (2 of 5 s of a 1.17 M-value pull, bench/README.md). Decoded JSON holds no
    reference cycles, so reference counting frees it all the same.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _data_records(client: KoladaClient, kpi_ids: list[str], areas: list[str], since: dt.date | None,
                  what: str, progress: Progress) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every data record of the selection, call by call, reporting progress (of `what`) as each call starts."""
    calls = [(k, a) for k in chunks(kpi_ids) for a in chunks(areas)]
    for i, (kpis, areas_part) in enumerate(calls, start=1):
        progress(f"Kolada: hämtar {what}, anrop {i}/{len(calls)} ({len(kpis)} indikatorer × {len(areas_part)} områden)")
        yield from client.data(kpis, areas_part, since)


def pull(client: KoladaClient, selection: Selection, progress: Progress = lambda _m: None,
         since: dt.date | None = None) -> Batch:
    """Fetch metadata and data for the selection and return one Batch.

    Without `since` every value is fetched, and a value the warehouse has from
    Kolada for a selected KPI and area that Kolada no longer sends is removed.
    With `since` only values changed since that day are fetched (metadata is
    always fetched whole); absence then means "unchanged", so only values
    Kolada marks `isdeleted` are removed.

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
    what = f"ändrade värden sedan {since.isoformat()}" if since else "värden"
    with cyclic_gc_paused():
        records = _data_records(client, kpi_ids, list(selection.areas), since, what, progress)
        observations, withdrawn = parse_data(records, fetched_at)
    scope = None if since else pd.DataFrame([(k, a) for k in kpi_ids for a in selection.areas],
                                            columns=["indicator_id", "area_code"])
    return Batch(
        source=SOURCE, observations=observations, areas=areas, indicators=indicators, removal_scope=scope,
        removals=withdrawn,
        message=f"Kolada: {len(observations)} {what} för {len(kpi_ids)} indikatorer och {len(selection.areas)} områden",
    )
