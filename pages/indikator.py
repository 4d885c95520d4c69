"""Indikator: one indicator's series for one area, with source and fetch date.

Works on warehouse rows (dicts), not DataFrames: a shared link to this page is
often a meeting's first view after a start, and without pandas it is drawn
about half a second sooner (bench/README.md, finding c, sixth pass). The
downloads and the image import what they need when clicked.
"""

import streamlit as st

from malkoll.charts import control_chart_figure, overlay_for, series_figure, series_lines
from malkoll.flags import history
from malkoll.goal_status import with_intervals
from malkoll.formatting import literal_markdown, markdown_table, number, period_text, pooled_window, value_text
from malkoll.i18n import t
from malkoll.spc import xmr
from malkoll.stats import citation_only
from malkoll.ui import data
from malkoll.ui.chart import plotly_chart
from malkoll.ui.expanders import opened
from malkoll.ui.flag_form import flag_form
from malkoll.ui.plans import plans_in_use, statuses
from malkoll.ui.state import pick_indicator, share_link, to_url, url_selectbox, widget_key
from malkoll.working_text import working_lines

indicators = data.indicators()
if not indicators:
    st.info(t("warehouse_empty"))
    st.stop()

titles = {i["indicator_id"]: i["title_sv"] for i in indicators}
with_values = [i["indicator_id"] for i in indicators if i["values_present"] > 0]
indicator_id = pick_indicator(titles, default=(with_values or list(titles))[0])
meta = data.indicator(indicator_id)
pooled_years = pooled_window(meta["pooled_years"])  # 3 or 5 for windows named by their last year, else None

all_areas = data.areas()
names = data.area_names()
present = [a["area_code"] for a in data.indicator_areas(indicator_id)]
area_codes = present + [c for c in names if c not in present]  # those without values last, so marked
default_area = "0023" if "0023" in present else (present or area_codes)[0]
has_values = set(present)
area = url_selectbox("omrade", area_codes, default_area, "unknown_area", t("area_label"),
                     format_func=lambda c: f"{names[c]} ({c})" + ("" if c in has_values else t("area_no_values")))

series = data.series(indicator_id, area)
sexes = chosen = [x for x in ("T", "K", "M") if x in {r["sex"] for r in series}]
if len(sexes) > 1:
    key = widget_key("kon", [x for x in (st.query_params.get("kon") or "").split(",") if x in sexes] or sexes)
    st.session_state[key] = [x for x in st.session_state[key] if x in sexes] or sexes  # another area's sexes
    picked = st.segmented_control(t("sex_label"), sexes, selection_mode="multi", key=key,
                                  format_func=lambda x: t(f"sex_{x}")) or sexes
    chosen = [x for x in sexes if x in picked]
    to_url("kon", ",".join(chosen), default=",".join(sexes))
    series = [r for r in series if r["sex"] in chosen]
if not series:  # before the comparison switch, which would have nothing to be compared with
    st.info(t("no_values", indicator=titles[indicator_id], area=names[area]))
    st.caption(t("no_values_hint"))
    st.stop()
# Riket, and the county of a municipality (a region's parent is Riket itself).
parent = next(a["parent_code"] for a in all_areas if a["area_code"] == area)
comparator_codes = [c for c in dict.fromkeys(("0000", parent)) if c in present and c != area]
if comparator_codes and st.toggle(t("show_comparators", areas=" och ".join(names[c] for c in comparator_codes)),
                                  key=widget_key("jmf", (st.query_params.get("jmf") or "1") == "1")):
    to_url("jmf", "1", default="1")
    totals = data.area_totals(indicator_id, tuple(comparator_codes))
    comparators = {names[c]: [r for r in totals if r["area_code"] == c] for c in comparator_codes}
else:
    if comparator_codes:
        to_url("jmf", "0", default="1")
    comparators = {}
# Every period missing or suppressed: the chart would show only the comparison.
if all(r["value"] is None for r in series):
    st.info(t("no_own_values", area=names[area]))

series = with_intervals(series, meta)

# Plan context (from a link on Översikt): the goal's target, path and statuses.
context = None
plan_id, goal_id = st.query_params.get("plan"), st.query_params.get("mal")
if plan_id and goal_id:
    plan_item = next((p for p in plans_in_use() if p.plan and p.plan.id == plan_id), None)
    goal_status = next((g for g in statuses(plan_item) if g.goal.id == goal_id), None) if plan_item else None
    # A goal may follow this indicator and area for several sexes and groups (Översikt links each with
    # its `kon` and `grupp`): the one the link names, else the first of the sexes shown.
    followed = [s for s in goal_status.indicators if s.spec.indicator == indicator_id and s.spec.area == area
                and s.spec.sex in chosen] if goal_status else []
    # With several sexes shown, the first of them (Totalt, Kvinnor, Män) that the goal follows for the group:
    # adding Män to a link for Kvinnor, Gy 1 keeps that row's assessment.
    group = st.query_params.get("grupp") or ""
    context = next((s for x in chosen for s in followed if (s.spec.sex, s.spec.subgroup) == (x, group)),
                   followed[0] if followed else None)
    if plan_item is None:
        st.warning(t("unknown_plan_of_goal", value=plan_id[:80]))
    elif goal_status is None:
        st.warning(t("unknown_goal", value=goal_id[:80]))
    elif context is None:  # another area or indicator picked after following a goal's link
        st.info(t("goal_elsewhere", goal=literal_markdown(goal_status.goal.text)))
overlay = None
if context is not None:
    st.markdown(t("goal_context", goal=literal_markdown(goal_status.goal.text))
                + (f" ({literal_markdown(context.group)})" if context.group else ""))
    overlay = overlay_for(context)

fetched = max(r["fetched_at"] for r in series).strftime("%Y-%m-%d")
sources = "; ".join(dict.fromkeys((r["source_ref"] or r["source"]).split(",")[0] for r in series))
source_note = t("source_line", source=meta["source_ref"] or sources, fetched=fetched)
chart = {"title": f"{titles[indicator_id]} – {names[area]}", "unit_label": t(f"unit_{meta['unit']}"),
         "overlay": overlay, "comparators": comparators, "pooled_years": pooled_years,
         "unit": meta["unit"]}
plotly_chart(series_figure(series, **chart))
st.caption(source_note)

monthly = [r for r in series if len(r["period"]) == 7 and r["sex"] == "T" and r["subgroup"] == ""
           and r["shown_status"] == "ok"]
control = xmr([r["period"] for r in monthly], [r["value"] for r in monthly],
              upper_bound=100.0 if meta["unit"] == "percent" else None)
if control is not None:
    st.subheader(t("spc_title"))
    plotly_chart(control_chart_figure(control, t("spc_chart_title", indicator=titles[indicator_id], area=names[area]),
                                      t(f"unit_{meta['unit']}")))
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
                st.markdown(markdown_table(working_lines(assessment.working)))
                st.caption(t("working_json"))
                st.json(assessment.working, expanded=False)

# The chart in words: a sentence for each line it draws (charts.series_lines), periods named as the chart does.
drawn = [(line, ok) for line in series_lines(series) if (ok := [r for r in line.rows if r["shown_status"] == "ok"])]
if drawn:
    with st.expander(t("text_alternative")):
        def period(row: dict) -> str:
            return period_text(row["period"], pooled_years)

        def value(row: dict) -> str:
            return value_text(row["value"], meta["unit"])

        for line, ok in drawn:
            last, low, high = ok[-1], min(ok, key=lambda r: r["value"]), max(ok, key=lambda r: r["value"])
            group = ", ".join(line.parts()) if len(drawn) > 1 else ""
            st.write(t("series_summary" if len(ok) > 1 else "series_summary_one",
                       indicator=titles[indicator_id] + (f" ({group})" if group else ""), area=names[area],
                       count=len(ok), first=period(ok[0]), last=period(last), last_value=value(last),
                       min_value=value(low), min_period=period(low), max_value=value(high), max_period=period(high)))

if (table_view := opened(t("table_view"), key="indikator_table")) is not None:
    with table_view:
        st.dataframe([{
            t("col_period"): period_text(r["period"], pooled_years),
            t("col_sex"): t(f"sex_{r['sex']}"), t("col_subgroup"): r["subgroup"],
            t("col_value"): value_text(r["value"], meta["unit"]) if r["shown_status"] == "ok"
            else t(f"status_{r['shown_status']}"),
            t("col_numerator"): t("status_suppressed") if r["shown_status"] == "suppressed"
            else "" if r["numerator"] is None else number(r["numerator"]),
            t("col_denominator"): "" if r["denominator"] is None else number(r["denominator"]),
            t("col_source"): citation_only(r["source_ref"]) if r["shown_status"] == "suppressed" else r["source_ref"]}
            for r in series], hide_index=True, width="stretch")

if st.button(t("image_build"), icon=":material/image:"):
    from malkoll.meeting_pack import ImageError, chart_image  # Kaleido's set-up, only when asked for

    footer = t("source_line", source=meta["source_ref"] or meta["source"], fetched=fetched)
    for_image = series_figure(series, source_note=footer, **chart)
    try:
        png, svg = chart_image(for_image, "png"), chart_image(for_image, "svg")
    except ImageError as exc:
        st.error(str(exc))
    else:
        png_column, svg_column = st.columns(2)
        png_column.download_button("PNG", png, file_name=f"{indicator_id}_{area}.png", mime="image/png",
                                   on_click="ignore")
        svg_column.download_button("SVG", svg, file_name=f"{indicator_id}_{area}.svg", mime="image/svg+xml",
                                   on_click="ignore")

csv_column, excel_column, readme_column = st.columns(3)


def exported(fmt: str) -> bytes:
    """A download's bytes, built only when its button is clicked: the rows are read then, and pandas,
    which writes the files, is imported then, not on every page view."""
    from malkoll.exports import export_bytes, readme_text

    frame = data.export_view(indicator_id, area)
    return readme_text(frame).encode("utf-8") if fmt == "readme" else export_bytes(frame, fmt)


csv_column.download_button(t("download_csv"), lambda: exported("csv"),
                           file_name=f"{indicator_id}_{area}.csv", mime="text/csv", icon=":material/download:",
                           on_click="ignore")
excel_column.download_button(t("download_xlsx"), lambda: exported("xlsx"),
                             file_name=f"{indicator_id}_{area}.xlsx", icon=":material/download:", on_click="ignore")
readme_column.download_button(t("download_readme"), lambda: exported("readme"),
                              file_name=f"{indicator_id}_{area}_README.txt", mime="text/plain", on_click="ignore")

with st.container(border=True):
    st.markdown(f"**{t('card_definition')}:** {meta['definition'] or '–'}")
    st.markdown(f"**{t('card_source')}:** {meta['source_ref'] or meta['source']}")
    st.markdown(f"**{t('card_frequency')}:** {t('frequency_' + meta['frequency'])}")
    if meta["caveats"]:
        st.markdown(f"**{t('card_caveats')}:** {meta['caveats']}")

share_link("indikator", ("indikator", "omrade", "kon", "jmf", "plan", "mal", "grupp"))
