"""Statistical process control (XmR chart) for monthly series such as BUP waiting times.

A month-to-month swing in a small region is mostly noise. The individuals
chart separates noise from real change: limits at the mean ± 2.66 × the mean
moving range (2.66 = 3 / d2, d2 = 1.128 for ranges of two; Wheeler,
"Understanding Variation"). Signals of special causes used here:
  1. a point outside the limits;
  2. a run of 8 or more consecutive points on the same side of the mean.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from malkoll.formatting import number, period_label

SIGMA_FACTOR = 2.66
RUN_LENGTH = 8
MIN_POINTS = 6  # fewer points give limits too unstable to read


@dataclass(frozen=True)
class Signal:
    period: str
    rule: str  # 'above', 'below', 'run_above', 'run_below'
    text_sv: str


@dataclass
class ControlChart:
    periods: list[str]
    values: list[float]
    mean: float
    mean_moving_range: float
    upper: float
    lower: float
    signals: list[Signal] = field(default_factory=list)

    def summary_sv(self) -> str:
        """The chart in words: limits, then each signal, or that the variation looks like noise."""
        head = (f"Medelvärde {number(self.mean, 1)}; styrgränser {number(self.lower, 1)}–{number(self.upper, 1)} "
                f"(medelvärdet ± 2,66 × genomsnittlig skillnad mellan månader, {number(self.mean_moving_range, 1)}).")
        if not self.signals:
            return head + (" Alla månader ligger inom gränserna utan långa serier på samma sida om medelvärdet: "
                           "variationen ser ut som slumpmässig variation kring en stabil nivå.")
        return head + " " + " ".join(s.text_sv for s in self.signals)


def xmr(periods: list[str], values: list[float], lower_bound: float | None = 0.0,
        upper_bound: float | None = None) -> ControlChart | None:
    """The XmR chart of a monthly series in time order; None with fewer than MIN_POINTS values.

    Args:
        lower_bound: the smallest possible value (0 for shares and days); the lower limit is not set below it.
        upper_bound: the largest possible value (100 for a share); the upper limit is not set above it, so
            the chart and its summary do not speak of a limit of 113 % from a wide spread.
    """
    if len(values) < MIN_POINTS:
        return None
    mean = sum(values) / len(values)
    ranges = [abs(b - a) for a, b in zip(values, values[1:])]
    mr_bar = sum(ranges) / len(ranges)
    upper, lower = mean + SIGMA_FACTOR * mr_bar, mean - SIGMA_FACTOR * mr_bar
    if lower_bound is not None:
        lower = max(lower, lower_bound)
    if upper_bound is not None:
        upper = min(upper, upper_bound)
    chart = ControlChart(list(periods), list(values), mean, mr_bar, upper, lower)
    for period, value in zip(periods, values):
        label = period_label(period)
        if value > upper:
            chart.signals.append(Signal(period, "above", f"{label}: {number(value, 1)} ligger över den övre "
                                        f"styrgränsen {number(upper, 1)}, en verklig förändring snarare än slump."))
        elif value < lower:
            chart.signals.append(Signal(period, "below", f"{label}: {number(value, 1)} ligger under den nedre "
                                        f"styrgränsen {number(lower, 1)}, en verklig förändring snarare än slump."))
    run_start = 0
    for i in range(1, len(values) + 1):
        same_side = i < len(values) and (values[i] > mean) == (values[run_start] > mean) and values[i] != mean
        if not same_side:
            if i - run_start >= RUN_LENGTH:
                side = "över" if values[run_start] > mean else "under"
                chart.signals.append(Signal(periods[i - 1], f"run_{'above' if side == 'över' else 'below'}",
                                            f"{period_label(periods[run_start])}–{period_label(periods[i - 1])}: "
                                            f"{i - run_start} månader i rad {side} medelvärdet, ett tecken på "
                                            "att nivån har skiftat."))
            run_start = i
    return chart
