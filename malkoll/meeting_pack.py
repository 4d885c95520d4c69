"""Meeting packs (PowerPoint) and chart images (PNG/SVG) for the regional network's meetings.

One slide per chosen goal with its chart, the one-sentence summary, status,
the latest flag and comment, and source and fetch date in the footer; a
title slide and an agenda slide first. Charts are rendered by Kaleido with
the machine's Chromium (Debian's package; never a downloaded browser).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
from pathlib import Path

import plotly.graph_objects as go

from malkoll.charts import overlay_for, series_figure
from malkoll.flags import Flag
from malkoll.formatting import pooled_window
from malkoll.goal_status import GoalStatus, IndicatorStatus, with_intervals
from malkoll.i18n import t
from malkoll.plan import Plan
from malkoll.summary import one_sentence
from warehouse import read


class ImageError(RuntimeError):
    """Charts cannot be rendered here (no Chromium); the message says what to install."""


def _browser() -> None:
    if os.environ.get("BROWSER_PATH"):
        return
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not found:
        raise ImageError("Diagrambilder kräver Chromium: installera Debians paket 'chromium'.")
    os.environ["BROWSER_PATH"] = found


def chart_image(figure: go.Figure, fmt: str = "png", width: int = 1600, height: int = 900) -> bytes:
    """The figure as PNG or SVG bytes."""
    _browser()
    return figure.to_image(format=fmt, width=width, height=height, scale=1)


def indicator_figure(status: IndicatorStatus, warehouse: Path, area_name: str) -> go.Figure:
    """The goal indicator's chart with target, path and a footer naming source and fetch date."""
    meta = next(i for i in read.indicators(warehouse) if i["indicator_id"] == status.spec.indicator)
    series = [r for r in read.series(warehouse, status.spec.indicator, status.spec.area)
              if r["sex"] == status.spec.sex and r["subgroup"] == status.spec.subgroup]
    note = t("source_line", source=meta["source_ref"] or meta["source"], fetched=status.fetched_at)
    return series_figure(with_intervals(series, meta), f"{status.title} – {area_name}", t(f"unit_{meta['unit']}"),
                         source_note=note, overlay=overlay_for(status), font_size=20,
                         pooled_years=pooled_window(meta["pooled_years"]), unit=meta["unit"])


def build_pack(plan: Plan, goals: list[GoalStatus], warehouse: Path, area_names: dict[str, str],
               flags: dict[str, Flag] | None = None) -> bytes:
    """The PowerPoint file as bytes: title, agenda, one slide per goal."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    title = deck.slides.add_slide(deck.slide_layouts[0])
    title.shapes.title.text = plan.name
    title.placeholders[1].text = f"Uppföljning i Målkoll, {dt.date.today():%Y-%m-%d}"
    agenda = deck.slides.add_slide(deck.slide_layouts[1])
    agenda.shapes.title.text = "Dagordning"
    agenda.placeholders[1].text_frame.text = "\n".join(f"{i}. {g.goal.text}" for i, g in enumerate(goals, 1))
    for gs in goals:
        slide = deck.slides.add_slide(deck.slide_layouts[5])  # title only
        slide.shapes.title.text = gs.goal.text
        slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(28)
        box = slide.shapes.add_textbox(Inches(0.5), Inches(1.4), Inches(12.3), Inches(1.3)).text_frame
        box.word_wrap = True
        box.text = f"Status: {gs.status.label_sv}"
        for s in gs.indicators:
            box.add_paragraph().text = one_sentence(s, area_names.get(s.spec.area, s.spec.area))
        flag = (flags or {}).get(gs.goal.id)
        if flag is not None:
            box.add_paragraph().text = f"Senaste flagga: {flag.line_text()}"
            if flag.contradicts(gs.status.code):
                box.add_paragraph().text = "Manuell bedömning avviker från beräknad status."
        for paragraph in box.paragraphs:
            paragraph.font.size = Pt(16)
        shown = next((s for s in gs.indicators if s.points), None)
        if shown is not None:
            figure = indicator_figure(shown, warehouse, area_names.get(shown.spec.area, shown.spec.area))
            picture = io.BytesIO(chart_image(figure, "png", 1600, 720))
            slide.shapes.add_picture(picture, Inches(1.2), Inches(2.9), width=Inches(10.9))
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
