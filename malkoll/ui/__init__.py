"""Streamlit helpers shared by the pages: cached reads and URL state.

Kept apart from malkoll/ so that everything else stays free of Streamlit.
"""

from pathlib import Path

# The app's page icon: a target in the charts' colours (blue like the series, green like the target line).
FAVICON = Path(__file__).with_name("favicon.svg")
