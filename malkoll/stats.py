"""Confidence intervals, pooled rates and small-count suppression.

Plain, typed functions with no Streamlit, pandas or scipy, so that the app,
the exports and the warehouse checks all compute uncertainty the same way.

Methods follow DOMAIN.md §5 and the public-health convention used by the
English Fingertips tools (PHE/OHID "Technical Guide: Confidence Intervals",
2018, and the ``PHEindicatormethods`` R package):

* shares (0–1): Wilson score interval;
* rates from counts: exact Poisson limits (Garwood 1936, via the Poisson CDF /
  chi-square relation) for fewer than :data:`BYAR_MIN_EVENTS` events and
  Byar's approximation from there on. Byar's formula is the one in Breslow &
  Day (1987), *Statistical methods in cancer research II*, as implemented in
  ``PHEindicatormethods`` (``R/Byars.R``); the PHE guide notes it is within
  about 0.2 % of the exact limits for 10 or more events at 95 %.

Reference values used in ``tests/test_stats.py``: ``epitools::pois.exact``
documents the exact 95 % upper limit for 0 events as 3.689.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = [
    "BYAR_MIN_EVENTS",
    "DEFAULT_LEVEL",
    "Interval",
    "SUPPRESSED_LABEL",
    "SUPPRESSION_THRESHOLD",
    "byar_interval",
    "citation_only",
    "inverse_normal_cdf",
    "is_share_suppressed",
    "is_suppressed",
    "poisson_cdf",
    "poisson_exact_interval",
    "pooled_rate",
    "rate_interval",
    "wilson_interval",
    "z_for",
]

DEFAULT_LEVEL = 0.95
"""Confidence level used everywhere unless a caller asks for another."""

BYAR_MIN_EVENTS = 10
"""Event count from which Byar's approximation replaces the exact Poisson limits.

Below about 10 events Byar's cube-root approximation drifts from the exact
limits (and its lower limit can even go negative at high confidence levels);
from 10 on it is within about 0.2 % of exact at 95 % (PHE Technical Guide).
"""

SUPPRESSION_THRESHOLD = 5
"""Counts from 1 up to this number minus one are hidden in displays and exports.

DOMAIN.md §5: "suppress cells with fewer than 5 individuals". Socialstyrelsen
and SCB use rules of this kind so that a reader who knows the area cannot work
out who the few people behind a figure are.
"""

SUPPRESSED_LABEL = "för få fall"
"""What the app and exports print instead of a suppressed value."""

_BISECTION_ITERATIONS = 200
_RELATIVE_TOLERANCE = 1e-13


@dataclass(frozen=True)
class Interval:
    """A point estimate with its confidence limits.

    Attributes:
        estimate: The observed value (a share 0–1, or a rate per ``per``).
        lower: Lower confidence limit, never below 0.
        upper: Upper confidence limit (never above 1 for shares).
        method: How the limits were computed: ``"wilson"``,
            ``"poisson_exact"`` or ``"byar"``, so the app can say so in
            "Hur räknades detta?".
        level: Confidence level, e.g. 0.95.
    """

    estimate: float
    lower: float
    upper: float
    method: str
    level: float = DEFAULT_LEVEL


# --------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------


def _as_count(value: object, name: str) -> int:
    """Return ``value`` as a non-negative int, or raise with a clear message.

    Integral floats (``8.0``) are accepted because counts read from DuckDB or
    CSV files often arrive as floats when the column has nulls.
    """
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a count (int), not a bool")
    if isinstance(value, numbers.Integral):
        count = int(value)
    elif isinstance(value, numbers.Real) and float(value).is_integer():
        count = int(value)
    else:
        raise ValueError(f"{name} must be a whole number of individuals or events, got {value!r}")
    if count < 0:
        raise ValueError(f"{name} must not be negative, got {count}")
    return count


def _check_level(level: float) -> None:
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be strictly between 0 and 1 (e.g. 0.95), got {level!r}")


# --------------------------------------------------------------------------
# Normal quantile
# --------------------------------------------------------------------------

# Coefficients of Peter J. Acklam's rational approximation to the inverse
# normal CDF (relative error below 1.15e-9 before refinement).
_A = (-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02,
      1.383577518672690e02, -3.066479806614716e01, 2.506628277459239e00)
_B = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02,
      6.680131188771972e01, -1.328068155288572e01)
_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00,
      -2.549732539343734e00, 4.374664141464968e00, 2.938163982698783e00)
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00,
      3.754408661907416e00)
_P_LOW = 0.02425


def inverse_normal_cdf(p: float) -> float:
    """Quantile of the standard normal distribution.

    Acklam's rational approximation followed by one Halley step against
    ``math.erfc``, which brings it to full double precision. Written out
    rather than imported because the project does not depend on scipy.

    Args:
        p: Probability strictly between 0 and 1.

    Returns:
        x such that P(Z <= x) = p.

    Raises:
        ValueError: If p is not strictly between 0 and 1.
    """
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be strictly between 0 and 1, got {p!r}")
    if p < _P_LOW:
        q = math.sqrt(-2.0 * math.log(p))
        x = ((((( _C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5]) / (
            (((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1.0)
    elif p <= 1.0 - _P_LOW:
        q = p - 0.5
        r = q * q
        x = (((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A[5]) * q / (
            ((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1.0)
    else:
        q = math.sqrt(-2.0 * math.log1p(-p))
        x = -((((( _C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5]) / (
            (((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1.0)
    # One Halley refinement step.
    e = 0.5 * math.erfc(-x / math.sqrt(2.0)) - p
    u = e * math.sqrt(2.0 * math.pi) * math.exp(x * x / 2.0)
    return x - u / (1.0 + x * u / 2.0)


def z_for(level: float = DEFAULT_LEVEL) -> float:
    """Two-sided normal critical value for a confidence level.

    Args:
        level: Confidence level, e.g. 0.95.

    Returns:
        z with P(-z < Z < z) = level; 1.959963984540054 for 0.95.
    """
    _check_level(level)
    return inverse_normal_cdf(1.0 - (1.0 - level) / 2.0)


# --------------------------------------------------------------------------
# Shares
# --------------------------------------------------------------------------


def wilson_interval(numerator: int, denominator: int, level: float = DEFAULT_LEVEL) -> Interval | None:
    """Wilson score interval for a share, on the 0–1 scale.

    Wilson rather than the textbook ``p ± z·se`` (Wald) because Målkoll's
    shares are often small groups (a month of BUP patients in one region, a
    school class) and close to 0 or 100 %, where Wald gives limits outside
    0–1 or zero width. Formula: (p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n).

    Args:
        numerator: Individuals with the property (e.g. assessed within 30 days).
        denominator: Individuals in the group.
        level: Confidence level.

    Returns:
        The interval, or None when ``denominator`` is 0: a share of nobody is
        missing, never 0 % (vantetider.se has printed "0 of 0" as "0 %").

    Raises:
        ValueError: On negative counts, non-whole counts or numerator > denominator.
    """
    x = _as_count(numerator, "numerator")
    n = _as_count(denominator, "denominator")
    _check_level(level)
    if x > n:
        raise ValueError(f"numerator ({x}) cannot be larger than denominator ({n})")
    if n == 0:
        return None
    z = z_for(level)
    p = x / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    # Exact ends at 0 and n, and clamp away rounding so lower <= p <= upper.
    lower = 0.0 if x == 0 else min(p, max(0.0, centre - half))
    upper = 1.0 if x == n else max(p, min(1.0, centre + half))
    return Interval(estimate=p, lower=lower, upper=upper, method="wilson", level=level)


# --------------------------------------------------------------------------
# Counts and rates
# --------------------------------------------------------------------------


def poisson_cdf(k: int, mean: float) -> float:
    """P(X <= k) for X ~ Poisson(mean), as a finite sum in log space.

    Args:
        k: Non-negative count.
        mean: Poisson mean, >= 0.

    Returns:
        The cumulative probability.
    """
    if mean < 0:
        raise ValueError(f"mean must not be negative, got {mean}")
    if k < 0:
        return 0.0
    if mean == 0:
        return 1.0
    log_mean = math.log(mean)
    terms = [math.exp(-mean + i * log_mean - math.lgamma(i + 1)) for i in range(k + 1)]
    return min(1.0, math.fsum(terms))


def _bisect_decreasing(func: Callable[[float], float], target: float, lo: float, hi: float) -> float:
    """Solve func(mu) = target for a function decreasing in mu on [lo, hi]."""
    for _ in range(_BISECTION_ITERATIONS):
        mid = (lo + hi) / 2.0
        if func(mid) > target:
            lo = mid
        else:
            hi = mid
        if hi - lo <= _RELATIVE_TOLERANCE * max(1.0, hi):
            break
    return (lo + hi) / 2.0


def _upper_bracket(k: int) -> float:
    return 2.0 * k + 20.0 + 10.0 * math.sqrt(k + 1.0)


@functools.lru_cache(maxsize=1024)
def poisson_exact_interval(events: int, level: float = DEFAULT_LEVEL) -> tuple[float, float]:
    """Exact (Garwood) confidence limits for a Poisson count.

    Remembered per (count, level): rates use it only below BYAR_MIN_EVENTS, so
    an overview meets the same few small counts hundreds of times, and each
    solve is two bisections over the Poisson CDF (bench/README.md, finding b).

    Garwood's limits are the means at which the observed count sits exactly
    in the α/2 tail: the lower limit L solves P(X >= x; L) = α/2 and the
    upper limit U solves P(X <= x; U) = α/2. Garwood wrote these through the
    chi-square distribution (L = χ²(α/2; 2x)/2, U = χ²(1−α/2; 2x+2)/2); here
    they are solved directly on the Poisson CDF by bisection, which needs no
    chi-square quantile and so no scipy.

    Args:
        events: Observed count (e.g. suicide deaths).
        level: Confidence level.

    Returns:
        (lower, upper) limits for the expected count; lower is 0 for 0 events.
    """
    x = _as_count(events, "events")
    _check_level(level)
    tail = (1.0 - level) / 2.0
    hi = _upper_bracket(x)
    while poisson_cdf(x, hi) > tail:
        hi *= 2.0
    upper = _bisect_decreasing(lambda mu: poisson_cdf(x, mu), tail, 0.0, hi)
    if x == 0:
        return 0.0, upper
    # P(X >= x; mu) = 1 - P(X <= x-1; mu) = tail  <=>  P(X <= x-1; mu) = 1 - tail
    lower = _bisect_decreasing(lambda mu: poisson_cdf(x - 1, mu), 1.0 - tail, 0.0, upper)
    return lower, upper


def byar_interval(events: int, level: float = DEFAULT_LEVEL) -> tuple[float, float]:
    """Byar's approximation to the exact Poisson limits for a count.

    lower = O·(1 − 1/(9O) − z/(3√O))³ and
    upper = (O+1)·(1 − 1/(9(O+1)) + z/(3√(O+1)))³ (Breslow & Day 1987;
    PHEindicatormethods ``byars_lower``/``byars_upper``). Closed form, so it
    is cheap for the large counts of pooled or national figures.

    Args:
        events: Observed count; must be at least 1 (the formula divides by it).
        level: Confidence level.

    Returns:
        (lower, upper) limits for the expected count.
    """
    o = _as_count(events, "events")
    if o == 0:
        raise ValueError("Byar's approximation is undefined for 0 events; use poisson_exact_interval")
    z = z_for(level)
    lower = o * (1.0 - 1.0 / (9.0 * o) - z / (3.0 * math.sqrt(o))) ** 3
    o1 = o + 1
    upper = o1 * (1.0 - 1.0 / (9.0 * o1) + z / (3.0 * math.sqrt(o1))) ** 3
    return max(0.0, lower), upper


def rate_interval(
    events: int,
    population: float,
    per: float = 100_000,
    level: float = DEFAULT_LEVEL,
) -> Interval | None:
    """A crude rate (events per ``per`` inhabitants) with its confidence interval.

    Exact Poisson limits below :data:`BYAR_MIN_EVENTS` events and Byar's
    approximation from there on (DOMAIN.md §5). The limits are computed for
    the count and scaled by ``per / population``.

    Args:
        events: Observed events, e.g. suicide deaths in a year or a pooled window.
        population: Population (or person-years for pooled windows).
        per: Rate base, 100 000 for suicide rates.
        level: Confidence level.

    Returns:
        The interval, or None when ``population`` is 0 (no one at risk: the
        rate is missing, not zero).

    Raises:
        ValueError: On negative or non-whole events, negative population, a
            non-positive ``per``, or events in a zero population.
    """
    x = _as_count(events, "events")
    _check_level(level)
    if population < 0 or math.isnan(population):
        raise ValueError(f"population must not be negative, got {population!r}")
    if per <= 0:
        raise ValueError(f"per must be positive, got {per!r}")
    if population == 0:
        if x > 0:
            raise ValueError(f"{x} events in a population of 0 is inconsistent")
        return None
    if x < BYAR_MIN_EVENTS:
        low, high = poisson_exact_interval(x, level)
        method = "poisson_exact"
    else:
        low, high = byar_interval(x, level)
        method = "byar"
    scale = per / population
    estimate = x * scale
    return Interval(
        estimate=estimate,
        lower=min(estimate, low * scale),
        upper=max(estimate, high * scale),
        method=method,
        level=level,
    )


def pooled_rate(
    events: Sequence[int],
    populations: Sequence[float],
    per: float = 100_000,
    level: float = DEFAULT_LEVEL,
) -> Interval | None:
    """A rate for several years or areas pooled: summed events over summed population.

    Never an average of the yearly or band rates: averaging gives a year with
    a small population the same weight as a large one, and published
    small-county rates that drop empty age bands from the denominator are too
    high (DOMAIN.md §4, Kurvan caveat). Pool 3 or 5 years for suicide in a
    small county so the interval becomes narrow enough to say something.

    Args:
        events: Events per year (or area), same order as ``populations``.
        populations: Population per year (or area); their sum is person-years.
        per: Rate base.
        level: Confidence level.

    Returns:
        The pooled rate with its interval (method by the summed count), or
        None when the summed population is 0.

    Raises:
        ValueError: When the sequences are empty or of different lengths, or
            any element is invalid (see :func:`rate_interval`).
    """
    if len(events) != len(populations):
        raise ValueError(
            f"events and populations must have the same length ({len(events)} vs {len(populations)})"
        )
    if len(events) == 0:
        raise ValueError("cannot pool an empty list of years")
    counts = [_as_count(e, "events") for e in events]
    for population in populations:
        if population < 0 or math.isnan(population):
            raise ValueError(f"population must not be negative, got {population!r}")
    return rate_interval(sum(counts), math.fsum(populations), per=per, level=level)


# --------------------------------------------------------------------------
# Suppression
# --------------------------------------------------------------------------


def configured_threshold() -> int:
    """MALKOLL_SUPPRESSION_THRESHOLD as a whole number ≥ 1; the default (5) if unset or invalid."""
    from malkoll import settings

    try:
        value = int(settings.SUPPRESSION_THRESHOLD.get())
    except ValueError:
        return SUPPRESSION_THRESHOLD
    return value if value >= 1 else SUPPRESSION_THRESHOLD


def is_suppressed(count: int | None, threshold: int | None = None) -> bool:
    """Whether a count must be hidden (shown as :data:`SUPPRESSED_LABEL`).

    Rule: a count from 1 to ``threshold - 1`` is suppressed. Why:

    * 1–4 individuals in a small kommun can be recognised by neighbours,
      colleagues or the family; publishing "2 suicides aged 15–24 in Bräcke"
      identifies people (DOMAIN.md §5).
    * **0 is not suppressed.** Zero events in a population is a real,
      informative zero that identifies no one (the Socialstyrelsen API even
      encodes it as a missing row). This is the rule for deaths and other
      event counts behind rates.
    * For shares the denominator matters too; use :func:`is_share_suppressed`.
      A denominator of 0 is not suppressed but *missing* (no share exists);
      :func:`wilson_interval` returns None for it.
    * ``None`` (no data) is missing, not suppressed: the app shows "–", not
      "för få fall".

    Args:
        count: Number of individuals or events, or None when unknown.
        threshold: Smallest count that may be shown (default: the configured threshold).

    Returns:
        True when the count must be hidden.

    Raises:
        ValueError: On a negative or non-whole count.
    """
    if count is None:
        return False
    n = _as_count(count, "count")
    if threshold is None:
        threshold = configured_threshold()
    return 0 < n < threshold


def is_share_suppressed(
    numerator: int | None,
    denominator: int | None,
    threshold: int = SUPPRESSION_THRESHOLD,
) -> bool:
    """Whether a share must be hidden because it exposes fewer than ``threshold`` people.

    A share is suppressed when its denominator is 1..threshold-1 (a tiny
    group), when the numerator is, or when the complement (denominator −
    numerator) is: "97 of 100 pupils" tells the reader that 3 named pupils
    did not. 0 and the full group are not suppressed by the numerator rule
    (nobody / everybody is not a handful of individuals), but a tiny group
    still is by the denominator rule. A denominator of 0 or None is missing,
    not suppressed.

    Args:
        numerator: Individuals with the property.
        denominator: Individuals in the group.
        threshold: Smallest count that may be shown (default: the configured threshold).

    Returns:
        True when the share must be hidden.
    """
    if numerator is None or denominator is None:
        return False
    x = _as_count(numerator, "numerator")
    n = _as_count(denominator, "denominator")
    if x > n:
        raise ValueError(f"numerator ({x}) cannot be larger than denominator ({n})")
    if n == 0:
        return False
    return is_suppressed(n, threshold) or is_suppressed(x, threshold) or is_suppressed(n - x, threshold)


def citation_only(source_ref: str | None) -> str | None:
    """A row's source reference without the figures it quotes, for a row shown as suppressed.

    A value read from a plan's text keeps the sentence it came from as its
    reference ('seed 001 §2.1, rad 1759: "2016 var siffran 6,90 suicid …" …
    ≈ 1 dödsfall'); printed beside "för få fall" it would give away what the
    suppression holds back. The place (document, section, line) stays, so the
    source can still be looked up.
    """
    if source_ref is None:
        return None
    return source_ref.split(': "', 1)[0]

