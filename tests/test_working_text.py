"""'Hur räknades detta?': an assessment's working as Swedish steps, never revealing what is held back."""

from __future__ import annotations

import json

from malkoll.assessment import Target, assess_against_target, assess_progress, rate_point
from malkoll.working_text import working_lines
from tests.test_assessment import (BUP_DEADLINE, BUP_TARGET, SUICIDE_BASELINE, SUICIDE_MILESTONE, ZERO_VISION,
                                   bup_annual_series, bup_monthly_series)


def steps(working: dict) -> dict[str, str]:
    return {row["Steg"]: row["Värde"] for row in working_lines(working)}


def test_progress_is_told_step_by_step_in_swedish_with_swedish_numbers() -> None:
    shown = steps(assess_progress(bup_monthly_series(), None, BUP_TARGET, "higher_is_better", BUP_DEADLINE).working)

    assert shown["Bättre är"] == "högre värden"
    assert shown["Mål"] == "≥ 100" and shown["Måldatum"] == "2019"
    assert shown["Utgångsläge"] == "72 (2016), seriens första värde (planen anger inget)"
    assert shown["Senaste värde"] == "37 (aug 2018)"
    assert shown["Förändring per år hittills"] == "-26,9 % per år"  # (37/72)^(1/2.125) - 1
    assert shown["Kvot: takten hittills delad med takten som behövs"] == "-2,32"
    assert shown["Gränser för kvoten"] == "i fas ≥ 0,95; behöver accelerera ≥ 0,6; begränsade framsteg ≥ 0"
    assert not any(key in " ".join(shown) for key in ("cagr", "time_position", "x0"))  # no code names


def test_lines_without_a_value_are_left_out_rather_than_shown_as_a_dash() -> None:
    shown = steps(assess_against_target(bup_annual_series()[-1], Target(">=", 100),
                                        "higher_is_better").working)

    assert "Nära målet från" not in shown and "Intervallets bredd i förhållande till värdet" not in shown
    assert shown["Senaste värde"] == "63,5 (2018)" and shown["Målet ligger inom intervallet"] == "nej"


def test_a_value_held_back_as_too_few_cases_is_not_revealed_by_the_working() -> None:
    """One death among 14 500: the app shows "för få fall"; its working (table and JSON) must not say 1 or 6,9."""
    point = rate_point("2016", 1, 14_500)
    result = assess_progress([point], SUICIDE_BASELINE, ZERO_VISION, "lower_is_better", None, [SUICIDE_MILESTONE])

    assert steps(result.working)["Senaste värde"] == "2016: för få fall att visa"
    latest = result.working["latest"]
    assert set(latest) == {"period", "time_position", "suppressed"}
    assert "14500" not in json.dumps(result.working) and "6.89" not in json.dumps(result.working)


def test_without_a_target_in_time_the_limits_are_changes_per_year_not_a_ratio() -> None:
    """Eligibility for upper-secondary school: the plan only says "öka"; limits 1,5 % and 0,5 % per year."""
    from malkoll.assessment import Target as T
    from tests.test_assessment import eligibility_series

    working = assess_progress(eligibility_series(), None, T(">=", None), "higher_is_better", None).working
    shown = steps(working)

    assert working["method"] == "open_sdg_progress_no_target"
    assert "Gränser för kvoten" not in shown
    assert shown["Gränser för förändringen per år"] == ("i fas ≥ +1,5 % per år; behöver accelerera ≥ +0,5 % per år; "
                                                      "begränsade framsteg ≥ 0 % per år")


def test_a_milestone_that_names_its_year_is_not_followed_by_the_year_again() -> None:
    working = assess_progress([], SUICIDE_BASELINE, ZERO_VISION, "lower_is_better", None, [SUICIDE_MILESTONE]).working

    assert steps(working)["Delmål"] == "minska till hälften år 2019"
