"""Comparing areas for one indicator: funnel-plot limits, ranking and row shaping.

Plain, typed functions with no Streamlit, so the "Jämför" page, image
exports and tests compute the same thing. The figures are drawn in
:mod:`malkoll.compare_charts`.

Which chart (:func:`build_comparison`):

* **Funnel plot** when the unit is a share (percent) or a rate per
  inhabitants and every plotted area has a numerator and a denominator.
  Each area is a point at (denominator, value); control limits at 95 % and
  99.8 % are drawn around the reference value as functions of the
  denominator, so a small kommun is not "worst" only because its figure
  is noisy.
* **Ranked bars with 95 % intervals** when some areas have counts (Wilson
  for shares, exact Poisson/Byar for rates, as in :mod:`malkoll.stats`).
* **Plain ranked bars** when there are no counts (a median waiting time).

Funnel-limit methods, following Spiegelhalter D.J. (2005), "Funnel plots
for comparing institutional performance", *Statistics in Medicine* 24,
1185–1202:

* shares: the normal approximation around the reference proportion p0,
  ``p0 ± z·√(p0(1−p0)/n)``, z from :func:`malkoll.stats.z_for` (1.960 for
  95 %, 3.090 for 99.8 %, two-sided), clipped to 0–100 %;
* rates: exact Poisson limits with Spiegelhalter's interpolation (his
  appendix A.1.2): with expected count θ = ρ0·n, take the p-quantile
  y_p of Poisson(θ) (smallest y with F(y) ≥ p), interpolate
  ``y_p − (F(y_p) − p) / (F(y_p) − F(y_p − 1))`` so the limit curves are
  smooth rather than stepped, and divide by n. The lower limit is clipped
  at 0. Exact rather than Byar because the funnels here are mostly small
  expected counts (a kommun's 15–24-year-olds), where Byar drifts; above
  θ = :data:`NORMAL_ABOVE` the walk over the Poisson distribution would be
  slow and the normal limits θ ± z√θ are indistinguishable, so those are
  used.

The reference value p0 is the pooled value of the reference area
(Σnumerator/Σdenominator of its own row: the county for a region's
kommuner, Riket for the regions); if that row has no counts its published
value is used, and if it has no value either, the compared areas pooled.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

import pandas as pd

from malkoll.formatting import number
from malkoll.i18n import catalogue, t
from malkoll.stats import (is_share_suppressed, is_suppressed, rate_interval,
                           wilson_interval, z_for)

LEVELS: tuple[float, float] = (0.95, 0.998)
"""Control-limit levels of the funnel plot: about 2 and 3 standard errors."""

RATE_BASE: dict[str, float] = {"per_100k": 100_000.0, "per_1000": 1_000.0}
"""Units that are rates from counts, with the number of inhabitants they are per."""

COUNTED_UNITS = frozenset({"percent", *RATE_BASE})
"""Units for which numerator and denominator give an interval and funnel limits."""

NORMAL_ABOVE = 1e5
"""Expected count above which Poisson limits use the normal approximation (see module docstring)."""

Chart = Literal["funnel", "bars_with_intervals", "bars"]
Band = Literal["high_998", "high_95", "within", "low_95", "low_998"]
Shown = Literal["ok", "suppressed", "missing"]


# --------------------------------------------------------------------------
# Periods and settings
# --------------------------------------------------------------------------


def periods(rows: pd.DataFrame) -> list[str]:
    """Periods of the compared areas, newest first."""
    present = rows.loc[rows["role"] == "area", "period"]
    return sorted(present.unique().tolist(), reverse=True)


def latest_period(rows: pd.DataFrame, sex: str) -> str | None:
    """The newest period in which a compared area has a value for `sex` (else for any sex)."""
    areas = rows[(rows["role"] == "area") & rows["value"].notna()]
    for candidates in (areas[areas["sex"] == sex], areas):
        if not candidates.empty:
            return str(candidates["period"].max())
    everything = periods(rows)
    return everything[0] if everything else None


# --------------------------------------------------------------------------
# Funnel limits
# --------------------------------------------------------------------------


def share_limits(p0: float, n: float, level: float) -> tuple[float, float]:
    """Control limits for a share (percent, 0–100) of a group of `n`, around `p0` percent.

    ``p0 ± z·√(p0(1−p0)/n)`` on the 0–1 scale (Spiegelhalter 2005, normal
    approximation to the binomial), clipped to 0–100.

    Args:
        p0: Reference share in percent.
        n: Group size (the denominator), > 0.
        level: Two-sided level, e.g. 0.95 or 0.998.

    Returns:
        (lower, upper) in percent.
    """
    if n <= 0:
        raise ValueError(f"n must be positive, got {n!r}")
    p = p0 / 100.0
    half = z_for(level) * math.sqrt(max(p * (1.0 - p), 0.0) / n)
    return max(0.0, (p - half) * 100.0), min(100.0, (p + half) * 100.0)


def _poisson_quantile(p: float, mean: float) -> tuple[int, float, float]:
    """Smallest y with F(y) ≥ p for Poisson(mean), with F(y) and F(y − 1).

    Walks the probabilities upwards from about 12 standard deviations below
    the mean (the mass below is under 1e-30), so the cost grows with √mean,
    not with the mean.
    """
    sd = math.sqrt(mean)
    k = max(0, math.floor(mean - 12.0 * sd - 10.0))
    log_mean = math.log(mean)
    log_pmf = -mean + k * log_mean - math.lgamma(k + 1)
    below = 0.0
    ceiling = mean + 40.0 * sd + 50.0
    while True:
        cdf = below + math.exp(log_pmf)
        if cdf >= p or k > ceiling:
            return k, cdf, below
        below = cdf
        k += 1
        log_pmf += log_mean - math.log(k)


def poisson_limit(p: float, mean: float) -> float:
    """Spiegelhalter's interpolated p-quantile of Poisson(mean), on the count scale.

    ``y_p − (F(y_p) − p) / (F(y_p) − F(y_p − 1))``: the exact quantile y_p,
    moved down by the share of its probability step that lies above p, so
    that the limit varies smoothly with the mean. May be negative for small
    means and low p (callers clip rates at 0).
    """
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be strictly between 0 and 1, got {p!r}")
    if mean <= 0:
        return 0.0
    y, cdf, below = _poisson_quantile(p, mean)
    step = cdf - below
    return y - (cdf - p) / step if step > 0 else float(y)


def rate_limits(rate0: float, n: float, level: float, per: float = 100_000.0) -> tuple[float, float]:
    """Control limits for a rate (per `per` inhabitants) in a population of `n`, around `rate0`.

    Exact Poisson limits with interpolation (Spiegelhalter 2005): θ =
    rate0·n/per expected events; the limits are the (1 ∓ level)/2
    quantiles of Poisson(θ) scaled back to a rate. Above
    :data:`NORMAL_ABOVE` expected events, θ ± z·√θ.

    Args:
        rate0: Reference rate, e.g. 9.7 suicides per 100 000.
        n: Population or person-years (the denominator), > 0.
        level: Two-sided level, e.g. 0.95 or 0.998.
        per: Rate base.

    Returns:
        (lower, upper) as rates per `per`, neither below 0. Below about
        θ = 0.025 even the 97.5 % quantile is 0 events, so the upper limit
        is 0: with exact limits, a single event is then already unusual.
    """
    if n <= 0:
        raise ValueError(f"n must be positive, got {n!r}")
    theta = rate0 * n / per
    tail = (1.0 - level) / 2.0
    if theta > NORMAL_ABOVE:
        half = z_for(level) * math.sqrt(theta)
        low, high = theta - half, theta + half
    else:
        low, high = poisson_limit(tail, theta), poisson_limit(1.0 - tail, theta)
    scale = per / n
    return max(0.0, low * scale), max(0.0, high * scale)


def funnel_limits(unit: str, centre: float, n: float, level: float) -> tuple[float, float]:
    """Control limits for `unit` ('percent' or a rate unit) at denominator `n`."""
    if unit == "percent":
        return share_limits(centre, n, level)
    if unit in RATE_BASE:
        return rate_limits(centre, n, level, per=RATE_BASE[unit])
    raise ValueError(f"no funnel limits for unit {unit!r}")


@dataclass(frozen=True)
class LimitCurve:
    """One level's control limits along a grid of denominators, for drawing."""

    level: float
    n: list[float]
    lower: list[float]
    upper: list[float]


def funnel_curves(unit: str, centre: float, n_min: float, n_max: float,
                  levels: Sequence[float] = LEVELS, points: int = 120) -> list[LimitCurve]:
    """Limit curves over denominators from `n_min` to `n_max` (log-spaced: the funnel narrows fast).

    Args:
        unit: 'percent' or a rate unit.
        centre: Reference value in the unit's scale.
        n_min: Smallest denominator on the grid, > 0.
        n_max: Largest denominator on the grid.
        levels: Two-sided levels.
        points: Grid size.
    """
    n_min = max(n_min, 1.0)
    n_max = max(n_max, n_min * 1.01)
    step = math.log(n_max / n_min) / (points - 1)
    grid = [n_min * math.exp(i * step) for i in range(points)]
    curves = []
    for level in levels:
        limits = [funnel_limits(unit, centre, n, level) for n in grid]
        curves.append(LimitCurve(level, grid, [lo for lo, _ in limits], [hi for _, hi in limits]))
    return curves


def funnel_band(unit: str, centre: float, value: float, n: float, levels: Sequence[float] = LEVELS) -> Band:
    """Where a point lies in the funnel: outside 99.8 %, between 95 and 99.8 %, or within 95 %."""
    inner, outer = (funnel_limits(unit, centre, n, level) for level in sorted(levels))
    if value > outer[1]:
        return "high_998"
    if value < outer[0]:
        return "low_998"
    if value > inner[1]:
        return "high_95"
    if value < inner[0]:
        return "low_95"
    return "within"


# --------------------------------------------------------------------------
# Rows to a comparison
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaValue:
    """One compared area in the chosen period and sex.

    Attributes:
        status: What is shown: 'ok' (plotted), 'suppressed' ("för få fall":
            withheld by the source or a count below the threshold) or 'missing'.
        value: The published value (None unless status is 'ok').
        numerator, denominator: Counts where known and usable (never shown for suppressed rows).
        lower, upper: 95 % interval of the value (Wilson or Poisson), where counts allow.
        limits: Funnel limits at this area's denominator, by level (funnel charts only).
        band: Position in the funnel, or against the reference by the 95 % interval.
        highlight: The chosen region, when all regions are compared.
    """

    area_code: str
    name: str
    status: Shown
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    lower: float | None = None
    upper: float | None = None
    limits: dict[float, tuple[float, float]] = field(default_factory=dict)
    band: Band | None = None
    highlight: bool = False


@dataclass(frozen=True)
class Reference:
    """A reference line: the county or Riket (or the compared areas pooled).

    Attributes:
        role: 'county', 'country' or 'areas' (the compared areas pooled).
        value: Reference value in the indicator's unit.
        basis: 'counts' (Σnumerator/Σdenominator), 'value' (published value) or 'areas_sum'.
    """

    area_code: str
    name: str
    role: str
    value: float
    basis: str


@dataclass(frozen=True)
class Comparison:
    """Everything the page draws and writes for one indicator, period and sex."""

    indicator_id: str
    unit: str
    period: str
    sex: str
    subgroup: str
    level: Literal["municipalities", "regions"]
    chart: Chart
    areas: list[AreaValue]
    references: list[Reference]
    centre: Reference | None
    curves: list[LimitCurve] = field(default_factory=list)

    @property
    def shown(self) -> list[AreaValue]:
        """Plotted areas, highest value first."""
        return [a for a in self.areas if a.status == "ok"]

    @property
    def suppressed(self) -> list[AreaValue]:
        return [a for a in self.areas if a.status == "suppressed"]

    @property
    def missing(self) -> list[AreaValue]:
        return [a for a in self.areas if a.status == "missing"]


def _known(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and not pd.isna(value)


def usable_counts(unit: str, numerator: object, denominator: object) -> tuple[int, float] | None:
    """(numerator, denominator) if they can give an interval for `unit`, else None.

    Counts must be whole (events, individuals); a share's denominator too,
    and not below its numerator. A rate's denominator may be person-years.
    """
    if unit not in COUNTED_UNITS or not (_known(numerator) and _known(denominator)):
        return None
    num, den = float(numerator), float(denominator)
    if num < 0 or den <= 0 or not num.is_integer():
        return None
    if unit == "percent" and (not den.is_integer() or num > den):
        return None
    return int(num), den


def shown_status(row: pd.Series, unit: str, threshold: int | None = None) -> Shown:
    """'suppressed' also when the value is published but its count is below the threshold."""
    if row["status"] == "suppressed":
        return "suppressed"
    if row["status"] != "ok" or not _known(row["value"]):
        return "missing"
    counts = usable_counts(unit, row["numerator"], row["denominator"])
    if counts is not None:
        num, den = counts
        hidden = (is_share_suppressed(num, int(den), threshold) if unit == "percent"
                  else is_suppressed(num, threshold))
        if hidden:
            return "suppressed"
    return "ok"


def interval(unit: str, numerator: int, denominator: float) -> tuple[float, float] | None:
    """95 % interval in the unit's scale: Wilson for percent, exact Poisson/Byar for rates."""
    if unit == "percent":
        found = wilson_interval(numerator, int(denominator))
        return None if found is None else (found.lower * 100.0, found.upper * 100.0)
    found = rate_interval(numerator, denominator, per=RATE_BASE[unit])
    return None if found is None else (found.lower, found.upper)


def _scaled(unit: str, numerator: float, denominator: float) -> float:
    return numerator / denominator * (100.0 if unit == "percent" else RATE_BASE[unit])


def _reference(row: pd.Series, unit: str, threshold: int) -> Reference | None:
    if shown_status(row, unit, threshold) != "ok":
        return None
    counts = usable_counts(unit, row["numerator"], row["denominator"])
    if counts is not None:
        return Reference(row["area_code"], row["name"], row["role"], _scaled(unit, *counts), "counts")
    return Reference(row["area_code"], row["name"], row["role"], float(row["value"]), "value")


def subgroups(rows: pd.DataFrame) -> list[str]:
    """The groups the rows report ('' for everyone), sorted."""
    return sorted(rows["subgroup"].fillna("").unique().tolist())


def pick_subgroup(rows: pd.DataFrame) -> str:
    """Everyone ('') when the indicator has it, else its first subgroup."""
    groups = subgroups(rows)
    return "" if "" in groups or not groups else groups[0]


def build_comparison(rows: pd.DataFrame, *, indicator_id: str, unit: str, period: str, sex: str,
                     highlight: str | None = None, threshold: int | None = None,
                     subgroup: str | None = None) -> Comparison:
    """The comparison for one period and sex from the rows of ``compare_areas.sql``.

    Args:
        rows: Every period and sex of the compared areas and references
            (columns role, area_code, name, area_type, period, sex, subgroup,
            value, numerator, denominator, status).
        indicator_id: For the record.
        unit: The indicator's unit ('percent', 'per_100k', 'days' …).
        period: Warehouse period ('2024', '2026-06').
        sex: 'T', 'K' or 'M'.
        highlight: Area code to mark (the chosen region when regions are compared).
        threshold: Counts below this are "för få fall".
        subgroup: The group to compare ('' for everyone); default `pick_subgroup`.

    Returns:
        Areas ranked highest value first (then suppressed, then missing),
        references (county before Riket), the funnel centre and curves.
    """
    subgroup = pick_subgroup(rows) if subgroup is None else subgroup
    chosen = rows[(rows["period"] == period) & (rows["sex"] == sex) & (rows["subgroup"].fillna("") == subgroup)]
    area_rows = chosen[chosen["role"] == "area"]
    level = "municipalities" if (rows.loc[rows["role"] == "area", "area_type"] == "municipality").any() else "regions"

    references = []
    for role in ("county", "country"):
        for _, row in chosen[chosen["role"] == role].iterrows():
            found = _reference(row, unit, threshold)
            if found is not None:
                references.append(found)

    areas: list[AreaValue] = []
    for _, row in area_rows.iterrows():
        status = shown_status(row, unit, threshold)
        counts = usable_counts(unit, row["numerator"], row["denominator"]) if status == "ok" else None
        bounds = interval(unit, *counts) if counts else None
        areas.append(AreaValue(
            area_code=row["area_code"], name=row["name"], status=status,
            value=float(row["value"]) if status == "ok" else None,
            numerator=float(counts[0]) if counts else None,
            denominator=counts[1] if counts else None,
            lower=bounds[0] if bounds else None, upper=bounds[1] if bounds else None,
            highlight=row["area_code"] == highlight,
        ))

    # Areas with values in other periods but no row in this one: listed as missing, not dropped silently.
    present = set(area_rows["area_code"])
    same_kind = rows[(rows["role"] == "area") & (rows["sex"] == sex) & (rows["subgroup"].fillna("") == subgroup)]
    for code, name in dict(zip(same_kind["area_code"], same_kind["name"])).items():
        if code not in present:
            areas.append(AreaValue(area_code=code, name=name, status="missing", highlight=code == highlight))

    centre_role = "county" if level == "municipalities" else "country"
    centre = next((r for r in references if r.role == centre_role), None)
    counted = [usable_counts(unit, r["numerator"], r["denominator"]) for _, r in area_rows.iterrows()
               if r["status"] != "missing"]
    counted = [c for c in counted if c is not None]
    if centre is None and counted:
        centre = Reference("", t("compare_areas_pooled"), "areas", _scaled(
            unit, sum(c[0] for c in counted), math.fsum(c[1] for c in counted)), "areas_sum")

    shown = [a for a in areas if a.status == "ok"]
    funnel = (unit in COUNTED_UNITS and centre is not None and bool(shown)
              and all(a.numerator is not None for a in shown))
    curves: list[LimitCurve] = []
    if funnel:
        assert centre is not None
        areas = [_in_funnel(a, unit, centre.value) if a.status == "ok" else a for a in areas]
        dens = [a.denominator for a in shown if a.denominator]
        curves = funnel_curves(unit, centre.value, min(dens) / 1.5, max(dens) * 1.5)
        chart: Chart = "funnel"
    elif any(a.lower is not None for a in shown):
        chart = "bars_with_intervals"
        ref = centre or (references[0] if references else None)
        if ref is not None:
            areas = [_against(a, ref.value) for a in areas]
    else:
        chart = "bars"

    return Comparison(indicator_id=indicator_id, unit=unit, period=period, sex=sex, subgroup=subgroup,
                      level=level, chart=chart, areas=rank(areas), references=references,
                      centre=centre, curves=curves)


def _in_funnel(area: AreaValue, unit: str, centre: float) -> AreaValue:
    assert area.value is not None and area.denominator is not None
    limits = {level: funnel_limits(unit, centre, area.denominator, level) for level in LEVELS}
    return replace(area, limits=limits, band=funnel_band(unit, centre, area.value, area.denominator))


def _against(area: AreaValue, reference: float) -> AreaValue:
    if area.lower is None or area.upper is None:
        return area
    band: Band = "high_95" if area.lower > reference else "low_95" if area.upper < reference else "within"
    return replace(area, band=band)


def rank(areas: Sequence[AreaValue]) -> list[AreaValue]:
    """Plotted areas by value, highest first (ties by name), then "för få fall", then missing."""
    order = {"ok": 0, "suppressed": 1, "missing": 2}
    return sorted(areas, key=lambda a: (order[a.status], -(a.value or 0.0), a.name))


# --------------------------------------------------------------------------
# Words and tables (Swedish, from the catalogue)
# --------------------------------------------------------------------------


def with_unit(value: float | None, unit: str) -> str:
    """'78,6 %', '9,72 per 100 000', '45 dagar'; the number alone for other units."""
    text = catalogue().get(f"compare_value_{unit}")
    return text.format(value=number(value)) if text and value is not None else number(value)


def short_name(name: str) -> str:
    """'Region Jämtland Härjedalen' -> 'Jämtland Härjedalen', for point labels."""
    return name.removeprefix("Region ").strip()


def _names(areas: Sequence[AreaValue], unit: str, values: bool = True) -> str:
    parts = [f"{a.name} ({with_unit(a.value, unit)})" if values else a.name for a in areas]
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {t('compare_and')} {parts[-1]}"


def summary(comparison: Comparison, indicator: str, period: str) -> str:
    """The text alternative: one Swedish paragraph saying what the chart shows.

    For a funnel: which areas lie outside the 99.8 % limits (and between 95
    and 99.8 %), above or below; for bars: highest and lowest and which
    intervals exclude the reference; always the areas with too few cases.
    """
    c = comparison
    unit = c.unit
    shown = c.shown
    sentences = []
    level_noun = t(f"compare_noun_{c.level}" + ("_one" if len(shown) == 1 else ""))
    sex = t(f"sex_{c.sex}").lower()
    if not shown:
        sentences.append(t("compare_summary_empty", indicator=indicator, period=period, sex=sex))
    elif c.chart == "funnel":
        assert c.centre is not None
        sentences.append(t("compare_summary_funnel", indicator=indicator, period=period, sex=sex,
                           count=len(shown), level=level_noun, centre=c.centre.name,
                           value=with_unit(c.centre.value, unit)))
        for band in ("high_998", "low_998", "high_95", "low_95"):
            members = [a for a in shown if a.band == band]
            if members:
                sentences.append(t(f"compare_summary_{band}", names=_names(members, unit)))
        if not any(a.band in ("high_998", "low_998") for a in shown):
            sentences.append(t("compare_summary_none_outside_998"))
        within = sum(a.band == "within" for a in shown)
        sentences.append(t("compare_summary_within", count=within, total=len(shown)))
    else:
        if len(shown) == 1:
            sentences.append(t("compare_summary_bars_one", indicator=indicator, period=period, sex=sex,
                               name=shown[0].name, value=with_unit(shown[0].value, unit)))
        else:
            top, bottom = shown[0], shown[-1]
            sentences.append(t("compare_summary_bars", indicator=indicator, period=period, sex=sex,
                               count=len(shown), level=level_noun, top=top.name,
                               top_value=with_unit(top.value, unit), bottom=bottom.name,
                               bottom_value=with_unit(bottom.value, unit)))
        reference = c.centre or (c.references[0] if c.references else None)
        if c.chart == "bars" and len(shown) > 1:
            sentences.append(t("compare_summary_no_counts"))
        elif c.chart == "bars_with_intervals" and reference is not None:
            high = [a for a in shown if a.band == "high_95"]
            low = [a for a in shown if a.band == "low_95"]
            if high:
                sentences.append(t("compare_summary_ci_high", reference=reference.name, names=_names(high, unit)))
            if low:
                sentences.append(t("compare_summary_ci_low", reference=reference.name, names=_names(low, unit)))
            if not high and not low:
                sentences.append(t("compare_summary_ci_none", reference=reference.name))
    if c.references:
        refs = ", ".join(f"{r.name} {with_unit(r.value, unit)}" for r in c.references)
        sentences.append(t("compare_summary_references", references=refs))
    if c.suppressed:
        sentences.append(t("compare_summary_suppressed", names=_names(c.suppressed, unit, values=False)))
    if c.missing:
        sentences.append(t("compare_summary_missing", names=_names(c.missing, unit, values=False)))
    return " ".join(sentences)


def _count_text(value: float | None) -> str:
    return "" if value is None else number(value, 0 if float(value).is_integer() else 1)


def _range(bounds: tuple[float, float] | None) -> str:
    return "" if bounds is None else f"{number(bounds[0])}\u2013{number(bounds[1])}"


def table(comparison: Comparison) -> pd.DataFrame:
    """The chart as a table with Swedish number formatting, ranked as plotted; references last.

    Suppressed areas show "för få fall" and no counts (a count of 3 is
    exactly what suppression hides).
    """
    c = comparison
    rows = []
    for rank_no, area in enumerate(c.areas, start=1):
        row = {
            t("compare_col_rank"): str(rank_no) if area.status == "ok" else "",
            t("col_area"): area.name,
            t("col_value"): number(area.value) if area.status == "ok" else t(f"status_{area.status}"),
        }
        if c.unit in COUNTED_UNITS:
            row[t("col_numerator")] = _count_text(area.numerator)
            row[t("col_denominator")] = _count_text(area.denominator)
        if c.chart == "funnel":
            row[t("compare_col_limits_95")] = _range(area.limits.get(0.95))
            row[t("compare_col_limits_998")] = _range(area.limits.get(0.998))
        elif c.chart == "bars_with_intervals":
            bounds = (area.lower, area.upper) if area.lower is not None and area.upper is not None else None
            row[t("compare_col_interval")] = _range(bounds)
        if c.chart != "bars":
            row[t("compare_col_position")] = t(f"compare_band_{c.chart}_{area.band}") if area.band else ""
        rows.append(row)
    for ref in c.references:
        row = {t("compare_col_rank"): "", t("col_area"): t("compare_reference_row", name=ref.name),
               t("col_value"): number(ref.value)}
        rows.append(row)
    frame = pd.DataFrame(rows)
    return frame.fillna("")
