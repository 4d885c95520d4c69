"""Goal statuses as one flat table, for `malkoll status` (table, CSV, JSON) and exports.

Only the table needs pandas, and imports it itself: Översikt shows the texts
on a meeting's first view, which runs without pandas (warehouse/read.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from malkoll.formatting import COMPARISON_SV, UNIT, milestone_text, number, value_text
from malkoll.goal_status import GoalStatus, IndicatorStatus
from malkoll.plan import Plan

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = [
    "plan", "focus_area", "goal_id", "goal", "goal_status", "indicator", "area", "sex", "subgroup",
    "latest_value", "latest_period", "target", "status_now", "progress", "projection", "reason_now",
    "reason_progress", "goal_reason",
]


def target_text(status: IndicatorStatus) -> str:
    """'≥ 100' or the direction and milestones when the plan has no numeric target."""
    spec = status.spec
    parts = []
    if status.unit == "yes_no" and spec.target and spec.target.value in (0, 1):
        parts.append(value_text(spec.target.value, status.unit))
    elif spec.target and spec.target.value is not None:
        parts.append(f"{COMPARISON_SV[spec.target.comparison]} {number(spec.target.value, trim=True, decimals=2)}"
                     f"{UNIT.get(status.unit, '')}")
    else:
        parts.append("öka" if spec.direction == "higher_is_better" else "minska")
    parts += [milestone_text(m.text, m.value, m.period) for m in spec.milestones]
    if spec.zero_vision:
        parts.append("nollvision")
    if spec.deadline:
        parts.append(f"senast {spec.deadline}")
    return "; ".join(parts)


def latest_text(status: IndicatorStatus) -> str:
    if status.latest is None:
        return ""
    if status.latest.suppressed or status.latest.value is None:
        return "för få fall"
    return value_text(status.latest.value, status.unit, 2, trim=True)


def status_frame(plan: Plan, goals: list[GoalStatus]) -> pd.DataFrame:
    """One row per goal indicator (one row for a goal without indicators)."""
    import pandas as pd

    focus = {fa.id: fa.name for fa in plan.focus_areas}
    rows = []
    for gs in goals:
        base = {"plan": plan.id, "focus_area": focus.get(gs.goal.focus_area, ""), "goal_id": gs.goal.id,
                "goal": gs.goal.text, "goal_status": gs.status.label_sv, "goal_reason": gs.status.reason_sv}
        if not gs.indicators:
            rows.append(base)
        for s in gs.indicators:
            rows.append({**base, "indicator": s.spec.indicator, "area": s.spec.area, "sex": s.spec.sex,
                         "subgroup": s.spec.subgroup, "latest_value": latest_text(s),
                         "latest_period": s.latest_label, "target": target_text(s),
                         "status_now": s.against_target.label_sv, "progress": s.progress.label_sv,
                         "projection": number(s.projection, 1) if s.projection is not None else "",
                         "reason_now": s.against_target.reason_sv, "reason_progress": s.progress.reason_sv})
    return pd.DataFrame(rows, columns=COLUMNS).fillna("")


def as_text_table(frame: pd.DataFrame) -> str:
    """A readable plain-text listing grouped by goal (for the terminal)."""
    lines = []
    for (plan, focus), block in frame.groupby(["plan", "focus_area"], sort=False):
        lines.append(f"\n== {plan}: {focus}")
        for goal_id, goal_rows in block.groupby("goal_id", sort=False):
            first = goal_rows.iloc[0]
            lines.append(f"- {goal_id}: {first['goal_status']}  ({first['goal'][:90]})")
            for r in goal_rows.itertuples():
                if not r.indicator:
                    lines.append(f"    {r.goal_reason}")
                    continue
                who = " ".join(x for x in (r.area, r.sex if r.sex != "T" else "", r.subgroup) if x)
                lines.append(f"    {r.indicator} [{who}]: {r.latest_value or '–'} ({r.latest_period or '–'}); "
                             f"mål {r.target}; nu: {r.status_now}; mot måldatum: {r.progress}")
                lines.append(f"      {r.reason_progress if r.progress != 'Kan inte bedömas' else r.reason_now}")
    return "\n".join(lines).lstrip("\n")
