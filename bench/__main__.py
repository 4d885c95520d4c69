"""`python -m bench [--quick]`: build the synthetic national warehouse, measure, print, save.

One command, bounded in time (about 5 minutes on 2 cores at full scale, under
a minute with --quick), asserting nothing: a missed target is a "no" in the
table and in bench/results/latest.json, never a failing exit code.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from bench import app_start, etl_refresh, machine, page_data, report
from bench.generate import build_warehouse, write_plans
from bench.scale import FULL, QUICK
from bench.timing import Measure

GROUPS = ("pages", "app", "etl")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@contextmanager
def native_stdout_silenced() -> Iterator[None]:
    """DuckDB draws progress bars on fd 1 for long queries; keep them out of the table."""
    sys.stdout.flush()
    saved = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(devnull)
        os.close(saved)


def phases(measures: list[Measure]) -> str:
    """The medians of each measure's split (ETL phases, cold-start milestones), one line each."""
    lines = []
    for m in measures:
        for key, label in (("milestones_s", "national"), ("baseline_milestones_s", "snapshot")):
            runs = m.notes.get(key)
            if runs:
                parts = ", ".join(f"{step} {sorted(r[step] for r in runs)[len(runs) // 2]:.2f} s" for step in runs[0])
                lines.append(f"({m.key}) {label}, median time since spawn: {parts}")
        split = m.notes.get("phases_s")
        if split:
            parts = ", ".join(f"{label} {sorted(v)[len(v) // 2]:.2f} s" for label, v in split.items())
            lines.append(f"({m.key}) {m.notes.get('observations')} observations; median per phase: {parts}")
    return "\n".join(lines)


def run(args: argparse.Namespace, workdir: Path) -> dict:
    scale = QUICK if args.quick else FULL
    groups = args.only or list(GROUPS)
    started = time.perf_counter()
    log(f"scale {scale.name}; work folder {workdir}")
    national, plans_dir = workdir / "national" / "malkoll.duckdb", workdir / "plans"
    national.parent.mkdir(parents=True)
    t = time.perf_counter()
    observations = build_warehouse(national, scale)
    plan_files = write_plans(national, plans_dir, scale)
    generated_s = time.perf_counter() - t
    log(f"generated {observations:,} observations and {len(plan_files)} plans in {generated_s:.1f} s "
        f"({national.stat().st_size / 1e6:.0f} MB)")

    from malkoll.plan import known_indicator_ids, load_plan

    known = known_indicator_ids(national)
    plans = [load_plan(p, known) for p in plan_files]
    measures: list[Measure] = []
    with native_stdout_silenced():
        if "pages" in groups:
            measures += page_data.measure(national, plans, scale, log)
        if "app" in groups:
            from etl.snapshot.build import ensure_warehouse

            snapshot = workdir / "snapshot" / "malkoll.duckdb"
            ensure_warehouse(snapshot)
            spec = page_data.page_indicator(plans[0], page_data.read.indicators(national))
            measures += app_start.measure(
                app_start.AppCase("national", national, plans_dir,
                                  f"/indikator?indikator={spec.indicator}&omrade={spec.area}", f"/?plan={plans[0].id}"),
                app_start.AppCase("snapshot", snapshot, app_start.ROOT / "plans",
                                  "/indikator?indikator=N15428&omrade=0023", "/?plan=jamtland-2018-2020"),
                scale, workdir, log)
        if "etl" in groups:
            measures += etl_refresh.measure(national, workdir, scale, log)
    order = ["a", "a′", "b", "c", "c″", "c′", "d", "e", "e′", "f"]
    measures.sort(key=lambda m: order.index(m.key))
    return {
        "scale": scale.as_dict(),
        "started_at": dt.datetime.now().isoformat(timespec="seconds"),
        "duration_s": time.perf_counter() - started,
        "machine": machine.describe(),
        "warehouse": {"observations": observations, "file_mb": national.stat().st_size / 1e6,
                      "generated_s": generated_s, "plans": [p.id for p in plans],
                      "goals_per_plan": [len(p.goals) for p in plans],
                      "plan_indicators": [sum(len(g.indicators) for g in p.goals) for p in plans]},
        "measures": [m.as_dict() for m in measures],
        "_measures": measures,
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small scale, under a minute")
    parser.add_argument("--only", action="append", choices=GROUPS,
                        help="run only these groups (pages = a, b; app = c, f; etl = d, e); repeatable")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (warehouses, plans, app logs)")
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="malkoll-bench-"))
    try:
        result = run(args, workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    measures = result.pop("_measures")
    paths = report.write(result, result["scale"]["name"])
    print(f"Målkoll benchmark, scale {result['scale']['name']}: {result['warehouse']['observations']:,} observations, "
          f"{machine.summary(result['machine'])}; {result['duration_s']:.0f} s in all\n")
    print(report.table(measures))
    print()
    print(phases(measures))
    if args.markdown:
        print()
        print(report.table(measures, markdown=True))
    print(f"\nwritten: {', '.join(str(p) for p in paths)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
