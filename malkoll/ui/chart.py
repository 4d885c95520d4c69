"""Shows a Plotly figure in the app with Plotly's basic bundle instead of st.plotly_chart.

Why: st.plotly_chart makes the browser fetch and evaluate the full plotly.js
(4.7 MB, every trace type) before the first chart can draw: about a second of a
cold start on two cores, the largest single step of it (bench/README.md,
finding c). Our charts are lines, markers and bars, which Plotly's basic bundle
(1.2 MB) draws the same way. The figures themselves are still built with Plotly
in Python (malkoll/charts.py, malkoll/compare_charts.py); only the drawing in
the browser changed. The front end is `chart_js/chart.js`, a Streamlit v2
component declared in the package's own `malkoll/pyproject.toml` (so a wheel
carries the declaration too), which also gives the charts Swedish month names
and modebar texts and a full-screen button for meetings.
"""

from __future__ import annotations

from functools import cache

import plotly.graph_objects as go
import streamlit as st

# "<project name>.<component name>": how Streamlit finds chart_js/ through malkoll/pyproject.toml.
COMPONENT = "malkoll.chart"


@cache
def _component():
    """Registered at the first chart, not at import: Streamlit reads asset_dirs when its runtime starts."""
    # isolate_styles=False: Plotly puts its modebar and hover styles in the page's <head>, not in a shadow root.
    return st.components.v2.component(COMPONENT, js="chart.js", isolate_styles=False)


def plotly_chart(figure: go.Figure) -> None:
    """Draw `figure` across the page's width, with its own height (450 px unless the figure sets one)."""
    _component()(data={"figure": figure.to_json(validate=False)}, width="stretch", height="content")
