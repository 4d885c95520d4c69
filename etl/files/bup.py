"""BUP waiting times from the two files analysts have: Socialstyrelsen's CSV
export (2025-) and the old vantetider.se detail export (-2024).

Socialstyrelsen's statistics database (manual export)
    Row 1 is a title naming the selection, e.g. ``Väntetider i BUP. Kontaktstatus:
    Genomförd, Fas: Första besök, Mått: Median (50:e percentilen), Kön: Båda
    könen, Ålder: Alla åldrar``. Then either

    * regions as rows: a row of years (a year may stand only over the first
      month of that year, as a merged cell leaves it) and a row of Swedish month
      names over the columns, one row per region below; or
    * the transpose: a header row of region names, then one row per month with
      the year and the month name in the first two columns.

    A single header row of combined labels ("2025 juli", "juli 2025",
    "2025-07", "2025M07") works in place of the two rows. `N` (or `..`, `-`)
    marks a suppressed cell. Rows after the data with one cell are footers; a
    date in one of them (``Exportdatum: 2026-08-24``) is kept in source_ref.
    The title text is returned as the indicator's definition, because it is
    the only place the file says what was measured.

vantetider.se "BUPDetalj" export (assumed layout)
    We have only the web page's text (`samples/vantetider/`), not an exported
    file. Assumed: the Excel export is the page's tables one cell per value:
    a section heading row ("Första bedömning", "Fördjupad utredning",
    "Behandling"; the page sometimes doubles it, "Fördjupad utredningFördjupad
    utredning"), a header row starting "Landsting / region" followed by the
    measure columns, then one row per region (name in the first column). The
    column order is taken from the header, not assumed; "31 dagar eller
    längre", which the page heads but leaves empty, may be empty or absent.
    The page does not say which month it shows, so the month must be in a
    title row ("januari 2018", "2018-01") or given by the caller; otherwise
    the file is refused. Rows for "sjukvårdsregioner" are skipped with a
    warning; unit rows (a hospital) are refused as unknown regions.
    Only the share is stored, with numerator "Genomförda väntetid 30 dagar
    eller kortare" and denominator "Antal genomförda exkl PVV"; a share printed
    as "0 %" of 0 patients is missing (n = 0), not zero, and "Ej deltagit" is
    missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from etl.files import errors
from etl.files.errors import FileRejected
from etl.files.reader import (
    AreaNames, Extract, Table, cell_status, in_range_or_reject, number_or_reject, observation, reject_duplicates,
)

MONTHS = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}
MONTH_NAMES = {v: k for k, v in list(MONTHS.items())[:12]}

PHASES_SV = {
    "first_visit": "första besök",
    "first_assessment": "första bedömning",
    "deepened_assessment": "fördjupad utredning",
    "treatment_started": "påbörjad behandling",
}
# The catalogue's ids (config/indicators/derived.yml) for the combinations it knows.
KNOWN_IDS = {
    ("completed", "first_assessment", "share30"): "bup_first_assessment_within_30_days",
    ("completed", "deepened_assessment", "share30"): "bup_deepened_assessment_within_30_days",
    ("completed", "treatment_started", "share30"): "bup_treatment_started_within_30_days",
    ("completed", "first_visit", "p50"): "bup_first_visit_median_wait_days",
}
SOCIALSTYRELSEN_SOURCE_REF = "Socialstyrelsens statistikdatabas, väntetider i BUP"
VANTETIDER_SOURCE_REF = "vantetider.se (SKR), BUP per månad"

VANTETIDER_HEADER = "andel genomförda inom 30 dagar"
_VANTETIDER_COLUMNS = (  # (key, test on the casefolded header)
    ("share", lambda h: h.startswith("andel genomförda inom 30")),
    ("total", lambda h: h.startswith("antal genomförda totalt")),
    ("excl_pvv", lambda h: "exkl" in h and "pvv" in h),
    ("within_30", lambda h: "30 dagar eller kortare" in h),
    ("pvv", lambda h: h == "pvv"),
    ("over_30", lambda h: "31 dagar" in h),
    ("response_rate", lambda h: h.startswith("svarsfrekvens")),
)


def month_label(text: str) -> tuple[int | None, int] | None:
    """(year or None, month) for a period label, else None.

    Understands "juli", "jul", "2025 juli", "juli 2025", "2025-07", "2025M07".
    """
    s = " ".join(text.casefold().split())
    if s in MONTHS:
        return None, MONTHS[s]
    if m := re.fullmatch(r"(\d{4})\s*[-m/]\s*(\d{1,2})", s):
        month = int(m[2])
        return (int(m[1]), month) if 1 <= month <= 12 else None
    if m := re.fullmatch(r"(\d{4})\s+([a-zåäö]+)\.?", s):
        return (int(m[1]), MONTHS[m[2]]) if m[2] in MONTHS else None
    if m := re.fullmatch(r"([a-zåäö]+)\.?\s+(\d{4})", s):
        return (int(m[2]), MONTHS[m[1]]) if m[1] in MONTHS else None
    return None


def _is_year(text: str) -> bool:
    return bool(re.fullmatch(r"(19|20)\d\d", text.strip()))


@dataclass(frozen=True)
class Selection:
    """What a Socialstyrelsen export measures, read from its title row."""

    text: str
    status: str  # completed | waiting
    phase: str  # a key of PHASES_SV
    measure: str  # share30 | p50 | p<N>
    sex: str  # T | K | M
    age: str  # '' for all ages

    @property
    def indicator_id(self) -> str:
        known = KNOWN_IDS.get((self.status, self.phase, self.measure))
        if known:
            return known
        waiting = "_waiting" if self.status == "waiting" else ""
        tail = {"share30": "_within_30_days", "p50": "_median_wait_days"}.get(self.measure, f"_{self.measure}_wait_days")
        return f"bup_{self.phase}{waiting}{tail}"

    def definition(self, export_date: str | None, file: str) -> dict:
        """An indicator definition for the catalogue; the title row is the definition."""
        phase = PHASES_SV[self.phase]
        waiting = " (väntande)" if self.status == "waiting" else ""
        if self.measure == "share30":
            title = f"BUP: andel{waiting} med {phase} inom 30 dagar"
            unit, direction = "percent", "higher_is_better"
        else:
            what = "median" if self.measure == "p50" else f"{self.measure[1:]}:e percentilen"
            title = f"BUP: väntetid till {phase}{waiting}, {what} (dagar)"
            unit, direction = "days", "lower_is_better"
        dated = f" (export {export_date})" if export_date else ""
        return {
            "id": self.indicator_id, "title_sv": title, "unit": unit, "direction": direction,
            "source": "socialstyrelsen", "source_ref": f"{SOCIALSTYRELSEN_SOURCE_REF}{dated}; fil {file}",
            "definition": self.text, "frequency": "monthly",
        }


def read_selection(text: str, file: str, row: int) -> Selection:
    """Phase, measure, sex and age from the export's title row.

    Raises:
        FileRejected: when the title names no phase or no measure we know.
    """
    s = text.casefold()
    status = "waiting" if "väntande" in s else "completed"
    if "första besök" in s:
        phase = "first_visit"
    elif "första bedömning" in s:
        phase = "first_assessment"
    elif "fördjupad utredning" in s:
        phase = "deepened_assessment"
    elif "behandling" in s:
        phase = "treatment_started"
    else:
        raise FileRejected(
            file, row=row, found=text,
            expected='en titelrad som anger fas: "Första besök", "Fördjupad utredning" eller "Påbörjad behandling"',
        )
    if "andel" in s and "30 dagar" in s:
        measure = "share30"
    elif "median" in s or re.search(r"\b50:e percentil", s):
        measure = "p50"
    elif m := re.search(r"\b(\d{1,2}):e percentil", s):
        measure = f"p{m[1]}"
    else:
        raise FileRejected(
            file, row=row, found=text,
            expected='en titelrad som anger mått: "median", en percentil ("75:e percentilen") eller "andel inom 30 dagar"',
        )
    boys, girls = "pojk" in s, "flick" in s
    sex = "M" if boys and not girls else "K" if girls and not boys else "T"
    age = ""
    if m := re.search(r"ålder:\s*([^,;.]+)", text, re.IGNORECASE):
        value = m[1].strip()
        if value.casefold() not in ("alla", "alla åldrar", "totalt", "samtliga"):
            age = value
    return Selection(" ".join(text.split()), status, phase, measure, sex, age)


def _single(table: Table, i: int) -> str | None:
    """The text of a row with exactly one non-empty cell."""
    cells = [c for c in table.rows[i] if c]
    return cells[0] if len(cells) == 1 else None


def _is_month_row(table: Table, h: int) -> bool:
    """Row h is a header of period labels (maybe with a name column's heading)."""
    labels = [v for v in table.rows[h] if v]
    months = [v for v in labels if month_label(v)]
    return bool(months) and len(months) >= len(labels) - 1


def _period_columns(table: Table, h: int) -> dict[int, tuple[str, str]]:
    """Column → (period YYYY-MM, label "2025 juli") for the month row h.

    A year stands over the first month of that year only (a merged cell in
    the web table), so years carry rightwards.
    """
    row = table.rows[h]
    months = {c: month_label(v) for c, v in enumerate(row) if v and month_label(v)}
    years: dict[int, int | None] = {}
    if h > 0 and any(y is None for y, _ in months.values()):
        current = None
        for c in range(max(months) + 1):
            v = table.cell(h - 1, c)
            if _is_year(v):
                current = int(v)
            years[c] = current
    out = {}
    for c, (year, month) in months.items():
        year = year or years.get(c)
        if year is None:
            raise FileRejected(
                table.name, row=table.row_no(max(h - 1, 0)), column=row[c],
                found="inget årtal", expected="en rad med årtal ovanför månadsnamnen",
            )
        out[c] = (f"{year}-{month:02d}", f"{year} {MONTH_NAMES[month]}")
    return out


def _find_header(table: Table) -> tuple[str, int] | None:
    """('columns', first month row) for the transpose, ('rows', month-row index), or None."""
    rows = table.nonempty()
    for a, b in zip(rows, rows[1:]):
        if all(any(month_label(c) for c in table.rows[i][:2]) and len(table.rows[i]) > 2 for i in (a, b)):
            return "columns", a
    for i in rows:
        if _is_month_row(table, i):
            return "rows", i
    return None


def looks_like_socialstyrelsen(table: Table) -> bool:
    """True when the table has a month header and a title mentioning BUP waiting times."""
    head = " ".join(" ".join(r) for r in table.rows[:4]).casefold()
    return any(w in head for w in ("bup", "väntetid", "fas:", "kontaktstatus")) and _find_header(table) is not None


def looks_like_vantetider(table: Table) -> bool:
    return any(c.casefold().startswith(VANTETIDER_HEADER) for r in table.rows[:60] for c in r)


def _value(text: str, file: str, row: int, column: str, measure: str) -> tuple[float | None, str]:
    status = cell_status(text)
    if status != "ok":
        return None, status
    value = number_or_reject(text, file, row, column)
    if measure == "share30":
        in_range_or_reject(value, "percent", file, row, column, found=text)
    else:
        in_range_or_reject(value, "days", file, row, column, found=text, expected="ett antal dagar, 0 eller fler")
    return value, "ok"


def parse_socialstyrelsen(table: Table, areas: AreaNames) -> Extract:
    """Observations from a Socialstyrelsen BUP export (either orientation).

    Raises:
        FileRejected: header-only, no title, unknown region, a non-number, a
            duplicated region and month.
    """
    file = table.name
    found = _find_header(table)
    if found is None:
        raise errors.unknown_kind(file)
    orientation, h = found
    title_rows = [i for i in table.nonempty() if i < h and _single(table, i) and not _is_year(_single(table, i))]
    if not title_rows:
        raise FileRejected(file, row=1, expected="en titelrad som anger urvalet (fas, mått, kön, ålder) överst i filen")
    title = " ".join(_single(table, i) for i in title_rows)
    selection = read_selection(title, file, table.row_no(title_rows[0]))
    indicator_id = selection.indicator_id
    out = Extract()
    cells: list[tuple[int, str, str, str, str]] = []  # (row index, area name, period, label, text)
    last_data = h
    if orientation == "rows":
        periods = _period_columns(table, h)
        for i in range(h + 1, len(table.rows)):
            row = table.rows[i]
            if not any(row):
                continue
            name_cells = [(c, v) for c, v in enumerate(row) if v and c not in periods]
            if len(name_cells) == 1 and not any(row[c] for c in periods if c < len(row)):
                continue  # a footer or note row
            name = name_cells[0][1] if name_cells else ""
            last_data = i
            for c, (period, label) in periods.items():
                cells.append((i, name, period, label, row[c] if c < len(row) else ""))
    else:
        header = table.rows[h - 1] if h else []
        year = None
        region_cols = {c: v for c, v in enumerate(header) if v and not month_label(v) and not _is_year(v) and c >= 1}
        for i in range(h, len(table.rows)):
            row = table.rows[i]
            if not any(row):
                continue
            if _is_year(row[0]):
                year = int(row[0])
            label_cell = next((c for c in (0, 1) if c < len(row) and month_label(row[c])), None)
            if label_cell is None:
                continue  # footer
            y, month = month_label(row[label_cell])
            y = y or year
            if y is None:
                raise FileRejected(file, row=table.row_no(i), column=row[label_cell], found="inget årtal", expected="ett årtal i första kolumnen")
            last_data = i
            for c, name in region_cols.items():
                if c <= label_cell:
                    continue
                cells.append((i, name, f"{y}-{month:02d}", name, row[c] if c < len(row) else ""))
    if not cells:
        raise errors.header_only(file, table.row_no(h))
    problems = errors.Problems()
    for i, name, period, label, text in cells:
        with problems.row():
            row_no = table.row_no(i)
            code = areas.region(name)
            if code is None:
                raise errors.unknown_area(file, row_no, None if orientation == "rows" else label, name, "en region eller Riket")
            value, status = _value(text, file, row_no, label, selection.measure)
            out.rows.append(observation(
                file, row_no, indicator_id, code, period, value=value, status=status,
                sex=selection.sex, subgroup=selection.age,
            ))
    problems.check()
    reject_duplicates(file, out.rows, "region och månad", ("area_code", "period"))
    footer = " ".join(_single(table, i) or "" for i in range(last_data + 1, len(table.rows)))
    date = re.search(r"\d{4}-\d{2}-\d{2}", footer)
    out.indicators.append(selection.definition(date[0] if date else None, file))
    return out


# --- vantetider.se -----------------------------------------------------------


def _phase_of_heading(text: str) -> str | None:
    """The phase a vantetider.se section heading names; the last named wins
    ("Påbörjad fördjupad utredning/behandlingUtredning" is the Utredning table)."""
    s = text.casefold()
    hits = {
        "first_assessment": s.rfind("första bedömning"),
        "deepened_assessment": s.rfind("utredning"),
        "treatment_started": s.rfind("behandling"),
    }
    phase, at = max(hits.items(), key=lambda kv: kv[1])
    return phase if at >= 0 else None


def _find_period(table: Table, before: int) -> str | None:
    for i in range(before):
        for cell in table.rows[i]:
            for m in re.finditer(r"(\d{4})\s*-\s*(\d{2})\b|([a-zåäö]+)\s+(\d{4})", cell.casefold()):
                if m[1] and 1 <= int(m[2]) <= 12:
                    return f"{m[1]}-{m[2]}"
                if m[3] in MONTHS and len(m[3]) > 3:
                    return f"{m[4]}-{MONTHS[m[3]]:02d}"
    return None


def parse_vantetider(table: Table, areas: AreaNames, period: str | None = None) -> Extract:
    """Observations from an old vantetider.se BUP detail export (see module docstring).

    Args:
        period: "YYYY-MM" when the file does not say which month it shows.
    """
    file = table.name
    headers = [i for i, r in enumerate(table.rows) if any(c.casefold().startswith(VANTETIDER_HEADER) for c in r)]
    period = period or _find_period(table, headers[0])
    if period is None:
        raise FileRejected(
            file, row=table.row_no(0),
            expected='filen säger inte vilken månad den gäller; väntade t.ex. "januari 2018" i en titelrad, '
            "eller ange perioden (ÅÅÅÅ-MM) vid importen",
        )
    out = Extract()
    problems = errors.Problems()
    for n, h in enumerate(headers):
        heading = next((_single(table, i) for i in range(h - 1, max(h - 4, -1), -1) if _single(table, i)), None)
        phase = _phase_of_heading(heading or "")
        if phase is None:
            raise FileRejected(
                file, row=table.row_no(h), found=heading or "",
                expected='en rubrik "Första bedömning", "Fördjupad utredning" eller "Behandling" ovanför tabellen',
            )
        indicator_id = KNOWN_IDS[("completed", phase, "share30")]
        header = [c.casefold() for c in table.rows[h]]
        cols = {key: next((c for c, v in enumerate(header) if test(v)), None) for key, test in _VANTETIDER_COLUMNS}
        missing = [k for k in ("share", "excl_pvv", "within_30") if cols[k] is None]
        if missing:
            raise FileRejected(
                file, row=table.row_no(h), found=" | ".join(table.rows[h]),
                expected='kolumnerna "Andel genomförda inom 30 dagar", "Antal genomförda exkl PVV" '
                'och "Genomförda väntetid 30 dagar eller kortare"',
            )
        end = headers[n + 1] if n + 1 < len(headers) else len(table.rows)
        titles = table.rows[h]
        for i in range(h + 1, end):
            with problems.row():
                row = table.rows[i]
                if not any(row) or _single(table, i) and _phase_of_heading(_single(table, i)):
                    continue
                name = row[0]
                if not any(row[1:]):
                    continue  # a heading or footer
                row_no = table.row_no(i)
                if "sjukvårdsregion" in name.casefold():
                    out.warnings.append(f"{file}, rad {row_no}: {name} är ingen region och hoppades över")
                    continue
                code = areas.region(name)
                if code is None:
                    raise errors.unknown_area(file, row_no, titles[0] or None, name, "en region eller Riket")

                def get(key: str) -> tuple[str, float | None]:
                    c = cols[key]
                    text = row[c] if c is not None and c < len(row) else ""
                    if cell_status(text) != "ok":
                        return text, None
                    return text, number_or_reject(text, file, row_no, titles[c])

                share_text, share = get("share")
                _, excl = get("excl_pvv")
                _, within = get("within_30")
                _, rate = get("response_rate")
                if share is None or not excl:
                    status = "suppressed" if cell_status(share_text) == "suppressed" else "missing"
                    out.rows.append(observation(file, row_no, indicator_id, code, period, value=None, status=status,
                                                numerator=within, denominator=excl))
                    continue
                in_range_or_reject(share, "percent", file, row_no, titles[cols["share"]], found=share_text)
                if within is not None and abs(within / excl * 100 - share) > 1:
                    out.warnings.append(
                        f"{file}, rad {row_no}: andelen {share_text} stämmer inte med {within:g} av {excl:g}"
                    )
                if rate is not None and rate < 100:
                    out.warnings.append(f"{file}, rad {row_no}: {name} har svarsfrekvens {rate:g} %")
                out.rows.append(observation(file, row_no, indicator_id, code, period, value=share, status="ok",
                                            numerator=within, denominator=excl))
    problems.check()
    reject_duplicates(file, out.rows, "fas, region och månad", ("indicator_id", "area_code", "period"))
    for indicator_id in dict.fromkeys(r["indicator_id"] for r in out.rows):
        out.indicators.append({"id": indicator_id, "source": "vantetider",
                               "source_ref": f"{VANTETIDER_SOURCE_REF}; fil {file}"})
    return out
