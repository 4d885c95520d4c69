"""Measures (d) a Kolada refresh that loads new values and (e) the same refresh again, unchanged.

Both run `etl.refresh.refresh(warehouse, ["kolada"])`, the code behind
`malkoll refresh --source kolada` (etl.kolada.client + load.pull, then
warehouse.loader.load_batches: diff, copy, apply, data checks, atomic rename),
against bench/kolada_pages.py with a temporary sources.yml (MALKOLL_CONFIG_DIR)
and into a copy of the national warehouse, so the publish pays national-scale
copying and checks. Production functions are wrapped with timers (not changed)
to split each run into phases; the baseline is fetching and JSON-decoding the
same pages without parsing or loading, the floor set by the transport.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import yaml

import etl.refresh
import warehouse.loader
import warehouse.publish
from bench.generate import real_areas
from bench.kolada_pages import kpi_ids, kpi_unit
from bench.scale import Scale
from bench.timing import Measure
from etl.http import HttpClient
from etl.kolada.client import KoladaClient, chunks

ROOT = Path(__file__).resolve().parents[1]

# (module, attribute, phase) timed inside a refresh; what is left is copy, fsync, rename, journal.
PHASES = (
    (etl.refresh, "pull_kolada", "pull (fetch + parse)"),
    (etl.refresh, "plan_pull", "full or changes only (journal, warehouse)"),
    (warehouse.loader, "_stage", "stage + diff against served"),
    (shutil, "copyfile", "copy served file"),
    (warehouse.publish, "upgrade_schema", "schema check"),
    (warehouse.loader, "_apply", "apply in copy (write, commit)"),
    (warehouse.publish, "assert_checks_pass", "data checks"),
    (warehouse.publish, "_fsync", "fsync"),
    (etl.refresh, "format_report", "report"),
)


@contextmanager
def kolada_server(scale: Scale) -> Iterator[str]:
    """Start bench/kolada_pages.py in its own process; yield its base URL."""
    first = scale.last_year - scale.etl_years + 1
    proc = subprocess.Popen([sys.executable, "-m", "bench.kolada_pages", "--kpis", str(scale.etl_kpis),
                             "--first-year", str(first), "--last-year", str(scale.last_year)],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip() if proc.stdout else ""
        if not line.startswith("READY "):
            raise RuntimeError(f"the Kolada page server did not start: {line!r}")
        yield line.split(" ", 1)[1]
    finally:
        proc.terminate()
        proc.wait(timeout=15)


@contextmanager
def environment(**values: str) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def write_config(config_dir: Path, scale: Scale) -> Path:
    """sources.yml following every synthetic KPI in every one of the 312 areas."""
    (config_dir / "indicators").mkdir(parents=True, exist_ok=True)
    indicators = [{"id": k, "unit": kpi_unit(i), "direction": "higher_is_better"}
                  for i, k in enumerate(kpi_ids(scale.etl_kpis), start=1)]
    config = {"kolada": {"indicators": indicators, "areas": real_areas()["area_code"].tolist()}}
    path = config_dir / "sources.yml"
    path.write_text("# SYNTETISK: bench/etl_refresh.py\n" + yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def fetch_only(base_url: str, scale: Scale) -> int:
    """Fetch and decode every page a refresh fetches; return the number of values."""
    http = HttpClient("kolada")
    try:
        client = KoladaClient(base_url, http)
        client.municipalities()
        ids = kpi_ids(scale.etl_kpis)
        client.kpis(ids)
        codes = real_areas()["area_code"].tolist()
        return sum(len(rec["values"]) for kpis in chunks(ids) for areas in chunks(codes)
                   for _url, rec in client.data(kpis, areas))
    finally:
        http.close()


@contextmanager
def phase_timers() -> Iterator[dict[str, float]]:
    """Wrap the PHASES functions with timers for the duration of the block."""
    spent: dict[str, float] = defaultdict(float)
    originals = []
    for module, name, label in PHASES:
        original = getattr(module, name)

        def timed(*args, __original=original, __label=label, **kwargs):
            start = time.perf_counter()
            try:
                return __original(*args, **kwargs)
            finally:
                spent[__label] += time.perf_counter() - start

        originals.append((module, name, original))
        setattr(module, name, timed)
    try:
        yield spent
    finally:
        for module, name, original in originals:
            setattr(module, name, original)


@dataclass
class RefreshRun:
    seconds: float
    phases_s: dict[str, float]
    values: int
    published: bool
    untouched: bool | None = None  # the served file kept its inode, size and mtime


def refresh_once(served: Path, full: bool = False) -> RefreshRun:
    """One `refresh(served, ["kolada"], full=full)`, split into PHASES."""
    before = _identity(served)
    with phase_timers() as spent:
        start = time.perf_counter()
        outcome = etl.refresh.refresh(served, ["kolada"], full=full)
        total = time.perf_counter() - start
    phases = dict(spent)
    phases["rest (catalogue, checkpoint, rename, journal)"] = total - sum(phases.values())
    return RefreshRun(total, phases, outcome.results[0].values_received, outcome.published,
                      before == _identity(served))


def _identity(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return st.st_ino, st.st_size, st.st_mtime_ns


def measure(national: Path, workdir: Path, scale: Scale, log) -> list[Measure]:
    config_dir = workdir / "etl-config"
    write_config(config_dir, scale)
    served = workdir / "etl" / "malkoll.duckdb"
    served.parent.mkdir(parents=True, exist_ok=True)
    loads, unchanged, full_unchanged, fetches = [], [], [], []
    values = 0
    log(f"(d, e) starting the Kolada page server: {scale.etl_kpis} KPIs × 312 areas × {scale.etl_years} years × 3 sexes")
    with kolada_server(scale) as base_url, environment(MALKOLL_KOLADA_URL=base_url,
                                                       MALKOLL_CONFIG_DIR=str(config_dir)):
        fetch_only(base_url, scale)  # warm-up: connections, page cache
        for i in range(scale.etl_repeats):
            log(f"(d) baseline: fetch only {i + 1}/{scale.etl_repeats}")
            start = time.perf_counter()
            values = fetch_only(base_url, scale)
            fetches.append(time.perf_counter() - start)
        for i in range(scale.etl_repeats):
            log(f"(d) refresh with new values {i + 1}/{scale.etl_repeats} (fresh copy of the national warehouse)")
            for p in served.parent.iterdir():
                p.unlink()
            shutil.copyfile(national, served)
            loads.append(refresh_once(served))
        for i in range(scale.etl_repeats):
            log(f"(e) refresh without changes {i + 1}/{scale.etl_repeats}")
            unchanged.append(refresh_once(served))
        for i in range(scale.etl_repeats):
            log(f"(e′) full refresh without changes (--full) {i + 1}/{scale.etl_repeats}")
            full_unchanged.append(refresh_once(served, full=True))

    def phases(runs: list[RefreshRun]) -> dict[str, list[float]]:
        return {label: [r.phases_s.get(label, 0.0) for r in runs] for label in runs[0].phases_s}

    observations = loads[0].values
    return [
        Measure("d", "ETL: fetch + parse + load + publish (new values)", "obs/s",
                [r.values / r.seconds for r in loads], [values / s for s in fetches],
                "fetch + JSON-decode the same pages only", "≥ 100 000 obs/s", better="higher", limit=100_000,
                notes={"observations": observations, "kpis": scale.etl_kpis, "areas": 312, "years": scale.etl_years,
                       "seconds": [r.seconds for r in loads], "published": [r.published for r in loads],
                       "phases_s": phases(loads), "fetch_only_s": fetches}),
        Measure("e", "refresh without changes (second identical run)", "s",
                [r.seconds for r in unchanged], fetches, "fetch + JSON-decode the same pages only",
                "≤ 2 s p95, writes nothing", limit=2.0,
                condition=all(not r.published and r.untouched for r in unchanged),
                notes={"observations": observations, "published": [r.published for r in unchanged],
                       "served_file_untouched": [r.untouched for r in unchanged], "phases_s": phases(unchanged),
                       "mode": "changes since the last pull (from_date)"}),
        Measure("e′", "full refresh without changes (--full; every 30 days)", "s",
                [r.seconds for r in full_unchanged], fetches, "fetch + JSON-decode the same pages only",
                "(none; writes nothing)",
                condition=all(not r.published and r.untouched for r in full_unchanged),
                notes={"observations": observations, "published": [r.published for r in full_unchanged],
                       "served_file_untouched": [r.untouched for r in full_unchanged],
                       "phases_s": phases(full_unchanged)}),
    ]
