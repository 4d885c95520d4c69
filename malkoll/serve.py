"""Start the Streamlit server for app.py with `st.navigation` routing from the first request.

Why not plain `streamlit run app.py`: Streamlit treats an app whose folder
holds `pages/` as an old-style multipage app until app.py has run once, so
a first visitor following a shared link such as /indikator?... would get the
page script without app.py's set-up (layout, navigation, warehouse check).
Telling Streamlit up front that app.py routes with st.navigation avoids that;
tests/test_browser.py opens a deep link first to prove it.

The server also imports what the pages need (pandas, DuckDB, Plotly and our
modules) in a background thread while the first browser is still loading
Streamlit's front end. Otherwise the first visitor's script run pays about a
second of imports before anything shows (bench/README.md, finding c).
"""

from __future__ import annotations

import importlib
import sys
import threading

# Not malkoll.ui.*: their st.cache_data decorators would log "No runtime found" this early.
PRELOAD = ("pandas", "duckdb", "plotly.graph_objects", "malkoll.charts", "malkoll.goal_status",
           "malkoll.meeting_pack", "malkoll.exports", "etl.snapshot.build",
           # Streamlit loads these on the first title or icon of a session.
           "streamlit.emojis", "streamlit.material_icon_names")


def _preload() -> None:
    for name in PRELOAD:
        importlib.import_module(name)
    # Plotly builds its validators, and reads pandas through narwhals, on the first figure; do that here too.
    import pandas as pd
    import plotly.graph_objects as go

    go.Figure(go.Scatter(x=pd.Series([0]), y=pd.Series([0.0]), error_y={"array": pd.Series([0.0])})).to_plotly_json()


def main(argv: list[str]) -> int:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    threading.Thread(target=_preload, name="malkoll-preload", daemon=True).start()
    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", *argv]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
