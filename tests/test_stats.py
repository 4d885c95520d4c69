"""Tests for malkoll.stats: intervals, pooled rates and suppression.

Reference values are published ones: Wilson limits from the score formula
(e.g. the worked cases on the Wilson score interval's public test lists),
Garwood's exact Poisson limits as tabulated (and ``epitools::pois.exact``:
"for x = 0 the upper limit is 3.689"), Byar's limits computed by hand from
Breslow & Day's formula.
"""

from __future__ import annotations

import math
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from malkoll import stats
from malkoll.stats import (
    BYAR_MIN_EVENTS,
    SUPPRESSED_LABEL,
    SUPPRESSION_THRESHOLD,
    Interval,
    byar_interval,
    inverse_normal_cdf,
    is_share_suppressed,
    is_suppressed,
    poisson_cdf,
    poisson_exact_interval,
    pooled_rate,
    rate_interval,
    wilson_interval,
    z_for,
)

# --------------------------------------------------------------------------
# Normal quantile
# --------------------------------------------------------------------------


def test_z_for_common_levels() -> None:
    """z for 95 % is 1.959964 and for 99.8 % (Fingertips' outer limits) 3.090232."""
    assert z_for(0.95) == pytest.approx(1.959963984540054, abs=1e-12)
    assert z_for(0.998) == pytest.approx(3.090232306167813, abs=1e-9)
    assert z_for(0.90) == pytest.approx(1.6448536269514722, abs=1e-12)


@pytest.mark.parametrize("p", [1e-12, 1e-6, 0.001, 0.02425, 0.05, 0.3, 0.5, 0.7, 0.975, 0.999, 1 - 1e-6])
def test_inverse_normal_matches_stdlib(p: float) -> None:
    """Acklam + one Halley step agrees with the stdlib's Wichura AS241 to ~1e-9."""
    assert inverse_normal_cdf(p) == pytest.approx(statistics.NormalDist().inv_cdf(p), abs=1e-9)


@pytest.mark.parametrize("level", [0.0, 1.0, -0.5, 95])
def test_z_for_rejects_bad_levels(level: float) -> None:
    with pytest.raises(ValueError, match="level"):
        z_for(level)


# --------------------------------------------------------------------------
# Wilson
# --------------------------------------------------------------------------


def test_wilson_8_of_20() -> None:
    """8/20: p = 0.4, z = 1.96, z²/n = 0.19208.

    centre = (0.4 + 0.09604) / 1.19208 = 0.41611;
    half = 1.96/1.19208 · √(0.24/20 + 3.8415/1600) = 1.64419 · 0.11997 = 0.19726;
    limits 0.2188 – 0.6134.
    """
    interval = wilson_interval(8, 20)
    assert interval is not None
    assert interval.estimate == 0.4
    assert interval.lower == pytest.approx(0.2188, abs=5e-5)
    assert interval.upper == pytest.approx(0.6134, abs=5e-5)
    assert interval.method == "wilson"
    assert interval.level == 0.95


def test_wilson_0_of_10() -> None:
    """0/10: lower exactly 0, upper = (z²/n)/(1 + z²/n) = 0.38415/1.38415 = 0.2775."""
    interval = wilson_interval(0, 10)
    assert interval == Interval(0.0, 0.0, pytest.approx(0.2775, abs=5e-5), "wilson")  # type: ignore[arg-type]


def test_wilson_known_cases() -> None:
    """10/100 → 0.0552–0.1744 and 1/2 → 0.0945–0.9055 (published with z = 1.96)."""
    a = wilson_interval(10, 100)
    b = wilson_interval(1, 2)
    assert a is not None and b is not None
    assert (a.lower, a.upper) == (pytest.approx(0.05523, abs=1e-4), pytest.approx(0.17437, abs=1e-4))
    assert (b.lower, b.upper) == (pytest.approx(0.09453, abs=1e-4), pytest.approx(0.90547, abs=1e-4))


def test_wilson_all_of_n_reaches_one() -> None:
    interval = wilson_interval(20, 20)
    assert interval is not None
    assert interval.upper == 1.0
    assert interval.estimate == 1.0


def test_wilson_zero_denominator_is_missing_not_zero() -> None:
    """'0 of 0' has been printed as '0 %' by vantetider.se: it is missing."""
    assert wilson_interval(0, 0) is None


@pytest.mark.parametrize(
    ("numerator", "denominator", "message"),
    [(-1, 10, "negative"), (1, -10, "negative"), (11, 10, "larger than denominator"), (1.5, 10, "whole number")],
)
def test_wilson_rejects_bad_counts(numerator: float, denominator: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        wilson_interval(numerator, denominator)  # type: ignore[arg-type]


def test_wilson_accepts_integral_floats() -> None:
    """Counts from DuckDB columns with nulls arrive as floats like 8.0."""
    assert wilson_interval(8.0, 20.0) == wilson_interval(8, 20)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Exact Poisson and Byar
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "lower", "upper"),
    [
        (0, 0.0, 3.689),
        (1, 0.0253, 5.572),
        (5, 1.6235, 11.668),
        (9, 4.1154, 17.085),
        (20, 12.217, 30.888),
    ],
)
def test_garwood_exact_limits(events: int, lower: float, upper: float) -> None:
    """Garwood (1936) 95 % limits as tabulated; 0 events: upper = −ln(0.025) = 3.689."""
    low, high = poisson_exact_interval(events)
    assert low == pytest.approx(lower, abs=6e-4)
    assert high == pytest.approx(upper, abs=6e-4)


def test_exact_limits_satisfy_their_definition() -> None:
    """The upper limit U for x has P(X ≤ x; U) = 0.025; the lower L has P(X ≥ x; L) = 0.025."""
    for x in (1, 3, 7, 25):
        low, high = poisson_exact_interval(x)
        assert poisson_cdf(x, high) == pytest.approx(0.025, abs=1e-10)
        assert 1 - poisson_cdf(x - 1, low) == pytest.approx(0.025, abs=1e-10)


def test_byar_20_events() -> None:
    """Byar for O = 20, z = 1.959964.

    lower = 20·(1 − 1/180 − 1.959964/(3·√20))³ = 20·(1 − 0.005556 − 0.146087)³
          = 20·0.848357³ = 20·0.610567 = 12.211;
    upper = 21·(1 − 1/189 + 1.959964/(3·√21))³ = 21·(1 − 0.005291 + 0.142567)³
          = 21·1.137276³ = 21·1.470947 = 30.890.
    """
    low, high = byar_interval(20)
    assert low == pytest.approx(12.211, abs=1e-3)
    assert high == pytest.approx(30.890, abs=1e-3)


def test_byar_undefined_for_zero() -> None:
    with pytest.raises(ValueError, match="0 events"):
        byar_interval(0)


@pytest.mark.parametrize("events", range(BYAR_MIN_EVENTS, 60))
def test_byar_close_to_exact_from_threshold(events: int) -> None:
    """From 10 events Byar is within 0.2 % of exact at 95 % (PHE Technical Guide)."""
    exact = poisson_exact_interval(events)
    approx = byar_interval(events)
    assert approx[0] == pytest.approx(exact[0], rel=2e-3)
    assert approx[1] == pytest.approx(exact[1], rel=2e-3)


def test_rate_interval_switches_method_at_threshold() -> None:
    below = rate_interval(BYAR_MIN_EVENTS - 1, 100_000)
    at = rate_interval(BYAR_MIN_EVENTS, 100_000)
    assert below is not None and at is not None
    assert below.method == "poisson_exact"
    assert at.method == "byar"


def test_rate_interval_one_suicide_in_jamtland_15_24() -> None:
    """1 death among ≈14 500 aged 15–24: 1/14 500 · 100 000 = 6.90 per 100 000.

    Exact limits for 1 event are 0.0253 and 5.572, so the rate is
    0.0253/14 500·1e5 = 0.17 to 5.572/14 500·1e5 = 38.4 per 100 000.
    """
    interval = rate_interval(1, 14_500)
    assert interval is not None
    assert interval.estimate == pytest.approx(6.896, abs=1e-3)
    assert interval.lower == pytest.approx(0.1746, abs=1e-3)
    assert interval.upper == pytest.approx(38.425, abs=1e-2)
    assert interval.method == "poisson_exact"


def test_rate_interval_zero_events_is_a_real_zero() -> None:
    interval = rate_interval(0, 14_500)
    assert interval is not None
    assert interval.estimate == 0.0
    assert interval.lower == 0.0
    assert interval.upper == pytest.approx(3.689 / 14_500 * 100_000, rel=1e-3)


def test_rate_interval_zero_population() -> None:
    assert rate_interval(0, 0) is None
    with pytest.raises(ValueError, match="inconsistent"):
        rate_interval(2, 0)


@pytest.mark.parametrize(("events", "population"), [(-1, 100.0), (1, -100.0), (1.5, 100.0)])
def test_rate_interval_rejects_bad_input(events: float, population: float) -> None:
    with pytest.raises(ValueError):
        rate_interval(events, population)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Pooled rates
# --------------------------------------------------------------------------


def test_pooled_rate_is_not_an_average_of_rates() -> None:
    """Years 1/10 000 and 3/30 000: pooled 4/40 000 = 10 per 100 000, as is each year.

    With 1/10 000 and 0/30 000 the mean of rates is (10 + 0)/2 = 5 but the
    pooled rate is 1/40 000·1e5 = 2.5: a small year must not weigh as much
    as a large one.
    """
    same = pooled_rate([1, 3], [10_000, 30_000])
    skewed = pooled_rate([1, 0], [10_000, 30_000])
    assert same is not None and skewed is not None
    assert same.estimate == pytest.approx(10.0)
    assert skewed.estimate == pytest.approx(2.5)
    assert skewed.method == "poisson_exact"


def test_pooled_rate_validation() -> None:
    with pytest.raises(ValueError, match="same length"):
        pooled_rate([1, 2], [100.0])
    with pytest.raises(ValueError, match="empty"):
        pooled_rate([], [])
    with pytest.raises(ValueError, match="negative"):
        pooled_rate([1], [-5.0])
    assert pooled_rate([0, 0], [0.0, 0.0]) is None


# --------------------------------------------------------------------------
# Suppression
# --------------------------------------------------------------------------


def test_suppression_rule() -> None:
    """1–4 hidden; 0 is a real zero; 5 and above shown; None is missing, not hidden."""
    assert SUPPRESSION_THRESHOLD == 5
    assert SUPPRESSED_LABEL == "för få fall"
    assert [is_suppressed(n) for n in range(7)] == [False, True, True, True, True, False, False]
    assert is_suppressed(None) is False
    assert is_suppressed(2, threshold=3) is True
    assert is_suppressed(3, threshold=3) is False
    with pytest.raises(ValueError, match="negative"):
        is_suppressed(-1)


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (3, 4, True),  # tiny group
        (2, 100, True),  # two named individuals
        (97, 100, True),  # complement: three did not
        (0, 100, False),
        (100, 100, False),
        (50, 100, False),
        (0, 0, False),  # missing, not suppressed
        (None, 10, False),
    ],
)
def test_share_suppression(numerator: int | None, denominator: int, expected: bool) -> None:
    assert is_share_suppressed(numerator, denominator) is expected


# --------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------

counts_and_totals = st.integers(min_value=1, max_value=1_000_000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


@given(counts_and_totals, st.sampled_from([0.8, 0.9, 0.95, 0.99, 0.998]))
def test_wilson_contains_estimate_and_stays_in_unit_interval(pair: tuple[int, int], level: float) -> None:
    x, n = pair
    interval = wilson_interval(x, n, level)
    assert interval is not None
    assert 0.0 <= interval.lower <= interval.estimate <= interval.upper <= 1.0


@given(counts_and_totals, st.integers(min_value=2, max_value=50))
def test_wilson_widens_as_n_falls(pair: tuple[int, int], factor: int) -> None:
    """Same share from a factor-times smaller group gives a wider (or equal) interval."""
    x, n = pair
    small = wilson_interval(x, n)
    large = wilson_interval(x * factor, n * factor)
    assert small is not None and large is not None
    assert small.upper - small.lower >= (large.upper - large.lower) - 1e-12


@given(
    st.integers(min_value=0, max_value=5_000),
    st.floats(min_value=1.0, max_value=1e7, allow_nan=False),
    st.sampled_from([0.9, 0.95, 0.99]),
)
def test_rate_interval_contains_estimate(events: int, population: float, level: float) -> None:
    interval = rate_interval(events, population, level=level)
    assert interval is not None
    assert 0.0 <= interval.lower <= interval.estimate <= interval.upper


@given(
    st.integers(min_value=0, max_value=2_000),
    st.floats(min_value=100.0, max_value=1e6, allow_nan=False),
    st.integers(min_value=2, max_value=20),
)
def test_rate_interval_widens_as_population_falls(events: int, population: float, factor: int) -> None:
    """Same rate from a factor-times smaller population (and count) has a wider interval."""
    small = rate_interval(events, population)
    large = rate_interval(events * factor, population * factor)
    assert small is not None and large is not None
    assert small.upper - small.lower >= (large.upper - large.lower) * (1 - 1e-9)


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=500), st.floats(min_value=1.0, max_value=1e6)),
        min_size=1,
        max_size=10,
    ),
    st.sampled_from([1_000.0, 100_000.0]),
)
def test_pooled_rate_is_summed_events_over_summed_population(
    years: list[tuple[int, float]], per: float
) -> None:
    events = [e for e, _ in years]
    populations = [p for _, p in years]
    pooled = pooled_rate(events, populations, per=per)
    assert pooled is not None
    assert math.isclose(pooled.estimate, sum(events) / math.fsum(populations) * per, rel_tol=1e-12)
    assert pooled.lower >= 0.0
    assert pooled.lower <= pooled.estimate <= pooled.upper


@settings(max_examples=50)
@given(st.integers(min_value=0, max_value=200))
def test_exact_interval_is_ordered(events: int) -> None:
    low, high = poisson_exact_interval(events)
    assert 0.0 <= low <= events <= high
    if events == 0:
        assert low == 0.0


def test_module_exports_exist() -> None:
    for name in stats.__all__:
        assert hasattr(stats, name), name
