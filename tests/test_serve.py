"""The server's warm-up: the first visitor after a start reads from the same caches as the next one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from malkoll import serve
from malkoll.ui import data, plans
from tests.conftest import sha256
from warehouse import read


@pytest.fixture(autouse=True)
def _empty_caches():
    import streamlit as st

    st.cache_data.clear()
    yield
    st.cache_data.clear()


def _refuse_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    for name in ("indicators", "areas"):
        monkeypatch.setattr(read, name, lambda *a, _name=name: calls.append(_name))
    return calls


def test_warm_up_fills_the_caches_a_first_page_view_reads(snapshot_warehouse: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    serve.warm_up()
    calls = _refuse_reads(monkeypatch)

    assert len(data.indicators()) > 10
    assert {"0023", "2361"} <= {a["area_code"] for a in data.areas()}
    assert calls == []  # both came from the cache the warm-up filled
    monkeypatch.setattr(plans, "load_plans_in_use", lambda *a: pytest.fail("plans read again"))
    assert any(p.plan and p.plan.id == "jamtland-2018-2020" for p in plans.plans_in_use())


def test_warm_up_upgrades_a_warehouse_from_0_1_as_a_first_visit_would(snapshot_warehouse: Path) -> None:
    from tests.test_publish import _as_written_by_0_1
    from warehouse.db import is_current

    _as_written_by_0_1(snapshot_warehouse)
    serve.warm_up()

    assert is_current(snapshot_warehouse)


def test_warm_up_leaves_a_missing_warehouse_for_the_app_to_build(env: Path) -> None:
    serve.warm_up()

    assert not env.exists()


def test_warm_up_survives_a_broken_warehouse_and_leaves_it_as_it_was(env: Path) -> None:
    env.parent.mkdir(parents=True)
    env.write_bytes(b"not a database, just bytes" * 100)
    before = sha256(env)

    serve.warm_up()  # must not raise: the page says what is wrong, in Swedish

    assert sha256(env) == before


FIRST_VIEWS = """
import sys
from streamlit.testing.v1 import AppTest
from malkoll import serve

serve.warm_up()
for page, params in (("pages/oversikt.py", {"plan": "jamtland-2018-2020"}),
                     ("pages/indikator.py", {"indikator": "N15428", "omrade": "0023"}),
                     ("pages/indikator.py", {"plan": "jamtland-2018-2020", "mal": "bup-forsta-linjen",
                                             "indikator": "bup_first_assessment_within_30_days", "omrade": "0023"}),
                     ("pages/moteslage.py", {"plan": "jamtland-2018-2020", "agenda": "bup-forsta-linjen"})):
    at = AppTest.from_file(sys.argv[1], default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    if page != "pages/oversikt.py":  # the start page: app.py itself, as a first visitor gets it
        at.switch_page(page)
    at.run()
    assert not at.exception, (page, at.exception)
    assert at.get("bidi_component") or page == "pages/oversikt.py", page  # a chart was sent
print(sorted(m for m in sys.modules if m.split(".")[0] in ("pandas", "numpy", "pyarrow")))
"""


def test_the_views_a_meeting_opens_first_run_without_pandas(snapshot_warehouse: Path) -> None:
    """Översikt, Indikator (also from a goal) and Mötesläge, and the server's warm-up, never import pandas
    (or numpy, pyarrow): importing it cost a cold start about half a second (bench/README.md, finding c)."""
    root = Path(__file__).resolve().parents[1]
    run = subprocess.run([sys.executable, "-c", FIRST_VIEWS, str(root / "app.py")], cwd=root, capture_output=True, text=True,
                         timeout=240)

    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.strip().splitlines()[-1] == "[]"


STARTED_AS_A_SCRIPT = """
import runpy, sys, threading
from streamlit.web import cli
from malkoll import serve

rest_done = threading.Event()
serve._wait_for_runtime, serve.warm_up, serve.QUIET_S = (lambda: True), (lambda: None), 0.1
serve.warm_up_later = rest_done.set
cli.main = lambda: 0 if (serve.visited() or rest_done.wait(10)) else 3  # app.py's first run, then wait
sys.argv = ["malkoll.serve", "app.py"]
runpy.run_module("malkoll.serve", run_name="__main__")
"""


def test_the_first_visit_releases_the_rest_of_the_warm_up_when_the_server_runs_as_python_m() -> None:
    """`python -m malkoll.serve` runs the module as `__main__`; app.py's `malkoll.serve.visited()` must
    still reach the thread it started, or pandas would come only after the warm-up's 60 s timeout."""
    root = Path(__file__).resolve().parents[1]
    run = subprocess.run([sys.executable, "-c", STARTED_AS_A_SCRIPT], cwd=root, capture_output=True, text=True,
                         timeout=60)

    assert run.returncode == 0, run.stderr[-2000:]
