"""Mötesläge: one goal per screen in large type, with an agenda, for the regional network's meetings."""

import streamlit as st

from malkoll.charts import overlay_for, series_figure
from malkoll.goal_status import with_intervals
from malkoll.flags import latest_by_goal
from malkoll.formatting import literal_markdown, number, pooled_window
from malkoll.meeting_pack import ImageError, build_pack
from malkoll.i18n import t
from malkoll.summary import one_sentence
from malkoll.ui import data
from malkoll.ui.chart import plotly_chart
from malkoll.ui.expanders import opened
from malkoll.ui.plans import GROUP_COLOUR, GROUP_ORDER, STATUS_GROUP, plans_in_use, statuses
from malkoll.ui.state import reset, share_link, to_url, url_selectbox, widget_key

usable = {item.plan.id: item for item in plans_in_use() if item.plan}
if not usable:
    st.info(t("no_plans", folder="plans/"))
    st.stop()
plan_ids = list(usable)
agenda_box = st.expander(t("meeting_agenda"))
url_plan = st.query_params.get("plan")
plan_id = url_selectbox("plan", plan_ids, plan_ids[0], "unknown_plan", t("plan_label"), container=agenda_box,
                        format_func=lambda p: usable[p].plan.name)
item = usable[plan_id]
goals = {g.goal.id: g for g in statuses(item)}
if plan_id != (url_plan if url_plan in usable else plan_ids[0]):  # another plan picked: its agenda, from goal 1
    reset("agenda")
    reset("steg")

# The agenda: from the URL, else the goals with indicators, those off track first.
default_agenda = sorted((g for g in goals.values() if g.indicators),
                        key=lambda g: GROUP_ORDER[STATUS_GROUP[g.status.code]])
requested = [g for g in (st.query_params.get("agenda") or "").split(",") if g]
unknown = [g for g in requested if g not in goals]
if unknown:
    st.warning(t("unknown_goal_in_agenda", value=", ".join(unknown)[:120]))
default_ids = [g.goal.id for g in default_agenda]
from_link = [g for g in requested if g in goals] or default_ids
key = widget_key("agenda", from_link)
if any(g not in goals for g in st.session_state[key]):  # another plan's agenda (Back to an earlier plan)
    st.session_state[key] = from_link
agenda = agenda_box.multiselect(t("meeting_agenda"), list(goals), key=key, help=t("meeting_agenda_help"),
                                format_func=lambda g: goals[g].goal.text[:90])
to_url("agenda", ",".join(agenda) or None, default=",".join(default_ids))
names = data.area_names()
if agenda_box.button(t("pack_build"), icon=":material/slideshow:", disabled=not agenda):
    try:
        pack = build_pack(item.plan, [goals[g] for g in agenda], data.warehouse(), names,
                          latest_by_goal(data.warehouse(), plan_id))
    except ImageError as exc:
        agenda_box.error(str(exc))
    else:
        agenda_box.download_button(t("pack_download"), pack, file_name=f"motespaket_{plan_id}.pptx",
                                   mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                                   on_click="ignore")
if not agenda:
    st.info(t("meeting_empty"))
    st.stop()

try:
    step = min(max(int(st.query_params.get("steg") or "1"), 1), len(agenda))
except ValueError:
    step = 1
previous, position, following = st.columns([1, 3, 1])
if previous.button(t("meeting_previous"), icon=":material/arrow_back:", disabled=step == 1, width="stretch"):
    step -= 1
if following.button(t("meeting_next"), icon=":material/arrow_forward:", disabled=step == len(agenda),
                    width="stretch"):
    step += 1
to_url("steg", str(step), default="1")
position.markdown(f"### {t('meeting_position', index=step, count=len(agenda))}")

share_link("moteslage", ("plan", "agenda", "steg"), container=agenda_box)

gs = goals[agenda[step - 1]]
group = STATUS_GROUP[gs.status.code]
# The chart goes to the first indicator with a value to draw (one with only "för få fall" would be an
# empty chart). Words left, chart right: on a 1280 × 720 projector the chart is on the first screen
# (under the words it started below the fold); on a narrow screen the columns stack.
drawable = [s for s in gs.indicators if any(p.value is not None and not p.suppressed for p in s.points)]
shown = (drawable or [s for s in gs.indicators if s.points] or [None])[0]
words, picture = st.columns([2, 3], gap="large") if shown is not None else (st.container(), None)
with words:
    st.title(literal_markdown(gs.goal.text))
    st.badge(gs.status.label_sv, icon=t(f"status_icon_{group}"), color=GROUP_COLOUR[group])
    flag = latest_by_goal(data.warehouse(), plan_id).get(gs.goal.id)
    if flag is not None:
        st.markdown(flag.line_markdown())
        if flag.contradicts(gs.status.code):
            st.warning(t("flag_disagrees"))
    for s in [shown] + [s for s in gs.indicators if s is not shown] if shown is not None else gs.indicators:
        (st.header if s is shown or shown is None else st.subheader)(one_sentence(s, names.get(s.spec.area, s.spec.area)))
if shown is None:
    st.caption(t("meeting_no_chart"))
    st.stop()
meta = data.indicator(shown.spec.indicator)
series = [r for r in data.series(shown.spec.indicator, shown.spec.area)
          if r["sex"] == shown.spec.sex and r["subgroup"] == shown.spec.subgroup]
# No title in the chart: the sentence beside it names the indicator and area in larger type.
figure = series_figure(with_intervals(series, meta), "",
                       t(f"unit_{meta['unit']}"), overlay=overlay_for(shown), font_size=26,
                       pooled_years=pooled_window(meta["pooled_years"]), unit=meta["unit"])
figure.update_layout(height=560)
with picture:
    plotly_chart(figure)
    st.caption(t("source_line", source=meta["source_ref"] or meta["source"], fetched=shown.fetched_at))
if (table_view := opened(t("table_view"), key="moteslage_table")) is not None:
    with table_view:
        st.dataframe([{t("col_period"): shown.latest_label if p is shown.latest else p.period,
                       t("col_value"): t("status_suppressed") if p.suppressed or p.value is None
                       else number(p.value, 1)} for p in shown.points], hide_index=True)

