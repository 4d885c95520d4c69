"""Indikator: one indicator's series for one area, with source and fetch date."""

import pandas as pd
import streamlit as st

from malkoll.compare import pooled_window
from malkoll.charts import control_chart_figure, overlay_for, series_figure
from malkoll.exports import export_bytes, readme_text
from malkoll.meeting_pack import ImageError, chart_image
from malkoll.flags import history
from malkoll.goal_status import with_intervals
from malkoll.formatting import literal_markdown, number, period_label
from malkoll.i18n import t
from malkoll.spc import xmr
from malkoll.ui import data
from malkoll.ui.chart import plotly_chart
from malkoll.ui.expanders import opened
from malkoll.ui.flag_form import flag_form
from malkoll.ui.plans import plans_in_use, statuses
from malkoll.ui.state import pick_indicator, share_link, to_url, url_selectbox, widget_key

indicators = data.indicators()
if indicators.empty:
    st.info(t("warehouse_empty"))
    st.stop()

titles = dict(zip(indicators["indicator_id"], indicators["title_sv"]))
with_values = indicators.loc[indicators["values_present"] > 0, "indicator_id"].tolist()
indicator_id = pick_indicator(indicators, default=(with_values or indicators["indicator_id"].tolist())[0])
meta = indicators.set_index("indicator_id").loc[indicator_id]

all_areas = data.areas()
names = dict(zip(all_areas["area_code"], all_areas["name"]))
present = data.indicator_areas(indicator_id)["area_code"].tolist()
area_codes = present + [c for c in all_areas["area_code"] if c not in present]  # those without values last, so marked
default_area = "0023" if "0023" in present else (present or area_codes)[0]
has_values = set(present)
area = url_selectbox("omrade", area_codes, default_area, "unknown_area", t("area_label"),
                     format_func=lambda c: f"{names[c]} ({c})" + ("" if c in has_values else t("area_no_values")))

series = data.series(indicator_id, area)
sexes = [x for x in ("T", "K", "M") if x in set(series["sex"])]
if len(sexes) > 1:
    key = widget_key("kon", [x for x in (st.query_params.get("kon") or "").split(",") if x in sexes] or sexes)
    st.session_state[key] = [x for x in st.session_state[key] if x in sexes] or sexes  # another area's sexes
    picked = st.segmented_control(t("sex_label"), sexes, selection_mode="multi", key=key,
                                  format_func=lambda x: t(f"sex_{x}")) or sexes
    chosen = [x for x in sexes if x in picked]
    to_url("kon", ",".join(chosen), default=",".join(sexes))
    series = series[series["sex"].isin(chosen)]
# Riket, and the county of a municipality (a region's parent is Riket itself).
comparator_codes = [c for c in dict.fromkeys(("0000", str(all_areas.set_index("area_code").loc[area, "parent_code"])))
                    if c in present and c != area]
if comparator_codes and st.toggle(t("show_comparators", areas=" och ".join(names[c] for c in comparator_codes)),
                                  key=widget_key("jmf", (st.query_params.get("jmf") or "1") == "1")):
    to_url("jmf", "1", default="1")
    totals = data.area_totals(indicator_id, tuple(comparator_codes))
    comparators = {names[c]: totals[totals["area_code"] == c] for c in comparator_codes}
else:
    if comparator_codes:
        to_url("jmf", "0", default="1")
    comparators = {}
if series.empty:
    st.info(t("no_values", indicator=titles[indicator_id], area=names[area]))
    st.caption(t("no_values_hint"))
    st.stop()
if series["value"].isna().all():  # every period missing or suppressed: the chart would show only the comparison
    st.info(t("no_own_values", area=names[area]))

series = with_intervals(series, meta)

# Plan context (from a link on Översikt): the goal's target, path and statuses.
context = None
plan_id, goal_id = st.query_params.get("plan"), st.query_params.get("mal")
if plan_id and goal_id:
    plan_item = next((p for p in plans_in_use() if p.plan and p.plan.id == plan_id), None)
    goal_status = next((g for g in statuses(plan_item) if g.goal.id == goal_id), None) if plan_item else None
    context = next((s for s in goal_status.indicators if s.spec.indicator == indicator_id and s.spec.area == area),
                   None) if goal_status else None
    if goal_status is None:
        st.warning(t("unknown_goal", value=goal_id[:80]))
    elif context is None:  # another area or indicator picked after following a goal's link
        st.info(t("goal_elsewhere", goal=literal_markdown(goal_status.goal.text)))
overlay = None
if context is not None:
    st.markdown(t("goal_context", goal=literal_markdown(goal_status.goal.text)))
    overlay = overlay_for(context)

fetched = series["fetched_at"].max().strftime("%Y-%m-%d")
sources = "; ".join(dict.fromkeys(series["source_ref"].fillna(series["source"]).str.split(",").str[0]))
source_note = t("source_line", source=meta["source_ref"] or sources, fetched=fetched)
chart = {"title": f"{titles[indicator_id]} – {names[area]}", "unit_label": t(f"unit_{meta['unit']}"),
         "overlay": overlay, "comparators": comparators, "pooled_years": pooled_window(meta["pooled_years"])}
plotly_chart(series_figure(series, **chart))
st.caption(source_note)

monthly = series[(series["period"].str.len() == 7) & (series["sex"] == "T") & (series["subgroup"] == "")
                 & (series["shown_status"] == "ok")]
control = xmr(monthly["period"].tolist(), monthly["value"].tolist())
if control is not None:
    st.subheader(t("spc_title"))
    plotly_chart(control_chart_figure(control, t("spc_chart_title", indicator=titles[indicator_id], area=names[area]),
                                      t(f"unit_{meta['unit']}"), scale=(0, 100) if meta["unit"] == "percent" else None))
    st.write(control.summary_sv())

if context is not None:
    now, progress = st.columns(2)
    now.metric(t("status_now_label"), context.against_target.label_sv)
    progress.metric(t("progress_label"), context.progress.label_sv)
    with st.expander(t("flag_set_title"), icon=":material/flag:"):
        flag_form(plan_id, "flag", goal_id=goal_id, indicator_id=indicator_id)
    flags = history(data.warehouse(), plan_id, goal_id)
    with st.expander(t("flag_history", count=len(flags))):
        for flag in flags:
            st.markdown(flag.line_markdown(latest=False))
    if (working := opened(t("how_calculated"), key="indikator_working")) is not None:
        with working:
            for assessment in (context.against_target, context.progress):
                st.markdown(f"**{assessment.label_sv}.** {assessment.reason_sv}")
                st.json(assessment.working, expanded=False)

ok = series[series["shown_status"] == "ok"]
if not ok.empty:
    last, low, high = ok.iloc[-1], ok.loc[ok["value"].idxmin()], ok.loc[ok["value"].idxmax()]
    with st.expander(t("text_alternative")):
        st.write(t("series_summary", indicator=titles[indicator_id], area=names[area], count=len(ok),
                   first=period_label(ok["period"].min()), last=period_label(last["period"]),
                   last_value=number(last["value"]), min_value=number(low["value"]),
                   min_period=period_label(low["period"]), max_value=number(high["value"]),
                   max_period=period_label(high["period"])))

if (table_view := opened(t("table_view"), key="indikator_table")) is not None:
    with table_view:
        table = series.assign(
            value=[number(v) if s == "ok" else t(f"status_{s}")
                   for v, s in zip(series["value"], series["shown_status"])],
            numerator=[("" if pd.isna(v) else number(v)) if s != "suppressed" else t("status_suppressed")
                       for v, s in zip(series["numerator"], series["shown_status"])],
            denominator=series["denominator"].map(lambda v: "" if v != v or v is None else number(v)),
            sex=series["sex"].map(lambda s: t(f"sex_{s}")),
        )[["period", "sex", "subgroup", "value", "numerator", "denominator", "source_ref"]]
        table.columns = [t("col_period"), t("col_sex"), t("col_subgroup"), t("col_value"), t("col_numerator"),
                         t("col_denominator"), t("col_source")]
        st.dataframe(table, hide_index=True, width="stretch")

if st.button(t("image_build"), icon=":material/image:"):
    footer = t("source_line", source=meta["source_ref"] or meta["source"], fetched=fetched)
    for_image = series_figure(series, source_note=footer, **chart)
    try:
        png, svg = chart_image(for_image, "png"), chart_image(for_image, "svg")
    except ImageError as exc:
        st.error(str(exc))
    else:
        png_column, svg_column = st.columns(2)
        png_column.download_button("PNG", png, file_name=f"{indicator_id}_{area}.png", mime="image/png")
        svg_column.download_button("SVG", svg, file_name=f"{indicator_id}_{area}.svg", mime="image/svg+xml")

csv_column, excel_column, readme_column = st.columns(3)


def exported():
    """The rows behind the downloads, read only when a button is clicked, not on every page view."""
    return data.export_view(indicator_id, area)


csv_column.download_button(t("download_csv"), lambda: export_bytes(exported(), "csv"),
                           file_name=f"{indicator_id}_{area}.csv", mime="text/csv", icon=":material/download:")
excel_column.download_button(t("download_xlsx"), lambda: export_bytes(exported(), "xlsx"),
                             file_name=f"{indicator_id}_{area}.xlsx", icon=":material/download:")
readme_column.download_button(t("download_readme"), lambda: readme_text(exported()).encode("utf-8"),
                              file_name=f"{indicator_id}_{area}_README.txt", mime="text/plain")

with st.container(border=True):
    st.markdown(f"**{t('card_definition')}:** {meta['definition'] or '–'}")
    st.markdown(f"**{t('card_source')}:** {meta['source_ref'] or meta['source']}")
    st.markdown(f"**{t('card_frequency')}:** {t('frequency_' + meta['frequency'])}")
    if meta["caveats"]:
        st.markdown(f"**{t('card_caveats')}:** {meta['caveats']}")

share_link("indikator", ("indikator", "omrade", "kon", "jmf", "plan", "mal"))
