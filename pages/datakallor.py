"""Datakällor: every source with its last fetch, next publication, runs and the latest load's report."""

import streamlit as st

from etl import journal
from etl.refresh import RefreshFailed, refresh
from malkoll.flags import recent
from malkoll.formatting import number
from malkoll.i18n import label, t
from malkoll.ui import data
from malkoll.ui.auth import require

st.title(t("sources_title"))
st.caption(t("sources_intro"))

overview = data.sources_overview()
table = overview.assign(
    source=overview["source"].map(lambda s: label("source", s)),
    last_fetched_at=overview["last_fetched_at"].dt.strftime("%Y-%m-%d").fillna("–"),
    next_publication=overview["next_publication"].dt.strftime("%Y-%m-%d").fillna("–"),
    values_present=overview["values_present"].map(number),
)[["source", "indicators", "values_present", "last_fetched_at", "next_publication"]]
table.columns = [t("col_source_name"), t("col_indicators"), t("col_values"), t("col_last_fetched"),
                 t("col_next_publication")]
st.dataframe(table, hide_index=True, width="stretch")

with st.expander(t("refresh_title"), icon=":material/sync:"):
    analyst = require("refresh")
    if analyst is not None and st.button(t("refresh_button"), type="primary"):
        with st.status(t("refresh_running"), expanded=True) as box:
            try:
                outcome = refresh(data.warehouse(), progress=box.write, user=analyst.name)
            except RefreshFailed as exc:
                box.update(label=t("refresh_failed"), state="error")
                st.error(str(exc))
            else:
                box.update(label=t("refresh_done"), state="complete")
                st.code(outcome.report, language=None)

def pulled(run: journal.RunRecord) -> str:
    """How a run pulled its source: the whole series or changes since a day (etl/kolada/since.py)."""
    mode = run.details.get("mode")
    if mode == "changes":
        return t("pull_changes", since=run.details.get("since"))
    return t("pull_full") if mode == "full" else "–"


st.subheader(t("runs_title"))
runs = journal.read(data.warehouse(), limit=50)
if not runs:
    st.info(t("runs_empty"))
for source in dict.fromkeys(r.source for r in runs):
    latest = next(r for r in runs if r.source == source)
    if latest.outcome == "failed":
        st.error(t("last_failure", source=label("source", source), when=latest.finished_at, message=latest.message))
if runs:
    st.dataframe(
        [{t("col_started"): r.started_at, t("col_source_name"): label("source", r.source),
          t("col_outcome"): label("outcome", r.outcome), t("col_new"): r.rows_new,
          t("col_changed"): r.rows_changed, t("col_removed"): r.rows_removed, t("col_pull"): pulled(r),
          t("col_who"): r.user or "–", t("col_message"): r.message}
         for r in runs],
        hide_index=True, width="stretch")

loads = data.latest_loads()
if not loads.empty:
    last = loads.iloc[0]
    st.subheader(t("load_report_title", load_id=int(last["load_id"]), source=label("source", last["source"]),
                   when=last["finished_at"].strftime("%Y-%m-%d %H:%M")))
    changes = data.load_changes(int(last["load_id"]))
    if changes.empty:
        st.caption(t("load_report_empty"))
    else:
        def shown(value, status):
            return t("status_suppressed") if status == "suppressed" else (
                "–" if value != value or value is None else number(value))

        report = changes.assign(
            change=changes["change"].map(lambda c: t(f"change_{c}")),
            old=[shown(v, s) for v, s in zip(changes["old_value"], changes["old_status"])],
            new=[shown(v, s) for v, s in zip(changes["new_value"], changes["new_status"])],
        )[["change", "title_sv", "area_name", "period", "sex", "subgroup", "old", "new"]]
        report.columns = [t("col_change"), t("col_indicator"), t("col_area"), t("col_period"), t("col_sex"),
                          t("col_subgroup"), t("col_old"), t("col_new_value")]
        st.dataframe(report, hide_index=True, width="stretch")

flags = recent(data.warehouse())
if flags:
    st.subheader(t("flags_audit_title"))
    st.dataframe([{t("col_started"): f.created_at.strftime("%Y-%m-%d %H:%M"), t("col_who"): f.author,
                   t("col_plan"): f.plan_id, t("col_goal"): f.goal_id, t("flag_kind"): f.label,
                   t("flag_comment"): f.comment} for f in flags], hide_index=True, width="stretch")
