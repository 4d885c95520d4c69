"""The status of every goal in a plan, from the warehouse and the plan's targets.

This is where a plan indicator meets its data: the warehouse rows become
`assessment.Point`s (with Wilson or Poisson intervals where counts are
known), monthly values are summarised per year, and the two statuses are
computed: against the target now, and on track to the deadline. The CLI,
the follow-up report and the app all call `plan_status`.

Goal rule: each indicator contributes its *headline* status, which is its
progress to the deadline when that can be assessed and otherwise its
status against the target now; `assessment.goal_status` then lets the worst
assessable headline decide and counts the ones that cannot be assessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from malkoll.assessment import (Assessment, Point, Target, assess_against_target, assess_progress,
                                goal_status, project_at_current_pace, rate_point, share_point)
from malkoll.formatting import MONTHS_SV_SHORT, period_label, pooled_window
from malkoll.i18n import label
from malkoll.plan import Goal, Plan, PlanIndicator
from warehouse import read

KEY = ["indicator_id", "area_code", "sex", "subgroup"]  # one plan indicator's series
NO_DATA = Assessment("cannot_assess", "Kan inte bedömas", "Det finns inga värden i lagret för indikatorn ännu.")
ALL_MISSING = Assessment("cannot_assess", "Kan inte bedömas",
                         "Källan anger att värde saknas för varje period som finns i lagret.")
NO_INDICATOR = Assessment("cannot_assess", "Kan inte bedömas", "Målet har ingen mätbar indikator i planen.")


@dataclass
class IndicatorStatus:
    """One plan indicator with its data and both statuses."""

    spec: PlanIndicator
    title: str
    unit: str
    points: list[Point]
    latest: Point | None
    latest_label: str
    against_target: Assessment
    progress: Assessment
    projection: float | None
    source: str = ""
    fetched_at: str = ""

    @property
    def headline(self) -> Assessment:
        return self.progress if self.progress.code != "cannot_assess" else self.against_target

    @property
    def group(self) -> str:
        """Who the row follows beyond the area: 'Kvinnor, Åk 9', '' for everyone. A goal may follow one
        indicator for several sexes or subgroups, and their rows must be told apart."""
        return ", ".join(x for x in (label("sex", self.spec.sex) if self.spec.sex != "T" else "", self.spec.subgroup) if x)

    @property
    def change(self) -> float | None:
        """The latest value minus the one before it (values shown only); None with fewer than two."""
        shown = [p for p in self.points if p.value is not None and not p.suppressed]
        if len(shown) < 2:
            return None
        change = shown[-1].value - shown[-2].value
        return 0.0 if abs(change) < 1e-9 else change

    @property
    def trend(self) -> str | None:
        """'better', 'worse' or 'same' from the last two values, as the plan counts better; None if unknown."""
        change = self.change
        if change is None:
            return None
        if change == 0:
            return "same"
        better = change > 0 if self.spec.direction == "higher_is_better" else change < 0
        return "better" if better else "worse"

    @property
    def trend_arrow(self) -> str:
        """Which way the value moved (↗ up, ↘ down, → not at all): a rise can be worse, so the arrow is
        the movement and the word beside it (trend) the judgement."""
        change = self.change
        return "" if change is None else "→" if change == 0 else "↗" if change > 0 else "↘"


@dataclass
class GoalStatus:
    goal: Goal
    indicators: list[IndicatorStatus] = field(default_factory=list)
    status: Assessment = NO_INDICATOR

    @property
    def worsening(self) -> bool:
        """Any indicator whose latest change went the wrong way."""
        return any(s.trend == "worse" for s in self.indicators)


def _period(period: str, pooled_years: int | None) -> str:
    """Warehouse periods of pooled indicators name the window's last year; make it a window."""
    if pooled_years and len(period) == 4:
        return f"{int(period) - pooled_years + 1}-{period}"
    return period


def known(value: Any) -> bool:
    """A count is there: not None (a NULL) and not NaN (a gap in a pandas column)."""
    return value is not None and value == value


def to_point(row: Mapping[str, Any], unit: str, pooled_years: int | None) -> Point | None:
    """A warehouse row as a Point with an interval where its counts allow; None if missing.

    The value is the published one; the counts give the interval and decide
    suppression (a count below the threshold is shown as "för få fall").
    """
    period = _period(row["period"], pooled_years)
    num, den = row["numerator"], row["denominator"]
    if row["status"] == "missing":
        return None
    if row["status"] == "suppressed":
        return Point(period, None, numerator=num if known(num) else None,
                     denominator=den if known(den) else None, suppressed=True)
    counted = None
    if known(num) and known(den) and float(num).is_integer():
        if unit == "percent" and float(den).is_integer():
            counted = share_point(period, int(num), int(den))
        elif unit in ("per_100k", "per_1000"):
            counted = rate_point(period, int(num), float(den), per=100_000 if unit == "per_100k" else 1000)
    if counted is None:
        return Point(period, float(row["value"]))
    return replace(counted, value=float(row["value"]))


def pooled_years_of(meta: Mapping[str, Any] | None) -> int | None:
    """An indicators row's pooled_years (3 or 5) or None."""
    return None if meta is None else pooled_window(meta["pooled_years"])


def with_intervals(series: list[Mapping[str, Any]], meta: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The series rows, each with `lower`, `upper` (95 % interval where counts allow) and `shown_status`.

    `meta` is the indicator's catalogue row (unit, pooled_years). `shown_status`
    is 'suppressed' also where the warehouse value is fine but its count is
    below the suppression threshold, so displays show "för få fall".
    """
    unit, pooled_years = meta["unit"], pooled_years_of(meta)
    out = []
    for row in series:
        point = to_point(row, unit, pooled_years)
        out.append({**row, "lower": point.lower if point else None, "upper": point.upper if point else None,
                    "shown_status": "suppressed" if point is not None and point.suppressed else row["status"]})
    return out


def summarise_months(points: list[Point]) -> tuple[list[Point], dict[str, str]]:
    """Annual points as they are; a year known only by months becomes its months' mean.

    Plans follow monthly series (BUP) per year: "63,5 % jan–aug 2018". Comparing
    one noisy month with an annual target would swing the status month by month.
    Returns the points and, per summarised year, its label ("jan–aug 2018").
    """
    annual = {p.period: p for p in points if len(p.period) != 7}
    by_year: dict[str, list[Point]] = {}
    for p in points:
        if len(p.period) == 7 and p.value is not None:
            by_year.setdefault(p.period[:4], []).append(p)
    labels = {}
    for year, months in by_year.items():
        if year in annual:
            continue
        months.sort(key=lambda p: p.period)
        first, last = int(months[0].period[5:]), int(months[-1].period[5:])
        labels[year] = (f"{MONTHS_SV_SHORT[first - 1]}–{MONTHS_SV_SHORT[last - 1]} {year}"
                        if len(months) < 12 else year)
        annual[year] = Point(year, sum(p.value for p in months) / len(months))
    return sorted(annual.values(), key=lambda p: p.time_position), labels


def indicator_status(spec: PlanIndicator, rows: list[Mapping[str, Any]],
                     meta: Mapping[str, Any] | None) -> IndicatorStatus:
    """Both statuses of one plan indicator from its warehouse rows (plan_series.sql columns, oldest first)."""
    title = meta["title_sv"] if meta is not None else spec.indicator
    unit = meta["unit"] if meta is not None else ""
    pooled = pooled_years_of(meta)
    raw = [p for p in (to_point(r, unit, pooled) for r in rows) if p is not None]
    points, labels = summarise_months(raw)
    target = spec.target or Target(">=" if spec.direction == "higher_is_better" else "<=", None)
    if not points:
        why = ALL_MISSING if rows else NO_DATA  # rows, each marked missing by its source, or none at all
        return IndicatorStatus(spec, title, unit, [], None, "", why, why, None)
    latest = points[-1]
    # A pooled window reads "2020–2024" (en dash), as in the charts and tables; its period keeps the hyphen.
    latest_label = labels.get(latest.period, period_label(latest.period))
    against = assess_against_target(latest, target, spec.direction)
    progress = assess_progress(points, spec.baseline, target, spec.direction, spec.deadline, spec.milestones)
    # No projection where progress cannot be assessed (too few cases, too wide an interval): the chart
    # and the tables would forecast what the assessment just declined to judge.
    projection = project_at_current_pace(points, spec.baseline, spec.deadline) \
        if spec.deadline and progress.code != "cannot_assess" else None
    fetched = max((r["fetched_at"] for r in rows if r["fetched_at"] is not None), default=None)
    return IndicatorStatus(spec, title, unit, points, latest, latest_label, against, progress, projection,
                           source="; ".join(dict.fromkeys(r["source"] for r in rows)),
                           fetched_at=fetched.strftime("%Y-%m-%d") if fetched is not None else "")


def plan_status(plan: Plan, warehouse: Path, until_year: int | None = None) -> list[GoalStatus]:
    """Every goal of the plan with its indicators' statuses, in plan order (one connection).

    Args:
        until_year: only values up to and including this year (a follow-up "as of" a year).
    """
    specs = [i for g in plan.goals for i in g.indicators]
    keys = sorted({(s.indicator, s.area, s.sex, s.subgroup) for s in specs})
    rows, catalogue = read.plan_inputs(warehouse, keys)
    if until_year is not None:
        rows = [r for r in rows if int(r["period"][:4]) <= until_year]
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault(tuple(r[k] for k in KEY), []).append(r)
    meta = {r["indicator_id"]: r for r in catalogue}
    out = []
    for goal in plan.goals:
        statuses = [indicator_status(s, groups.get((s.indicator, s.area, s.sex, s.subgroup), []),
                                     meta.get(s.indicator)) for s in goal.indicators]
        status = goal_status([s.headline for s in statuses]) if statuses else NO_INDICATOR
        out.append(GoalStatus(goal, statuses, status))
    return out
