"""View state in the URL, so that every view is a link that reopens it."""

from __future__ import annotations

from typing import Any, Callable, Sequence

import streamlit as st

from malkoll.i18n import t

_VIEW = "url_view"  # this run's value of each view parameter, for share_link


def begin_run() -> None:
    """Start a script run with no view values yet (app.py calls it first), so a link holds only this view's."""
    st.session_state[_VIEW] = {}


def choose(param: str, allowed: Sequence[str], default: str, unknown_message: str,
           name_of: Callable[[str], str] | None = None) -> str:
    """The URL's value for `param` if it is one of `allowed`, else `default`.

    An unknown value (a stale or mistyped link) gets a clear Swedish message,
    never a traceback, and the page falls back to the default. A value that
    is known but not offered here (a sex the indicator has no values for) is
    named as the pickers name it (`name_of`), not by its code.
    """
    value = st.query_params.get(param)
    if value is None:
        return default
    if value in allowed:
        return value
    shown = value[:80]
    if name_of is not None:
        try:
            shown = name_of(value)
        except (KeyError, ValueError):  # not a known code either: the link's text as it is
            pass
    st.warning(t(unknown_message, value=shown))
    return default


def _key(param: str) -> str:
    return f"url_{param}"


def widget_key(param: str, from_url: Any) -> str:
    """The session-state key for the widget that shows URL parameter `param`, holding `from_url` when new.

    Why a key: a widget without one whose starting value comes from the URL
    becomes a new widget whenever the URL changes, so every second choice in
    a picker was lost (the first one wrote the URL, and the widget the person
    then used was gone at the next run). A keyed widget keeps its state; the
    URL's value is put into it only on a first view or when the URL changed
    from outside (a link, the browser's back button), that is when it is not
    what `to_url` wrote last.
    """
    key = _key(param)
    if key not in st.session_state or st.session_state.get(f"{key}_written") != st.query_params.get(param):
        st.session_state[key] = from_url
    return key


def to_url(param: str, text: str | None, default: str | None = None) -> None:
    """Keep URL parameter `param` at `text` (None: remove it), remembering it for widget_key and share_link.

    The URL changes only when it says something else: every change is a step
    in the browser's history, so a first view leaves the link as it came (a
    value equal to `default` is not added) and each choice is one step back.
    """
    st.session_state.setdefault(_VIEW, {})[param] = text
    current = st.query_params.get(param)
    wanted = None if text is None else (current if current == text or (current is None and text == default) else text)
    if wanted != current:
        if wanted is None:
            st.query_params.pop(param, None)
        else:
            st.query_params[param] = wanted
    st.session_state[f"{_key(param)}_written"] = wanted


def reset(param: str) -> None:
    """Drop URL parameter `param` and its widget's state: the widget starts again from its default
    (another indicator's latest period, another plan's agenda)."""
    to_url(param, None)
    st.session_state.pop(_key(param), None)


def url_selectbox(param: str, options: Sequence[str], default: str, unknown_message: str, label: str,
                  container: Any = st, widget: Callable = None, **kwargs: Any) -> str:
    """A select box (or `widget`, e.g. `container.radio`) for URL parameter `param`, kept in the URL."""
    widget = widget or container.selectbox
    from_url = choose(param, options, default, unknown_message, kwargs.get("format_func"))
    key = widget_key(param, from_url)
    if st.session_state[key] not in options:  # options changed under it (another indicator's periods)
        st.session_state[key] = from_url
    chosen = widget(label, options, key=key, **kwargs)
    to_url(param, chosen, default)
    return chosen


def pick_indicator(titles: dict[str, str], default: str) -> str:
    """The indicator picker shared by the pages (`titles`: id → title, in picker order): URL parameter
    `indikator`, then a select box."""
    return url_selectbox("indikator", list(titles), default, "unknown_indicator", t("indicator_label"),
                         format_func=lambda i: f"{titles[i]} ({i})")


def share_link(page_path: str, params: Sequence[str], container: Any = st) -> None:
    """'Kopiera länk': the full link to this view, with a copy button, for meeting invitations.

    Built from the app's own address and the view's `params` as this run
    shows them, defaults included (the address bar leaves those out), so the
    link reopens exactly this view (plan, goal, indicator, area, sex, period)
    even after newer data has moved a default such as the latest period.
    """
    from urllib.parse import urlencode, urlsplit

    base = urlsplit(st.context.url or "http://localhost:8501/")
    view = st.session_state.get(_VIEW, {})
    values = {p: view[p] if p in view else st.query_params.get(p) for p in params}
    query = urlencode({p: v for p, v in values.items() if v is not None})
    link = f"{base.scheme}://{base.netloc}/{page_path}" + (f"?{query}" if query else "")
    with container.popover(t("copy_link"), icon=":material/link:"):
        st.code(link, language=None, wrap_lines=True)
        st.caption(t("copy_link_help"))
