"""Plotly figures for indicator series, readable on a projector and in Swedish.

Plain functions from warehouse rows (dicts, as warehouse/read.py returns
them) to figures: no Streamlit and no pandas here, so the same figures serve
the app's first view, image exports and tests (which read the figure JSON).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from typing import Any, Mapping, Sequence

import plotly.graph_objects as go

from malkoll.formatting import period_label, period_text, value_text
from malkoll.i18n import t

SEPARATORS = ", "  # Plotly: decimal comma, space as thousands separator
FONT_SIZE = 18
SEX_COLOURS = {"T": "#1f4e79", "K": "#c0504d", "M": "#4f9a94"}  # distinguishable in grey scale too
SEX_DASH = {"T": "solid", "K": "dash", "M": "dot"}
SEX_SYMBOL = {"T": "circle", "K": "square", "M": "triangle-up"}  # told apart also where a single point has no line
# Subgroups (grades, ages, placements) by colour, sex by dash: Okabe–Ito, told apart also with colour blindness.
SUBGROUP_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442")


def period_to_date(period: str) -> dt.date:
    """'2018' -> 1 July 2018 (a year's middle); '2018-08' -> 15 August 2018."""
    if len(period) == 7:
        return dt.date(int(period[:4]), int(period[5:7]), 15)
    return dt.date(int(period[:4]), 7, 1)


def wrap(text: str, width: int = 60) -> str:
    """Break a long title into lines (Plotly does not wrap titles itself)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def x_value(period: str, monthly: bool) -> dt.date | int:
    """Annual-only series use plain years on the axis; mixed or monthly ones use dates."""
    return period_to_date(period) if monthly else int(period[:4])


@dataclass(frozen=True)
class TargetOverlay:
    """What the plan asks of the series: target line or band, the path from baseline to deadline."""

    target: float | None = None
    comparison: str = ">="
    amber_from: float | None = None
    baseline_period: str | None = None
    baseline_value: float | None = None
    deadline: str | None = None
    projection: float | None = None
    milestones: tuple[tuple[str, float, str], ...] = ()


def overlay_for(status) -> TargetOverlay:
    """The plan's target, path, milestones and projection for one goal indicator (goal_status.IndicatorStatus)."""
    spec = status.spec
    return TargetOverlay(
        target=spec.target.value if spec.target else None,
        comparison=spec.target.comparison if spec.target else ">=",
        amber_from=spec.target.amber_from if spec.target else None,
        baseline_period=spec.baseline.period if spec.baseline else None,
        baseline_value=spec.baseline.value if spec.baseline else None,
        deadline=spec.deadline, projection=status.projection,
        milestones=tuple((m.period, m.value, m.text) for m in spec.milestones))


def _x_for(period: str, monthly: bool) -> dt.date | int | float:
    """A plan period on the chart's axis ('2011-2015' sits at its middle year)."""
    if len(period) == 9 and period[4] == "-":
        middle = (int(period[:4]) + int(period[5:])) / 2
        return dt.date(int(middle), 7, 1) if monthly else middle
    return x_value(period, monthly)


def add_target(fig: go.Figure, overlay: TargetOverlay, monthly: bool, unit: str | None = None) -> None:
    """Target line (and amber band), baseline → deadline trajectory, projection, milestones."""
    if overlay.target is not None:
        fig.add_hline(y=overlay.target, line={"color": "#2e7d32", "width": 3, "dash": "dash"},
                      annotation_text=t("chart_target", value=value_text(overlay.target, unit or "", 2, trim=True)),
                      annotation_position="top left")
        if overlay.amber_from is not None:
            fig.add_hrect(y0=min(overlay.amber_from, overlay.target), y1=max(overlay.amber_from, overlay.target),
                          fillcolor="#f9a825", opacity=0.15, line_width=0,
                          annotation_text=t("chart_amber"), annotation_position="bottom left")
    goal_value = overlay.target if overlay.target is not None else (
        overlay.milestones[0][1] if overlay.milestones else None)
    if overlay.baseline_period and overlay.baseline_value is not None and overlay.deadline and goal_value is not None:
        fig.add_trace(go.Scatter(
            x=[_x_for(overlay.baseline_period, monthly), _x_for(overlay.deadline, monthly)],
            y=[overlay.baseline_value, goal_value], mode="lines+markers", name=t("chart_trajectory"),
            line={"color": "#2e7d32", "width": 2, "dash": "dot"}, marker={"symbol": "diamond", "size": 10},
            hovertemplate="%{y:,.2f}<extra>" + t("chart_trajectory") + "</extra>"))
    if overlay.projection is not None and overlay.deadline:
        fig.add_trace(go.Scatter(
            x=[_x_for(overlay.deadline, monthly)], y=[overlay.projection], mode="markers",
            name=t("chart_projection"), marker={"symbol": "x", "size": 14, "color": "#6a1b9a"},
            hovertemplate="%{y:,.1f}<extra>" + t("chart_projection") + "</extra>"))
    for period, value, text in overlay.milestones:
        fig.add_trace(go.Scatter(x=[_x_for(period, monthly)], y=[value], mode="markers",
                                 name=text or t("chart_milestone"),
                                 marker={"symbol": "star", "size": 14, "color": "#2e7d32"}))


COMPARATOR_COLOURS = ("#7f7f7f", "#b8860b")


Rows = Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class Line:
    """One line of a series chart: a sex and subgroup, with whole years beside months as a line of their own."""

    sex: str
    subgroup: str
    whole_year: bool
    rows: list[Mapping[str, Any]]

    def parts(self) -> list[str]:
        """What tells it from the other lines: 'Kvinnor', 'Gy 1', 'helår'."""
        return [t(f"sex_{self.sex}"), *([self.subgroup] if self.subgroup else []),
                *([t("chart_whole_year")] if self.whole_year else [])]

    @property
    def name(self) -> str:
        """The legend's name: 'Kvinnor, Gy 1', 'Totalt (helår)'."""
        head = t(f"sex_{self.sex}") + (f", {self.subgroup}" if self.subgroup else "")
        return f"{head} ({t('chart_whole_year')})" if self.whole_year else head


def series_lines(series: Rows) -> list[Line]:
    """The lines `series_figure` draws, in its order; the indicator view describes the same ones in words.

    A whole year's value beside monthly ones is not one more month: it gets its own line (drawn as markers).
    """
    monthly = any(len(r["period"]) == 7 for r in series)
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for row in series:
        groups.setdefault((row["subgroup"], row["sex"]), []).append(row)
    lines = []
    for (subgroup, sex), group in groups.items():
        annual = [r for r in group if len(r["period"]) == 4]
        if monthly and annual:
            lines.append(Line(sex, subgroup, True, annual))
            group = [r for r in group if len(r["period"]) != 4]
        lines.append(Line(sex, subgroup, False, group))
    return lines


def _value(row: Mapping[str, Any], column: str, status_col: str) -> float | None:
    """The row's `column` where its shown status is ok; None otherwise, which Plotly draws as a break."""
    value = row.get(column)
    if row[status_col] != "ok" or value is None or value != value:  # NaN from a pandas column
        return None
    return float(value)


def _gap_or(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def series_figure(series: Rows, title: str, unit_label: str, source_note: str | None = None,
                  overlay: TargetOverlay | None = None, font_size: int = FONT_SIZE,
                  comparators: dict[str, Rows] | None = None, pooled_years: int | None = None,
                  unit: str | None = None) -> go.Figure:
    """One line per sex and subgroup; suppressed periods are named, never drawn as zero.

    `series` are warehouse rows (warehouse/read.py `series`). With `lower`/`upper`
    (see goal_status.with_intervals) each point gets its 95 % interval as
    whiskers; `shown_status` overrides `status` for display suppression.
    `source_note` is drawn under the chart for exported images; the app shows
    it as text below the chart instead.

    A pooled indicator's window (`pooled_years`; the warehouse names it by its
    last year) is drawn at its middle year and named in full ("2011–2015"): a
    plan's baseline window, its path and the projection are placed the same
    way by the assessment, so all of them share one time axis.
    """
    fig = go.Figure()
    monthly = any(len(r["period"]) == 7 for r in series)
    status_col = "shown_status" if series and "shown_status" in series[0] else "status"
    shift = (pooled_years - 1) // 2 if pooled_years and not monthly else 0

    def x_of(period: str) -> dt.date | int:
        return x_value(period, monthly) - shift if shift else x_value(period, monthly)

    def label_of(period: str) -> str:
        return period_text(period, pooled_years)
    lines = series_lines(series)
    subgroups = list(dict.fromkeys(line.subgroup for line in lines))
    for line in lines:
        group, name, sex = line.rows, line.name, line.sex
        mode = "markers" if line.whole_year else "lines+markers"  # whole years: no line joins them
        colour = SUBGROUP_COLOURS[subgroups.index(line.subgroup) % len(SUBGROUP_COLOURS)] if len(subgroups) > 1 \
            else SEX_COLOURS.get(sex)
        # A window that is "för få fall" or missing stays in the line as a gap, so the line does not run
        # straight across it as if the values either side were neighbours.
        present = [r for r in group if r[status_col] == "ok"] if mode == "markers" else group
        values = [_value(r, "value", status_col) for r in present]
        error = None
        if any(_value(r, "lower", status_col) is not None for r in present):
            error = {"type": "data", "symmetric": False, "thickness": 2, "width": 6,
                     "array": [_gap_or(_value(r, "upper", status_col), v) for r, v in zip(present, values)],
                     "arrayminus": [_gap_or(v, _value(r, "lower", status_col)) for r, v in zip(present, values)]}
        fig.add_trace(go.Scatter(
            x=[x_of(r["period"]) for r in present],
            y=values,
            error_y=error,
            mode=mode,
            name=name,
            line={"color": colour, "dash": SEX_DASH.get(sex), "width": 3},
            marker={"size": 13, "symbol": "diamond"} if mode == "markers" else
            {"size": 10, "symbol": SEX_SYMBOL.get(sex, "circle")},
            customdata=[label_of(r["period"]) for r in present],
            hovertemplate="%{customdata}: %{y:,.1f}<extra>" + name + "</extra>",
        ))
        for row in group:
            if row[status_col] == "suppressed":
                fig.add_annotation(x=x_of(row["period"]), y=1, yref="paper", text=t("suppressed_label"),
                                   showarrow=False, font={"size": 14, "color": "#555"}, textangle=-90,
                                   yanchor="top")
    # Larger type (images' 20 pt, Mötesläge's 26 pt) gets fewer characters per title line, a top margin
    # for every line, and fewer year ticks, so the years are not turned on their side in a narrow column.
    scale = FONT_SIZE / font_size
    years = len({r["period"] for r in series})
    title_text = wrap(title, int(60 * scale))
    title_lines = title_text.count("<br>") + 1 if title else 0
    top = 110 if 0 < title_lines <= 2 else 40 + int(title_lines * (font_size + 4) * 1.4)  # 40 with no title
    fig.update_layout(
        title={"text": title_text, "font": {"size": font_size + 4}},
        separators=SEPARATORS,
        font={"size": font_size},
        template="plotly_white",
        yaxis={"title": unit_label, "rangemode": "tozero"},
        xaxis=({"title": t("chart_period"), "tickformat": "%Y-%m"} if monthly
               else {"title": t("chart_period_pooled", years=pooled_years) if shift else t("chart_period"),
                     "tickformat": "d", "dtick": next((d for d in (1, 2, 5) if years / d <= 15 * scale ** 2), 10)}),
        legend={"orientation": "h", "y": -0.25},
        margin={"l": 70, "r": 30, "t": top, "b": 130 if source_note else 90},
        hovermode="x unified",
    )
    for (name, other), colour in zip((comparators or {}).items(), COMPARATOR_COLOURS):
        shown = [r for r in other if r["status"] == "ok"]
        fig.add_trace(go.Scatter(
            x=[x_of(r["period"]) for r in shown], y=[r["value"] for r in shown], mode="lines", name=name,
            line={"color": colour, "width": 2, "dash": "dashdot"},
            customdata=[label_of(r["period"]) for r in shown],
            hovertemplate="%{customdata}: %{y:,.1f}<extra>" + name + "</extra>"))
    if comparators:  # say which line is which even when the area itself has nothing to draw
        fig.update_layout(showlegend=True)
    if overlay is not None:
        add_target(fig, overlay, monthly, unit)
    if unit == "yes_no":  # stored as 1/0, read as ja/nej
        fig.update_layout(yaxis={"tickvals": [0, 1], "ticktext": [t("answer_no"), t("answer_yes")],
                                 "range": [-0.15, 1.15], "rangemode": "normal"})
    if font_size > FONT_SIZE and not source_note:
        # Large type: the legend in the page's type size, at the figure's foot, under the axis title
        # (placed in the plot's fractions it ran into the axis title), with room for two items a row.
        rows = -(-len(fig.data) // 2)
        fig.update_layout(legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom",
                                  "font": {"size": FONT_SIZE}},
                          margin={"b": int(2.6 * font_size) + 20 + rows * (FONT_SIZE + 12)})
    if source_note:  # a footer for images: below the legend, at a fixed distance in pixels
        fig.update_layout(margin={"b": 180}, legend={"orientation": "h", "y": -0.14, "yanchor": "top"})
        fig.add_annotation(text=source_note, xref="paper", yref="paper", x=0, y=0, yshift=-150, showarrow=False,
                           xanchor="left", yanchor="top", font={"size": 14, "color": "#444"})
    return fig


def control_chart_figure(chart, title: str, unit_label: str) -> go.Figure:
    """An XmR chart (spc.ControlChart): values, mean, limits, and signals marked in red with a cross.

    The limits are drawn as the chart has them, within what a value can be (spc.xmr's bounds).
    """
    x = [period_to_date(p) for p in chart.periods]
    flagged = {s.period for s in chart.signals}
    fig = go.Figure(go.Scatter(
        x=x, y=chart.values, mode="lines+markers", name=t("spc_values"),
        line={"color": SEX_COLOURS["T"], "width": 3},
        marker={"size": [14 if p in flagged else 9 for p in chart.periods],
                "symbol": ["x" if p in flagged else "circle" for p in chart.periods],
                "color": ["#c62828" if p in flagged else SEX_COLOURS["T"] for p in chart.periods]},
        customdata=[period_label(p) for p in chart.periods],
        hovertemplate="%{customdata}: %{y:,.1f}<extra></extra>"))
    for value, name, dash in ((chart.mean, t("spc_mean"), "solid"), (chart.upper, t("spc_upper"), "dash"),
                              (chart.lower, t("spc_lower"), "dash")):
        fig.add_trace(go.Scatter(x=[x[0], x[-1]], y=[value, value], mode="lines", name=name,
                                 line={"color": "#555", "dash": dash, "width": 2}))
    fig.update_layout(title={"text": wrap(title), "font": {"size": FONT_SIZE + 2}}, separators=SEPARATORS,
                      font={"size": FONT_SIZE - 2}, template="plotly_white", yaxis={"title": unit_label},
                      xaxis={"tickformat": "%Y-%m"}, legend={"orientation": "h", "y": -0.2},
                      margin={"l": 70, "r": 30, "t": 90, "b": 80})
    return fig
