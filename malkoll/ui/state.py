"""View state in the URL, so that every view is a link that reopens it."""

from __future__ import annotations

from typing import Sequence

import streamlit as st

from malkoll.i18n import t


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
