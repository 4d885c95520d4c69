"""The result table (printed) and the JSON file (bench/results/).

Why both: the table is for the person who ran it; the JSON keeps every sample,
the phases and the machine so that runs can be compared later.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench.timing import Measure

RESULTS = Path(__file__).resolve().parent / "results"
HEADER = ("measure", "median", "p95", "baseline", "ratio", "target", "met")


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "obs/s":
        return f"{value:,.0f} obs/s".replace(",", " ")
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:g} {unit}"


def rows(measures: list[Measure]) -> list[tuple[str, ...]]:
    out = []
    for m in measures:
        met = {True: "yes", False: "no", None: "–"}[m.met]
        ratio = f"{m.ratio:.2f}×" if m.ratio is not None else "–"
        out.append((f"({m.key}) {m.name}", _number(m.median, m.unit), _number(m.tail, m.unit),
                    _number(m.baseline_median, m.unit), ratio, m.target, met))
    return out


def table(measures: list[Measure], markdown: bool = False) -> str:
    body = [HEADER, *rows(measures)]
    if markdown:
        lines = ["| " + " | ".join(r) + " |" for r in body]
        lines.insert(1, "|" + "|".join("---" for _ in HEADER) + "|")
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in body) for i in range(len(HEADER))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in body]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write(result: dict, name: str) -> list[Path]:
    """Write the result as results/latest.json and results/<scale>.json."""
    RESULTS.mkdir(exist_ok=True)
    text = json.dumps(result, indent=1, ensure_ascii=False, default=str)
    paths = [RESULTS / "latest.json", RESULTS / f"{name}.json"]
    for path in paths:
        path.write_text(text + "\n", encoding="utf-8")
    return paths
