"""`python -m bench.profile [--quick]`: the profile behind the README's findings for missed targets.

Why a separate command: the benchmark says *that* a target is missed; this says
*where the time goes*, reproducibly, by timing the production code step by
step and trying the suggested fixes on bench-local copies (no project code is
changed). It prints plain lines; nothing is saved.
"""

from __future__ import annotations

import argparse
import ast
import gc
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

from bench.etl_refresh import environment, kolada_server, write_config
from bench.generate import build_warehouse, write_plans
from bench.scale import FULL, QUICK, Scale
from bench.timing import median, repeat
from etl.http import HttpClient
from etl.kolada.client import KoladaClient
from etl.kolada.load import pull
from etl.kolada.settings import load_selection
from malkoll.assessment import goal_status
from malkoll.goal_status import NO_INDICATOR, GoalStatus, indicator_status, plan_status
from malkoll.plan import Plan, known_indicator_ids, load_plan
from warehouse import loader, read
from warehouse.checks import declared_checks
from warehouse.db import read_only, sql, statements

KEY = ["indicator_id", "area_code", "sex", "subgroup"]
ROOT = Path(__file__).resolve().parents[1]
EXACT_KEYS = """
select o.indicator_id, o.area_code, o.sex, o.subgroup, o.period, o.value, o.numerator,
       o.denominator, o.status, o.source, o.source_ref, o.fetched_at
from observations as o
semi join (select unnest($i) as indicator_id, unnest($a) as area_code,
                  unnest($s) as sex, unnest($g) as subgroup) as k
  using (indicator_id, area_code, sex, subgroup)
order by o.indicator_id, o.area_code, o.sex, o.subgroup, o.period
"""


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def exact_key_status(plan: Plan, warehouse: Path) -> list[GoalStatus]:
    """plan_status with the suggested fix: only the plan's keys, the plain catalogue, one connection."""
    specs = [i for g in plan.goals for i in g.indicators]
    keys = sorted({(s.indicator, s.area, s.sex, s.subgroup) for s in specs})
    with read_only(warehouse) as con:
        rows = con.execute(EXACT_KEYS, {"i": [k[0] for k in keys], "a": [k[1] for k in keys],
                                        "s": [k[2] for k in keys], "g": [k[3] for k in keys]}).df()
        meta = con.execute("select * from indicators").df().set_index("indicator_id")
    groups = dict(tuple(rows.groupby(KEY)))
    out = []
    for goal in plan.goals:
        st = [indicator_status(s, groups.get((s.indicator, s.area, s.sex, s.subgroup), rows.head(0)),
                               meta.loc[s.indicator] if s.indicator in meta.index else None) for s in goal.indicators]
        out.append(GoalStatus(goal, st, goal_status([s.headline for s in st]) if st else NO_INDICATOR))
    return out


def overview(warehouse: Path, plans: list[Plan]) -> None:
    print("(b) overview: plan_status")
    for plan in plans:
        specs = [s for g in plan.goals for s in g.indicators]
        inds, areas = sorted({s.indicator for s in specs}), sorted({s.area for s in specs})
        fetched = read.plan_series(warehouse, inds, areas)
        wanted = pd.DataFrame([(s.indicator, s.area, s.sex, s.subgroup) for s in specs], columns=KEY)
        needed = fetched.merge(wanted.drop_duplicates(), on=KEY)
        groups = fetched.groupby(KEY).ngroups
        t_series = median(repeat(lambda: read.plan_series(warehouse, inds, areas), 5))
        t_catalogue = median(repeat(lambda: read.indicators(warehouse), 5))
        t_all = median(repeat(lambda: plan_status(plan, warehouse), 5))
        t_fix = median(repeat(lambda: exact_key_status(plan, warehouse), 5))
        same = [g.status.code for g in plan_status(plan, warehouse)] == \
            [g.status.code for g in exact_key_status(plan, warehouse)]
        print(f"  {plan.id}: {len(specs)} plan indicators = {len(inds)} indicators × {len(areas)} areas; "
              f"plan_series returns {len(fetched):,} rows in {groups:,} groups, {len(needed):,} rows needed")
        print(f"    plan_status {ms(t_all)} = plan_series {ms(t_series)} + read.indicators (aggregates every "
              f"observation) {ms(t_catalogue)} + Python {ms(t_all - t_series - t_catalogue)}")
        print(f"    suggested fix (exact keys, plain catalogue, one connection): {ms(t_fix)}; "
              f"same statuses: {same}")


def storage(warehouse: Path, work: Path) -> None:
    print("storage: the observations primary key")
    plain = work / "no_pk.duckdb"
    ordered = work / "no_pk_sorted.duckdb"
    for path, order in ((plain, ""), (ordered, " order by indicator_id, area_code")):
        con = duckdb.connect(str(path))
        con.execute("set enable_progress_bar = false")
        con.execute(f"attach '{warehouse}' as src (read_only)")
        con.execute(f"create table observations as select * from src.observations{order}")
        con.execute("checkpoint")
        con.close()
    print(f"  warehouse {warehouse.stat().st_size / 1e6:.0f} MB with the 5-column primary key on observations; "
          f"{plain.stat().st_size / 1e6:.0f} MB without it; {ordered.stat().st_size / 1e6:.0f} MB without it, "
          "sorted by indicator and area")
    indicator, area = duckdb.connect(str(plain), read_only=True).execute(
        "select indicator_id, area_code from observations where area_code = '0023' limit 1").fetchone()
    for label, path in (("as generated (arrival order)", warehouse), ("without key", plain),
                        ("without key, sorted", ordered)):
        def series() -> None:
            with read_only(path) as con:
                con.execute(sql("queries/series.sql"), {"indicator": indicator, "area": area}).df()
        print(f"  read.series {label}: {ms(median(repeat(series, 10)))}")


def etl(warehouse: Path, work: Path, scale: Scale) -> None:
    print(f"(d, e) ETL: {scale.etl_kpis} KPIs × 312 areas × {scale.etl_years} years × 3 sexes")
    config = work / "config"
    write_config(config, scale)
    with kolada_server(scale) as base, environment(MALKOLL_KOLADA_URL=base, MALKOLL_CONFIG_DIR=str(config)):
        client, selection = KoladaClient(base, HttpClient("kolada")), load_selection()
        pull(client, selection)
        for label in ("gc on", "gc off", "gc on"):
            gc.disable() if label == "gc off" else gc.enable()
            start = time.perf_counter()
            batch = pull(client, selection)
            took = time.perf_counter() - start
            gc.enable()
            print(f"  pull ({label}): {took:.2f} s for {len(batch.observations):,} observations")
        print(f"  peak RSS of this process so far: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    copy = work / "copy.duckdb"
    shutil.copyfile(warehouse, copy)
    con = duckdb.connect(str(copy))
    con.execute("set enable_progress_bar = false")

    def step(label: str, fn):
        start = time.perf_counter()
        out = fn()
        print(f"  {label:58s} {time.perf_counter() - start:6.2f} s")
        return out

    print("  inside loader._apply, step by step:")
    step("register the batch (pandas → staged tables)", lambda: loader._register(con, batch))
    con.execute("begin transaction")
    changes = step("diff (again: preview_batch already did it)",
                   lambda: con.execute(sql("load/diff_observations.sql"), {"source": "kolada"}).df())
    con.register("batch_changes", changes)
    for statement in statements(sql("load/apply_batch.sql")):
        step(statement.splitlines()[0][:58], lambda: con.execute(statement, {"load_id": 2} if "$load_id" in statement
                                                                  else None))
    con.execute("insert into loads values (2, 'kolada', now()::timestamp, now()::timestamp, 0, 0, 0, 'published', '')")
    step("commit", lambda: con.execute("commit"))
    for table, column, name, query in declared_checks():
        start = time.perf_counter()
        con.execute(f"select count(*) from ({query})").fetchall()
        if time.perf_counter() - start > 0.05:
            where = f"{table}.{column}" if column else table
            print(f"  {'check ' + where + ' ' + name:58.58s} {time.perf_counter() - start:6.2f} s")
    con.execute("create temp table loaded as select * from observations where load_id = 2")
    con.execute("delete from observations where load_id = 2")
    for label, query in (("insert or replace (as now)", "insert or replace into observations select * from loaded"),
                         ("plain insert of the new rows", "insert into observations select * from loaded")):
        con.execute("begin transaction")
        step(label, lambda: con.execute(query))
        con.execute("rollback")
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
        print(f"  read.{name} (aggregates every observation): {ms(median(repeat(lambda: getattr(read, name)(warehouse), 5)))}")
    print(f"  plain 'select * from indicators': {ms(median(repeat(lambda: _plain_catalogue(warehouse), 5)))}")


def _plain_catalogue(warehouse: Path) -> None:
    with read_only(warehouse) as con:
        con.execute("select * from indicators").df()


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
        storage(warehouse, work)
        etl(warehouse, work, scale)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
