"""Indikator: one indicator's series for one area, with source and fetch date."""

import streamlit as st

from malkoll.charts import series_figure
from malkoll.formatting import number, period_label
from malkoll.i18n import t
from malkoll.ui import data
from malkoll.ui.state import choose

indicators = data.indicators()
if indicators.empty:
    st.info(t("warehouse_empty"))
    st.stop()

indicator_ids = indicators["indicator_id"].tolist()
titles = dict(zip(indicators["indicator_id"], indicators["title_sv"]))
with_values = indicators.loc[indicators["values_present"] > 0, "indicator_id"].tolist()
indicator_id = choose("indikator", indicator_ids, default=(with_values or indicator_ids)[0],
                      unknown_message="unknown_indicator")
indicator_id = st.selectbox(t("indicator_label"), indicator_ids, index=indicator_ids.index(indicator_id),
                            format_func=lambda i: f"{titles[i]} ({i})")
st.query_params["indikator"] = indicator_id
meta = indicators.set_index("indicator_id").loc[indicator_id]

all_areas = data.areas()
names = dict(zip(all_areas["area_code"], all_areas["name"]))
present = data.indicator_areas(indicator_id)["area_code"].tolist()
area_codes = present + [c for c in all_areas["area_code"] if c not in present]
default_area = "0023" if "0023" in present else (present or area_codes)[0]
area = choose("omrade", area_codes, default=default_area, unknown_message="unknown_area")
area = st.selectbox(t("area_label"), area_codes, index=area_codes.index(area),
                    format_func=lambda c: f"{names[c]} ({c})")
st.query_params["omrade"] = area

series = data.series(indicator_id, area)
if series.empty:
    st.info(t("no_values", indicator=titles[indicator_id], area=names[area]))
    st.caption(t("no_values_hint"))
    st.stop()

fetched = series["fetched_at"].max().strftime("%Y-%m-%d")
sources = "; ".join(dict.fromkeys(series["source_ref"].fillna(series["source"]).str.split(",").str[0]))
source_note = t("source_line", source=meta["source_ref"] or sources, fetched=fetched)
figure = series_figure(series, f"{titles[indicator_id]} – {names[area]}", t(f"unit_{meta['unit']}"))
st.plotly_chart(figure, width="stretch", config={"displaylogo": False})
st.caption(source_note)

ok = series[series["status"] == "ok"]
if not ok.empty:
    last, low, high = ok.iloc[-1], ok.loc[ok["value"].idxmin()], ok.loc[ok["value"].idxmax()]
    with st.expander(t("text_alternative")):
        st.write(t("series_summary", indicator=titles[indicator_id], area=names[area], count=len(ok),
                   first=period_label(ok["period"].min()), last=period_label(last["period"]),
                   last_value=number(last["value"]), min_value=number(low["value"]),
                   min_period=period_label(low["period"]), max_value=number(high["value"]),
                   max_period=period_label(high["period"])))

with st.expander(t("table_view")):
    table = series.assign(
        value=[number(v) if s == "ok" else t(f"status_{s}") for v, s in zip(series["value"], series["status"])],
        numerator=series["numerator"].map(lambda v: "" if v != v or v is None else number(v)),
        denominator=series["denominator"].map(lambda v: "" if v != v or v is None else number(v)),
        sex=series["sex"].map(lambda s: t(f"sex_{s}")),
    )[["period", "sex", "subgroup", "value", "numerator", "denominator", "source_ref"]]
    table.columns = [t("col_period"), t("col_sex"), t("col_subgroup"), t("col_value"), t("col_numerator"),
                     t("col_denominator"), t("col_source")]
    st.dataframe(table, hide_index=True, width="stretch")

with st.container(border=True):
    st.markdown(f"**{t('card_definition')}:** {meta['definition'] or '–'}")
    st.markdown(f"**{t('card_source')}:** {meta['source_ref'] or meta['source']}")
    st.markdown(f"**{t('card_frequency')}:** {t('frequency_' + meta['frequency'])}")
    if meta["caveats"]:
        st.markdown(f"**{t('card_caveats')}:** {meta['caveats']}")
