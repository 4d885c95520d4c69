"""The form a manager sets (or withdraws) a goal's flag with: on a goal's indicator view and on Översikt.

Översikt has it too because a third of the plans' goals have no measurable
indicator, so no indicator view to flag them from.
"""

from __future__ import annotations

import streamlit as st

from malkoll.flags import KINDS, FlagError, add_flag
from malkoll.i18n import t
from malkoll.ui import data
from malkoll.ui.auth import require


def flag_form(plan_id: str, key: str, goal_id: str | None = None, goals: dict[str, str] | None = None,
              indicator_id: str | None = None) -> None:
    """The form for one goal (`goal_id`), or with a goal picker over `goals` (id → text)."""
    manager = require("flag")
    if manager is None:
        return
    if st.session_state.pop(f"{key}_saved", False):
        st.success(t("flag_saved"))
    with st.form(key, clear_on_submit=True):
        chosen = goal_id or st.selectbox(t("flag_goal"), list(goals or {}), index=None, placeholder=t("flag_goal_choose"),
                                         format_func=lambda g: (goals or {})[g][:120])
        kind = st.selectbox(t("flag_kind"), list(KINDS), index=None, placeholder=t("flag_kind_choose"),
                            format_func=KINDS.get)
        comment = st.text_area(t("flag_comment"))
        follow_up = st.date_input(t("flag_follow_up"), value=None, format="YYYY-MM-DD")
        if st.form_submit_button(t("flag_submit")):
            if not chosen:
                st.error(t("flag_goal_missing"))
                return
            try:
                add_flag(data.warehouse(), plan_id, chosen, kind, comment, manager.name,
                         indicator_id=indicator_id, follow_up_date=follow_up)
            except FlagError as exc:
                st.error(str(exc))
            else:  # run the page again, so that the goal shows its new flag; say it was saved there
                st.session_state[f"{key}_saved"] = True
                st.rerun()
