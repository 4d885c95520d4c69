"""Measures (c) app cold start to the first rendered chart, (c′) the overview drawn next, and (f) peak memory.

The app is started exactly as the README starts it (`python -m malkoll.serve
app.py`) and driven by Debian's Chromium through Playwright, like
tests/browser.py. The clock starts before the process is spawned and stops when
Plotly has drawn a trace, so it covers Python imports, Streamlit start-up, the
catalogue queries and the page. (c′) then opens the plan's overview in the same
browser tab and stops when its first goal link is drawn: the second view of a
meeting, with the server and the browser's cache warm. Peak memory is the kernel's high-water mark
(VmHWM) of the app process after it rendered the indicator page and the
60-goal overview. The baseline is the same app on the bundled offline snapshot.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.scale import Scale
from bench.timing import Measure

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]
CHART = ".js-plotly-plot .scatterlayer .trace"
GOAL_LINK = '[data-testid="stPageLink"]'
FIRST_WIDGET = '[data-testid="stSelectbox"]'


@dataclass(frozen=True)
class AppCase:
    """A warehouse with the links to open on it."""

    label: str
    warehouse: Path
    plans_dir: Path
    indicator_path: str   # e.g. /indikator?indikator=SYN0001&omrade=0023
    overview_path: str    # e.g. /?plan=syn-plan-1


@dataclass
class StartRun:
    milestones_s: dict[str, float]  # process spawned → each step, the last one the drawn chart
    overview_s: float               # overview link opened → its first goal link drawn
    peak_after_chart_mb: float
    peak_mb: float                  # after the overview too

    @property
    def chart_s(self) -> float:
        return self.milestones_s["chart drawn"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _peak_rss_mb(pid: int) -> float:
    """The process's peak resident set size (VmHWM) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def cold_start(browser, case: AppCase, workdir: Path) -> StartRun:
    """One cold start: spawn the app, open the indicator link, wait for the chart, then the overview."""
    port = _free_port()
    env = dict(os.environ, MALKOLL_WAREHOUSE=str(case.warehouse), MALKOLL_PLANS_DIR=str(case.plans_dir),
               MALKOLL_USERS_FILE=str(workdir / "users.toml"), STREAMLIT_SERVER_PORT=str(port),
               STREAMLIT_SERVER_HEADLESS="true", STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    base = f"http://127.0.0.1:{port}"
    log = open(workdir / f"app-{case.label}.log", "a")
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "malkoll.serve", "app.py"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.perf_counter() - start > 120:
                raise RuntimeError(f"the app did not start, see {workdir / f'app-{case.label}.log'}")
            time.sleep(0.02)
        marks = {"server healthy": time.perf_counter() - start}
        page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="sv-SE")
        marks["tab opened (fresh browser context)"] = time.perf_counter() - start
        page.goto(base + case.indicator_path, wait_until="domcontentloaded")
        marks["page loaded (DOMContentLoaded)"] = time.perf_counter() - start
        for label, selector in (("first widget (script ran to the pickers)", FIRST_WIDGET),
                                ("chart element", ".js-plotly-plot"), ("chart drawn", CHART)):
            page.wait_for_selector(selector, timeout=120_000)
            marks[label] = time.perf_counter() - start
        after_chart = _peak_rss_mb(proc.pid)
        opened = time.perf_counter()
        page.goto(base + case.overview_path, wait_until="domcontentloaded")
        page.wait_for_selector(GOAL_LINK, timeout=120_000)
        overview = time.perf_counter() - opened
        page.wait_for_timeout(500)
        peak = _peak_rss_mb(proc.pid)
        page.close()
        return StartRun(marks, overview, after_chart, peak)
    finally:
        _stop(proc)
        log.close()


def compile_bytecode() -> None:
    """Compile our packages' bytecode first, as a deployed app has it.

    Python writes a module's bytecode on its first import and reads it on every
    start after; pip does the same for site-packages at install. Where
    PYTHONDONTWRITEBYTECODE is set (this project's CI machine has it), our own
    modules would otherwise be compiled from source at every cold start: about
    0.1 s of the server's CPU during the browser's front-end load, which a
    deployed app does not pay.
    """
    import compileall

    for package in ("malkoll", "etl", "warehouse"):
        compileall.compile_dir(ROOT / package, quiet=1)


def measure(national: AppCase, snapshot: AppCase, scale: Scale, workdir: Path, log) -> list[Measure]:
    from playwright.sync_api import sync_playwright

    compile_bytecode()

    runs: dict[str, list[StartRun]] = {national.label: [], snapshot.label: []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for i in range(scale.browser_repeats):
                for case in (national, snapshot):  # interleaved, so drift hits both alike
                    log(f"(c, f) cold start {i + 1}/{scale.browser_repeats}: {case.label}")
                    runs[case.label].append(cold_start(browser, case, workdir))
        finally:
            browser.close()
    nat, snap = runs[national.label], runs[snapshot.label]
    return [
        Measure("c", "app cold start to first drawn chart (Chromium)", "s",
                [r.chart_s for r in nat], [r.chart_s for r in snap], "same app on the offline snapshot",
                "≤ 4 s p95", limit=4.0,
                notes={"link": national.indicator_path, "milestones_s": [r.milestones_s for r in nat],
                       "baseline_milestones_s": [r.milestones_s for r in snap]}),
        Measure("c′", "overview of 60 goals drawn next, same browser tab", "s",
                [r.overview_s for r in nat], [r.overview_s for r in snap], "same app on the offline snapshot",
                "(none; the view after c)", notes={"overview": national.overview_path,
                                                   "baseline_overview": snapshot.overview_path}),
        Measure("f", "peak RSS (VmHWM) of the app: indicator page + overview", "MB",
                [r.peak_mb for r in nat], [r.peak_mb for r in snap], "same app on the offline snapshot",
                "≤ 500 MB", limit=500.0,
                notes={"overview": national.overview_path,
                       "peak_after_indicator_page_mb": [r.peak_after_chart_mb for r in nat],
                       "baseline_peak_after_indicator_page_mb": [r.peak_after_chart_mb for r in snap]}),
    ]
