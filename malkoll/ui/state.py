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
