"""Expanders whose content is built only when someone opens them.

Why: Streamlit sends and draws an expander's content even while it is
closed. The table under a chart ("Visa som tabell") made every first view
load Streamlit's 1.2 MB data-grid code before the chart could draw: 0.2 s of
a cold start on two cores (bench/README.md, finding c). Opening the expander
reruns the page, which then builds the content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

if TYPE_CHECKING:
    from streamlit.elements.lib.mutable_expander_container import ExpanderContainer


def opened(label: str, key: str) -> ExpanderContainer | None:
    """The expander, to fill with `with`, if it is open; None (and nothing to build) while it is closed."""
    box = st.expander(label, key=key, on_change="rerun")
    return box if box.open else None
