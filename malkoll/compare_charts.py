"""Plotly figures for comparing areas: a funnel plot or ranked horizontal bars.

Same conventions as :mod:`malkoll.charts` (decimal comma, large fonts, no
Streamlit). Each trace and reference line carries ``meta`` (role, level,
area codes), so tests and exports can find them by what they are rather
than by their position.
"""

from __future__ import annotations

import plotly.graph_objects as go

from malkoll.charts import FONT_SIZE, SEPARATORS, wrap
from malkoll.compare import Comparison, AreaValue, Reference, short_name, with_unit
from malkoll.formatting import number
from malkoll.i18n import t

BAND_ORDER = ("within", "high_95", "low_95", "high_998", "low_998")
BAND_STYLE = {  # colour and symbol, so the bands differ in grey scale too
    "within": ("#1f4e79", "circle"),
    "high_95": ("#d9822b", "triangle-up"),
    "low_95": ("#d9822b", "triangle-down"),
    "high_998": ("#b03a2e", "triangle-up"),
    "low_998": ("#b03a2e", "triangle-down"),
}
LIMIT_STYLE = {0.95: {"color": "#8c8c8c", "dash": "dash", "width": 2},
               0.998: {"color": "#404040", "dash": "dot", "width": 2.5}}
REFERENCE_STYLE = {"centre": {"color": "#000000", "dash": "solid", "width": 3},
                   "other": {"color": "#4f9a94", "dash": "dashdot", "width": 3}}
BAR_COLOUR, HIGHLIGHT_COLOUR = "#1f4e79", "#c0504d"
LOG_AXIS_RATIO = 20
"""Use a log x axis in the funnel when the largest denominator is this many times the smallest."""


def level_text(level: float) -> str:
    """0.95 -> '95 %', 0.998 -> '99,8 %'."""
    return f"{number(level * 100, trim=True, decimals=1)}\u00a0%"


def _counts_text(area: AreaValue, unit: str) -> str:
    if area.numerator is None or area.denominator is None:
        return ""
    key = "compare_hover_share" if unit == "percent" else "compare_hover_rate"
    return t(key, numerator=number(area.numerator, 0), denominator=number(area.denominator, 0))


def _hover(areas: list[AreaValue], unit: str) -> list[list[str]]:
    return [[a.name, with_unit(a.value, unit), _counts_text(a, unit)] for a in areas]


HOVER = "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<extra></extra>"


def _reference_name(ref: Reference, unit: str) -> str:
    return t("compare_reference_line", name=ref.name, value=with_unit(ref.value, unit))


def _not_shown_note(fig: go.Figure, comparison: Comparison) -> None:
    """Areas with too few cases or no value are named above the plot, never drawn as zero."""
    lines = []
    if comparison.suppressed:
        lines.append(t("compare_not_shown_suppressed", names=", ".join(a.name for a in comparison.suppressed)))
    if comparison.missing:
        lines.append(t("compare_not_shown_missing", names=", ".join(a.name for a in comparison.missing)))
    if lines:
        fig.add_annotation(text="<br>".join(lines), xref="paper", yref="paper", x=0, y=1, xanchor="left",
                           yanchor="bottom", yshift=6, showarrow=False, align="left",
                           font={"size": 15, "color": "#444"}, name="not_shown")


def _layout(fig: go.Figure, title: str, top: int) -> None:
    fig.update_layout(
        title={"text": wrap(title, 70), "font": {"size": FONT_SIZE + 4}},
        separators=SEPARATORS,
        font={"size": FONT_SIZE},
        template="plotly_white",
        legend={"orientation": "h", "y": -0.18, "yanchor": "top"},
        margin={"l": 80, "r": 30, "t": top, "b": 40},
    )


def funnel_figure(comparison: Comparison, title: str, unit_label: str, x_label: str) -> go.Figure:
    """Each area a labelled point at (denominator, value); limit curves and reference lines.

    Traces: two per limit level (meta role 'limit', side 'lower'/'upper'),
    the centre line (role 'centre'), other references (role 'reference'),
    and one trace of points per band (role 'areas').
    """
    c = comparison
    if c.centre is None or not c.curves:
        raise ValueError("a funnel needs a centre and limit curves")
    fig = go.Figure()
    for curve in c.curves:
        name = t("compare_limit", level=level_text(curve.level))
        for side, values in (("upper", curve.upper), ("lower", curve.lower)):
            fig.add_trace(go.Scatter(
                x=curve.n, y=values, mode="lines", name=name, legendgroup=name, showlegend=side == "upper",
                line=LIMIT_STYLE.get(curve.level, LIMIT_STYLE[0.95]), hoverinfo="skip",
                meta={"role": "limit", "level": curve.level, "side": side},
            ))
    span = [c.curves[0].n[0], c.curves[0].n[-1]]
    for ref in [c.centre, *[r for r in c.references if r != c.centre]]:
        is_centre = ref == c.centre
        fig.add_trace(go.Scatter(
            x=span, y=[ref.value, ref.value], mode="lines", name=_reference_name(ref, c.unit),
            line=REFERENCE_STYLE["centre" if is_centre else "other"], hoverinfo="name",
            meta={"role": "centre" if is_centre else "reference", "area_code": ref.area_code, "value": ref.value},
        ))
    for band in BAND_ORDER:
        members = [a for a in c.shown if a.band == band]
        if not members:
            continue
        colour, symbol = BAND_STYLE[band]
        fig.add_trace(go.Scatter(
            x=[a.denominator for a in members], y=[a.value for a in members], mode="markers+text",
            name=t(f"compare_band_funnel_{band}"), text=[short_name(a.name) for a in members],
            textposition="top center", textfont={"size": 15},
            marker={"color": colour, "symbol": symbol, "size": [18 if a.highlight else 13 for a in members],
                    "line": {"color": "#000000", "width": [3 if a.highlight else 1 for a in members]}},
            customdata=_hover(members, c.unit), hovertemplate=HOVER,
            meta={"role": "areas", "band": band, "area_codes": [a.area_code for a in members]},
        ))
    dens = [a.denominator for a in c.shown if a.denominator]
    log_axis = bool(dens) and max(dens) / min(dens) > LOG_AXIS_RATIO
    _layout(fig, title, top=140 if c.suppressed or c.missing else 110)
    fig.update_layout(
        height=640,
        xaxis={"title": x_label, "type": "log" if log_axis else "linear", "tickformat": ",d"},
        yaxis={"title": unit_label, "rangemode": "tozero"},
        hovermode="closest",
    )
    _not_shown_note(fig, c)
    return fig


def bars_figure(comparison: Comparison, title: str, unit_label: str) -> go.Figure:
    """Ranked horizontal bars (highest on top), 95 % intervals where counts exist, reference lines.

    Reference lines are vertical shapes named ``reference:<area code>``, named in
    the legend under the chart (role 'reference_key'): a label on the plot sat on
    the top bar, covering its name's end and value.
    """
    c = comparison
    shown = c.shown
    fig = go.Figure()
    error = None
    if c.chart == "bars_with_intervals":
        error = {"type": "data", "symmetric": False, "color": "#333333", "thickness": 2, "width": 6,
                 "array": [(a.upper - a.value) if a.upper is not None and a.value is not None else 0
                           for a in shown],
                 "arrayminus": [(a.value - a.lower) if a.lower is not None and a.value is not None else 0
                                for a in shown]}
    fig.add_trace(go.Bar(
        x=[a.value for a in shown], y=[a.name for a in shown], orientation="h",
        name=t(f"compare_noun_{c.level}").capitalize(),
        marker={"color": [HIGHLIGHT_COLOUR if a.highlight else BAR_COLOUR for a in shown]},
        error_x=error, customdata=_hover(shown, c.unit), hovertemplate=HOVER, showlegend=False,
        meta={"role": "areas", "area_codes": [a.area_code for a in shown]},
    ))
    references = list(c.references)
    if c.centre is not None and c.centre not in references:
        references.insert(0, c.centre)
    for ref in references:
        style = REFERENCE_STYLE["centre" if ref == c.centre else "other"]
        fig.add_vline(x=ref.value, name=f"reference:{ref.area_code or ref.role}", line=style)
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line=style, name=_reference_name(ref, c.unit),
                                 hoverinfo="skip", meta={"role": "reference_key", "area_code": ref.area_code}))
    top, height = 140 if c.suppressed or c.missing else 110, max(420, 160 + 38 * len(shown))
    _layout(fig, title, top=top)
    fig.update_layout(
        height=height,
        # The legend (the reference lines) just under the axis title, about 90 px below the plot.
        legend={"orientation": "h", "y": -90 / (height - top - 40), "yanchor": "top"},
        xaxis={"title": unit_label, "rangemode": "tozero"},
        yaxis={"autorange": "reversed", "automargin": True},
        hovermode="closest",
        showlegend=bool(references),
    )
    _not_shown_note(fig, c)
    return fig


def comparison_figure(comparison: Comparison, title: str, unit_label: str, x_label: str) -> go.Figure:
    """The funnel when the comparison has one, else the ranked bars."""
    if comparison.chart == "funnel":
        return funnel_figure(comparison, title, unit_label, x_label)
    return bars_figure(comparison, title, unit_label)
