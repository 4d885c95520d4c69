"""View state in the URL, so that every view is a link that reopens it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import streamlit as st

from malkoll.i18n import t

if TYPE_CHECKING:
    import pandas as pd


def choose(param: str, allowed: Sequence[str], default: str, unknown_message: str) -> str:
    """The URL's value for `param` if it is one of `allowed`, else `default`.

    An unknown value (a stale or mistyped link) gets a clear Swedish message,
    never a traceback, and the page falls back to the default.
    """
    value = st.query_params.get(param)
    if value is None:
        return default
    if value in allowed:
        return value
    st.warning(t(unknown_message, value=value[:80]))
    return default


def pick_indicator(indicators: "pd.DataFrame", default: str) -> str:
    """The indicator picker shared by the pages: URL parameter `indikator`, then a select box."""
    ids = indicators["indicator_id"].tolist()
    titles = dict(zip(indicators["indicator_id"], indicators["title_sv"]))
    chosen = choose("indikator", ids, default=default, unknown_message="unknown_indicator")
    chosen = st.selectbox(t("indicator_label"), ids, index=ids.index(chosen),
                          format_func=lambda i: f"{titles[i]} ({i})")
    st.query_params["indikator"] = chosen
    return chosen


def share_link(page_path: str) -> None:
    """'Kopiera länk': the full link to this view, with a copy button, for meeting invitations.

    Built from the app's own address and the current query parameters, so the
    link reopens exactly this view (plan, goal, indicator, area, sex, period).
    """
    from urllib.parse import urlencode, urlsplit

    base = urlsplit(st.context.url or "http://localhost:8501/")
    query = urlencode({k: st.query_params.get(k) for k in st.query_params})
    link = f"{base.scheme}://{base.netloc}/{page_path}" + (f"?{query}" if query else "")
    with st.popover(t("copy_link"), icon=":material/link:"):
        st.code(link, language=None, wrap_lines=True)
        st.caption(t("copy_link_help"))
