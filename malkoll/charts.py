"""Plotly figures for indicator series, readable on a projector and in Swedish.

Plain functions from data frames to figures: no Streamlit here, so the same
figures serve the app, image exports and tests (which read the figure JSON).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from malkoll.formatting import period_label
from malkoll.i18n import t

SEPARATORS = ", "  # Plotly: decimal comma, space as thousands separator
FONT_SIZE = 18
SEX_COLOURS = {"T": "#1f4e79", "K": "#c0504d", "M": "#4f9a94"}  # distinguishable in grey scale too
SEX_DASH = {"T": "solid", "K": "dash", "M": "dot"}


def period_to_date(period: str) -> dt.date:
    """'2018' -> 1 July 2018 (a year's middle); '2018-08' -> 15 August 2018."""
    if len(period) == 7:
        return dt.date(int(period[:4]), int(period[5:7]), 15)
    return dt.date(int(period[:4]), 7, 1)


def series_figure(series: pd.DataFrame, title: str, unit_label: str, source_note: str) -> go.Figure:
    """One line per sex and subgroup; suppressed periods are named, never drawn as zero."""
    fig = go.Figure()
    monthly = series["period"].str.len().eq(7).any()
    for (subgroup, sex), group in series.groupby(["subgroup", "sex"], sort=False):
        present = group[group["status"] == "ok"]
        name = t(f"sex_{sex}") + (f", {subgroup}" if subgroup else "")
        fig.add_trace(go.Scatter(
            x=[period_to_date(p) for p in present["period"]],
            y=present["value"],
            mode="lines+markers",
            name=name,
            line={"color": SEX_COLOURS.get(sex), "dash": SEX_DASH.get(sex), "width": 3},
            marker={"size": 9},
            customdata=[period_label(p) for p in present["period"]],
            hovertemplate="%{customdata}: %{y:,.1f}<extra>" + name + "</extra>",
        ))
        for period in group.loc[group["status"] == "suppressed", "period"]:
            fig.add_annotation(x=period_to_date(period), y=1, yref="paper", text=t("suppressed_label"),
                               showarrow=False, font={"size": 14, "color": "#555"}, textangle=-90, yanchor="top")
    fig.update_layout(
        title={"text": title, "font": {"size": FONT_SIZE + 6}},
        separators=SEPARATORS,
        font={"size": FONT_SIZE},
        template="plotly_white",
        yaxis={"title": unit_label, "rangemode": "tozero"},
        xaxis={"title": t("chart_period"), "tickformat": "%Y-%m" if monthly else "%Y"},
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 70, "r": 30, "t": 80, "b": 120},
        hovermode="x unified",
    )
    fig.add_annotation(text=source_note, xref="paper", yref="paper", x=0, y=-0.42, showarrow=False,
                       xanchor="left", font={"size": 13, "color": "#444"})
    return fig
