"""Suicide rates per 100 000 from deaths (Socialstyrelsen) and population (SCB).

Why computed here and not taken from the API's own rates (`matt 2`): a rate
for 15–24 or for all ages must be summed deaths over summed population,
never an average of band rates, and pooled years likewise: Σ deaths over
Σ person-years. Published small-county rates that average or drop empty bands
are biased (Kurvan caveat 3, ../shared/samples/kurvan/SOURCES.md).

Denominator: the mean population of the year, approximated as the mean of
the population on 31 December of the year before and of the year (SCB's
"medelfolkmängd"; the catalogue's definition). With SCB's real population this
reproduces the plan's published single-year figures for Jämtland 2016
exactly (1 death / 14 492 = 6.90; 21 deaths / 128 024.5 = 16.40; see
tests/test_suicide_sources.py). A pooled window's denominator is the sum of
its years' mean populations (person-years).

Sex: deaths and population come for men (M) and women (K); T is their sum,
so the three always agree. Pooled rows carry the window's last year as period
("2015" = 2011–2015), the catalogue's convention for `*_5yr` and `*_3yr`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from etl.socialstyrelsen.settings import SOURCE, SUICIDE_CAUSE
from warehouse.loader import OBSERVATION_COLUMNS

PER = 100_000


@dataclass(frozen=True)
class AgeGroup:
    """An age range the rate is for; `age_to` None = no upper limit."""

    key: str
    age_from: int
    age_to: int | None
    label: str


AGE_GROUPS = (AgeGroup("15_24", 15, 24, "15–24 år"), AgeGroup("all_ages", 0, None, "alla åldrar"))
WINDOWS = (1, 3, 5)
AREAS = ("0000", "0021", "0023")


def indicator_id(group: AgeGroup, years: int) -> str:
    """'suicide_rate_15_24', 'suicide_rate_15_24_3yr', 'suicide_rate_all_ages_5yr', ..."""
    return f"suicide_rate_{group.key}" + ("" if years == 1 else f"_{years}yr")


INDICATOR_IDS = tuple(indicator_id(g, n) for g in AGE_GROUPS for n in WINDOWS)


def _within(age_from: int, age_to: int | None, group: AgeGroup) -> bool:
    upper_ok = group.age_to is None or (age_to is not None and age_to <= group.age_to)
    return age_from >= group.age_from and upper_ok


def _straddles(age_from: int, age_to: int | None, group: AgeGroup) -> bool:
    """A band partly inside the group (e.g. 10–19 for 15–24) cannot be split without guessing."""
    top = age_to if age_to is not None else 10**6
    inside_from = max(age_from, group.age_from)
    inside_to = min(top, group.age_to if group.age_to is not None else 10**6)
    return inside_from <= inside_to and not _within(age_from, age_to, group)


def mean_population(population: pd.DataFrame) -> pd.DataFrame:
    """Person-years per area, year, age and sex: mean of 31 December of year-1 and year.

    Args:
        population: columns area_code, year, age, sex, population (31 December).

    Returns:
        Columns area_code, year, age, sex, person_years; the first year of each
        series has no previous 31 December and is left out.
    """
    keys = ["area_code", "age", "sex"]
    previous = population.assign(year=population["year"] + 1).rename(columns={"population": "previous"})
    both = population.merge(previous, on=[*keys, "year"], how="inner")
    both["person_years"] = (both["population"] + both["previous"]) / 2
    return both[["area_code", "year", "age", "sex", "person_years"]]


def annual_counts(deaths: pd.DataFrame, population: pd.DataFrame, group: AgeGroup,
                  cause_id: str = SUICIDE_CAUSE) -> pd.DataFrame:
    """Deaths and person-years per area, year and sex (M, K, T) for one age group.

    Raises:
        ValueError: a death age band lies partly inside the group, or the deaths
            for the group do not start and end at the group's ages.
    """
    d = deaths[deaths["cause_id"] == cause_id]
    bands = d[["age_id", "age_from", "age_to"]].drop_duplicates()
    for band in bands.itertuples():
        age_to = None if pd.isna(band.age_to) else int(band.age_to)
        if _straddles(int(band.age_from), age_to, group):
            raise ValueError(f"åldersgrupp {band.age_id} ({band.age_from}–{band.age_to}) ligger delvis "
                             f"inom {group.label}; kan inte delas")
    inside = d[[_within(int(r.age_from), None if pd.isna(r.age_to) else int(r.age_to), group)
                for r in d.itertuples()]]
    if inside.empty:
        raise ValueError(f"inga åldersgrupper inom {group.label}")
    lows = int(inside["age_from"].min())
    tops = inside["age_to"].dropna()
    open_top = bool(inside["age_to"].isna().any())
    if lows != group.age_from:
        raise ValueError(f"åldersgrupperna för {group.label} börjar vid {lows}, inte {group.age_from}")
    if (group.age_to is None) != open_top or (group.age_to is not None and int(tops.max()) != group.age_to):
        raise ValueError(f"åldersgrupperna för {group.label} slutar inte vid gruppens övre gräns")
    band_ids = ",".join(sorted(set(inside["age_id"].astype(str)), key=lambda x: (len(x), x)))
    dsum = inside.groupby(["area_code", "year", "sex"], as_index=False)["deaths"].sum()
    mp = mean_population(population)
    ages = mp["age"] >= group.age_from
    if group.age_to is not None:
        ages &= mp["age"] <= group.age_to
    psum = mp[ages].groupby(["area_code", "year", "sex"], as_index=False)["person_years"].sum()
    both = dsum.merge(psum, on=["area_code", "year", "sex"], how="inner")
    total = both.groupby(["area_code", "year"], as_index=False)[["deaths", "person_years"]].sum().assign(sex="T")
    out = pd.concat([both, total], ignore_index=True)
    out.attrs["age_ids"] = band_ids
    return out.sort_values(["area_code", "sex", "year"], ignore_index=True)


def pooled(annual: pd.DataFrame, years: int) -> pd.DataFrame:
    """Σ deaths and Σ person-years over each run of `years` consecutive years; period = last year."""
    rows = []
    for (area, sex), series in annual.groupby(["area_code", "sex"]):
        by_year = series.set_index("year")
        for last in by_year.index:
            window = range(last - years + 1, last + 1)
            if all(y in by_year.index for y in window):
                part = by_year.loc[list(window)]
                rows.append((area, sex, last, window.start, float(part["deaths"].sum()),
                             float(part["person_years"].sum())))
    return pd.DataFrame(rows, columns=["area_code", "sex", "year", "first_year", "deaths", "person_years"])


def compute_rates(deaths: pd.DataFrame, population: pd.DataFrame, *, cause_id: str = SUICIDE_CAUSE,
                  areas: tuple[str, ...] = AREAS, windows: tuple[int, ...] = WINDOWS,
                  fetched_at: dt.datetime | None = None) -> pd.DataFrame:
    """Suicide rates per 100 000 in the warehouse observation shape.

    Args:
        deaths: etl.socialstyrelsen.load.DEATH_COLUMNS, zeros already filled in.
        population: etl.scb.load.POPULATION_COLUMNS (31 December, single-year ages).
        cause_id: the register's cause id (2026 = X60–X84).
        areas: area codes to compute for.
        windows: 1 = annual, 3 and 5 = pooled years.
        fetched_at: stored with every row.

    Returns:
        OBSERVATION_COLUMNS rows, value = Σ deaths / Σ person-years × 100 000,
        with numerator (deaths) and denominator (person-years).
    """
    fetched_at = fetched_at or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    deaths = deaths[deaths["area_code"].isin(areas)]
    labels = deaths.loc[deaths["cause_id"] == cause_id, "cause_label"].drop_duplicates().tolist()
    cause_text = f"diagnos {cause_id}" + (f" ({labels[0]})" if labels else "")
    frames = []
    for group in AGE_GROUPS:
        annual = annual_counts(deaths, population[population["area_code"].isin(areas)], group, cause_id)
        for n in windows:
            p = pooled(annual, n)
            if p.empty:
                continue
            p = p[p["person_years"] > 0]
            span = p["first_year"].astype(str).where(p["first_year"] == p["year"],
                                                     p["first_year"].astype(str) + "–" + p["year"].astype(str))
            frames.append(pd.DataFrame({
                "indicator_id": indicator_id(group, n), "area_code": p["area_code"],
                "period": p["year"].astype(str), "sex": p["sex"], "subgroup": "",
                "value": p["deaths"] / p["person_years"] * PER, "numerator": p["deaths"],
                "denominator": p["person_years"], "status": "ok", "source": SOURCE,
                "source_ref": ("Dödsorsaksregistret " + cause_text + f", åldersgrupper {annual.attrs['age_ids']} "
                               f"({group.label}), år " + span + "; befolkning SCB TAB638, medelfolkmängd "
                               "(medel av 31 dec föregående och innevarande år)"),
                "fetched_at": fetched_at,
            }))
    if not frames:
        return pd.DataFrame(columns=OBSERVATION_COLUMNS)
    return pd.concat(frames, ignore_index=True)[OBSERVATION_COLUMNS]


def mean_of_annual_rates(deaths_by_year: dict[int, float], person_years_by_year: dict[int, float]) -> float:
    """The arithmetic mean of yearly rates: what the 2019 Jämtland plan calls "medel 2011–2015".

    Kept only to document and test the plan's published figures. Målkoll never
    publishes it: it weighs a small year like a large one; use `pooled`.
    """
    rates = [deaths_by_year[y] / person_years_by_year[y] * PER for y in deaths_by_year]
    return sum(rates) / len(rates)


def catalogue_entries_3yr() -> list[dict[str, Any]]:
    """Catalogue definitions (config/indicators/derived.yml shape) for the 3-year ids."""
    common = {"unit": "per_100k", "direction": "lower_is_better", "source": SOURCE,
              "frequency": "annual", "pooled_years": 3}
    ref = "Dödsorsaksregistret (Socialstyrelsen), X60–X84 (diagnos-id 2026); befolkning SCB TAB638"
    caveat = ("Treårsfönster: smalare intervall än ett enskilt år men fortfarande få dödsfall i ett litet län. "
              "Perioden anger fönstrets sista år.")
    return [
        {"id": "suicide_rate_15_24_3yr", "title_sv": "Suicid per 100 000 invånare 15–24 år, tre år sammanslagna",
         **common, "source_ref": ref,
         "definition": "Summan av döda i suicid (X60–X84) 15–24 år under tre år delat med summan av "
                       "medelfolkmängden 15–24 år samma tre år, gånger 100 000. Perioden anger "
                       "treårsfönstrets sista år (2016 = 2014–2016).",
         "caveats": caveat},
        {"id": "suicide_rate_all_ages_3yr", "title_sv": "Suicid per 100 000 invånare, alla åldrar, tre år sammanslagna",
         **common, "source_ref": ref,
         "definition": "Summan av döda i suicid (X60–X84) under tre år delat med summan av medelfolkmängden "
                       "samma tre år, gånger 100 000. Perioden anger fönstrets sista år.",
         "caveats": caveat},
    ]
