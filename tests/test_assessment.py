"""Tests for malkoll.assessment: status against target, progress, projection, goal status.

The three worked examples use the real figures from the Jämtland plan
(DOMAIN.md §2, seed 001); each docstring shows the arithmetic by hand.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from malkoll import assessment, stats
from malkoll.assessment import (
    CODES,
    GOAL_STATUS_RANK,
    MAX_RELATIVE_INTERVAL_WIDTH,
    TEXTS_SV,
    Assessment,
    Baseline,
    Milestone,
    Point,
    Target,
    assess_against_target,
    assess_progress,
    goal_status,
    period_position,
    project_at_current_pace,
    rate_point,
    share_point,
)

# --------------------------------------------------------------------------
# Fixtures built in code
# --------------------------------------------------------------------------

BUP_TARGET = Target(">=", 100, amber_from=90)
"""'100 % av patienterna ska få ett första samtal inom 30 dagar'; red < 90, amber 90–99, green 100."""

BUP_DEADLINE = "2019"
"""Timeline of the BUP activity in the revised plan (seed 001: '2019 SVOM … 100 % … inom 30 dagar')."""

BUP_MONTHS_2018 = [("01", 38), ("02", 63), ("03", 73), ("04", 65), ("05", 60), ("06", 82), ("07", 90), ("08", 37)]


def bup_monthly_series() -> list[Point]:
    """BUP first assessment within 30 days, Region Jämtland Härjedalen, as the plan reports it:
    annual 2016 and 2017, then 2018 by month."""
    return [Point("2016", 72), Point("2017", 84)] + [Point(f"2018-{m}", v) for m, v in BUP_MONTHS_2018]


def bup_annual_series() -> list[Point]:
    """The same with 2018 summarised as the mean of January–August (63.5 %)."""
    mean_2018 = sum(v for _, v in BUP_MONTHS_2018) / len(BUP_MONTHS_2018)
    return [Point("2016", 72), Point("2017", 84), Point("2018", mean_2018)]


def eligibility_series() -> list[Point]:
    """Year-9 pupils eligible for vocational programmes, Jämtlands län (Kolada N15428)."""
    return [Point("2015", 82.8), Point("2016", 85.1), Point("2017", 78.6)]


SUICIDE_BASELINE = Baseline("2011-2015", 21.77)
SUICIDE_MILESTONE = Milestone("2019", 10.885, "minska till hälften år 2019")
ZERO_VISION = Target("<=", 0)


def suicide_2016_point() -> Point:
    """Suicide 15–24, Jämtland 2016: 6.90 per 100 000, ≈1 death among ≈14 500.

    Not flagged suppressed, because the plan published it; the interval is
    computed from the count."""
    interval = stats.rate_interval(1, 14_500)
    assert interval is not None
    return Point("2016", 6.90, interval.lower, interval.upper, numerator=1, denominator=14_500)


# --------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------


def test_period_positions() -> None:
    """Months count in fractions of a year, centred so 12 months average to the year."""
    assert period_position("2018") == 2018.0
    assert period_position("2018-08") == pytest.approx(2018.125)
    assert period_position("2018-01") == pytest.approx(2018 - 5.5 / 12)
    months = [period_position(f"2018-{m:02d}") for m in range(1, 13)]
    assert sum(months) / 12 == pytest.approx(2018.0)
    assert period_position("2011-2015", pooled="mid") == 2013.0
    assert period_position("2011-2015") == 2015.0
    assert Point("2014-2016", 1.0).time_position == 2015.0  # pooled points sit at their midpoint too
    assert Baseline("2011-2015", 1.0).time_position == 2013.0


@pytest.mark.parametrize("bad", ["18", "2018-13", "2018-00", "2015-2011", "2018/19", "", "år 2018"])
def test_period_rejects_bad_text(bad: str) -> None:
    with pytest.raises(ValueError):
        period_position(bad)
    with pytest.raises(ValueError):
        Point(bad, 1.0)


def test_target_validation() -> None:
    with pytest.raises(ValueError, match="comparison"):
        Target(">", 1)
    with pytest.raises(ValueError, match="amber_from"):
        Target(">=", 100, amber_from=110)
    with pytest.raises(ValueError, match="amber_from"):
        Target("<=", 10, amber_from=5)
    with pytest.raises(ValueError, match="contradicts"):
        assess_against_target(Point("2018", 1), Target(">=", 2), "lower_is_better")
    with pytest.raises(ValueError, match="direction"):
        assess_against_target(Point("2018", 1), Target(">=", 2), "up")  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# BUP: against target and progress
# --------------------------------------------------------------------------


def test_bup_2018_against_target_not_met() -> None:
    """Mean Jan–Aug 2018 = (38+63+73+65+60+82+90+37)/8 = 508/8 = 63.5 %.

    Target ≥ 100 with amber from 90: 63.5 < 90 → red, "not_met".
    """
    result = assess_against_target(bup_annual_series()[-1], BUP_TARGET, "higher_is_better")
    assert result.code == "not_met"
    assert result.label_sv == "Målet är inte uppfyllt"
    assert "63,5" in result.reason_sv
    assert result.working["latest"]["value"] == pytest.approx(63.5)
    assert result.working["target"] == 100
    assert result.working["amber_from"] == 90


def test_bup_months_against_target() -> None:
    """August 37 % → not met; July 90 % → amber (90 ≤ 90 < 100); 100 % → met."""
    assert assess_against_target(Point("2018-08", 37), BUP_TARGET, "higher_is_better").code == "not_met"
    july = assess_against_target(Point("2018-07", 90), BUP_TARGET, "higher_is_better")
    assert july.code == "close"
    assert july.label_sv == "Nära målet"
    assert assess_against_target(Point("2018-09", 100), BUP_TARGET, "higher_is_better").code == "meets"


def test_bup_full_share_with_interval_meets() -> None:
    """100 of 100 patients: the Wilson interval ends at exactly 100 %, so the
    target is not *strictly* inside it and the target is met."""
    point = share_point("2018-09", 100, 100)
    assert point.upper == 100.0
    assert assess_against_target(point, BUP_TARGET, "higher_is_better").code == "meets"


def test_bup_progress_annual_not_on_track() -> None:
    """Baseline = first value, 72 % in 2016; latest 63.5 % in 2018; target 100 % by 2019.

    CR_a = (63.5/72)^(1/2) − 1 = 0.881944^0.5 − 1 = 0.939119 − 1 = −0.060881 (−6,1 %/år)
    CR_r = (100/72)^(1/3) − 1 = 1.388889^(1/3) − 1 = 1.115722 − 1 = 0.115722 (11,6 %/år)
    R = (+1)·(−0.060881)/0.115722 = −0.5261 < 0 → "moving_away" (not on track).
    Projection: 72·(63.5/72)^(3/2) = 72·0.828251 = 59.63.
    """
    result = assess_progress(bup_annual_series(), None, BUP_TARGET, "higher_is_better", BUP_DEADLINE)
    assert result.code == "moving_away"
    assert result.code != "on_track"
    assert result.label_sv == "Går åt fel håll"
    w = result.working
    assert w["x0"] == 72 and w["t0"] == 2016 and w["t"] == 2018
    assert w["baseline_source"] == "first_value_in_series"
    assert w["cagr_observed"] == pytest.approx(-0.060881, abs=1e-6)
    assert w["cagr_required"] == pytest.approx(0.115722, abs=1e-6)
    assert w["ratio"] == pytest.approx(-0.5261, abs=1e-4)
    assert w["projection"] == pytest.approx(59.634, abs=1e-3)
    assert "-6,1\u00a0%" in result.reason_sv
    assert "11,6\u00a0%" in result.reason_sv
    assert "-0,53" in result.reason_sv
    assert "I nuvarande takt blir värdet 59,63 år 2019" in result.reason_sv


def test_bup_progress_monthly_not_on_track() -> None:
    """Latest is August 2018 (37 %) at 2018 + (8 − 6.5)/12 = 2018.125.

    CR_a = (37/72)^(1/2.125) − 1 = exp(ln 0.513889 / 2.125) − 1 = exp(−0.313293) − 1 = 0.731035 − 1 = −0.268965
    R = −0.268965/0.115722 = −2.3242 → "moving_away".
    """
    result = assess_progress(bup_monthly_series(), None, BUP_TARGET, "higher_is_better", BUP_DEADLINE)
    assert result.code == "moving_away"
    assert result.working["t"] == pytest.approx(2018.125)
    assert result.working["cagr_observed"] == pytest.approx(-0.268965, abs=1e-5)
    assert result.working["ratio"] == pytest.approx(-2.3242, abs=1e-3)


def test_bup_projection() -> None:
    assert project_at_current_pace(bup_annual_series(), None, "2019") == pytest.approx(59.634, abs=1e-3)
    assert project_at_current_pace(bup_annual_series(), None, None) is None
    assert project_at_current_pace([Point("2018", 50)], None, "2019") is None


# --------------------------------------------------------------------------
# Eligibility: direction only
# --------------------------------------------------------------------------


def test_eligibility_direction_only_moving_away() -> None:
    """Target "öka" (no number): Open SDG no-target rule on d·CAGR.

    CAGR = (78.6/82.8)^(1/2) − 1 = 0.949275^0.5 − 1 = 0.974307 − 1 = −0.025693;
    d = +1 → −2.57 % < 0 → "moving_away".
    """
    result = assess_progress(eligibility_series(), None, Target(">=", None), "higher_is_better", None)
    assert result.code == "moving_away"
    assert result.working["method"] == "open_sdg_progress_no_target"
    assert result.working["progress_value"] == pytest.approx(-0.025693, abs=1e-6)
    assert result.working["thresholds"] == {"on_track": 0.015, "needs_acceleration": 0.005, "limited_progress": 0.0}
    assert "-2,6\u00a0%" in result.reason_sv


def test_eligibility_against_target_needs_a_number() -> None:
    result = assess_against_target(eligibility_series()[-1], Target(">=", None), "higher_is_better")
    assert result.code == "cannot_assess"
    assert result.working["cannot_assess_reason"] == "no_numeric_target"


@pytest.mark.parametrize(
    ("latest", "expected"),
    [
        # (x/82.8)^(1/2) − 1: 85.4 → +1.56 %, 84.0 → +0.72 %, 83.0 → +0.12 %
        (85.4, "on_track"),
        (84.0, "needs_acceleration"),
        (83.0, "limited_progress"),
    ],
)
def test_direction_only_thresholds(latest: float, expected: str) -> None:
    series = [Point("2015", 82.8), Point("2017", latest)]
    assert assess_progress(series, None, Target(">=", None), "higher_is_better", None).code == expected


# --------------------------------------------------------------------------
# Suicide 15–24, Jämtland: small numbers
# --------------------------------------------------------------------------


def test_suicide_single_year_cannot_be_assessed() -> None:
    """Baseline 21.77 (mean 2011–2015, placed at 2013); 2016: 6.90 from ≈1 death in ≈14 500.

    Zero vision → the reference is the milestone "halve by 2019": x* = 21.77/2 = 10.885.
    Naively 6.90 ≤ 10.885 would say "milestone reached" and CR_a =
    (6.90/21.77)^(1/3) − 1 = −31.8 %/år. But the exact 95 % interval for 1
    death is 0.0253–5.572 deaths → 0.17–38.4 per 100 000: its width 38.3 is
    5.5 × the value (> MAX_RELATIVE_INTERVAL_WIDTH = 1) and it contains the
    baseline 21.77, so the change cannot be told from noise → cannot_assess.
    """
    result = assess_progress(
        [suicide_2016_point()], SUICIDE_BASELINE, ZERO_VISION, "lower_is_better", None, [SUICIDE_MILESTONE]
    )
    assert result.code == "cannot_assess"
    assert result.label_sv == "Kan inte bedömas"
    assert result.working["cannot_assess_reason"] == "small_population"
    assert "i en liten befolkning räcker inte ett sådant värde för en bedömning; fler sammanslagna år ger ett smalare intervall" in (
        result.reason_sv.lower()
    )
    assert result.working["t0"] == 2013.0
    assert result.working["relative_interval_width"] == pytest.approx(5.54, abs=0.01)
    assert result.working["baseline_inside_latest_interval"] is True
    assert "0,17–38,43" in result.reason_sv


def test_suicide_single_year_suppressed_when_built_from_count() -> None:
    """Built with rate_point, 1 death is suppressed (1–4) and the reason points to pooling."""
    point = rate_point("2016", 1, 14_500)
    assert point.suppressed
    result = assess_progress([point], SUICIDE_BASELINE, ZERO_VISION, "lower_is_better", None, [SUICIDE_MILESTONE])
    assert result.code == "cannot_assess"
    assert result.working["cannot_assess_reason"] == "suppressed"
    assert "Fler sammanslagna år" in result.reason_sv


def test_suicide_three_pooled_years_still_too_uncertain() -> None:
    """Hypothetical 2016–2018 pooled: 5 deaths in 43 500 person-years = 11.49 per 100 000.

    Exact limits for 5 deaths 1.6235–11.668 → 3.73–26.82 per 100 000, still
    wider than the value and containing 21.77 → cannot_assess.
    """
    point = rate_point("2016-2018", 5, 43_500)
    result = assess_progress([point], SUICIDE_BASELINE, ZERO_VISION, "lower_is_better", None, [SUICIDE_MILESTONE])
    assert result.code == "cannot_assess"
    assert result.working["cannot_assess_reason"] == "small_population"


def test_suicide_verdict_from_five_pooled_years() -> None:
    """Hypothetical 2014–2018 pooled: 6 deaths in 72 000 person-years = 8.33 per 100 000.

    Exact limits for 6 deaths 2.2019–13.059 → 3.06–18.14 per 100 000: wide
    (width/value = 1.81) but the baseline 21.77 lies outside, so the fall is
    real. Point placed at its last year 2018 ≤ milestone year 2019;
    8.33 ≤ 10.885 → the milestone is reached ("Delmålet är nått").
    """
    point = rate_point("2014-2018", 6, 72_000)
    assert not point.suppressed
    result = assess_progress([point], SUICIDE_BASELINE, ZERO_VISION, "lower_is_better", None, [SUICIDE_MILESTONE])
    assert result.code == "target_reached"
    assert result.label_sv == "Delmålet är nått"
    assert result.working["reference"] == "milestone"
    assert result.working["x_star"] == 10.885
    assert result.working["baseline_inside_latest_interval"] is False
    assert "10,89" in result.reason_sv


def test_zero_vision_uses_milestone_as_required_rate() -> None:
    """Precise data (no interval), baseline 21.77 in 2013, 18.0 in 2016, milestone 10.885 in 2019.

    CR_a = (18/21.77)^(1/3) − 1 = −0.061443; CR_r = (0.5)^(1/6) − 1 = −0.109101;
    R = (−1)(−0.061443)/0.109101 = 0.5632 → "limited_progress".
    """
    result = assess_progress(
        [Point("2016", 18.0)], SUICIDE_BASELINE, ZERO_VISION, "lower_is_better", None, [SUICIDE_MILESTONE]
    )
    assert result.code == "limited_progress"
    assert result.working["x_star"] == 10.885
    assert result.working["T"] == 2019.0
    assert result.working["ratio"] == pytest.approx(0.5632, abs=1e-3)
    assert "delmålet" in result.reason_sv


def test_zero_vision_without_milestone_is_a_direction() -> None:
    """Never divide by (or grow towards) a zero target: judge the direction instead.

    All ages, Jämtland: 15.33 (2011–2015, at 2013) → 16.40 (2016):
    CAGR = (16.40/15.33)^(1/3) − 1 = +2.27 %; d = −1 → −2.27 % → moving_away.
    """
    result = assess_progress([Point("2016", 16.40)], Baseline("2011-2015", 15.33), ZERO_VISION, "lower_is_better", "2030")
    assert result.code == "moving_away"
    assert result.working["reference"] is None
    assert result.working["progress_value"] == pytest.approx(-0.02273, abs=1e-4)
    assert "Nollvision" in result.reason_sv


def test_zero_vision_reached_in_a_large_population() -> None:
    result = assess_progress([Point("2016", 0.0)], Baseline("2011-2015", 15.33), ZERO_VISION, "lower_is_better", None)
    assert result.code == "target_reached"
    assert result.label_sv == "Målet är nått"


# --------------------------------------------------------------------------
# Other cannot_assess paths
# --------------------------------------------------------------------------


def test_cannot_assess_reasons() -> None:
    target = Target(">=", 90)
    cases = {
        "no_data": assess_progress([], None, target, "higher_is_better", "2020"),
        "no_baseline": assess_progress([Point("2018", 50)], None, target, "higher_is_better", "2020"),
        "too_few_points": assess_progress(
            [Point("2014", 50)], Baseline("2015", 40), target, "higher_is_better", "2020"
        ),
        "too_short": assess_progress(
            [Point("2018-01", 50), Point("2018-06", 60)], None, target, "higher_is_better", "2020"
        ),
        "baseline_zero": assess_progress([Point("2018", 50)], Baseline("2015", 0), target, "higher_is_better", "2020"),
        "negative_values": assess_progress(
            [Point("2018", -5)], Baseline("2015", 10), target, "higher_is_better", "2020"
        ),
        "deadline_before_baseline": assess_progress(
            [Point("2018", 50)], Baseline("2015", 40), target, "higher_is_better", "2014"
        ),
        "suppressed": assess_progress(
            [Point("2016", 50), Point("2018", None, suppressed=True)], None, target, "higher_is_better", "2020"
        ),
    }
    for reason, result in cases.items():
        assert result.code == "cannot_assess", reason
        assert result.working["cannot_assess_reason"] == reason
        assert result.label_sv == "Kan inte bedömas"
        assert result.reason_sv


def test_deadline_passed_and_not_met() -> None:
    """Target ≥ 100 by 2019; 2016: 50, 2021: 98.

    CR_a = (98/50)^(1/5) − 1 = 14.4 %/år, CR_r = (100/50)^(1/3) − 1 = 26.0 %/år, R = 0.554;
    but 2019 has passed and 98 < 100 → not_met, whatever the pace.
    """
    result = assess_progress([Point("2016", 50), Point("2021", 98)], None, Target(">=", 100), "higher_is_better", "2019")
    assert result.code == "not_met"
    assert result.working["deadline_passed"] is True
    assert result.working["ratio"] == pytest.approx(0.5542, abs=1e-4)


def test_missing_values_are_skipped_not_zero() -> None:
    """A None value (no data) is neither the latest value nor a zero."""
    series = [Point("2015", 82.8), Point("2017", 78.6), Point("2018", None)]
    result = assess_progress(series, None, Target(">=", None), "higher_is_better", None)
    assert result.working["latest_period"] == "2017"


def test_against_target_small_numbers() -> None:
    """Target inside a narrow interval → indistinguishable; inside a too-wide one → cannot_assess."""
    precise = Point("2018", 88.0, 85.0, 91.0)
    assert assess_against_target(precise, Target(">=", 90, 80), "higher_is_better").code == "indistinguishable"
    suicide = assess_against_target(suicide_2016_point(), Target("<=", 10.885), "lower_is_better")
    assert suicide.code == "cannot_assess"
    assert suicide.working["cannot_assess_reason"] == "too_wide"
    assert "fler sammanslagna år ger ett smalare intervall" in suicide.reason_sv
    assert assess_against_target(None, BUP_TARGET, "higher_is_better").code == "cannot_assess"
    hidden = assess_against_target(Point("2018", None, suppressed=True), BUP_TARGET, "higher_is_better")
    assert hidden.working["cannot_assess_reason"] == "suppressed"
    assert stats.SUPPRESSED_LABEL in hidden.reason_sv


def test_equal_target_band() -> None:
    """'=' 100 with amber from 90: |v − 100| ≤ 10 is amber."""
    target = Target("=", 100, amber_from=90)
    assert assess_against_target(Point("2018", 100), target, "higher_is_better").code == "meets"
    assert assess_against_target(Point("2018", 95), target, "higher_is_better").code == "close"
    assert assess_against_target(Point("2018", 85), target, "higher_is_better").code == "not_met"


def test_lower_is_better_amber() -> None:
    target = Target("<=", 10, amber_from=12)
    assert assess_against_target(Point("2018", 9), target, "lower_is_better").code == "meets"
    assert assess_against_target(Point("2018", 11), target, "lower_is_better").code == "close"
    assert assess_against_target(Point("2018", 13), target, "lower_is_better").code == "not_met"


# --------------------------------------------------------------------------
# Goal status
# --------------------------------------------------------------------------


def _a(code: str) -> Assessment:
    label = TEXTS_SV["label." + code]
    return Assessment(code, label, "", {})


def test_goal_worst_assessable_wins() -> None:
    result = goal_status([_a("on_track"), _a("limited_progress"), _a("cannot_assess"), _a("meets")])
    assert result.code == "limited_progress"
    assert result.label_sv == "Begränsade framsteg"
    assert result.working["deciding_index"] == 1
    assert result.working["n_cannot_assess"] == 1
    assert "3 av 4" in result.reason_sv
    assert "1 kunde inte bedömas" in result.reason_sv


def test_goal_all_cannot_and_empty() -> None:
    assert goal_status([]).code == "cannot_assess"
    assert goal_status([_a("cannot_assess"), _a("cannot_assess")]).reason_sv == "Ingen av målets 2 indikatorer kan bedömas."
    assert goal_status([_a("cannot_assess")]).reason_sv == "Målets enda indikator kan inte bedömas."


def test_goal_reached_only_when_every_indicator_is() -> None:
    assert goal_status([_a("target_reached"), _a("meets")]).code == "target_reached"
    incomplete = goal_status([_a("target_reached"), _a("cannot_assess")])
    assert incomplete.code == "cannot_assess"
    assert "kan inte bedömas" in incomplete.reason_sv


def test_goal_from_the_jamtland_examples() -> None:
    """BUP moving away + eligibility moving away + suicide cannot be assessed → moving away."""
    parts = [
        assess_progress(bup_annual_series(), None, BUP_TARGET, "higher_is_better", BUP_DEADLINE),
        assess_progress(eligibility_series(), None, Target(">=", None), "higher_is_better", None),
        assess_progress(
            [suicide_2016_point()], SUICIDE_BASELINE, ZERO_VISION, "lower_is_better", None, [SUICIDE_MILESTONE]
        ),
    ]
    result = goal_status(parts)
    assert result.code == "moving_away"
    assert result.working["counts"] == {"moving_away": 2, "cannot_assess": 1}


def test_goal_rejects_unknown_codes() -> None:
    with pytest.raises(ValueError, match="unknown"):
        goal_status([Assessment("green", "Grön", "", {})])


def test_every_code_has_a_label_and_rank() -> None:
    for code in CODES:
        assert f"label.{code}" in TEXTS_SV
        if code != "cannot_assess":
            assert code in GOAL_STATUS_RANK
    for name in assessment.__all__:
        assert hasattr(assessment, name), name


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

positive = st.floats(min_value=0.1, max_value=1_000.0, allow_nan=False, allow_infinity=False)
years = st.integers(min_value=2000, max_value=2030)


@given(positive, positive, positive, years, st.integers(1, 10), st.integers(1, 10), st.sampled_from(assessment.DIRECTIONS))
def test_progress_always_returns_a_known_code(
    x0: float, xt: float, goal: float, t0: int, elapsed: int, horizon: int, direction: str
) -> None:
    comparison = ">=" if direction == "higher_is_better" else "<="
    result = assess_progress(
        [Point(str(t0 + elapsed), xt)],
        Baseline(str(t0), x0),
        Target(comparison, goal),
        direction,  # type: ignore[arg-type]
        str(t0 + elapsed + horizon),
    )
    assert result.code in CODES
    assert result.label_sv == TEXTS_SV.get(f"label.{result.code}", result.label_sv)
    meets = xt >= goal if direction == "higher_is_better" else xt <= goal
    if meets:
        assert result.code == "target_reached"
    else:
        assert result.code != "target_reached"
        worse_than_baseline = xt < x0 if direction == "higher_is_better" else xt > x0
        if worse_than_baseline:
            assert result.code == "moving_away"


@given(positive, positive, years, st.integers(1, 10), st.integers(0, 15))
def test_projection_follows_the_observed_growth(x0: float, xt: float, t0: int, elapsed: int, ahead: int) -> None:
    """Projecting to the latest year returns the latest value; further ahead it keeps the CAGR."""
    series = [Point(str(t0), x0), Point(str(t0 + elapsed), xt)]
    at_latest = project_at_current_pace(series, None, str(t0 + elapsed))
    assert at_latest == pytest.approx(xt, rel=1e-9)
    later = project_at_current_pace(series, None, str(t0 + elapsed + ahead))
    assert later is not None
    cagr = (xt / x0) ** (1 / elapsed) - 1
    assert later == pytest.approx(xt * (1 + cagr) ** ahead, rel=1e-9)


@given(st.lists(st.sampled_from(CODES), max_size=8))
def test_goal_status_is_the_worst_assessable(codes: list[str]) -> None:
    result = goal_status([_a(c) for c in codes])
    assessable = [c for c in codes if c != "cannot_assess"]
    if not assessable:
        assert result.code == "cannot_assess"
        return
    worst_rank = min(GOAL_STATUS_RANK[c] for c in assessable)
    if worst_rank == 4 and len(assessable) < len(codes):
        assert result.code == "cannot_assess"
    else:
        assert GOAL_STATUS_RANK[result.code] == worst_rank


@given(st.integers(min_value=0, max_value=40), st.floats(min_value=5_000, max_value=50_000))
def test_wide_interval_around_baseline_never_gets_a_verdict(events: int, population: float) -> None:
    """Whenever the latest rate's interval is too wide and contains the baseline, no verdict."""
    point = rate_point("2016", events, population, apply_suppression=False)
    assume(point.value is not None)
    baseline_value = 21.77
    rel = (point.upper - point.lower) / point.value if point.value else math.inf  # type: ignore[operator]
    result = assess_progress(
        [point], Baseline("2011-2015", baseline_value), ZERO_VISION, "lower_is_better", None, [SUICIDE_MILESTONE]
    )
    if rel > MAX_RELATIVE_INTERVAL_WIDTH and point.lower <= baseline_value <= point.upper:  # type: ignore[operator]
        assert result.code == "cannot_assess"
        assert result.working["cannot_assess_reason"] == "small_population"


def test_a_yes_no_goal_met_from_nej_is_reached_not_unassessable() -> None:
    """Baseline 0 ("nej", 2018), now 1 ("ja", 2019), target = 1: no growth rate from 0 is needed to see it."""
    from malkoll.assessment import Baseline

    result = assess_progress([Point("2018", 0.0), Point("2019", 1.0)], Baseline("2018", 0.0), Target("=", 1),
                             "higher_is_better", "2019")
    assert result.code == "target_reached"
    assert result.reason_sv == "Senaste värdet 1 (2019) uppfyller redan målet = 1."
    still_no = assess_progress([Point("2018", 0.0), Point("2019", 0.0)], Baseline("2018", 0.0), Target("=", 1),
                               "higher_is_better", "2019")
    assert still_no.code == "cannot_assess"  # not reached: a rate from 0 stays undefined
