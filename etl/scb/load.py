"""Turn SCB json-stat2 answers into population tables and a warehouse Batch.

Why strict: population is the denominator of every suicide rate, and a
wrongly summed denominator (a total code counted twice, a dimension read in
the wrong order) gives plausible-looking wrong rates. So the dimension order
is always read from the response's own `id` and `size`, never assumed, every
code must be one we know the meaning of, and every problem names the request
and the field.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Callable, Iterator, Sequence

import pandas as pd

from etl.http import SourceError
from etl.scb.client import ScbClient
from etl.scb.settings import (
    AGE_OPEN_CODE, AGE_TOTAL_CODE, CIVIL_STATUS_CODES, DEFAULT_REGIONS, POPULATION_15_24,
    POPULATION_ALL_AGES, POPULATION_CONTENTS, SEX_CODES, SOURCE, TABLE_ID, area_code,
)
from warehouse.loader import OBSERVATION_COLUMNS, Batch

Progress = Callable[[str], None]
POPULATION_COLUMNS = ["area_code", "year", "age", "sex", "population"]
REQUIRED_DIMENSIONS = ("Region", "Civilstand", "Alder", "Kon", "ContentsCode", "Tid")


def _fail(url: str, where: str, problem: str) -> SourceError:
    return SourceError(SOURCE, url, f"{where}: {problem}")


def _codes(url: str, dim_id: str, dimension: Any, size: int) -> list[str]:
    """The dimension's codes in storage order, from `category.index` (object or list)."""
    where = f"dimension.{dim_id}.category"
    if not isinstance(dimension, dict) or not isinstance(dimension.get("category"), dict):
        raise _fail(url, f"dimension.{dim_id}", "saknas eller saknar 'category'")
    category = dimension["category"]
    index = category.get("index")
    if index is None and size == 1 and isinstance(category.get("label"), dict) and len(category["label"]) == 1:
        return list(category["label"])  # json-stat allows a lone category without index
    if isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, dict):
        positions = sorted(index.items(), key=lambda kv: kv[1])
        if [p for _c, p in positions] != list(range(len(positions))):
            raise _fail(url, f"{where}.index", f"positionerna ska vara 0..{len(positions) - 1}, fick {index!r}")
        codes = [str(c) for c, _p in positions]
    else:
        raise _fail(url, f"{where}.index", f"ska vara ett objekt eller en lista, fick {index!r}")
    if len(codes) != size:
        raise _fail(url, f"{where}.index", f"{len(codes)} koder men 'size' säger {size}")
    return codes


def jsonstat2_cells(url: str, body: Any) -> Iterator[tuple[dict[str, str], Any]]:
    """Yield ({dimension id: code}, value) for every cell of a json-stat2 dataset.

    The value array is row-major over `id` (the last dimension varies
    fastest), per the json-stat 2.0 specification; `value` may also be the
    sparse object form {"position": value}. Missing cells are null.

    Raises:
        SourceError: naming the field when the body is not a json-stat2 dataset.
    """
    if not isinstance(body, dict) or body.get("class") != "dataset":
        raise _fail(url, "class", "svaret är inte ett json-stat2-dataset ('class' ska vara 'dataset')")
    ids, sizes = body.get("id"), body.get("size")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise _fail(url, "id", f"ska vara en lista av dimensionsnamn, fick {ids!r}")
    if (not isinstance(sizes, list) or len(sizes) != len(ids)
            or not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in sizes)):
        raise _fail(url, "size", f"ska vara {len(ids)} heltal (ett per dimension i 'id'), fick {sizes!r}")
    dimensions = body.get("dimension")
    if not isinstance(dimensions, dict):
        raise _fail(url, "dimension", "saknas")
    codes = [_codes(url, d, dimensions.get(d), s) for d, s in zip(ids, sizes)]
    total = math.prod(sizes)
    values = body.get("value")
    if isinstance(values, dict):
        dense: list[Any] = [None] * total
        for pos, v in values.items():
            if not str(pos).isdigit() or int(pos) >= total:
                raise _fail(url, "value", f"position {pos!r} ligger utanför {total} celler")
            dense[int(pos)] = v
        values = dense
    if not isinstance(values, list) or len(values) != total:
        got = len(values) if isinstance(values, list) else repr(values)[:40]
        raise _fail(url, "value", f"ska ha {total} celler (produkten av 'size'), fick {got}")
    for position, value in enumerate(values):
        coords, rest = {}, position
        for dim_id, dim_codes in zip(reversed(ids), reversed(codes)):
            rest, i = divmod(rest, len(dim_codes))
            coords[dim_id] = dim_codes[i]
        yield coords, value


def _age(url: str, code: str) -> int | None:
    if code == AGE_TOTAL_CODE:
        return None
    if code == AGE_OPEN_CODE:
        return 100
    if code.isdigit():
        return int(code)
    raise _fail(url, "dimension.Alder", f"okänd ålderskod {code!r} (väntade ettårsåldrar, '100+' eller 'tot')")


def parse_population(url: str, body: Any) -> tuple[pd.DataFrame, list[tuple[str, int]]]:
    """Population on 31 December by area, year, single-year age and sex (M/K).

    Civil statuses are summed (TAB638 has no total for them); the age total
    'tot' is left out. A (region, year) with any null cell is left out whole
    and returned in the second element, so that a half-known population never
    becomes a denominator.

    Raises:
        SourceError: an unexpected dimension, code or value, naming the field.
    """
    sums: dict[tuple[str, int, int, str], int] = {}
    incomplete: set[tuple[str, int]] = set()
    seen_dims = False
    for coords, value in jsonstat2_cells(url, body):
        if not seen_dims:
            missing = [d for d in REQUIRED_DIMENSIONS if d not in coords]
            extra = [d for d in coords if d not in REQUIRED_DIMENSIONS]
            if missing or extra:
                raise _fail(url, "id", f"väntade dimensionerna {', '.join(REQUIRED_DIMENSIONS)}; "
                                       f"saknas {missing}, okända {extra}")
            seen_dims = True
        if coords["ContentsCode"] != POPULATION_CONTENTS:
            raise _fail(url, "dimension.ContentsCode", f"väntade {POPULATION_CONTENTS} (folkmängd), "
                                                       f"fick {coords['ContentsCode']!r}")
        if coords["Civilstand"] not in CIVIL_STATUS_CODES:
            raise _fail(url, "dimension.Civilstand", f"okänd kod {coords['Civilstand']!r}; en totalkod skulle "
                                                     "räknas dubbelt")
        sex = SEX_CODES.get(coords["Kon"])
        if sex is None:
            raise _fail(url, "dimension.Kon", f"okänd kod {coords['Kon']!r} (väntade 1 eller 2)")
        year_code, region = coords["Tid"], coords["Region"]
        if not (len(year_code) == 4 and year_code.isdigit()):
            raise _fail(url, "dimension.Tid", f"ska vara årtal, fick {year_code!r}")
        if not (region.isdigit() and len(region) in (2, 4)):
            raise _fail(url, "dimension.Region", f"ska vara två eller fyra siffror, fick {region!r}")
        age = _age(url, coords["Alder"])
        if age is None:
            continue
        area, year = area_code(region), int(year_code)
        if value is None:
            incomplete.add((area, year))
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or value != int(value):
            raise _fail(url, "value", f"folkmängden ska vara ett heltal ≥ 0, fick {value!r} för {coords}")
        key = (area, year, age, sex)
        sums[key] = sums.get(key, 0) + int(value)
    rows = [(*k, v) for k, v in sums.items() if (k[0], k[1]) not in incomplete]
    frame = pd.DataFrame(rows, columns=POPULATION_COLUMNS).sort_values(POPULATION_COLUMNS[:4], ignore_index=True)
    return frame, sorted(incomplete)


def fetch_population(client: ScbClient, regions: Sequence[str] = DEFAULT_REGIONS,
                     progress: Progress = lambda _m: None) -> tuple[pd.DataFrame, list[str]]:
    """Population for every region, one request each (each well under SCB's cell cap).

    Returns:
        (population frame with POPULATION_COLUMNS, request URLs used).

    Raises:
        SourceError: a request failed, a response was malformed, or a region came back empty.
    """
    frames, urls = [], []
    for i, region in enumerate(regions, start=1):
        progress(f"SCB: hämtar folkmängd, anrop {i}/{len(regions)} (region {region})")
        url, body = client.population(region)
        frame, _incomplete = parse_population(url, body)
        if frame.empty or set(frame["area_code"]) != {area_code(region)}:
            raise _fail(url, "dimension.Region", f"svaret har inga fullständiga värden för region {region}")
        frames.append(frame)
        urls.append(url)
    return pd.concat(frames, ignore_index=True), urls


def population_observations(population: pd.DataFrame, fetched_at: dt.datetime, source_ref: str) -> pd.DataFrame:
    """Observation rows: population all ages and 15–24 on 31 December, sex T/K/M (T = K + M)."""
    youth = population[(population["age"] >= 15) & (population["age"] <= 24)]
    parts = []
    for indicator, frame in ((POPULATION_ALL_AGES, population), (POPULATION_15_24, youth)):
        by_sex = frame.groupby(["area_code", "year", "sex"], as_index=False)["population"].sum()
        total = by_sex.groupby(["area_code", "year"], as_index=False)["population"].sum().assign(sex="T")
        parts.append(pd.concat([by_sex, total], ignore_index=True).assign(indicator_id=indicator))
    rows = pd.concat(parts, ignore_index=True)
    return pd.DataFrame({
        "indicator_id": rows["indicator_id"], "area_code": rows["area_code"],
        "period": rows["year"].astype(str), "sex": rows["sex"], "subgroup": "",
        "value": rows["population"].astype(float), "numerator": None, "denominator": None,
        "status": "ok", "source": SOURCE, "source_ref": source_ref, "fetched_at": fetched_at,
    })[OBSERVATION_COLUMNS]


def catalogue_entries() -> list[dict[str, Any]]:
    """Catalogue definitions (derived.yml shape) for the two population indicators."""
    common = {"unit": "count", "direction": "neutral", "source": SOURCE, "frequency": "annual",
              "source_ref": f"SCB, tabell {TABLE_ID} (BE0101), {POPULATION_CONTENTS} Folkmängd 31 december"}
    return [
        {"id": POPULATION_ALL_AGES, "title_sv": "Folkmängd 31 december", **common,
         "definition": "Antal folkbokförda personer den 31 december, alla åldrar."},
        {"id": POPULATION_15_24, "title_sv": "Folkmängd 15–24 år, 31 december", **common,
         "definition": "Antal folkbokförda personer 15–24 år den 31 december."},
    ]


def pull(client: ScbClient, progress: Progress = lambda _m: None,
         regions: Sequence[str] = DEFAULT_REGIONS) -> Batch:
    """Fetch population for the regions and return one Batch (population indicators).

    Raises:
        SourceError: a request failed after retries, or a response was malformed.
    """
    fetched_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    population, _urls = fetch_population(client, regions, progress)
    observations = population_observations(population, fetched_at, f"SCB {TABLE_ID} {POPULATION_CONTENTS}")
    areas = sorted(set(population["area_code"]))
    scope = pd.DataFrame([(i, a) for i in (POPULATION_ALL_AGES, POPULATION_15_24) for a in areas],
                         columns=["indicator_id", "area_code"])
    return Batch(source=SOURCE, observations=observations, removal_scope=scope,
                 message=f"SCB: {len(observations)} folkmängdsvärden för {len(areas)} områden")
