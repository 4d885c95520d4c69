"""Status of goal indicators: against the target, and progress towards it.

Two questions a yearly follow-up of an action plan asks (DOMAIN.md §1):

1. *Is the target met now?* — :func:`assess_against_target` compares the
   latest value (and its confidence interval) with the target and an optional
   amber band.
2. *Are we moving fast enough to meet it in time?* — :func:`assess_progress`
   uses the Statistics Canada progress measure adopted by Open SDG: the
   observed compound annual growth rate since the baseline against the rate
   needed to reach the target by its deadline.

:func:`goal_status` combines indicator statuses into one status for a goal.
Every result is an :class:`Assessment` whose ``working`` dict holds each
number used, so the app can answer "Hur räknades detta?".

Sources checked for the method (public, read 2026):

* Open SDG, ``docs/progress-methodology.md`` (open-sdg/open-sdg), written by
  Statistics Canada: CAGR = (y_t/y_0)^(1/(t−t_0)) − 1; ratio R = d·CAGR_obs /
  |CAGR_req|; R ≥ 95 % on track, 60–95 % acceleration needed, 0–60 % limited
  progress, < 0 deterioration; "target achieved" when the current value
  already meets the target; at least two years of data; all values of one
  sign. Without a quantitative target: d·CAGR against fixed rates, ≥ 1.5 %
  on track, 0.5–1.5 % acceleration needed, 0–0.5 % limited, < 0
  deterioration.
* Open SDG ``sdg-build``, ``sdg/ProgressMeasure.py``: default thresholds
  ``{'high': 0.95, 'med': 0.6, 'low': 0}`` with a target and
  ``{'high': 0.015, 'med': 0.005, 'low': 0}`` without one; progress value
  ``sign * direction * cagr_o / abs(cagr_r)``; a current year less than one
  year after the base year is "not enough data". Open SDG replaces a zero
  target by 0.001; Målkoll does **not** (see :func:`assess_progress`).

All user-facing Swedish text lives in :data:`TEXTS_SV` so it can move to a
translation catalogue later.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from malkoll import stats

__all__ = [
    "Assessment",
    "Baseline",
    "CODES",
    "Direction",
    "GOAL_STATUS_RANK",
    "MAX_RELATIVE_INTERVAL_WIDTH",
    "MIN_YEARS_FOR_PROGRESS",
    "Milestone",
    "NO_TARGET_THRESHOLDS",
    "POOLED_POINT_POSITION",
    "Point",
    "RATIO_THRESHOLDS",
    "TEXTS_SV",
    "Target",
    "assess_against_target",
    "assess_progress",
    "goal_status",
    "period_position",
    "project_at_current_pace",
    "rate_point",
    "share_point",
]

# --------------------------------------------------------------------------
# Swedish text (one place, so it can move to a translation catalogue)
# --------------------------------------------------------------------------

TEXTS_SV: dict[str, str] = {
    # Labels, one per status code.
    "label.meets": "Målet är uppfyllt",
    "label.close": "Nära målet",
    "label.not_met": "Målet är inte uppfyllt",
    "label.indistinguishable": "Kan inte skiljas från målet",
    "label.cannot_assess": "Kan inte bedömas",
    "label.target_reached": "Målet är nått",
    "label.milestone_reached": "Delmålet är nått",
    "label.on_track": "I fas",
    "label.needs_acceleration": "Behöver accelerera",
    "label.limited_progress": "Begränsade framsteg",
    "label.moving_away": "Går åt fel håll",
    # Reasons: cannot assess.
    "reason.no_value": "Det finns inget värde att bedöma.",
    "reason.suppressed": (
        "Senaste värdet ({period}) bygger på för få fall och visas inte ({suppressed_label}); "
        "det kan inte bära en bedömning. Fler sammanslagna år kan ge ett värde som går att visa."
    ),
    "reason.no_numeric_target": (
        "Målet anger bara en riktning, inget målvärde att jämföra med. "
        "Se i stället utvecklingen över tid."
    ),
    "reason.too_wide": (
        "Osäkerheten är för stor: {value} ({period}) har konfidensintervallet {lower}–{upper}, "
        "bredare än värdet självt, och målvärdet {target} ligger inom det. "
        "I en liten befolkning räcker inte ett sådant värde för en bedömning; fler sammanslagna år ger ett smalare intervall."
    ),
    "reason.no_data": "Serien har inga värden.",
    "reason.no_baseline": (
        "Utgångsvärde saknas och kan inte härledas: serien har bara ett användbart värde ({period}). "
        "Det behövs minst två värden."
    ),
    "reason.too_few_points": (
        "Det finns inget värde efter utgångsvärdet ({baseline_period}); "
        "det behövs minst två användbara värden."
    ),
    "reason.too_short": (
        "Det har bara gått {years} år mellan utgångsvärdet ({baseline_period}) och senaste värdet "
        "({period}); minst {min_years} år behövs för en årlig förändringstakt."
    ),
    "reason.baseline_zero": (
        "Utgångsvärdet är 0 ({baseline_period}), så en procentuell förändringstakt är inte definierad."
    ),
    "reason.negative_values": (
        "Metoden kräver positiva värden; utgångsvärdet är {baseline} och senaste värdet {value}."
    ),
    "reason.deadline_before_baseline": (
        "Måldatum ({deadline}) ligger före eller vid utgångsvärdet ({baseline_period})."
    ),
    "reason.small_population": (
        "Senaste värdet {value} ({period}) har konfidensintervallet {lower}–{upper}, som rymmer "
        "utgångsvärdet {baseline}: förändringen går inte att skilja från slumpen. "
        "I en liten befolkning räcker inte ett sådant värde för en bedömning; fler sammanslagna år ger ett smalare intervall."
    ),
    "reason.change_not_established": (
        "Senaste värdet {value} ({period}) har konfidensintervallet {lower}–{upper}, som rymmer "
        "utgångsvärdet {baseline} ({baseline_period}): någon förändring sedan dess är inte säkerställd, "
        "varken åt rätt eller fel håll. Därför \"begränsade framsteg\": mer kan inte sägas förrän "
        "förändringen är säkerställd."
    ),
    # Reasons: against target.
    "reason.meets": "Senaste värdet {value} ({period}) uppfyller målet {comparison} {target}.",
    "reason.close": (
        "Senaste värdet {value} ({period}) uppfyller inte målet {comparison} {target} "
        "men ligger inom gränsen för nära målet ({amber_from})."
    ),
    "reason.not_met": "Senaste värdet {value} ({period}) uppfyller inte målet {comparison} {target}.{amber_note}",
    "reason.not_met_amber_note": " Gränsen för nära målet är {amber_from}.",
    "reason.indistinguishable": (
        "Senaste värdet {value} ({period}) har konfidensintervallet {lower}–{upper}, som rymmer "
        "målvärdet {target}: det går inte att säga om målet är uppfyllt."
    ),
    # Reasons: progress.
    "reason.target_reached": (
        "Senaste värdet {value} ({period}) uppfyller redan målet {comparison} {target}."
    ),
    "reason.milestone_reached": (
        "Senaste värdet {value} ({period}) har nått delmålet {target} för {reference_period}"
        "{milestone_text}."
    ),
    "reason.progress": (
        "Från {baseline} ({baseline_period}) till {value} ({period}) är den årliga förändringen "
        "{cagr_observed}. För att nå {reference_kind} {target} år {reference_period} behövs {cagr_required} "
        "per år. Kvoten är {ratio} (I fas från 0,95; behöver accelerera 0,60–0,95; begränsade framsteg "
        "0–0,60; under 0 går det åt fel håll)."
    ),
    "reason.deadline_passed": (
        "Måldatum {reference_period} har passerat och senaste värdet {value} ({period}) når inte "
        "{reference_kind} {comparison} {target}."
    ),
    "reason.progress_equal_baseline": (
        "Utgångsvärdet {baseline} ({baseline_period}) var redan lika med {reference_kind} {target}; "
        "senaste värdet {value} ({period}) har rört sig {verb}."
    ),
    "reason.direction_only": (
        "Målet anger bara en riktning ({direction_sv}). Från {baseline} ({baseline_period}) till {value} "
        "({period}) är den årliga förändringen {cagr_observed}, i önskad riktning räknat {progress_value} "
        "(I fas från 1,5 %; behöver accelerera 0,5–1,5 %; begränsade framsteg 0–0,5 %; "
        "under 0 går det åt fel håll).{note}"
    ),
    "reason.note_zero_target": " Nollvision utan numeriskt delmål bedöms efter riktningen.",
    "reason.note_no_deadline": " Målvärdet saknar måldatum, så takten bedöms efter riktningen.",
    "reason.projection": " I nuvarande takt blir värdet {projection} år {year}.",
    "reference.target": "målet",
    "reference.milestone": "delmålet",
    "verb.wrong_way": "åt fel håll",
    "verb.right_way": "åt rätt håll",
    "direction.higher_is_better": "högre är bättre",
    "direction.lower_is_better": "lägre är bättre",
    # Goal status.
    "reason.goal_none": "Målet har inga indikatorer att bedöma.",
    "reason.goal_all_cannot": "Ingen av målets {n} indikatorer kan bedömas.",
    "reason.goal_only_cannot": "Målets enda indikator kan inte bedömas.",
    "reason.goal_worst": (
        "Målets status följer den sämst ställda bedömningsbara indikatorn: {label}. "
        "{n_assessed} av {n} indikatorer kunde bedömas.{cannot_note}"
    ),
    "reason.goal_cannot_note": " {n_cannot} kunde inte bedömas och kan dölja en sämre status.",
    "reason.goal_reached_incomplete": (
        "{n_assessed} av {n} indikatorer har nått målet, men {n_cannot} kan inte bedömas; "
        "målet kan därför inte sägas vara nått."
    ),
}

# --------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------

Direction = Literal["higher_is_better", "lower_is_better"]
DIRECTIONS: tuple[str, ...] = ("higher_is_better", "lower_is_better")
COMPARISONS: tuple[str, ...] = (">=", "<=", "=")

CODES: tuple[str, ...] = (
    "meets", "close", "not_met", "indistinguishable",
    "target_reached", "on_track", "needs_acceleration", "limited_progress", "moving_away",
    "cannot_assess",
)

RATIO_THRESHOLDS: Mapping[str, float] = {"on_track": 0.95, "needs_acceleration": 0.6, "limited_progress": 0.0}
"""Ratio of observed to required growth: Open SDG / Statistics Canada defaults."""

NO_TARGET_THRESHOLDS: Mapping[str, float] = {"on_track": 0.015, "needs_acceleration": 0.005, "limited_progress": 0.0}
"""Direction-adjusted CAGR thresholds without a numeric target (Open SDG defaults)."""

MAX_RELATIVE_INTERVAL_WIDTH = 1.0
"""An interval is "too wide" when (upper − lower) / |value| exceeds this.

1.0 means the confidence interval is wider than the value itself (roughly
±50 %). For a count this happens below about 16 events (width ≈ 2·1.96·√x),
e.g. any single year of suicides aged 15–24 in Jämtland (0–4 deaths). A
zero value with a positive upper limit is always too wide. Too wide alone
does not block a verdict: it blocks one only when the interval also contains
the value the verdict depends on (the target, or the baseline for progress),
because only then is the verdict indistinguishable from noise.
"""

MIN_YEARS_FOR_PROGRESS = 1.0
"""Least time between baseline and latest value for a growth rate (Open SDG: one year).

Annualising a change over a few months multiplies month-to-month noise
(compounding a one-month change twelve times).
"""

POOLED_POINT_POSITION: Literal["last", "mid"] = "mid"
"""Time position of a :class:`Point` whose period is a pooled window "YYYY-YYYY".

The midpoint, like a :class:`Baseline` window: a pooled value describes the
middle of its window best, and placing points and baselines alike keeps the
elapsed time between them (and so the growth rate) honest. The warehouse
labels windows by their last year ("2015" = 2011–2015); the caller turns
that into "2011-2015" before building a Point.
"""

GOAL_STATUS_RANK: Mapping[str, int] = {
    "moving_away": 0,
    "not_met": 0,
    "limited_progress": 1,
    "needs_acceleration": 2,
    "close": 2,
    "indistinguishable": 2,
    "on_track": 3,
    "meets": 4,
    "target_reached": 4,
}
"""Severity of each assessable code for :func:`goal_status` (0 = worst)."""

_REACHED_RANK = 4
_EQUAL_REL_TOL = 1e-9

# --------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------

_YEAR_RE = re.compile(r"^(\d{4})$")
_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
_WINDOW_RE = re.compile(r"^(\d{4})-(\d{4})$")


def period_position(period: str, pooled: Literal["last", "mid"] = "last") -> float:
    """Time position of a period, in years, for growth-rate arithmetic.

    Conventions:

    * "YYYY" → YYYY. A year stands for its middle, like every annual value.
    * "YYYY-MM" → YYYY + (MM − 6.5)/12, the middle of the month on the same
      scale, so twelve months average to the year's position and annual and
      monthly values can share a series (BUP: 2016, 2017, then 2018-01 …).
      Monthly periods thus count in fractions of a year: 2018-08 is 2018.125.
    * "YYYY-YYYY" (pooled window) → its last year (``pooled="last"``) or its
      midpoint (``pooled="mid"``, 2011-2015 → 2013).

    Args:
        period: The period string.
        pooled: How to place a pooled window.

    Returns:
        The position in years.

    Raises:
        ValueError: When the period is not in one of these forms.
    """
    text = period.strip() if isinstance(period, str) else period
    if not isinstance(text, str):
        raise ValueError(f"period must be a string like '2018', '2018-08' or '2011-2015', got {period!r}")
    if m := _YEAR_RE.match(text):
        return float(m.group(1))
    if m := _MONTH_RE.match(text):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise ValueError(f"month must be 01–12 in period {period!r}")
        return int(m.group(1)) + (month - 6.5) / 12.0
    if m := _WINDOW_RE.match(text):
        first, last = int(m.group(1)), int(m.group(2))
        if first > last:
            raise ValueError(f"pooled window {period!r} ends before it starts")
        return (first + last) / 2.0 if pooled == "mid" else float(last)
    raise ValueError(f"period must look like '2018', '2018-08' or '2011-2015', got {period!r}")


# --------------------------------------------------------------------------
# Input and output types
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One observed value of an indicator.

    Attributes:
        period: "YYYY", "YYYY-MM", or "YYYY-YYYY" for a pooled window. A
            pooled window is placed at its **midpoint**
            (:data:`POOLED_POINT_POSITION`), like a baseline window.
        value: The value in the indicator's unit, or None when missing.
        lower: Lower confidence limit, same unit, if known.
        upper: Upper confidence limit, same unit, if known.
        numerator: Count behind the value (events, individuals), if known.
        denominator: Population or group size, if known.
        suppressed: True when the value is hidden because of small counts.
    """

    period: str
    value: float | None
    lower: float | None = None
    upper: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    suppressed: bool = False

    def __post_init__(self) -> None:
        period_position(self.period)
        if self.lower is not None and self.upper is not None and self.lower > self.upper:
            raise ValueError(f"lower ({self.lower}) is above upper ({self.upper}) for period {self.period}")

    @property
    def time_position(self) -> float:
        """Position in years; see :func:`period_position`."""
        return period_position(self.period, POOLED_POINT_POSITION)


@dataclass(frozen=True)
class Target:
    """What the plan asks of an indicator.

    Attributes:
        comparison: ">=" (at least), "<=" (at most) or "=" (exactly / range).
        value: The target value, or None when the plan gives a direction only
            ("öka andelen"). 0 with "<=" is a zero vision (nollvision).
        amber_from: Where "nära målet" (amber) starts. For ">=" it is below
            the target (BUP: target 100, amber from 90 gives red < 90, amber
            90–99, green 100); for "<=" above it; for "=" it is one end of a
            symmetric band |value − target| ≤ |target − amber_from|.
    """

    comparison: str
    value: float | None
    amber_from: float | None = None

    def __post_init__(self) -> None:
        if self.comparison not in COMPARISONS:
            raise ValueError(f"comparison must be one of {COMPARISONS}, got {self.comparison!r}")
        if self.amber_from is not None and self.value is not None:
            if self.comparison == ">=" and self.amber_from > self.value:
                raise ValueError(f"amber_from ({self.amber_from}) must be at or below a '>=' target ({self.value})")
            if self.comparison == "<=" and self.amber_from < self.value:
                raise ValueError(f"amber_from ({self.amber_from}) must be at or above a '<=' target ({self.value})")


@dataclass(frozen=True)
class Baseline:
    """The starting value progress is measured from.

    Attributes:
        period: "YYYY", "YYYY-MM" or a pooled window "YYYY-YYYY"; a window is
            placed at its **midpoint** (2011-2015 → 2013), because a mean of
            five years describes the middle year best.
        value: The baseline value.
    """

    period: str
    value: float

    def __post_init__(self) -> None:
        period_position(self.period)

    @property
    def time_position(self) -> float:
        """Position in years; a pooled window counts at its midpoint."""
        return period_position(self.period, "mid")


@dataclass(frozen=True)
class Milestone:
    """An intermediate numeric target, e.g. "halve by 2019" under a zero vision.

    Attributes:
        period: When the milestone should be reached ("YYYY" or "YYYY-MM").
        value: The milestone value.
        text: The plan's wording, shown in reasons.
    """

    period: str
    value: float
    text: str = ""

    def __post_init__(self) -> None:
        period_position(self.period)


@dataclass(frozen=True)
class Assessment:
    """A status with its Swedish label, its reason, and the numbers behind it.

    Attributes:
        code: One of :data:`CODES`.
        label_sv: Short Swedish label ("I fas").
        reason_sv: One or two Swedish sentences saying why, numbers with
            decimal comma.
        working: Every number and rule used, for "Hur räknades detta?".
    """

    code: str
    label_sv: str
    reason_sv: str
    working: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def _num(value: float | None, max_decimals: int = 2) -> str:
    """Swedish number: decimal comma, no-break-space thousands, trailing zeros dropped.

    Same convention as ``malkoll.formatting.number``; kept local so this
    module has no dependency beyond stats.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    # Round half up on the decimal text (10.885 -> 10,89), as readers round.
    if abs(value) < 1e15:
        rounded: Decimal | float = Decimal(repr(float(value))).quantize(
            Decimal(1).scaleb(-max_decimals), rounding=ROUND_HALF_UP
        )
    else:  # beyond Decimal's default 28 digits; such values only come from runaway projections
        rounded = float(value)
    text = f"{rounded:,.{max_decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return text.replace(",", "\u00a0").replace(".", ",")


def _pct(rate: float, decimals: int = 1) -> str:
    """A growth rate (0.0257) as Swedish percent text ('2,6 %')."""
    text = f"{rate * 100:.{decimals}f}".replace(".", ",")
    if text.startswith("-") and float(text.replace(",", ".")) == 0:
        text = text[1:]
    return f"{text}\u00a0%"


def _ratio_text(ratio: float) -> str:
    return f"{ratio:.2f}".replace(".", ",")


def _sign(direction: str) -> int:
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, got {direction!r}")
    return 1 if direction == "higher_is_better" else -1


def _check_target_direction(target: Target, direction: str) -> None:
    """A '>=' target with lower-is-better (or vice versa) is a configuration error."""
    d = _sign(direction)
    if target.comparison == ">=" and d < 0:
        raise ValueError("a '>=' target contradicts direction 'lower_is_better'")
    if target.comparison == "<=" and d > 0:
        raise ValueError("a '<=' target contradicts direction 'higher_is_better'")


def _meets(value: float, comparison: str, goal: float) -> bool:
    if comparison == ">=":
        return value >= goal or math.isclose(value, goal, rel_tol=_EQUAL_REL_TOL, abs_tol=_EQUAL_REL_TOL)
    if comparison == "<=":
        return value <= goal or math.isclose(value, goal, rel_tol=_EQUAL_REL_TOL, abs_tol=_EQUAL_REL_TOL)
    return math.isclose(value, goal, rel_tol=_EQUAL_REL_TOL, abs_tol=_EQUAL_REL_TOL)


_SIGN = {">=": "≥", "<=": "≤", "=": "="}  # a target's comparison as written in the reasons


def _target_reached(value: float, period: str, target: Target, working: dict[str, Any]) -> Assessment:
    """The latest value already meets the target: no rate of progress is needed to say so."""
    working["reference"] = "target"
    return _result("target_reached", TEXTS_SV["reason.target_reached"].format(
        value=_num(value), period=period, comparison=_SIGN[target.comparison], target=_num(target.value)), working)


def _in_amber(value: float, target: Target) -> bool:
    if target.amber_from is None or target.value is None:
        return False
    if target.comparison == ">=":
        return value >= target.amber_from
    if target.comparison == "<=":
        return value <= target.amber_from
    return abs(value - target.value) <= abs(target.value - target.amber_from)


def _relative_width(point: Point) -> float | None:
    """(upper − lower) / |value|, inf for a zero value with a positive width, None without interval."""
    if point.lower is None or point.upper is None or point.value is None:
        return None
    width = point.upper - point.lower
    if point.value == 0:
        return math.inf if width > 0 else 0.0
    return width / abs(point.value)


def _result(code: str, reason: str, working: dict[str, Any], label_key: str | None = None) -> Assessment:
    working["code"] = code
    return Assessment(
        code=code,
        label_sv=TEXTS_SV[f"label.{label_key or code}"],
        reason_sv=reason,
        working=working,
    )


def _cannot(reason_key: str, working: dict[str, Any], **fmt: Any) -> Assessment:
    working["cannot_assess_reason"] = reason_key
    return _result("cannot_assess", TEXTS_SV[f"reason.{reason_key}"].format(**fmt), working)


def _point_working(point: Point) -> dict[str, Any]:
    """A point for the working. A suppressed one keeps only its period: the working is shown on the
    indicator view ("Hur räknades detta?"), which must not reveal a value or count held back as too few."""
    if point.suppressed:
        return {"period": point.period, "time_position": point.time_position, "suppressed": True}
    return {
        "period": point.period,
        "time_position": point.time_position,
        "value": point.value,
        "lower": point.lower,
        "upper": point.upper,
        "numerator": point.numerator,
        "denominator": point.denominator,
        "suppressed": point.suppressed,
    }


# --------------------------------------------------------------------------
# Building points from counts
# --------------------------------------------------------------------------


def share_point(
    period: str,
    numerator: int,
    denominator: int,
    scale: float = 100.0,
    level: float = stats.DEFAULT_LEVEL,
    apply_suppression: bool = True,
) -> Point:
    """A share as a :class:`Point` with its Wilson interval and suppression flag.

    Args:
        period: The period.
        numerator: Individuals with the property.
        denominator: Individuals in the group; 0 gives a missing value.
        scale: 100 for percent (the catalogue's unit), 1 for a 0–1 share.
        level: Confidence level.
        apply_suppression: Set the ``suppressed`` flag by
            :func:`malkoll.stats.is_share_suppressed`.

    Returns:
        The point.
    """
    interval = stats.wilson_interval(numerator, denominator, level)
    suppressed = apply_suppression and stats.is_share_suppressed(numerator, denominator)
    if interval is None:
        return Point(period, None, numerator=numerator, denominator=denominator)
    return Point(
        period,
        interval.estimate * scale,
        interval.lower * scale,
        interval.upper * scale,
        numerator=numerator,
        denominator=denominator,
        suppressed=suppressed,
    )


def rate_point(
    period: str,
    events: int,
    population: float,
    per: float = 100_000,
    level: float = stats.DEFAULT_LEVEL,
    apply_suppression: bool = True,
) -> Point:
    """A rate as a :class:`Point` with its exact/Byar interval and suppression flag.

    Args:
        period: The period ("2016", or "2014-2018" for a pooled window).
        events: Events (summed over the window when pooled).
        population: Population (person-years when pooled).
        per: Rate base.
        level: Confidence level.
        apply_suppression: Set ``suppressed`` when events are 1–4
            (:func:`malkoll.stats.is_suppressed`).

    Returns:
        The point.
    """
    interval = stats.rate_interval(events, population, per, level)
    suppressed = apply_suppression and stats.is_suppressed(events)
    if interval is None:
        return Point(period, None, numerator=events, denominator=population)
    return Point(
        period,
        interval.estimate,
        interval.lower,
        interval.upper,
        numerator=events,
        denominator=population,
        suppressed=suppressed,
    )


# --------------------------------------------------------------------------
# 1. Against the target
# --------------------------------------------------------------------------


def assess_against_target(latest: Point | None, target: Target, direction: Direction) -> Assessment:
    """Is the latest value at the target, close to it, or not?

    Rules, in order:

    1. No value, a suppressed value, or no numeric target → ``cannot_assess``.
    2. The target lies strictly inside the value's confidence interval:
       ``cannot_assess`` when the interval is too wide
       (:data:`MAX_RELATIVE_INTERVAL_WIDTH`; small counts, pool years),
       otherwise ``indistinguishable`` — the data cannot tell met from not met.
    3. Otherwise by the point value: ``meets`` when it satisfies the
       comparison, ``close`` when it is inside the amber band, else ``not_met``.

    "Strictly inside" matters for 100 % targets: 100 of 100 patients has a
    Wilson interval ending at exactly 100 % and meets the target.

    Args:
        latest: The most recent point, or None.
        target: The target; its value must be in the point's unit.
        direction: Whether higher or lower values are better.

    Returns:
        The assessment, with ``working`` holding the value, interval, target
        and band.
    """
    _check_target_direction(target, direction)
    working: dict[str, Any] = {
        "method": "against_target",
        "direction": direction,
        "comparison": target.comparison,
        "target": target.value,
        "amber_from": target.amber_from,
        "max_relative_interval_width": MAX_RELATIVE_INTERVAL_WIDTH,
    }
    if latest is None or (latest.value is None and not latest.suppressed):
        return _cannot("no_value", working)
    working["latest"] = _point_working(latest)
    if latest.suppressed:
        return _cannot("suppressed", working, period=latest.period, suppressed_label=stats.SUPPRESSED_LABEL)
    if target.value is None:
        return _cannot("no_numeric_target", working)
    value = float(latest.value)  # type: ignore[arg-type]
    fmt = {
        "value": _num(value),
        "period": latest.period,
        "comparison": _SIGN[target.comparison],
        "target": _num(target.value),
        "amber_from": _num(target.amber_from),
        "lower": _num(latest.lower),
        "upper": _num(latest.upper),
    }
    rel_width = _relative_width(latest)
    working["relative_interval_width"] = rel_width
    target_inside = (
        latest.lower is not None and latest.upper is not None and latest.lower < target.value < latest.upper
    )
    working["target_inside_interval"] = target_inside
    if target_inside:
        if rel_width is not None and rel_width > MAX_RELATIVE_INTERVAL_WIDTH:
            working["interval_too_wide"] = True
            return _cannot("too_wide", working, **fmt)
        return _result("indistinguishable", TEXTS_SV["reason.indistinguishable"].format(**fmt), working)
    if _meets(value, target.comparison, target.value):
        return _result("meets", TEXTS_SV["reason.meets"].format(**fmt), working)
    if _in_amber(value, target):
        return _result("close", TEXTS_SV["reason.close"].format(**fmt), working)
    amber_note = TEXTS_SV["reason.not_met_amber_note"].format(**fmt) if target.amber_from is not None else ""
    return _result("not_met", TEXTS_SV["reason.not_met"].format(amber_note=amber_note, **fmt), working)


# --------------------------------------------------------------------------
# 2. Progress (Open SDG / Statistics Canada)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Growth:
    """Baseline and latest value, validated, for a growth rate."""

    latest: Point
    x0: float
    t0: float
    baseline_period: str
    baseline_source: str
    xt: float
    t: float

    def cagr(self) -> float:
        """Observed compound annual growth rate (x_t/x_0)^(1/(t−t0)) − 1."""
        return (self.xt / self.x0) ** (1.0 / (self.t - self.t0)) - 1.0

    def working(self) -> dict[str, Any]:
        return {
            "baseline_period": self.baseline_period,
            "baseline_source": self.baseline_source,
            "x0": self.x0,
            "t0": self.t0,
            "latest_period": self.latest.period,
            "xt": self.xt,
            "t": self.t,
            "years_elapsed": self.t - self.t0,
        }


@dataclass(frozen=True)
class _GrowthFailure:
    reason_key: str
    fmt: dict[str, Any]
    working: dict[str, Any]


def _prepare_growth(series: Sequence[Point], baseline: Baseline | None) -> _Growth | _GrowthFailure:
    """Pick the latest point and the baseline, or say why growth cannot be computed."""
    observed = sorted(
        (p for p in series if p.value is not None or p.suppressed),
        key=lambda p: p.time_position,
    )
    if not observed:
        return _GrowthFailure("no_data", {}, {})
    latest = observed[-1]
    working: dict[str, Any] = {"latest": _point_working(latest)}
    if latest.suppressed:
        return _GrowthFailure(
            "suppressed", {"period": latest.period, "suppressed_label": stats.SUPPRESSED_LABEL}, working
        )
    usable = [p for p in observed if not p.suppressed and p.value is not None]
    if baseline is None:
        if len(usable) < 2:
            return _GrowthFailure("no_baseline", {"period": latest.period}, working)
        first = usable[0]
        assert first.value is not None
        x0, t0, base_period, source = float(first.value), first.time_position, first.period, "first_value_in_series"
    else:
        x0, t0, base_period, source = float(baseline.value), baseline.time_position, baseline.period, "given"
    working.update({"baseline_period": base_period, "baseline_source": source, "x0": x0, "t0": t0})
    xt, t = float(latest.value), latest.time_position  # type: ignore[arg-type]
    if t <= t0:
        return _GrowthFailure("too_few_points", {"baseline_period": base_period}, working)
    if t - t0 < MIN_YEARS_FOR_PROGRESS:
        return _GrowthFailure(
            "too_short",
            {
                "years": _num(t - t0),
                "baseline_period": base_period,
                "period": latest.period,
                "min_years": _num(MIN_YEARS_FOR_PROGRESS),
            },
            working,
        )
    if x0 == 0:
        return _GrowthFailure("baseline_zero", {"baseline_period": base_period}, working)
    if x0 < 0 or xt < 0:
        return _GrowthFailure("negative_values", {"baseline": _num(x0), "value": _num(xt)}, working)
    return _Growth(latest, x0, t0, base_period, source, xt, t)


def _choose_reference(
    target: Target,
    deadline: str | None,
    milestones: Sequence[Milestone],
    t_latest: float,
) -> tuple[str, float, str, float, str] | None:
    """The (kind, x*, period, T, text) to measure required growth against, or None.

    The target with its deadline when both are numeric and the target is not
    zero; otherwise the nearest milestone at or after the latest value.
    """
    if target.value is not None and target.value != 0 and deadline is not None:
        return ("target", float(target.value), deadline, period_position(deadline), "")
    future = [m for m in milestones if period_position(m.period) >= t_latest and m.value != 0]
    if future:
        nearest = min(future, key=lambda m: period_position(m.period))
        return ("milestone", float(nearest.value), nearest.period, period_position(nearest.period), nearest.text)
    return None


def _classify(value: float, thresholds: Mapping[str, float]) -> str:
    if value >= thresholds["on_track"]:
        return "on_track"
    if value >= thresholds["needs_acceleration"]:
        return "needs_acceleration"
    if value >= thresholds["limited_progress"]:
        return "limited_progress"
    return "moving_away"


def assess_progress(
    series: Sequence[Point],
    baseline: Baseline | None,
    target: Target,
    direction: Direction,
    deadline: str | None,
    milestones: Sequence[Milestone] = (),
) -> Assessment:
    """Is the indicator moving towards its target fast enough? (Open SDG / Statistics Canada.)

    Method: observed growth CR_a = (x_t/x_0)^(1/(t−t0)) − 1 since the
    baseline, required growth CR_r = (x*/x_0)^(1/(T−t0)) − 1 to reach x* at T,
    ratio R = d·CR_a/|CR_r| with d = +1 when higher is better and −1 when
    lower is better (as ``sdg-build``'s ``ProgressMeasure.py``; it equals
    CR_a/CR_r whenever the target lies in the desired direction). R ≥ 0.95
    ``on_track``, 0.6–0.95 ``needs_acceleration``, 0–0.6
    ``limited_progress``, < 0 ``moving_away`` (:data:`RATIO_THRESHOLDS`).

    Choices (each recorded in ``working``):

    * **Reference x*, T.** The numeric target and ``deadline``. When the target
      is zero (nollvision), absent, or has no deadline, the nearest numeric
      milestone at or after the latest value ("halve by 2019"). A zero is
      never used as x*: the required rate would be −100 % a year, so every
      realistic decrease would read as limited progress, and Open SDG's
      substitute (0.001) makes the verdict depend on an arbitrary constant.
      A zero vision is a direction (DOMAIN.md §5).
    * **No reference at all** (direction only, or nollvision without
      milestone): the Open SDG no-target rule, d·CR_a against 1.5 % / 0.5 % /
      0 (:data:`NO_TARGET_THRESHOLDS`). Open SDG's scaling factor for natural
      limits (shares near 100 %) is not applied.
    * **Deadline passed.** When the latest value is after the deadline and
      the target is not met, the result is ``not_met``: a pace ratio close
      to 1 would otherwise call a missed target "on track".
    * **target_reached** when the latest value already satisfies the target
      (or, when a milestone is the reference, the milestone: label
      "Delmålet är nått").
    * **Small numbers first.** Before any verdict, when the latest point's
      interval is too wide (:data:`MAX_RELATIVE_INTERVAL_WIDTH`) *and*
      contains the baseline value, the change is indistinguishable from
      noise and the result is ``cannot_assess`` pointing to pooled years. A
      precise estimate that barely moved is not blocked, but while its
      interval still holds the baseline the change is not established and
      the result is at best ``limited_progress`` ("inte säkerställd"), never
      "moving away" or "on track". Points without an interval are taken at face
      value; build them with :func:`rate_point` / :func:`share_point`.
    * **Time.** Periods by :func:`period_position`: months in fractions of a
      year, a pooled *baseline* window at its midpoint (2011-2015 → 2013), a
      pooled *point* at its last year. At least
      :data:`MIN_YEARS_FOR_PROGRESS` between baseline and latest value.
    * **Baseline.** The given one, else the first usable value of the series.

    ``cannot_assess`` (with a Swedish reason) for: no values; latest value
    suppressed; baseline missing and not derivable (one usable value); no
    value after the baseline; less than a year elapsed; baseline 0; negative
    values; deadline at or before the baseline; too-wide interval containing
    the baseline.

    Args:
        series: Observed points, any order; missing values are skipped.
        baseline: The plan's baseline, or None to use the first value.
        target: The target (value in the series' unit).
        direction: Whether higher or lower values are better.
        deadline: When the target should be met ("YYYY" or "YYYY-MM"), or None.
        milestones: Intermediate numeric targets.

    Returns:
        The assessment; ``working`` holds x0, t0, xt, t, x*, T, CR_a, CR_r,
        the ratio, thresholds and the projection at the reference period.
    """
    d = _sign(direction)
    _check_target_direction(target, direction)
    working: dict[str, Any] = {
        "method": "open_sdg_progress",
        "direction": direction,
        "d": d,
        "comparison": target.comparison,
        "target": target.value,
        "deadline": deadline,
        "milestones": [{"period": m.period, "value": m.value, "text": m.text} for m in milestones],
        "max_relative_interval_width": MAX_RELATIVE_INTERVAL_WIDTH,
        "min_years": MIN_YEARS_FOR_PROGRESS,
    }
    prepared = _prepare_growth(series, baseline)
    if isinstance(prepared, _GrowthFailure):
        working.update(prepared.working)
        latest = prepared.working.get("latest") or {}
        # A rate of change from 0 is undefined, but a value that already meets the target needs none:
        # a yes/no goal met from "nej" (0 → 1) is reached, not "cannot be assessed".
        if (prepared.reason_key in ("baseline_zero", "negative_values") and target.value is not None
                and latest.get("value") is not None
                and _meets(float(latest["value"]), target.comparison, float(target.value))):
            return _target_reached(float(latest["value"]), latest["period"], target, working)
        return _cannot(prepared.reason_key, working, **prepared.fmt)
    g = prepared
    working.update(g.working())
    working["latest"] = _point_working(g.latest)

    if deadline is not None and period_position(deadline) <= g.t0:
        return _cannot("deadline_before_baseline", working, deadline=deadline, baseline_period=g.baseline_period)
    reference = _choose_reference(target, deadline, milestones, g.t)
    if reference is not None and reference[3] <= g.t0:
        return _cannot(
            "deadline_before_baseline", working, deadline=reference[2], baseline_period=g.baseline_period
        )

    fmt: dict[str, Any] = {
        "value": _num(g.xt),
        "period": g.latest.period,
        "baseline": _num(g.x0),
        "baseline_period": g.baseline_period,
        "lower": _num(g.latest.lower),
        "upper": _num(g.latest.upper),
        "comparison": _SIGN[target.comparison],
    }

    # Small numbers: a too-wide interval that contains the baseline blocks any verdict.
    rel_width = _relative_width(g.latest)
    baseline_inside = (
        g.latest.lower is not None and g.latest.upper is not None and g.latest.lower <= g.x0 <= g.latest.upper
    )
    working["relative_interval_width"] = rel_width
    working["baseline_inside_latest_interval"] = baseline_inside
    if rel_width is not None and rel_width > MAX_RELATIVE_INTERVAL_WIDTH and baseline_inside:
        return _cannot("small_population", working, **fmt)

    # Projection to the reference period (or the deadline when there is none).
    projection_period = reference[2] if reference is not None else deadline
    projection = _project(g, projection_period) if projection_period is not None else None
    working["projection_period"] = projection_period
    working["projection"] = projection
    projection_text = (
        TEXTS_SV["reason.projection"].format(year=projection_period, projection=_num(projection))
        if projection is not None and projection_period is not None
        else ""
    )

    # Already there?
    if target.value is not None and _meets(g.xt, target.comparison, float(target.value)):
        return _target_reached(g.xt, g.latest.period, target, working)
    # A narrower interval that still holds the baseline: the change is not established,
    # so neither "moving away" nor "on track" can be claimed; it is limited progress at best.
    if baseline_inside:
        return _result("limited_progress", TEXTS_SV["reason.change_not_established"].format(**fmt)
                       + projection_text, working)
    cagr_observed = g.cagr()
    working["cagr_observed"] = cagr_observed

    if reference is None:
        progress_value = d * cagr_observed
        code = _classify(progress_value, NO_TARGET_THRESHOLDS)
        note = ""
        if target.value == 0:
            note = TEXTS_SV["reason.note_zero_target"]
        elif target.value is not None:
            note = TEXTS_SV["reason.note_no_deadline"]
        working.update(
            {
                "method": "open_sdg_progress_no_target",
                "reference": None,
                "progress_value": progress_value,
                "thresholds": dict(NO_TARGET_THRESHOLDS),
            }
        )
        reason = TEXTS_SV["reason.direction_only"].format(
            direction_sv=TEXTS_SV[f"direction.{direction}"],
            cagr_observed=_pct(cagr_observed),
            progress_value=_pct(progress_value),
            note=note,
            **fmt,
        )
        return _result(code, reason + projection_text, working)

    kind, x_star, ref_period, t_ref, ref_text = reference
    working.update(
        {
            "reference": kind,
            "x_star": x_star,
            "reference_period": ref_period,
            "T": t_ref,
            "thresholds": dict(RATIO_THRESHOLDS),
        }
    )
    fmt.update(
        {
            "target": _num(x_star),
            "reference_period": ref_period,
            "reference_kind": TEXTS_SV[f"reference.{kind}"],
            "milestone_text": f" ({ref_text})" if ref_text else "",
        }
    )
    if kind == "milestone" and _meets(g.xt, "<=" if d < 0 else ">=", x_star):
        return _result(
            "target_reached", TEXTS_SV["reason.milestone_reached"].format(**fmt), working, "milestone_reached"
        )

    cagr_required = (x_star / g.x0) ** (1.0 / (t_ref - g.t0)) - 1.0
    working["cagr_required"] = cagr_required
    if t_ref < g.t:
        # The deadline is behind us and the target is not met: a pace ratio
        # (which can still be >= 0.95) would read as "on track" for a missed target.
        working["ratio"] = d * cagr_observed / abs(cagr_required) if cagr_required else None
        working["deadline_passed"] = True
        return _result("not_met", TEXTS_SV["reason.deadline_passed"].format(**fmt), working)
    if cagr_required == 0:
        # Baseline already equals x*: no required growth to divide by.
        code = "moving_away" if d * cagr_observed < 0 else "on_track"
        working["ratio"] = None
        verb = TEXTS_SV["verb.wrong_way" if code == "moving_away" else "verb.right_way"]
        reason = TEXTS_SV["reason.progress_equal_baseline"].format(verb=verb, **fmt)
        return _result(code, reason + projection_text, working)
    ratio = d * cagr_observed / abs(cagr_required)
    working["ratio"] = ratio
    code = _classify(ratio, RATIO_THRESHOLDS)
    reason = TEXTS_SV["reason.progress"].format(
        cagr_observed=_pct(cagr_observed),
        cagr_required=_pct(cagr_required),
        ratio=_ratio_text(ratio),
        **fmt,
    )
    return _result(code, reason + projection_text, working)


# --------------------------------------------------------------------------
# 3. Projection
# --------------------------------------------------------------------------


def _project(g: _Growth, deadline: str) -> float | None:
    t_deadline = period_position(deadline)
    if t_deadline < g.t0:
        return None
    # x_0 · (x_t/x_0)^((T − t0)/(t − t0)) = x_t · (1 + CR_a)^(T − t)
    return g.x0 * (g.xt / g.x0) ** ((t_deadline - g.t0) / (g.t - g.t0))


def project_at_current_pace(
    series: Sequence[Point],
    baseline: Baseline | None,
    deadline: str | None,
) -> float | None:
    """The value at ``deadline`` if the observed compound annual growth continues.

    For the sentence "I nuvarande takt blir värdet år {deadline} X". Uses the
    same baseline, latest value and time conventions as :func:`assess_progress`:
    x_T = x_t·(1 + CR_a)^(T − t).

    Args:
        series: Observed points.
        baseline: The plan's baseline, or None to use the first value.
        deadline: The year (or month) to project to.

    Returns:
        The projected value, or None when no growth rate can be computed
        (see :func:`assess_progress`) or there is no deadline. The projection
        says nothing about uncertainty; check :func:`assess_progress` first.
    """
    if deadline is None:
        return None
    prepared = _prepare_growth(series, baseline)
    if isinstance(prepared, _GrowthFailure):
        return None
    return _project(prepared, deadline)


# --------------------------------------------------------------------------
# 4. Goal status
# --------------------------------------------------------------------------


def goal_status(indicator_assessments: Sequence[Assessment]) -> Assessment:
    """Combine indicator statuses into one status for a goal.

    Rule: **the worst assessable status wins** (:data:`GOAL_STATUS_RANK`,
    from ``moving_away``/``not_met`` up to ``meets``/``target_reached``);
    on a tie, the first such indicator in the given order decides. A goal is
    only as far along as its weakest measured part, and a plan's follow-up
    asks where to act. Indicators that cannot be assessed are left out of
    the ranking but counted in the reason, since they may hide a worse status.

    Special cases:

    * no indicators, or none assessable → ``cannot_assess``;
    * every assessable indicator has reached its target but some cannot be
      assessed → ``cannot_assess``: as in Open SDG, a goal is reached only
      when every part is.

    Args:
        indicator_assessments: Assessments from :func:`assess_against_target`
            or :func:`assess_progress`.

    Returns:
        The goal's assessment; ``working`` lists the indicator codes, counts,
        the ranks and the deciding indicator.

    Raises:
        ValueError: On an unknown code.
    """
    codes = [a.code for a in indicator_assessments]
    for code in codes:
        if code not in CODES:
            raise ValueError(f"unknown assessment code {code!r}")
    n = len(codes)
    counts = {code: codes.count(code) for code in dict.fromkeys(codes)}
    working: dict[str, Any] = {
        "method": "worst_assessable_status",
        "ranks": dict(GOAL_STATUS_RANK),
        "indicator_codes": codes,
        "counts": counts,
        "n_indicators": n,
    }
    if n == 0:
        return _result("cannot_assess", TEXTS_SV["reason.goal_none"], working)
    assessable = [(i, a) for i, a in enumerate(indicator_assessments) if a.code != "cannot_assess"]
    n_assessed = len(assessable)
    n_cannot = n - n_assessed
    working.update({"n_assessed": n_assessed, "n_cannot_assess": n_cannot})
    if not assessable:
        return _result("cannot_assess", TEXTS_SV["reason.goal_only_cannot" if n == 1 else "reason.goal_all_cannot"]
                       .format(n=n), working)
    deciding_index, deciding = min(assessable, key=lambda pair: (GOAL_STATUS_RANK[pair[1].code], pair[0]))
    working["deciding_index"] = deciding_index
    working["deciding_rank"] = GOAL_STATUS_RANK[deciding.code]
    if GOAL_STATUS_RANK[deciding.code] == _REACHED_RANK and n_cannot:
        reason = TEXTS_SV["reason.goal_reached_incomplete"].format(n_assessed=n_assessed, n=n, n_cannot=n_cannot)
        return _result("cannot_assess", reason, working)
    cannot_note = TEXTS_SV["reason.goal_cannot_note"].format(n_cannot=n_cannot) if n_cannot else ""
    reason = TEXTS_SV["reason.goal_worst"].format(
        label=deciding.label_sv, n_assessed=n_assessed, n=n, cannot_note=cannot_note
    )
    working["code"] = deciding.code
    return Assessment(code=deciding.code, label_sv=deciding.label_sv, reason_sv=reason, working=working)
