"""An assessment's working ("Hur räknades detta?") as Swedish lines a manager can read.

Why: the working dict holds every number and rule behind a status
(malkoll/assessment.py), but as JSON it reads "cagr_observed: -0.244" where a
reader needs "Årlig förändring hittills: −24,4 % per år". Each line here is
one step of the method, in the order the method takes them; keys that only
the code needs (time positions, the sign of the direction) are left out. The
JSON stays available under the table for analysts.
"""

from __future__ import annotations

from typing import Any, Callable

from malkoll.assessment import TEXTS_SV
from malkoll.formatting import COMPARISON_SV, milestone_text, number, period_label
from malkoll.i18n import t

Working = dict[str, Any]


def _value(value: Any) -> str:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return "–"
    return number(value, 2, trim=True)  # the same sign as the sentences above the table and the rest of the app


def _yes_no(value: Any) -> str:
    return t("working_yes") if value else t("working_no")


def _per_year(value: Any) -> str | None:
    """-0.244 -> '−24,4 % per år' (a growth rate per year)."""
    if not isinstance(value, (int, float)):
        return None
    return t("working_per_year", value=("+" if value > 0 else "") + _value(round(100 * value, 1)))


def _point(point: Any) -> str:
    """The latest value with its period, interval and counts, as far as they are known and may be shown."""
    if point.get("suppressed"):
        return f"{period_label(point.get('period'))}: {t('working_too_few')}"
    parts = [f"{_value(point.get('value'))} ({period_label(point.get('period'))})"]
    if point.get("lower") is not None and point.get("upper") is not None:
        parts.append(t("working_interval", lower=_value(point["lower"]), upper=_value(point["upper"])))
    if point.get("numerator") is not None and point.get("denominator") is not None:
        parts.append(t("working_counts", numerator=_value(point["numerator"]),
                       denominator=_value(point["denominator"])))
    return ", ".join(parts)


def _relative_width(working: Working) -> str | None:
    width, limit = working["relative_interval_width"], working.get("max_relative_interval_width")
    if width is None:
        return None
    return t("working_relative_width_value", width=number(100 * width, 0), limit=number(100 * (limit or 0), 0))


def _comparison(working: Working) -> str:
    sign = COMPARISON_SV.get(working.get("comparison"), "")
    return f"{sign} {_value(working['target'])}".strip() if working.get("target") is not None else t("working_none")


def _reference(working: Working) -> str:
    kind = working.get("reference")
    if not kind:
        return t("working_none")
    return t(f"working_reference_{kind}", value=_value(working.get("x_star")),
             period=period_label(working.get("reference_period")))


def _thresholds(working: Working) -> str:
    """The limits of the ratio, or, without a target to reach in time, of the change per year."""
    per_year = working.get("method") == "open_sdg_progress_no_target"
    return "; ".join(f"{TEXTS_SV[f'label.{code}'].lower()} ≥ {_per_year(limit) if per_year else _value(limit)}"
                     for code, limit in (working.get("thresholds") or {}).items())


def _milestones(working: Working) -> str:
    return "; ".join(milestone_text(m.get("text"), m["value"], m["period"])
                     for m in working.get("milestones") or []) or t("working_none")


# (key that must be present, label key, how to show it or None to leave the line out), in the order the
# methods take their steps.
STEPS: tuple[tuple[str, str, Callable[[Working], str | None]], ...] = (
    ("method", "working_method", lambda w: t(f"working_method_{w['method']}")),
    ("direction", "working_direction", lambda w: t(f"working_direction_{w['direction']}")),
    ("comparison", "working_target", _comparison),
    ("amber_from", "working_amber_from", lambda w: None if w["amber_from"] is None else _value(w["amber_from"])),
    ("deadline", "working_deadline", lambda w: period_label(w["deadline"]) if w["deadline"] else t("working_none")),
    ("milestones", "working_milestones", _milestones),
    ("baseline_period", "working_baseline",
     lambda w: f"{_value(w.get('x0'))} ({period_label(w['baseline_period'])}), "
               + t(f"working_baseline_source_{w.get('baseline_source')}")),
    ("latest", "working_latest", lambda w: _point(w["latest"])),
    ("years_elapsed", "working_years_elapsed", lambda w: _value(w["years_elapsed"])),
    ("relative_interval_width", "working_relative_width", _relative_width),
    ("target_inside_interval", "working_target_inside", lambda w: _yes_no(w["target_inside_interval"])),
    ("baseline_inside_latest_interval", "working_baseline_inside",
     lambda w: _yes_no(w["baseline_inside_latest_interval"])),
    ("interval_too_wide", "working_too_wide", lambda w: _yes_no(w["interval_too_wide"])),
    ("cagr_observed", "working_pace_observed", lambda w: _per_year(w["cagr_observed"])),
    ("progress_value", "working_progress_value", lambda w: _per_year(w["progress_value"])),
    ("reference", "working_reference", _reference),
    ("cagr_required", "working_pace_required", lambda w: _per_year(w["cagr_required"])),
    ("ratio", "working_ratio", lambda w: _value(w["ratio"])),
    ("thresholds", "working_thresholds", _thresholds),  # per year without a target: see working_lines
    ("deadline_passed", "working_deadline_passed", lambda w: _yes_no(w["deadline_passed"])),
    ("projection", "working_projection",
     lambda w: None if w["projection"] is None else
     t("working_projection_value", value=_value(w["projection"]), period=period_label(w.get("projection_period")))),
)


def working_lines(working: Working) -> list[dict[str, str]]:
    """One row per step the assessment took ({'Steg': …, 'Värde': …}), for a Markdown table."""
    no_target = working.get("method") == "open_sdg_progress_no_target"
    shown = (("working_thresholds_per_year" if no_target and key == "thresholds" else label_key, show(working))
             for key, label_key, show in STEPS if key in working)
    return [{t("working_col_step"): t(label_key), t("working_col_value"): text} for label_key, text in shown
            if text is not None]
