"""Repeated timing and the one record every measure produces.

Why median and p95 over repeats, beside a baseline from the same run: one run
says little on a shared 2-core machine, and an absolute figure alone cannot tell
a slow machine from slow code. p95 is linear interpolation between the sorted
runs (with few runs it is close to the slowest one).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation, like numpy's default."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def median(samples: list[float]) -> float:
    return percentile(samples, 50)


def repeat(fn: Callable[[], Any], runs: int, warmup: int = 1) -> list[float]:
    """Wall-clock seconds of `runs` calls of fn, after `warmup` untimed calls."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


@dataclass
class Measure:
    """One row of the result table.

    `samples` and `baseline` are in `unit`. `better` says which way is good
    ('lower' for times and memory, 'higher' for throughput); the p95 column is
    the slow or large tail either way (for throughput: the 5th percentile).
    `ratio` is how many times better the measure is than its baseline.
    """

    key: str
    name: str
    unit: str
    samples: list[float]
    baseline: list[float]
    baseline_name: str
    target: str
    better: str = "lower"
    limit: float | None = None             # the target on the tail value
    min_ratio: float | None = None         # a required ratio to the baseline, if any
    condition: bool | None = None          # another part of the target (e.g. "writes nothing")
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def median(self) -> float:
        return median(self.samples)

    @property
    def tail(self) -> float:
        return percentile(self.samples, 95 if self.better == "lower" else 5)

    @property
    def baseline_median(self) -> float | None:
        return median(self.baseline) if self.baseline else None

    @property
    def ratio(self) -> float | None:
        base = self.baseline_median
        if not base or not self.median:
            return None
        return base / self.median if self.better == "lower" else self.median / base

    @property
    def met(self) -> bool | None:
        if self.limit is None or not self.samples:
            return None
        ok = self.tail <= self.limit if self.better == "lower" else self.tail >= self.limit
        if self.min_ratio is not None:
            ok = ok and self.ratio is not None and self.ratio >= self.min_ratio
        if self.condition is not None:
            ok = ok and self.condition
        return ok

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "name": self.name, "unit": self.unit, "median": self.median,
            "p95": self.tail, "tail_percentile": 95 if self.better == "lower" else 5,
            "baseline_name": self.baseline_name, "baseline_median": self.baseline_median,
            "ratio": self.ratio, "target": self.target, "met": self.met, "better": self.better,
            "samples": self.samples, "baseline_samples": self.baseline, "notes": self.notes,
        }
