"""Turn Socialstyrelsen's death counts into a deaths table and a warehouse Batch.

Why strict: suicide counts in a county are tiny, so one misread row moves a
rate a lot. Every age band, region, cause and year is taken from the API's own
metadata, every row is checked against what was asked, and every problem
names the request and the field.

Zeros: the API has **no row** for a year without deaths (zero, not missing),
and answers HTTP 404 for a selection with no deaths at all. So counts are
filled with 0 over the grid of published years. A year is "published" when
it is in `/dodsorsaker/ar` *and* Riket has at least one row for it (Riket
never has a year without suicides); otherwise a not-yet-published year would
count as zero deaths, the error behind Kurvan's too-low last windows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable

import pandas as pd

from etl.http import SourceError
from etl.scb.client import ScbClient
from etl.scb.load import fetch_population
from etl.scb.settings import COUNTIES
from etl.socialstyrelsen.client import SocialstyrelsenClient
from etl.socialstyrelsen.settings import (
    CAUSES, DEATHS_MEASURE, NATIONAL_REGION, REGIONS, SEXES, SOURCE, SUICIDE_CAUSE,
)
from etl.suicide_rates import INDICATOR_IDS, compute_rates
from warehouse.loader import Batch

Progress = Callable[[str], None]
DEATH_COLUMNS = ["cause_id", "cause_label", "area_code", "year", "sex", "age_id", "age_from", "age_to", "deaths"]
ROW_FIELDS = ("diagnosId", "mattId", "konId", "alderId", "regionId", "ar", "varde")

_BAND = re.compile(r"^\s*(\d+)\s*(?:[-–]\s*(\d+)|\+|\s*(?:år)?\s*och\s*äldre)\s*(?:år)?\s*$")
_TOTAL = re.compile(r"total|alla|samtliga", re.IGNORECASE)


def _fail(url: str, where: str, problem: str) -> SourceError:
    return SourceError(SOURCE, url, f"{where}: {problem}")


@dataclass(frozen=True)
class AgeBand:
    """One of the register's age bands, from /dodsorsaker/alder ('15-19' -> 15..19; '95+' -> 95..None)."""

    id: str
    label: str
    age_from: int
    age_to: int | None


@dataclass(frozen=True)
class Metadata:
    """What the API says exists, checked against what Målkoll asks for."""

    age_bands: tuple[AgeBand, ...]
    causes: dict[str, str]
    regions: dict[str, str]
    years: tuple[int, ...]


def _code(value: Any) -> str | None:
    """An id as text: 23 and "23" are the same code; anything else is None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def parse_items(items: list[tuple[str, Any]], dimension: str) -> dict[str, str]:
    """{id: text} from a metadata list; each item needs 'id' and 'text'.

    Raises:
        SourceError: naming the dimension and field of the first bad item.
    """
    out: dict[str, str] = {}
    for i, (url, item) in enumerate(items):
        where = f"{dimension}[{i}]"
        if not isinstance(item, dict):
            raise _fail(url, where, f"ska vara ett objekt, fick {item!r}")
        code = _code(item.get("id"))
        if code is None:
            raise _fail(url, f"{where}.id", f"saknas eller är inte ett id: {item.get('id')!r}")
        text = item.get("text")
        if not isinstance(text, str):
            raise _fail(url, f"{where}.text", f"saknas för id {code}")
        out[code] = text.strip()
    if not out:
        raise _fail(items[0][0] if items else dimension, dimension, "metadata utan värden")
    return out


def parse_age_bands(url: str, labels: dict[str, str]) -> tuple[AgeBand, ...]:
    """Age bands from their labels, checked to be contiguous from 0 to an open top band.

    A label that reads as a total ('Totalt', 'Alla åldrar') is skipped: summing
    it with the bands would count every death twice.

    Raises:
        SourceError: an unreadable label, or bands with gaps or overlaps.
    """
    bands = []
    for code, label in labels.items():
        match = _BAND.match(label)
        if match is None:
            if _TOTAL.search(label):
                continue
            raise _fail(url, f"alder {code}.text", f"kan inte läsa åldersgruppen {label!r}")
        lo, hi = int(match.group(1)), match.group(2)
        bands.append(AgeBand(code, label, lo, int(hi) if hi is not None else None))
    bands.sort(key=lambda b: b.age_from)
    expected = 0
    for band in bands:
        if band.age_from != expected or (band.age_to is not None and band.age_to < band.age_from):
            raise _fail(url, f"alder {band.id}", f"åldersgrupperna hänger inte ihop: {band.label!r} "
                                                 f"efter ålder {expected - 1}")
        if band.age_to is None and band is not bands[-1]:
            raise _fail(url, f"alder {band.id}", f"öppen åldersgrupp {band.label!r} är inte den sista")
        expected = (band.age_to or 0) + 1
    if not bands or bands[-1].age_to is not None:
        raise _fail(url, "alder", "ingen öppen översta åldersgrupp (t.ex. '95+'); dödsfall skulle saknas")
    return tuple(bands)


def load_metadata(client: SocialstyrelsenClient) -> Metadata:
    """Read /alder, /diagnos, /region, /kon, /matt and /ar; check that every chosen code still exists.

    Raises:
        SourceError: a metadata request failed, or a chosen code is gone (named with its dimension).
    """
    found: dict[str, dict[str, str]] = {}
    urls: dict[str, str] = {}
    for dimension in ("alder", "diagnos", "region", "kon", "matt", "ar"):
        items = client.metadata(dimension)
        urls[dimension] = items[0][0] if items else client.dimension_url(dimension)
        found[dimension] = parse_items(items, dimension)
    wanted = {"diagnos": CAUSES, "region": tuple(REGIONS), "kon": tuple(SEXES), "matt": (DEATHS_MEASURE,)}
    for dimension, codes in wanted.items():
        gone = [c for c in codes if c not in found[dimension]]
        if gone:
            raise _fail(urls[dimension], dimension, f"koden {', '.join(gone)} finns inte längre i API:ets metadata "
                                                    "(borttagen eller omnumrerad); kontrollera etl/socialstyrelsen/settings.py")
    years = []
    for code in found["ar"]:
        if not (len(code) == 4 and code.isdigit()):
            raise _fail(urls["ar"], f"ar {code}.id", "ska vara ett årtal")
        years.append(int(code))
    return Metadata(parse_age_bands(urls["alder"], found["alder"]),
                    {c: found["diagnos"][c] for c in CAUSES},
                    {c: found["region"][c] for c in REGIONS}, tuple(sorted(years)))


def parse_varde(url: str, where: str, value: Any) -> int:
    """A death count from `varde`: '12', '1 234', '3,0' (decimal comma) or a number; whole and ≥ 0."""
    if isinstance(value, bool):
        raise _fail(url, f"{where}.varde", f"ska vara ett antal, fick {value!r}")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        text = value.replace("\xa0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
        try:
            number = float(text)
        except ValueError:
            raise _fail(url, f"{where}.varde", f"är inte ett tal: {value!r}") from None
    else:
        raise _fail(url, f"{where}.varde", f"saknas eller har fel typ: {value!r}")
    if number < 0 or number != int(number):
        raise _fail(url, f"{where}.varde", f"ett antal döda ska vara ett heltal ≥ 0, fick {value!r}")
    return int(number)


def parse_rows(rows: list[tuple[str, Any]], cause: str, metadata: Metadata,
               sexes: dict[str, str] = SEXES, regions: dict[str, str] = REGIONS) -> dict[tuple, int]:
    """{(region id, sex, age id, year): deaths} from result rows, each checked against the request."""
    bands = {b.id for b in metadata.age_bands}
    out: dict[tuple, int] = {}
    for i, (url, row) in enumerate(rows):
        where = f"data[{i}]"
        if not isinstance(row, dict):
            raise _fail(url, where, f"ska vara ett objekt, fick {row!r}")
        missing = [f for f in ROW_FIELDS if f not in row]
        if missing:
            raise _fail(url, f"{where}.{missing[0]}", f"fältet saknas (fält i raden: {', '.join(row)})")
        codes = {f: _code(row[f]) for f in ROW_FIELDS if f != "varde"}
        checks = (("diagnosId", {cause}), ("mattId", {DEATHS_MEASURE}), ("konId", set(sexes)),
                  ("alderId", bands), ("regionId", set(regions)))
        for field, allowed in checks:
            if codes[field] not in allowed:
                raise _fail(url, f"{where}.{field}", f"oväntat värde {row[field]!r} (frågade efter {sorted(allowed)})")
        year = codes["ar"]
        if year is None or not (year.isdigit() and int(year) in metadata.years):
            raise _fail(url, f"{where}.ar", f"oväntat år {row['ar']!r}")
        key = (codes["regionId"], sexes[codes["konId"]], codes["alderId"], int(year))
        if key in out:
            raise _fail(url, where, f"raden för {key} står två gånger")
        out[key] = parse_varde(url, where, row["varde"])
    return out


def fetch_deaths(client: SocialstyrelsenClient, metadata: Metadata,
                 progress: Progress = lambda _m: None) -> pd.DataFrame:
    """Deaths for every cause, region, sex, age band and published year, zeros filled in.

    One request per (cause, region), so that an HTTP 404 is an empty
    selection for exactly one region; Riket answering 404 means the request
    is wrong, not that nobody died, and fails the pull.

    Raises:
        SourceError: a request failed or a row was malformed.
    """
    ages = [b.id for b in metadata.age_bands]
    counts: dict[tuple[str, str], dict[tuple, int]] = {}
    published: dict[str, list[int]] = {}
    calls = [(c, r) for c in CAUSES for r in REGIONS]
    for i, (cause, region) in enumerate(calls, start=1):
        progress(f"Socialstyrelsen: hämtar dödsfall, anrop {i}/{len(calls)} (diagnos {cause}, region {region})")
        args = (cause, DEATHS_MEASURE, list(SEXES), ages, [region], metadata.years)
        counts[cause, region] = parse_rows(list(client.results(*args)), cause, metadata)
        if region == NATIONAL_REGION:
            published[cause] = sorted({key[3] for key in counts[cause, region]})
            if not published[cause]:
                raise _fail(client.result_url(*args), "data", f"inga rader alls för Riket (diagnos {cause}); "
                                                              "fel i anropet, inte noll dödsfall")
    out = []
    for (cause, region), found in counts.items():
        for sex in SEXES.values():
            for band in metadata.age_bands:
                for year in published[cause]:
                    out.append((cause, metadata.causes[cause], REGIONS[region], year, sex, band.id,
                                band.age_from, band.age_to, found.get((region, sex, band.id, year), 0)))
    return pd.DataFrame(out, columns=DEATH_COLUMNS)


def pull(client: SocialstyrelsenClient, scb: ScbClient, progress: Progress = lambda _m: None) -> Batch:
    """Deaths from Socialstyrelsen, population from SCB, suicide rates as one Batch.

    Raises:
        SourceError: a request failed after retries, or a response was malformed.
    """
    fetched_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    progress("Socialstyrelsen: hämtar metadata (åldersgrupper, regioner, diagnoser, år)")
    metadata = load_metadata(client)
    deaths = fetch_deaths(client, metadata, progress)
    population, _urls = fetch_population(scb, COUNTIES, progress)
    observations = compute_rates(deaths, population, cause_id=SUICIDE_CAUSE, fetched_at=fetched_at)
    scope = pd.DataFrame([(i, a) for i in INDICATOR_IDS for a in REGIONS.values()],
                         columns=["indicator_id", "area_code"])
    return Batch(source=SOURCE, observations=observations, removal_scope=scope,
                 message=f"Socialstyrelsen: {len(observations)} suicidtal för {len(REGIONS)} områden "
                         f"(år {min(deaths['year'])}–{max(deaths['year'])})")
