"""Measures (a) one indicator page's data + status and (b) a 60-goal overview, with naive baselines.

The measured paths are the production functions the app calls
(warehouse.read.series, malkoll.goal_status.with_intervals/indicator_status,
plan_status). The baselines do the same work the naive way: load every
observation into pandas, then filter, so the ratio shows what filtering in
DuckDB buys at national scale.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bench.scale import Scale
from bench.timing import Measure, repeat
from malkoll.assessment import goal_status
from malkoll.goal_status import GoalStatus, indicator_status, plan_status, with_intervals
from malkoll.plan import Plan, PlanIndicator
from warehouse import read
from warehouse.db import read_only

KEY = ["indicator_id", "area_code", "sex", "subgroup"]


def page_indicator(plan: Plan, catalogue: list[dict]) -> PlanIndicator:
    """The plan's first indicator on a share with a target: the page with the most work (intervals)."""
    units = {i["indicator_id"]: i["unit"] for i in catalogue}
    return next(s for g in plan.goals for s in g.indicators if s.target and units.get(s.indicator) == "percent")


def indicator_page(warehouse: Path, spec: PlanIndicator, meta: dict) -> None:
    """What the indicator view computes: the series with intervals, and the goal indicator's statuses."""
    series = read.series(warehouse, spec.indicator, spec.area)
    with_intervals(series, meta)
    own = [r for r in series if r["sex"] == spec.sex and r["subgroup"] == spec.subgroup]
    indicator_status(spec, own, meta)


def all_observations(warehouse: Path) -> pd.DataFrame:
    with read_only(warehouse) as con:
        return con.execute("select * from observations").df()


def naive_indicator_page(warehouse: Path, spec: PlanIndicator, meta: dict) -> None:
    everything = all_observations(warehouse)
    series = everything[(everything["indicator_id"] == spec.indicator) & (everything["area_code"] == spec.area)]
    series = series.sort_values(["subgroup", "sex", "period"]).reset_index(drop=True)
    with_intervals(series.to_dict("records"), meta)
    own = series[(series["sex"] == spec.sex) & (series["subgroup"] == spec.subgroup)]
    indicator_status(spec, own.to_dict("records"), meta)


def naive_plan_status(plan: Plan, warehouse: Path) -> list[GoalStatus]:
    """plan_status's work with every observation loaded into pandas and filtered there."""
    everything = all_observations(warehouse)
    specs = [s for g in plan.goals for s in g.indicators]
    wanted = everything[everything["indicator_id"].isin({s.indicator for s in specs})
                        & everything["area_code"].isin({s.area for s in specs})]
    meta = {i["indicator_id"]: i for i in read.indicators(warehouse)}
    groups = dict(tuple(wanted.sort_values("period").groupby(KEY)))
    out = []
    for goal in plan.goals:
        statuses = [indicator_status(s, groups.get((s.indicator, s.area, s.sex, s.subgroup),
                                                   everything.head(0)).to_dict("records"), meta[s.indicator])
                    for s in goal.indicators]
        out.append(GoalStatus(goal, statuses, goal_status([s.headline for s in statuses])))
    return out


def catalogue_reads(warehouse: Path, indicator: str) -> None:
    """The catalogue queries a first visit to the indicator view runs before any series (cached after)."""
    read.indicators(warehouse)
    read.areas(warehouse)
    read.indicator_areas(warehouse, indicator)


def measure(warehouse: Path, plans: list[Plan], scale: Scale, log) -> list[Measure]:
    catalogue = read.indicators(warehouse)
    spec = page_indicator(plans[0], catalogue)
    meta = next(i for i in catalogue if i["indicator_id"] == spec.indicator)
    page = f"{spec.indicator} {spec.area} {spec.sex}"

    # The fast measures first, the naive baselines (gigabytes of pandas) after them.
    log(f"(a) indicator page {page}: {scale.repeats} runs")
    a = repeat(lambda: indicator_page(warehouse, spec, meta), scale.repeats)
    log(f"(b) overview, {len(plans)} plans of {len(plans[0].goals)} goals in turn: {scale.repeats} runs")
    b = []
    for i in range(scale.repeats):
        b += repeat(lambda: plan_status(plans[i % len(plans)], warehouse), 1, warmup=int(i < len(plans)))
    log("(a′) catalogue queries of the indicator page (uncached)")
    cat = repeat(lambda: catalogue_reads(warehouse, spec.indicator), max(3, scale.repeats // 3))
    cat_base = repeat(lambda: read.series(warehouse, spec.indicator, spec.area), max(3, scale.repeats // 3))
    log(f"(a, b) naive baselines: {scale.baseline_repeats} runs each")
    a_base = repeat(lambda: naive_indicator_page(warehouse, spec, meta), scale.baseline_repeats, warmup=0)
    b_base = []
    for i in range(scale.baseline_repeats):
        b_base += repeat(lambda: naive_plan_status(plans[i % len(plans)], warehouse), 1, warmup=0)

    goals = sum(len(p.goals) for p in plans) // len(plans)
    specs = sum(len(g.indicators) for g in plans[0].goals)
    ms = 1000.0
    return [
        Measure("a", "indicator page: data + status (read.series + goal_status)", "ms",
                [x * ms for x in a], [x * ms for x in a_base], "naive: all observations into pandas, filter",
                "≤ 100 ms p95, ≥ 20× baseline", limit=100, min_ratio=20,
                notes={"indicator": spec.indicator, "area": spec.area, "sex": spec.sex}),
        Measure("b", f"overview: {goals} goals with statuses (plan_status)", "ms",
                [x * ms for x in b], [x * ms for x in b_base], "naive: all observations into pandas, filter",
                "≤ 300 ms p95", limit=300,
                notes={"goals": goals, "plan_indicators": specs, "plans_in_turn": [p.id for p in plans],
                       "ms_per_plan": {p.id: [x * ms for x in b[i::len(plans)]] for i, p in enumerate(plans)}}),
        Measure("a′", "catalogue queries on a first visit (indicators, areas, indicator_areas)", "ms",
                [x * ms for x in cat], [x * ms for x in cat_base], "one read.series",
                "(none; explains c)", notes={"why": "the app caches these per warehouse version; "
                                                       "a cold start pays them once"}),
    ]
