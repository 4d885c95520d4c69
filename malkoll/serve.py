"""Start the Streamlit server for app.py with `st.navigation` routing from the first request.

Why not plain `streamlit run app.py`: Streamlit treats an app whose folder
holds `pages/` as an old-style multipage app until app.py has run once, so
a first visitor following a shared link such as /indikator?... would get the
page script without app.py's set-up (layout, navigation, warehouse check).
Telling Streamlit up front that app.py routes with st.navigation avoids that;
tests/test_browser.py opens a deep link first to prove it.

Once the server listens, a background thread does the one-time work of a
first script run while the first browser is still loading Streamlit's front
end: imports (DuckDB, Plotly, our modules), Plotly's template, the text
catalogue, the cached indicator and area lists and the plans. Otherwise the
first visitor after a start waits for it: their script run took 0.9 s to the
chart against 0.1 s for the next visitor (bench/README.md, finding c). It
starts after the server listens, not before, because on two cores it
otherwise delays the server's start by 0.4 s.

pandas is left out of that first part: the views a meeting opens first
(Översikt, Indikator, Mötesläge) do not need it, and importing it beside the
loading browser cost a cold start about half a second (finding c, sixth
pass). The thread imports it, and what the table pages need, once a first
visitor has come and no page has started for a few seconds (`visited`): by
then the views have been sent and drawn, and the import is not in their way.
"""

from __future__ import annotations

import importlib
import logging
import sys
import threading
import time

_LOGGER = logging.getLogger(__name__)

FIRST_VIEW = ("duckdb", "plotly.graph_objects", "malkoll.charts", "malkoll.goal_status", "malkoll.meeting_pack",
              "malkoll.followup_report", "malkoll.spc", "malkoll.status_table", "malkoll.ui.chart",
              "malkoll.ui.data", "malkoll.ui.expanders", "malkoll.ui.plans", "malkoll.ui.state",
              "malkoll.ui.auth", "malkoll.ui.flag_form",
              # Streamlit loads these on the first title or icon of a session.
              "streamlit.emojis", "streamlit.material_icon_names")
LATER = ("pandas", "malkoll.compare", "malkoll.compare_charts", "malkoll.exports")
QUIET_S = 2.5  # a view's script run takes about 0.5 s, the browser's drawing of it about 1 s

_visited = threading.Event()
_last_run = [0.0]  # time.monotonic() of the latest script run's start


def visited() -> None:
    """A script run has started (app.py calls this on every run); the rest of the warm-up waits for quiet."""
    _last_run[0] = time.monotonic()
    _visited.set()


def _wait_for_runtime(timeout_s: float = 60.0) -> bool:
    """Wait until Streamlit's runtime runs: its caches exist and the server listens."""
    from streamlit.runtime import Runtime, RuntimeState

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if Runtime.exists() and Runtime.instance().state != RuntimeState.INITIAL:
            return True
        time.sleep(0.02)
    return False


def warm_up() -> None:
    """Do the one-time work of a first page view: imports, Plotly's template, texts, cached lists, plans.

    It does only what a first page view does, through the same cached calls,
    including the upgrade of a warehouse written by an older Målkoll. A
    missing warehouse is left for app.py to build, with a message to the
    visitor, and a failed read for the page to report in Swedish.
    """
    for name in FIRST_VIEW:
        importlib.import_module(name)
    from streamlit import delta_generator

    from malkoll import settings
    from malkoll.charts import series_figure
    from malkoll.i18n import t
    from malkoll.ui import data, plans

    t("app_title")  # reads the text catalogue, through the same cache as the pages
    # Plotly reads its template and builds the validators of each part of a figure the first time it is used.
    row = {"period": "2024", "sex": "T", "subgroup": "", "value": 1.0, "status": "ok", "lower": 0.5, "upper": 1.5}
    series_figure([row], "", "", comparators={"": [row]}).to_json(validate=False)
    # Streamlit inspects the whole call stack once per process, on the first element it sends (0.1 s
    # on a script thread's deep stack); here the stack is short.
    getattr(delta_generator, "_maybe_print_use_warning", lambda: None)()  # private: may go in a later Streamlit
    if not settings.warehouse_path().exists():
        return
    try:
        data.upgrade_if_older()
        data.indicators()
        data.areas()
        plans.plans_in_use()  # Översikt, the start page, needs them
    except Exception:  # noqa: BLE001 – warming up must never stop the server
        _LOGGER.debug("warm-up read failed", exc_info=True)


def warm_up_later() -> None:
    """Import what the first views leave out (pandas, the comparison and export modules)."""
    for name in LATER:
        importlib.import_module(name)


def _warm_up_once_running() -> None:
    if not _wait_for_runtime():
        return
    warm_up()
    _visited.wait(timeout=60)  # nobody came in a minute: nothing to be in the way of
    while (quiet := time.monotonic() - _last_run[0]) < QUIET_S:
        time.sleep(QUIET_S - quiet)
    warm_up_later()


def main(argv: list[str]) -> int:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    threading.Thread(target=_warm_up_once_running, name="malkoll-warm-up", daemon=True).start()
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", *argv]
    return cli.main()


if __name__ == "__main__":
    # Run the package's module, not this `__main__` copy of it: app.py calls `malkoll.serve.visited()`,
    # which must reach the warm-up thread that `main` starts.
    from malkoll import serve

    sys.exit(serve.main(sys.argv[1:]))
