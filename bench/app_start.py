"""Measures (c) app cold start to the first rendered chart, (c″) the same for a bare Streamlit page, (c′) the
overview drawn next, and (f) peak memory.

The app is started exactly as the README starts it (`python -m malkoll.serve
app.py`) and driven by Debian's Chromium through Playwright, like
tests/browser.py. The clock starts before the process is spawned (the browser tab,
in a fresh context with an empty cache, is already open, as a visitor's
browser is) and stops when Plotly has drawn a trace, so it covers Python imports, Streamlit start-up, the
catalogue queries and the page. (c′) then opens the plan's overview in the same
browser tab and stops when its first goal link is drawn: the second view of a
meeting, with the server and the browser's cache warm. Peak memory is the kernel's high-water mark
(VmHWM) of the app process after it rendered the indicator page and the
60-goal overview, and after the server's warm-up has imported pandas. The
baseline is the same app on the bundled offline snapshot.
(c″) times a page with one picker and one chart under plain `streamlit run`,
interleaved with (c): how much of (c) Streamlit and Chromium take on this
machine before the app does anything of its own.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from bench.scale import Scale
from bench.timing import Measure
from malkoll.serve import QUIET_S

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
    tab_s: float = 0.0              # opening the fresh browser tab, before the clock (see cold_start)

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


# The stack's floor: a bare Streamlit page with one picker and one chart drawn by the app's own chart code.
FLOOR_PAGE = """\
import plotly.graph_objects as go
import streamlit as st

from malkoll.ui.chart import plotly_chart

st.selectbox("Indikator", ["Andel i tid"])
plotly_chart(go.Figure(go.Scatter(x=[2022, 2023, 2024], y=[71.0, 74.5, 69.8])))
"""


@contextmanager
def _served(command: list[str], cwd: Path, env: dict[str, str], log_path: Path) -> Iterator[tuple[str, float, int]]:
    """Spawn a Streamlit server; once it answers /_stcore/health, yield its URL, the clock's start and its pid."""
    port = _free_port()
    env = dict(env, STREAMLIT_SERVER_PORT=str(port), STREAMLIT_SERVER_HEADLESS="true",
               STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    base = f"http://127.0.0.1:{port}"
    log = open(log_path, "a")
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.perf_counter() - start > 120:
                raise RuntimeError(f"the app did not start, see {log_path}")
            time.sleep(0.02)
        yield base, start, proc.pid
    finally:
        _stop(proc)
        log.close()


def _fresh_tab(browser):
    """A tab in a fresh browser context (empty cache), opened before the app is spawned.

    A visitor's browser is running before they open a link; Playwright's 0.2–0.35 s to set up a new
    context is the harness's, not the app's. Up to the sixth pass the clock counted it (bench/README.md).
    """
    opened = time.perf_counter()
    page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="sv-SE")
    return page, time.perf_counter() - opened


def cold_start(browser, case: AppCase, workdir: Path) -> StartRun:
    """One cold start: spawn the app, open the indicator link, wait for the chart, then the overview."""
    env = dict(os.environ, MALKOLL_WAREHOUSE=str(case.warehouse), MALKOLL_PLANS_DIR=str(case.plans_dir),
               MALKOLL_USERS_FILE=str(workdir / "users.toml"))
    command = [sys.executable, "-m", "malkoll.serve", "app.py"]
    page, tab_s = _fresh_tab(browser)
    with _served(command, ROOT, env, workdir / f"app-{case.label}.log") as (base, start, pid):
        marks = {"server healthy": time.perf_counter() - start}
        page.goto(base + case.indicator_path, wait_until="domcontentloaded")
        marks["page loaded (DOMContentLoaded)"] = time.perf_counter() - start
        for label, selector in (("first widget (script ran to the pickers)", FIRST_WIDGET),
                                ("chart element", ".js-plotly-plot"), ("chart drawn", CHART)):
            page.wait_for_selector(selector, timeout=120_000)
            marks[label] = time.perf_counter() - start
        after_chart = _peak_rss_mb(pid)
        opened = time.perf_counter()
        page.goto(base + case.overview_path, wait_until="domcontentloaded")
        page.wait_for_selector(GOAL_LINK, timeout=120_000)
        overview = time.perf_counter() - opened
        # The peak also counts what the warm-up imports after the first view (pandas, malkoll/serve.py).
        page.wait_for_timeout((QUIET_S + 1.5) * 1000)
        peak = _peak_rss_mb(pid)
        page.close()
        return StartRun(marks, overview, after_chart, peak, tab_s)


def floor_start(browser, workdir: Path) -> float:
    """Spawn to drawn chart for FLOOR_PAGE under plain `streamlit run`: what Streamlit and Chromium take alone."""
    script = workdir / "floor_page.py"
    script.write_text(FLOOR_PAGE, encoding="utf-8")
    command = [sys.executable, "-m", "streamlit", "run", script.name]
    page, _ = _fresh_tab(browser)
    with _served(command, workdir, dict(os.environ), workdir / "app-floor.log") as (base, start, _pid):
        page.goto(base + "/", wait_until="domcontentloaded")
        page.wait_for_selector(CHART, timeout=120_000)
        drawn = time.perf_counter() - start
        page.close()
        return drawn


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
    floor: list[float] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            for i in range(scale.browser_repeats):
                for case in (national, snapshot):  # interleaved, so drift hits all three alike
                    log(f"(c, f) cold start {i + 1}/{scale.browser_repeats}: {case.label}")
                    runs[case.label].append(cold_start(browser, case, workdir))
                log(f"(c″) cold start {i + 1}/{scale.browser_repeats}: a bare Streamlit page")
                floor.append(floor_start(browser, workdir))
        finally:
            browser.close()
    nat, snap = runs[national.label], runs[snapshot.label]
    return [
        Measure("c", "app cold start to first drawn chart (Chromium)", "s",
                [r.chart_s for r in nat], [r.chart_s for r in snap], "same app on the offline snapshot",
                "≤ 4 s p95", limit=4.0,
                notes={"link": national.indicator_path, "milestones_s": [r.milestones_s for r in nat],
                       "baseline_milestones_s": [r.milestones_s for r in snap],
                       "tab_opened_before_spawn_s": [r.tab_s for r in nat]}),
        Measure("c″", "floor: bare Streamlit page, one picker + one chart (same chart code)", "s",
                floor, [r.chart_s for r in nat], "the app, national (c)",
                "(none; what Streamlit and Chromium take alone here)",
                notes={"page": FLOOR_PAGE}),
        Measure("c′", "overview of 60 goals drawn next, same browser tab", "s",
                [r.overview_s for r in nat], [r.overview_s for r in snap], "same app on the offline snapshot",
                "(none; the view after c)", notes={"overview": national.overview_path,
                                                   "baseline_overview": snapshot.overview_path}),
        Measure("f", "peak RSS (VmHWM) of the app: indicator page + overview + warm-up", "MB",
                [r.peak_mb for r in nat], [r.peak_mb for r in snap], "same app on the offline snapshot",
                "≤ 500 MB", limit=500.0,
                notes={"overview": national.overview_path,
                       "peak_after_indicator_page_mb": [r.peak_after_chart_mb for r in nat],
                       "baseline_peak_after_indicator_page_mb": [r.peak_after_chart_mb for r in snap]}),
    ]
