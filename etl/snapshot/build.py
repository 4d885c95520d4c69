"""Build the warehouse from the bundled offline snapshot (no network).

Why this exists: a new user, a meeting room without internet and CI must all
see Målkoll on real data. Nothing here is invented: every value comes from a
file in data/ whose origin SOURCES.md gives (Kolada metadata, the action
plan's published figures, Kurvan's processed public series). Series that are
not available offline are simply absent, and the app says how to refresh them.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pandas as pd

from etl.catalogue import load_catalogue
from etl.kolada.load import parse_areas, parse_indicators
from etl.kolada.settings import load_selection
from warehouse.loader import OBSERVATION_COLUMNS, Batch, LoadResult, load_batch

DATA = Path(__file__).resolve().parent / "data"
SOURCE = "snapshot"
# When each file's content was captured from its source (see data/SOURCES.md).
KOLADA_CAPTURED = dt.datetime(2026, 3, 23)
PLAN_PUBLISHED = dt.datetime(2018, 8, 20)   # seed 001, version 1.23
KURVAN_GENERATED = dt.datetime(2026, 8, 27)  # Kurvan's generated_at
# Pooled windows that reach past the last published register year count the
# missing years as zero deaths (Kurvan caveat 2), and population is known to 2024.
LAST_REGISTER_YEAR = 2024
COUNTY_TO_AREA = {"00": "0000", "21": "0021", "23": "0023"}


def _kolada_items(name: str) -> list[tuple[str, dict]]:
    body = json.loads((DATA / name).read_text(encoding="utf-8"))
    return [(f"snapshot:{name}", item) for item in body["values"]]


def _rows(records: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(records, columns=OBSERVATION_COLUMNS)


def published_figures() -> pd.DataFrame:
    """Figures printed in the action plans (data/published_figures.csv)."""
    records = []
    with open(DATA / "published_figures.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            records.append({
                **{k: row[k] for k in ("indicator_id", "area_code", "period", "sex", "subgroup", "status", "source_ref")},
                "value": float(row["value"]) if row["value"] else None,
                "numerator": float(row["numerator"]) if row["numerator"] else None,
                "denominator": float(row["denominator"]) if row["denominator"] else None,
                "source": "plan", "fetched_at": PLAN_PUBLISHED,
            })
    return _rows(records)


def kurvan_bup_median_days() -> pd.DataFrame:
    """Median days to a completed first BUP visit, by region and month."""
    frame = pd.read_csv(DATA / "kurvan_bup_median_days.csv", dtype={"county_code": str})
    records = [{
        "indicator_id": "bup_first_visit_median_wait_days",
        "area_code": "00" + r.county_code if r.county_code != "00" else "0000",
        "period": f"{int(r.year)}-{int(r.month):02d}", "sex": "T", "subgroup": "",
        "value": float(r.value), "numerator": None, "denominator": None, "status": "ok",
        "source": "kurvan", "source_ref": f"kurvan_bup_median_days.csv, {r.region_name_in_export}",
        "fetched_at": KURVAN_GENERATED,
    } for r in frame.itertuples()]
    return _rows(records)


def kurvan_suicide_5yr() -> pd.DataFrame:
    """Pooled 5-year suicide rates recomputed from deaths and SCB population.

    Kurvan's own small-county rates are biased upwards (bands without deaths
    drop out of its denominator), so the rate is recomputed as deaths in the
    window over summed population in the window × 100 000, never an average.
    """
    panel = pd.read_csv(DATA / "kurvan_panel.csv", dtype={"county_code": str, "window": str})
    panel = panel[(panel.indicator == "suicide_per_100k") & (panel.sex == "T")]
    population = pd.read_csv(DATA / "kurvan_population.csv", dtype={"county_code": str})
    pop = population.groupby(["county_code", "age_group", "year"])["value"].sum()
    pop_years = set(population.year)
    records = []
    for (county, window), group in panel.groupby(["county_code", "window"]):
        first, last = (int(y) for y in window.split("-"))
        years = range(first, last + 1)
        if last > LAST_REGISTER_YEAR or not all(y in pop_years for y in years):
            continue
        base = {"area_code": COUNTY_TO_AREA[county], "period": str(last), "sex": "T", "subgroup": "",
                "source": "kurvan", "fetched_at": KURVAN_GENERATED}
        bands = group.set_index("age_group")
        youth = bands.loc["15-24"]
        person_years = float(sum(pop[(county, "15-24", y)] for y in years))
        if youth.suppressed or pd.isna(youth["count"]):
            records.append({**base, "indicator_id": "suicide_rate_15_24_5yr", "value": None, "numerator": None,
                            "denominator": person_years, "status": "suppressed",
                            "source_ref": f"kurvan_panel.csv, {window}, 15-24: antal sekretessmarkerat (<10)"})
        else:
            deaths = float(youth["count"])
            records.append({**base, "indicator_id": "suicide_rate_15_24_5yr", "value": deaths / person_years * 1e5,
                            "numerator": deaths, "denominator": person_years, "status": "ok",
                            "source_ref": f"kurvan_panel.csv, {window}, 15-24; kurvan_population.csv"})
        all_pop = float(sum(pop[(county, band, y)] for band in bands.index for y in years))
        if bands.suppressed.any() or bands["count"].isna().any():
            records.append({**base, "indicator_id": "suicide_rate_all_ages_5yr", "value": None, "numerator": None,
                            "denominator": all_pop, "status": "missing",
                            "source_ref": f"kurvan_panel.csv, {window}: någon åldersgrupp sekretessmarkerad"})
        else:
            deaths = float(bands["count"].sum())
            records.append({**base, "indicator_id": "suicide_rate_all_ages_5yr", "value": deaths / all_pop * 1e5,
                            "numerator": deaths, "denominator": all_pop, "status": "ok",
                            "source_ref": f"kurvan_panel.csv, {window}, alla åldersgrupper; kurvan_population.csv"})
    return _rows(records)


def snapshot_batch() -> Batch:
    """The whole offline snapshot as one batch."""
    areas = parse_areas(_kolada_items("kolada_municipality.json"))
    kolada = parse_indicators(_kolada_items("kolada_kpi_selection.json"), load_selection())
    indicators = pd.concat([kolada, load_catalogue()], ignore_index=True)
    observations = pd.concat(
        [published_figures(), kurvan_bup_median_days(), kurvan_suicide_5yr()], ignore_index=True)
    return Batch(SOURCE, observations, areas, indicators, removal_scope=None,
                 message="Offline-ögonblicksbild: Kolada-metadata, handlingsplanernas publicerade siffror, Kurvan")


def build_snapshot(warehouse: Path) -> LoadResult:
    """Load the snapshot into `warehouse` (atomically; a no-op if already there)."""
    return load_batch(warehouse, snapshot_batch())


def ensure_warehouse(warehouse: Path) -> bool:
    """Build the warehouse from the snapshot if the file is missing; True if built."""
    if Path(warehouse).exists():
        return False
    build_snapshot(warehouse)
    return True
