"""Översikt: every goal of a plan, grouped by focus area, with status in colour, icon and words."""

import streamlit as st

from malkoll import settings
from malkoll.flags import history, latest_by_goal
from malkoll.followup_report import build_report, report_bytes
from malkoll.formatting import literal_markdown, markdown_table
from malkoll.goal_status import plan_status
from malkoll.i18n import t
from malkoll.ui import data
from malkoll.status_table import latest_text, status_frame, target_text
from malkoll.ui.plans import GROUP_COLOUR, GROUP_ORDER, STATUS_GROUP, plans_in_use, statuses
from malkoll.ui.expanders import opened
from malkoll.ui.flag_form import flag_form
from malkoll.ui.state import share_link, url_selectbox

st.title(t("overview_title"))

loaded = plans_in_use()
for item in loaded:
    if item.error:
        st.warning(t("plan_fallback" if item.from_accepted_copy else "plan_refused", file=item.path.name))
        with st.expander(t("plan_refused_details")):
            st.text(str(item.error))
usable = {item.plan.id: item for item in loaded if item.plan}
if not usable:
    st.info(t("no_plans", folder=settings.PLANS_DIR.get()))
    st.stop()

plan_ids = list(usable)
plan_id = url_selectbox("plan", plan_ids, plan_ids[0], "unknown_plan", t("plan_label"),
                        format_func=lambda p: usable[p].plan.name)
item = usable[plan_id]
plan = item.plan
goals = statuses(item)
latest_flags = latest_by_goal(data.warehouse(), plan.id)

focus_names = {fa.id: fa.name for fa in plan.focus_areas}
area_names = data.area_names()


def row_name(s, gs) -> str:
    """The indicator's title, with the area (when the goal follows several), sex and subgroup it follows."""
    several_areas = len({i.spec.area for i in gs.indicators}) > 1
    who = ", ".join(x for x in (area_names.get(s.spec.area, s.spec.area) if several_areas else "", s.group) if x)
    return s.title + (f" ({who})" if who else "")

left, middle, right, order_col = st.columns([3, 2, 3, 2])
focus = left.multiselect(t("focus_filter"), list(focus_names), format_func=focus_names.get, placeholder=t("all"))
forum = middle.multiselect(t("forum_filter"), list(plan.forums), format_func=plan.forums.get, placeholder=t("all"))
groups = right.multiselect(t("status_filter"), list(GROUP_ORDER), format_func=lambda g: t(f"status_group_{g}"),
                           placeholder=t("all"))
order = order_col.radio(t("order_label"), ["off_track_first", "plan"], format_func=lambda o: t(f"order_{o}"))

shown = [g for g in goals
         if (not focus or g.goal.focus_area in focus)
         and (not forum or set(forum) & set(g.goal.forums))
         and (not groups or STATUS_GROUP[g.status.code] in groups)]
if order == "off_track_first":
    shown.sort(key=lambda g: (GROUP_ORDER[STATUS_GROUP[g.status.code]], not g.worsening))
st.caption(t("goal_count", shown=len(shown), total=len(goals)))
st.download_button(t("overview_download"), lambda: status_frame(plan, goals).to_csv(index=False).encode("utf-8"),
                   file_name=f"status_{plan.id}.csv", mime="text/csv", icon=":material/download:", on_click="ignore")
# Any goal, also one without a measurable indicator (a third of the plans' goals) and so without an indicator
# view; built only when opened, to keep the 60-goal overview light.
if (flagging := opened(t("flag_any_goal_title"), key="oversikt_flag")) is not None:
    with flagging:
        flag_form(plan.id, "flag_any_goal", goals={g.goal.id: g.goal.text for g in goals})
with st.expander(t("report_title"), icon=":material/description:"):
    year = st.number_input(t("report_year"), min_value=plan.period_start - 5, max_value=2100,
                           value=min(plan.period_end, 2100), step=1)
    if st.button(t("report_build")):
        flags_by_goal: dict[str, list] = {}
        for flag in history(data.warehouse(), plan.id):
            flags_by_goal.setdefault(flag.goal_id, []).append(flag)
        report = build_report(plan, plan_status(plan, data.warehouse(), until_year=int(year)), int(year), area_names,
                              flags_by_goal)
        for column, suffix, mime in zip(st.columns(3), (".docx", ".pdf", ".md"),
                                        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                                         "application/pdf", "text/markdown")):
            column.download_button(t(f"report_download{suffix.replace('.', '_')}"), report_bytes(report, suffix),
                                   file_name=f"uppfoljning_{plan.id}_{int(year)}{suffix}", mime=mime, on_click="ignore")

for focus_id in dict.fromkeys(g.goal.focus_area for g in shown) if order == "plan" else [None]:
    if focus_id is not None:
        st.header(literal_markdown(focus_names[focus_id]))
    for gs in [g for g in shown if focus_id is None or g.goal.focus_area == focus_id]:
        group = STATUS_GROUP[gs.status.code]
        meta = [t(f"goal_kind_{gs.goal.kind}") if gs.goal.kind else "",
                f"{t('goal_timeline')}: {gs.goal.timeline}" if gs.goal.timeline else "",
                f"{t('goal_forums')}: {', '.join(plan.forums.get(f, f) for f in gs.goal.forums)}"
                if gs.goal.forums else "",
                focus_names[gs.goal.focus_area] if focus_id is None else ""]
        with st.container(border=True):
            # Goal, status badge and details in one element: 60 goals are hundreds of elements, and each
            # one costs the browser time to draw (bench/README.md, finding c′).
            st.markdown(f"**{literal_markdown(gs.goal.text)}**  \n"
                        f":{GROUP_COLOUR[group]}-badge[{t(f'status_icon_{group}')} {gs.status.label_sv}]  \n"
                        f":small[:gray[{literal_markdown(' · '.join(m for m in meta if m))}]]")
            flag = latest_flags.get(gs.goal.id)
            if flag is not None:
                st.markdown(flag.line_markdown())
                if flag.contradicts(gs.status.code):
                    st.warning(t("flag_disagrees"))
            if not gs.indicators:
                st.caption(t("goal_no_indicator"))
                continue
            rows = []
            for s in gs.indicators:
                rows.append({
                    t("col_indicator"): row_name(s, gs),
                    t("col_latest"): latest_text(s) or "–",
                    t("col_latest_period"): s.latest_label or "–",
                    t("col_target"): target_text(s),
                    t("col_status_now"): s.against_target.label_sv,
                    t("col_progress"): s.progress.label_sv,
                    t("col_trend"): t("trend", arrow=s.trend_arrow, word=t(f"trend_{s.trend}")) if s.trend else "–",
                    t("col_flag"): latest_flags[gs.goal.id].label if gs.goal.id in latest_flags else t("no_flag"),
                })
            # A Markdown table, not st.dataframe or st.table: 60 grids or Arrow tables cost the first
            # visitor 0.6 s and 1 s more to draw, and a grid's canvas hid the text from find and screen readers.
            st.markdown(markdown_table(rows))
            for s, row in zip(gs.indicators, rows):
                st.page_link("pages/indikator.py",
                             label=f"{t('link_text')}: {literal_markdown(row[t('col_indicator')])}",
                             icon=":material/show_chart:",
                             query_params={"indikator": s.spec.indicator, "omrade": s.spec.area,
                                           "plan": plan.id, "mal": gs.goal.id,
                                           # the sex and group this row follows, when the goal follows several
                                           **({"kon": s.spec.sex} if s.spec.sex != "T" else {}),
                                           **({"grupp": s.spec.subgroup} if s.spec.subgroup else {})})
            with st.expander(t("why_label")):
                st.markdown("\n".join([gs.status.reason_sv, ""] + [
                    f"- **{literal_markdown(row_name(s, gs))}**: {s.headline.reason_sv}" for s in gs.indicators]))

share_link("", ("plan",))
