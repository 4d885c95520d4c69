"""Swedish number and period formatting, shared by the CLI, reports and the app.

Decimal comma and a (narrow no-break) space as thousands separator, as Swedish
readers expect; periods stay ISO-like ('2018-08') but months get Swedish names
where prose needs them.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MONTHS_SV = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
             "september", "oktober", "november", "december")
MONTHS_SV_SHORT = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
THOUSANDS = "\u00a0"  # no-break space, so numbers never wrap
COMPARISON_SV = {">=": "≥", "<=": "≤", "=": "="}  # a target's comparison as written
# What follows a value of each unit in text ("63,5 %", "17,1 per 100 000"); counts and yes/no have none.
UNIT = {"percent": "\u00a0%", "per_100k": " per 100\u00a0000", "per_1000": " per 1\u00a0000", "days": " dagar"}


def number(value: float | None, decimals: int | None = None, trim: bool = False) -> str:
    """12345.6 -> '12 345,6'; integers without decimals; None/NaN -> '–'.

    With `trim`, trailing zeros after the comma are dropped (780,50 -> 780,5).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else (1 if abs(value) >= 10 else 2)
    try:  # half up on the shortest decimal form, as a reader rounds: 10.885 -> 10,89 (the binary float is 10.88499…)
        text = f"{Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):,.{decimals}f}"
    except InvalidOperation:  # infinite, or beyond Decimal's 28 digits
        text = f"{value:,.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", THOUSANDS)


def value_text(value: float | None, unit: str, decimals: int | None = None, trim: bool = False) -> str:
    """A value as readers say it: 'ja'/'nej' for a yes/no indicator (stored as 1/0), else `number`."""
    if unit == "yes_no" and value in (0, 1):
        return "ja" if value == 1 else "nej"
    return number(value, decimals, trim)


def milestone_text(text: str | None, value: float, period: str) -> str:
    """A plan milestone as written ('halvera till 2019'), with its year only where its text does not name it."""
    if text and period in text:
        return text
    return f"{text or number(value, 2, trim=True)} ({period_label(period)})"


def percent(value: float | None, decimals: int = 0) -> str:
    return "–" if value is None else f"{number(value, decimals)}\u00a0%"


def period_label(period: str, short: bool = True) -> str:
    """'2018-08' -> 'aug 2018'; '2011-2015' (a pooled window) -> '2011–2015'; '2018' -> '2018'."""
    if len(period) == 9 and period[4] == "-":
        return period.replace("-", "\u2013")
    if len(period) == 7 and period[4] == "-":
        month = int(period[5:7])
        names = MONTHS_SV_SHORT if short else MONTHS_SV
        return f"{names[month - 1]} {period[:4]}"
    return period


def period_text(period: str, pooled_years: int | None = None) -> str:
    """A period as readers know it: '2015' of a 5-year pooled indicator is '2011–2015'.

    Warehouse periods of pooled indicators name the window's last year.
    Monthly periods get a Swedish month ('2018-08' -> 'aug 2018').
    """
    if pooled_years and pooled_years > 1 and len(period) == 4 and period.isdigit():
        return f"{int(period) - pooled_years + 1}\u2013{period}"
    return period_label(period)


def pooled_window(value: object) -> int | None:
    """indicators.pooled_years as an int (3, 5), or None for a single-period indicator (NULL, NaN, NA, 0)."""
    try:
        years = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):  # None, NaN, pandas' NA
        return None
    return years if years >= 2 else None


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#~|$])")
_MARKDOWN_BULLET = re.compile(r"^(\s*)([-+])(?=\s)", re.MULTILINE)
_MARKDOWN_NUMBERED = re.compile(r"^(\s*\d+)\.(?=\s)", re.MULTILINE)


def literal_markdown(text: str) -> str:
    """`text` escaped so that Streamlit's Markdown shows it as written.

    Goal texts, focus areas and indicator titles come from plan files and Kolada;
    a '*', '$' or '[..](..)' in them must not turn into emphasis, a formula or a
    link where the app shows them (overview, meeting mode, indicator page).
    """
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _MARKDOWN_NUMBERED.sub(r"\1\\.", _MARKDOWN_BULLET.sub(r"\1\\\2", text))


def markdown_table(rows: list[dict[str, object]]) -> str:
    """`rows` as a Markdown table in small type, every cell shown as written.

    Why Markdown and not st.table: st.table sends each table as Arrow data that
    the browser decodes with Streamlit's Arrow code (a 743 KB chunk), table by table. For a
    60-goal overview that cost the first visitor about 1 s before the first
    goal was drawn (bench/README.md, finding c′). A Markdown table is plain HTML
    text, which the browser's find and screen readers reach as before.
    """
    if not rows:
        return ""
    columns = list(rows[0])

    def cell(value: object) -> str:
        text = literal_markdown(" ".join(str(value).split()))
        return f":small[{text}]" if text else ""

    lines = ["| " + " | ".join(cell(c) for c in columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(row[c]) for c in columns) + " |" for row in rows]
    return "\n".join(lines)
