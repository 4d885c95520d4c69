"""The yearly follow-up, generated: the shape of seed 001 §2, from the plan and live data.

For each focus area and goal: the goal, its activities, the measurable
indicator with its values and sources, the computed status with its reason,
the manager's latest flag (column kept ready for flags), and a suggested
answer to "Målet bör kvarstå?". Rendered as Markdown, Word or PDF from one
document model, so the three never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from malkoll.formatting import literal_markdown, number
from malkoll.goal_status import GoalStatus, IndicatorStatus
from malkoll.plan import Plan
from malkoll.status_table import target_text

UNIT_SUFFIX = {"percent": " %", "per_100k": " per 100 000", "per_1000": " per 1 000", "days": " dagar"}
HEADERS = ["Mål", "Aktiviteter", "Mätbar indikator och uppföljning", "Status", "Senaste flagga", "Målet bör kvarstå"]


@dataclass
class ReportRow:
    goal: str
    activities: list[str]
    indicators: list[str]
    status: str
    flag: str
    remain: str


@dataclass
class Report:
    title: str
    subtitle: str
    sections: list[tuple[str, list[ReportRow]]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _values_text(s: IndicatorStatus, labels: dict[str, str]) -> str:
    suffix = UNIT_SUFFIX.get(s.unit, "")
    parts = []
    for p in s.points[-6:]:
        label = s.latest_label if p is s.latest else p.period
        shown = "för få fall" if p.suppressed or p.value is None else number(p.value, 2, trim=True) + suffix
        parts.append(f"{label}: {shown}")
    return ", ".join(parts)


def indicator_line(s: IndicatorStatus, area_names: dict[str, str]) -> str:
    who = area_names.get(s.spec.area, s.spec.area)
    if s.spec.sex != "T":
        who += ", " + {"K": "flickor/kvinnor", "M": "pojkar/män"}[s.spec.sex]
    if s.spec.subgroup:
        who += ", " + s.spec.subgroup
    head = f"{s.spec.text or s.title} – {s.title} ({who}). Mål: {target_text(s)}."
    if not s.points:
        return head + " Inga värden i Målkoll ännu."
    source = f" (källa: {s.source}; hämtad {s.fetched_at})" if s.source else ""
    return f"{head} Värden: {_values_text(s, {})}{source}."


def suggest_remain(gs: GoalStatus) -> str:
    """A suggested answer in the plans' own words: Ja / Nej, målet är uppfyllt / Ja, men formuleras om."""
    if not gs.goal.indicators:
        return "Ja, men formuleras om: målet saknar mätbar indikator."
    codes = [s.headline.code for s in gs.indicators]
    if codes and all(c in ("target_reached", "meets") for c in codes):
        return "Nej, målet är uppfyllt."
    if all(c == "cannot_assess" for c in codes):
        return "Ja (förslag): status kan inte beräknas ännu; se skälen."
    return "Ja (förslag): målet är inte uppnått."


def flag_text(flags: list) -> str:
    """The latest flag with its comment, then the earlier ones (history, newest first)."""
    if not flags:
        return "–"
    lines = [_short(f.line_text()) for f in flags]
    return lines[0] + ("\nTidigare: " + "; ".join(lines[1:]) if len(lines) > 1 else "")


FLAG_CHARS = 400  # a flag is a table cell here: a page-long comment would run over twenty pages of the PDF


def _short(text: str) -> str:
    return text if len(text) <= FLAG_CHARS else text[:FLAG_CHARS].rstrip() + " … (hela kommentaren finns i Målkoll)"


def build_report(plan: Plan, goals: list[GoalStatus], year: int, area_names: dict[str, str],
                 flags: dict[str, list] | None = None) -> Report:
    by_goal = {gs.goal.id: gs for gs in goals}
    report = Report(
        title=f"Uppföljning {year}: {plan.name}",
        subtitle=f"Genererad av Målkoll från planen ({Path(plan.path).name}) och data till och med {year}. "
                 "Status beräknas enligt Open SDG-metoden (takt mot måldatum) och mot målvärdet; "
                 "förslaget om målet bör kvarstå är ett underlag, inte ett beslut.",
    )
    for fa in plan.focus_areas:
        rows = []
        for goal in fa.goals:
            gs = by_goal[goal.id]
            kind = "Långsiktigt" if goal.kind == "long_term" else "Kortsiktigt"
            forums = ", ".join(plan.forums.get(f, f) for f in goal.forums)
            rows.append(ReportRow(
                goal=f"{goal.text} ({kind} mål, {goal.timeline or 'utan tidsplan'}; ansvar: {forums or '–'})",
                activities=[a.text for a in goal.activities],
                indicators=[indicator_line(s, area_names) for s in gs.indicators],
                status=f"{gs.status.label_sv}. {gs.status.reason_sv}"
                       + "".join(f" {s.spec.id}: {s.headline.label_sv} – {s.headline.reason_sv}" for s in gs.indicators),
                flag=flag_text((flags or {}).get(goal.id, [])),
                remain=suggest_remain(gs),
            ))
        report.sections.append((fa.name, rows))
    return report


def to_markdown(report: Report) -> str:
    lines = [f"# {report.title}", "", report.subtitle, ""]
    for name, rows in report.sections:
        lines += [f"## {name}", ""]
        for r in rows:
            lines += [f"### {r.goal}", ""]
            if r.activities:
                lines += ["**Aktiviteter**", ""] + [f"- {a}" for a in r.activities] + [""]
            lines += ["**Mätbar indikator och uppföljning**", ""]
            lines += [f"- {i}" for i in r.indicators] or ["- Ingen mätbar indikator i planen."]
            lines += ["", f"**Status:** {r.status}", "", f"**Senaste flagga:** {literal_markdown(r.flag)}", "",
                      f"**Målet bör kvarstå:** {r.remain}", ""]
    return "\n".join(lines)


def to_docx(report: Report, path: Path) -> None:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.styles["Normal"].font.size = Pt(9)
    doc.add_heading(report.title, level=0)
    doc.add_paragraph(report.subtitle)
    for name, rows in report.sections:
        doc.add_heading(name, level=1)
        table = doc.add_table(rows=1, cols=len(HEADERS))
        table.style = "Table Grid"
        for cell, header in zip(table.rows[0].cells, HEADERS):
            cell.text = header
            cell.paragraphs[0].runs[0].bold = True
        for r in rows:
            cells = table.add_row().cells
            cells[0].text = r.goal
            cells[1].text = "\n".join(f"• {a}" for a in r.activities) or "–"
            cells[2].text = "\n".join(r.indicators) or "Ingen mätbar indikator i planen."
            cells[3].text = r.status
            cells[4].text = r.flag
            cells[5].text = r.remain
    doc.save(str(path))


def to_pdf(report: Report, path: Path) -> None:
    """PDF with reportlab and its bundled Vera font (å, ä, ö, ≥ and ≤ included)."""
    import os

    import reportlab
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
    from xml.sax.saxutils import escape

    fonts = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    pdfmetrics.registerFont(TTFont("Vera", os.path.join(fonts, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("VeraBd", os.path.join(fonts, "VeraBd.ttf")))
    body = ParagraphStyle("body", fontName="Vera", fontSize=7, leading=8.6)
    head = ParagraphStyle("head", fontName="VeraBd", fontSize=7, leading=8.6)
    h0 = ParagraphStyle("h0", fontName="VeraBd", fontSize=15, leading=19, spaceAfter=4)
    h1 = ParagraphStyle("h1", fontName="VeraBd", fontSize=11, leading=14, spaceBefore=8, spaceAfter=4)
    text = lambda s, style=body: Paragraph(escape(s).replace("\n", "<br/>"), style)  # noqa: E731
    story = [text(report.title, h0), text(report.subtitle), Spacer(1, 4 * mm)]
    widths = [48 * mm, 52 * mm, 70 * mm, 55 * mm, 19 * mm, 26 * mm]
    for name, rows in report.sections:
        story.append(text(name, h1))
        data = [[text(h, head) for h in HEADERS]]
        for r in rows:
            data.append([text(r.goal), text("\n".join(f"• {a}" for a in r.activities) or "–"),
                         text("\n".join(r.indicators) or "Ingen mätbar indikator i planen."),
                         text(r.status), text(r.flag), text(r.remain)])
        table = Table(data, colWidths=widths, repeatRows=1, splitInRow=1)  # long rows may run over pages
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6f0")),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(table)
    SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=10 * mm, rightMargin=10 * mm,
                      topMargin=10 * mm, bottomMargin=10 * mm, title=report.title).build(story)


def write_report(report: Report, path: Path) -> None:
    """Write as .md, .docx or .pdf by the file's suffix."""
    suffix = Path(path).suffix.lower()
    if suffix == ".md":
        Path(path).write_text(to_markdown(report), encoding="utf-8")
    elif suffix == ".docx":
        to_docx(report, path)
    elif suffix == ".pdf":
        to_pdf(report, path)
    else:
        raise ValueError(f"okänt filformat {suffix!r}: välj .md, .docx eller .pdf")


def report_bytes(report: Report, suffix: str) -> bytes:
    """The report as .md, .docx or .pdf bytes (for the app's download buttons)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"uppfoljning{suffix}"
        write_report(report, path)
        return path.read_bytes()
