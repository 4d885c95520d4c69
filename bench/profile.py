"""`python -m bench.profile [--quick]`: where the time of the benchmark's measures goes.

Why a separate command: the benchmark says *whether* a target is met; this says
*where the time goes*, reproducibly, by timing the production code step by step
on the same synthetic national warehouse. It prints plain lines; nothing is
saved. bench/README.md ("Findings") is written from its output.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from bench.etl_refresh import environment, kolada_server, write_config
from bench.generate import build_warehouse, write_plans
from bench.scale import FULL, QUICK, Scale
from bench.timing import median, repeat
from etl.http import HttpClient
from etl.kolada import load as kolada_load
from etl.kolada.client import KoladaClient
from etl.kolada.load import pull
from etl.kolada.settings import load_selection
from etl.refresh import with_catalogue
from malkoll.goal_status import plan_status
from malkoll.plan import Plan, known_indicator_ids, load_plan
from warehouse import loader, read
from warehouse.checks import changed_rows, run_checks
from warehouse.db import read_only, sql, statements, use_schema

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def patched(module, name: str, value):
    original = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, original)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def overview(warehouse: Path, plans: list[Plan]) -> None:
    print("(b) overview: plan_status = read.plan_inputs (one connection, two queries) + Python")
    for plan in plans:
        specs = [s for g in plan.goals for s in g.indicators]
        keys = sorted({(s.indicator, s.area, s.sex, s.subgroup) for s in specs})
        rows, _ = read.plan_inputs(warehouse, keys)
        t_inputs = median(repeat(lambda: read.plan_inputs(warehouse, keys), 7))
        t_all = median(repeat(lambda: plan_status(plan, warehouse), 7))
        print(f"  {plan.id}: {len(keys)} plan indicators, {len(rows):,} rows; plan_status {ms(t_all)} = "
              f"plan_inputs {ms(t_inputs)} + Python {ms(t_all - t_inputs)}")
    t_open = median(repeat(lambda: read_only(warehouse).__enter__(), 7))
    print(f"  opening a read-only connection: {ms(t_open)}")


def storage(warehouse: Path) -> None:
    with read_only(warehouse) as con:
        n, groups = con.execute("select count(*), count(distinct row_group_id) from pragma_storage_info("
                                "'observations')").fetchall()[0]
        indicator, area = con.execute("select indicator_id, area_code from observations "
                                      "where area_code = '0023' limit 1").fetchall()[0]
    print(f"storage: {warehouse.stat().st_size / 1e6:.0f} MB, observations in {groups} row groups "
          "(no primary key; sorted by indicator and area as the loader inserts)")

    def series() -> None:
        read.series(warehouse, indicator, area)
    print(f"  read.series {indicator} {area}: {ms(median(repeat(series, 10)))}")


def etl(warehouse: Path, work: Path, scale: Scale) -> None:
    print(f"(d, e) ETL: {scale.etl_kpis} KPIs × 312 areas × {scale.etl_years} years × 3 sexes")
    config = work / "config"
    write_config(config, scale)
    with kolada_server(scale) as base, environment(MALKOLL_KOLADA_URL=base, MALKOLL_CONFIG_DIR=str(config)):
        client, selection = KoladaClient(base, HttpClient("kolada")), load_selection()
        pull(client, selection)
        for label, pause in (("cycle collector running", contextlib.nullcontext),
                             ("cycle collector paused, as pull does", kolada_load.cyclic_gc_paused)):
            with patched(kolada_load, "cyclic_gc_paused", pause):
                start = time.perf_counter()
                batch = pull(client, selection)
                took = time.perf_counter() - start
            print(f"  pull ({label}): {took:.2f} s for {len(batch.observations):,} observations")
        batch = with_catalogue(batch)
        print(f"  peak RSS of this process so far: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

    def step(label: str, fn):
        start = time.perf_counter()
        out = fn()
        print(f"  {label:58s} {time.perf_counter() - start:6.2f} s")
        return out

    copy = work / "copy.duckdb"
    shutil.copyfile(warehouse, copy)
    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")
    con.execute("attach ? as served (read_only)", [str(warehouse)])
    con.execute("create schema batch_0")
    print("  the loader, step by step (warehouse/loader.py):")
    use_schema(con, "memory.batch_0", "served.main")
    step("stage the batch (pandas → typed tables)", lambda: loader._register(con, batch))
    step("diff against the served file", lambda: con.execute(
        "create or replace table batch_changes as " + sql("load/diff_observations.sql"), {"source": "kolada"}))
    step("changes to pandas via Arrow (for the report)",
         lambda: con.sql("select * from batch_changes").to_arrow_table().to_pandas())
    step("the same with .df() (before)", lambda: con.execute("select * from batch_changes").df())
    con.execute("attach ? as stage", [str(copy)])
    use_schema(con, "stage.main", "memory.batch_0")
    con.execute("begin transaction")
    for statement in statements(sql("load/apply_batch.sql")):
        step(statement.splitlines()[0][:58], lambda: con.execute(statement, {"load_id": 2} if "$load_id" in statement
                                                                  else None))
    con.execute("insert into loads values (2, 'kolada', now()::timestamp, now()::timestamp, 0, 0, 0, 'published', '')")
    step("commit", lambda: con.execute("commit"))
    scope = step("which rows to check (changed_rows)", lambda: changed_rows(con, "served"))
    step("data checks on the rows this publish changed", lambda: run_checks(con, scope))
    step("data checks on every row (before)", lambda: run_checks(con))
    step("checkpoint", lambda: con.execute("checkpoint stage"))
    con.close()


def _page_imports() -> list[str]:
    """The modules app.py and pages/indikator.py import, in order."""
    found: list[str] = []
    for path in (ROOT / "app.py", ROOT / "pages" / "indikator.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                found.append(node.module)
            elif isinstance(node, ast.Import):
                found += [a.name for a in node.names]
    return list(dict.fromkeys(found))


def cold_start(warehouse: Path) -> None:
    print("(c) cold start: the app's first script run, server side")
    probe = ("import importlib, sys, time\n"
             "for name in sys.argv[1:]:\n"
             "    start = time.perf_counter(); importlib.import_module(name)\n"
             "    print(f'{name} {time.perf_counter() - start:.3f}')\n")
    out = subprocess.run([sys.executable, "-c", probe, *_page_imports()], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    took = dict(zip(out[::2], map(float, out[1::2])))
    slow = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in sorted(took.items(), key=lambda kv: -kv[1])[:6])
    print(f"  imports of app.py + pages/indikator.py in a fresh interpreter: {sum(took.values()):.2f} s "
          f"(largest, each counting what it pulls in first: {slow})")
    for name in ("indicators", "areas"):
        print(f"  read.{name} (from observation_counts): {ms(median(repeat(lambda: getattr(read, name)(warehouse), 5)))}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    scale = QUICK if args.quick else FULL
    work = Path(tempfile.mkdtemp(prefix="malkoll-profile-"))
    try:
        warehouse = work / "malkoll.duckdb"
        build_warehouse(warehouse, scale)
        known = known_indicator_ids(warehouse)
        plans = [load_plan(p, known) for p in write_plans(warehouse, work / "plans", scale)]
        overview(warehouse, plans)
        cold_start(warehouse)
        storage(warehouse)
        etl(warehouse, work, scale)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
