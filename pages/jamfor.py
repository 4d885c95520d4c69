"""Jämför: a region's municipalities (or all regions) side by side for one indicator."""

import streamlit as st

from malkoll.compare import (RATE_BASE, build_comparison, latest_period, periods, pick_subgroup, subgroups,
                             summary, table, with_unit)
from malkoll.compare_charts import comparison_figure
from malkoll.formatting import period_text, pooled_window
from malkoll.stats import configured_threshold
from malkoll.i18n import t
from malkoll.ui import data
from malkoll.ui.chart import plotly_chart
from malkoll.ui.expanders import opened
from malkoll.ui.state import pick_indicator, reset, share_link, url_selectbox

st.title(t("compare_title"))
st.caption(t("compare_intro"))

indicators = data.compare_indicators()
# Only indicators with areas to compare in the picker (a link may still name another, and is told so).
indicators = indicators[(indicators["municipalities_with_values"] + indicators["regions_with_values"] > 0)
                        | (indicators["indicator_id"] == st.query_params.get("indikator"))].reset_index(drop=True)
if indicators.empty:
    st.info(t("warehouse_empty"))
    st.stop()

titles = dict(zip(indicators["indicator_id"], indicators["title_sv"]))
most_areas = (indicators["municipalities_with_values"] + indicators["regions_with_values"]).idxmax()
url_indicator = st.query_params.get("indikator")
indicator_id = pick_indicator(titles, default=indicators.loc[most_areas, "indicator_id"])
meta = indicators.set_index("indicator_id").loc[indicator_id]
pooled_years = pooled_window(meta["pooled_years"])

names = data.area_names()
region_codes = sorted((a["area_code"] for a in data.areas() if a["area_type"] == "region"), key=names.get)
region_col, sex_col, period_col = st.columns([3, 2, 2])
url_region = st.query_params.get("region")
region = url_selectbox("region", region_codes, "0023" if "0023" in region_codes else region_codes[0],
                       "compare_unknown_region", t("compare_region_label"), container=region_col,
                       format_func=lambda c: names[c])
# A period belongs to the indicator and level: choosing another in the widgets starts from its latest period.
changed_indicator = url_indicator in titles and indicator_id != url_indicator
changed_region = url_region in region_codes and region != url_region
if changed_indicator or changed_region:
    reset("period")
if changed_indicator:  # another indicator's groups (grades, ages) are other groups
    reset("grupp")

rows = data.compare_areas(indicator_id, region)
# Only the sexes the indicator has values for: most are reported for everyone only.
sexes = [x for x in ("T", "K", "M") if x in set(rows.loc[rows["status"] == "ok", "sex"])] or ["T"]
sex = url_selectbox("kon", sexes, sexes[0], "compare_unknown_sex", t("sex_label"), widget=sex_col.radio,
                    format_func=lambda s: t(f"sex_{s}"), horizontal=True)
period_list = periods(rows)
if not period_list:
    st.info(t("compare_no_values", indicator=titles[indicator_id], region=names[region]))
    st.caption(t("no_values_hint"))
    st.stop()
period = url_selectbox("period", period_list, latest_period(rows, sex), "compare_unknown_period",
                       t("compare_period_label"), container=period_col, format_func=lambda p: period_text(p, pooled_years))
# Indicators reported per group (the school survey's grades) compare one group at a time, picked here.
groups = subgroups(rows)
subgroup = url_selectbox("grupp", groups, pick_subgroup(rows), "compare_unknown_group", t("compare_group_label"),
                         format_func=lambda g: g or t("compare_group_everyone")) if len(groups) > 1 else None

comparison = build_comparison(rows, indicator_id=indicator_id, unit=meta["unit"], period=period, sex=sex,
                              highlight=region, threshold=configured_threshold(), subgroup=subgroup)
shown_period = period_text(period, pooled_years)
st.caption(t(f"compare_level_{comparison.level}", region=names[region]))
if not comparison.areas:
    st.info(t("compare_no_values_sex", sex=t(f"sex_{sex}").lower(), period=shown_period))
    st.stop()

unit_label = t(f"unit_{meta['unit']}")
x_label = t("compare_x_group" if meta["unit"] == "percent" else
            "compare_x_person_years" if pooled_years and meta["unit"] in RATE_BASE else "compare_x_population")
title = t("compare_chart_title", indicator=titles[indicator_id], period=shown_period,
          sex=t(f"sex_{sex}") + (f", {comparison.subgroup}" if comparison.subgroup else ""))  # "Män, Gy 1"
if comparison.shown:
    plotly_chart(comparison_figure(comparison, title, unit_label, x_label))
else:  # every area suppressed or missing: nothing to draw, never bars of zero
    st.info(t("compare_nothing_to_plot", period=shown_period))

chosen = rows[rows["period"] == period]
fetched = chosen["fetched_at"].max().strftime("%Y-%m-%d")
sources = "; ".join(dict.fromkeys(chosen["source_ref"].fillna(chosen["source"]).str.split(",").str[0]))
method = (t("compare_method_funnel", centre=comparison.centre.name,
            value=with_unit(comparison.centre.value, meta["unit"]))
          if comparison.chart == "funnel" else t(f"compare_method_{comparison.chart}"))
if comparison.subgroup:
    method += " " + t("compare_subgroup_note", subgroup=comparison.subgroup)
if comparison.shown:
    st.caption(method)
st.caption(t("source_line", source=meta["source_ref"] or sources, fetched=fetched))

with st.expander(t("text_alternative")):
    st.write(summary(comparison, titles[indicator_id], shown_period))

if (table_view := opened(t("table_view"), key="jamfor_table")) is not None:
    with table_view:
        st.dataframe(table(comparison), hide_index=True, width="stretch")

share_link("jamfor", ("indikator", "region", "kon", "period", "grupp"))
