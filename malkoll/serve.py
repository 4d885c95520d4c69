"""Start the Streamlit server for app.py with `st.navigation` routing from the first request.

Why not plain `streamlit run app.py`: Streamlit treats an app whose folder
holds `pages/` as an old-style multipage app until app.py has run once, so
a first visitor following a shared link such as /indikator?... would get the
page script without app.py's set-up (layout, navigation, warehouse check).
Telling Streamlit up front that app.py routes with st.navigation avoids that;
tests/test_browser.py opens a deep link first to prove it.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", *argv]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
