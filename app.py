"""Målkoll, the Streamlit app: `malkoll app` (or `streamlit run app.py`).

Builds the warehouse from the offline snapshot on first start, then hands
over to the pages. Pages are thin: they read widgets and the URL, call one
read function, and render.
"""

import streamlit as st

from malkoll import serve, settings
from malkoll.auth import login_required_to_view
from malkoll.i18n import t
from malkoll.ui import data
from malkoll.ui import state
from malkoll.ui.auth import sign_in_panel

# An emoji, not ":material/…": Streamlit fetches a Material page icon from fonts.gstatic.com, which an
# offline meeting room cannot reach and which tells Google who opens Målkoll. An emoji is drawn in place.
st.set_page_config(page_title=t("app_title"), page_icon="🎯", layout="wide")
serve.visited()  # the server's warm-up imports the rest (pandas) once this first view is on its way

path = settings.warehouse_path()
if not path.exists():
    # Imported only here: the ETL side (requests, the Kolada loader) costs a cold start 0.07 s otherwise.
    from etl.snapshot.build import ensure_warehouse

    with st.spinner(t("warehouse_building")):
        try:
            ensure_warehouse(path)
        except Exception as exc:  # the app's outer boundary: say what happened, in Swedish
            st.error(t("warehouse_missing", path=path, error=exc))
            st.stop()
data.ensure_current()

user = sign_in_panel()
if user is None and login_required_to_view():
    st.info(t("login_required"))
    st.stop()

pages = [
    st.Page("pages/oversikt.py", title=t("nav_overview"), icon=":material/flag:", url_path="oversikt", default=True),
    st.Page("pages/indikator.py", title=t("nav_indicator"), icon=":material/show_chart:", url_path="indikator"),
    st.Page("pages/jamfor.py", title=t("nav_compare"), icon=":material/compare_arrows:", url_path="jamfor"),
    st.Page("pages/moteslage.py", title=t("nav_meeting"), icon=":material/co_present:", url_path="moteslage"),
    st.Page("pages/importera.py", title=t("nav_import"), icon=":material/upload_file:", url_path="importera"),
    st.Page("pages/datakallor.py", title=t("nav_sources"), icon=":material/database:", url_path="datakallor"),
]
state.begin_run()  # the pages keep their view in the URL (malkoll/ui/state.py)
st.navigation(pages).run()
