"""School health survey tables (Hälsosamtal i skolan, Elevhälsoenkäten, Liv & hälsa ung).

The results are published as PDF reports; the region holds the tables behind
them, and analysts hand us one of two layouts:

Long format
    A header row, then one row per school year, area, grade, sex and question:
    columns (Swedish or English names, any order) for the school year or year,
    the area (name, or a code with an optional level), grade, sex, question
    (text and/or id), optionally the response alternative, the share in percent
    and the number of respondents.

Report cross-tab
    A title row naming the question and school year ("Andel elever som ...
    ofta eller alltid känt sig ledsen eller nedstämd, läsåret 2015/16 (%)"),
    a row of grades and below it a row of sexes over the columns (a merged
    grade cell covers both of its sex columns, so a blank grade cell takes the
    grade to its left), one row per municipality or "Länet", and a source
    footer ("Källa: ...").

Grades are normalised to "Fsk", "Åk 1".."Åk 9", "Gy 1".."Gy 3" (stored as the
subgroup), sexes to M/K/T, a school year "2015/16" to the spring term's year
"2016". "Länet" is the region the caller names, or the one the title or footer
names.
"""

from __future__ import annotations

import re
import unicodedata

from etl.files import errors
from etl.files.errors import FileRejected
from etl.files.reader import (
    RIKET, AreaNames, Extract, Table, cell_status, in_range_or_reject, number_or_reject, observation,
    reject_duplicates,
)

OFTEN_SAD_ID = "school_survey_often_sad_low"
SURVEY_SOURCE = "survey"

_SEXES = {
    "M": ("pojkar", "pojke", "pojk", "p", "m", "man", "män"),
    "K": ("flickor", "flicka", "flick", "f", "k", "kvinna", "kvinnor"),
    "T": ("alla", "totalt", "total", "t", "samtliga", "båda könen", "alla elever", "båda"),
}
_SEX_OF = {alias: code for code, aliases in _SEXES.items() for alias in aliases}

# Column name aliases of the long format, matched on a casefolded header.
LONG_COLUMNS = {
    "period": ("school_year", "läsår", "lasar", "läsåret", "year", "år", "ar", "period"),
    "area": ("geo_name", "area", "area_name", "område", "omrade", "kommun", "namn", "län", "lan"),
    "area_code": ("geo_code", "area_code", "kommunkod", "kod", "områdeskod"),
    "level": ("geo_level", "nivå", "niva", "level"),
    "grade": ("grade", "årskurs", "arskurs", "åk", "ak", "skolår"),
    "sex": ("sex", "kön", "kon", "gender"),
    "question": ("question_text", "question", "fråga", "fraga", "frågetext"),
    "question_id": ("question_id", "fråga_id", "frage_id", "frågeid"),
    "response": ("response", "svar", "svarsalternativ"),
    "share": ("share_pct", "share", "andel", "andel_procent", "andel (%)", "procent", "värde", "value", "%"),
    "n": ("n_respondents", "n", "antal", "antal svar", "antal svarande", "antal_svar"),
    "survey": ("survey", "enkät", "undersökning"),
}
LONG_REQUIRED = ("period", "grade", "sex", "question", "share")
_LAN_WORDS = ("länet", "hela länet", "länet totalt", "länet, totalt", "länssnitt", "län totalt")


def normalise_grade(text: str) -> str | None:
    """ "Åk4", "åk 4", "ÅK 4", "årskurs 4" → "Åk 4"; "Gy1", "gymnasiet år 1" → "Gy 1";
    "F-klass", "förskoleklass" → "Fsk"; anything else → None."""
    s = " ".join(text.casefold().replace(".", " ").replace("-", " ").split())
    if s in ("fsk", "f klass", "fk", "förskoleklass", "förskoleklassen", "förskoleklass (fsk)"):
        return "Fsk"
    if m := re.fullmatch(r"(?:åk|ak|årskurs|arskurs|klass|år)\s*(\d)", s):
        return f"Åk {m[1]}" if 1 <= int(m[1]) <= 9 else None
    gy = r"(?:gy|gymn|gymnasiet|gymnasium|gymnasieskolan)"
    if m := re.fullmatch(gy + r"\s*(?:år|åk|årskurs|ak)?\s*(\d)", s) or re.fullmatch(
        r"(?:år|åk|årskurs)\s*(\d)\s*(?:på\s*|i\s*)?" + gy, s
    ):
        return f"Gy {m[1]}" if 1 <= int(m[1]) <= 3 else None
    return None


def normalise_sex(text: str) -> str | None:
    """pojkar/pojke/M → "M", flickor/flicka/K → "K", alla/totalt/T → "T", else None."""
    return _SEX_OF.get(" ".join(text.casefold().split()))


def spring_year(text: str) -> str | None:
    """The period of a school year: "2015/16", "2015-2016", "läsåret 2015/16" → "2016";
    a plain year "2016" stays "2016"."""
    s = text.strip()
    if m := re.search(r"(\d{4})\s*[/\-–]\s*(\d{2}|\d{4})\b", s):
        first, second = int(m[1]), m[2]
        spring = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
        if spring == first + 1 or (spring % 100 == (first + 1) % 100 and len(second) == 2):
            return str(first + 1)
        return None
    if m := re.fullmatch(r"(?:vt|ht)?\s*((?:19|20)\d\d)", s, re.IGNORECASE):
        return m[1]
    return None


def slug(text: str, limit: int = 60) -> str:
    """ASCII snake_case for an indicator id: "Känt sig ledsen" → "kant_sig_ledsen"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    out = ""
    for w in words:
        if len(out) + len(w) + 1 > limit:
            break
        out = f"{out}_{w}" if out else w
    return out or "fraga"


def is_often_sad(question: str, response: str = "") -> bool:
    """The catalogue's question: felt sad or low often or always (last three months)."""
    q = f"{question} {response}".casefold()
    return "ledsen" in q and "nedstämd" in q and "ofta" in q and "alltid" in q


def indicator_for(question: str, question_id: str, response: str, source_ref: str) -> tuple[str, dict]:
    """The indicator id for a question, and a definition for the catalogue.

    The often-sad question is the catalogue's own `school_survey_often_sad_low`
    (its definition there wins). Others get `school_survey_` + a slug of the
    question id if the file has one (stable across years), else of the text.
    """
    if is_often_sad(question, response):
        return OFTEN_SAD_ID, {"id": OFTEN_SAD_ID, "source": SURVEY_SOURCE, "source_ref": source_ref}
    indicator_id = "school_survey_" + slug(question_id or f"{question} {response}".strip())
    answer = f" Svar: {response}." if response else ""
    return indicator_id, {
        "id": indicator_id, "title_sv": question, "unit": "percent", "direction": "neutral",
        "source": SURVEY_SOURCE, "source_ref": source_ref,
        "definition": f"Andel elever per årskurs (undergrupp) och kön. Fråga: {question}.{answer} "
        "Perioden anger vårterminens år (2016 = läsåret 2015/16).",
        "frequency": "annual",
    }


# --- Areas -------------------------------------------------------------------


def region_named_in(texts: list[str], areas: AreaNames) -> str | None:
    """The one region a title or footer names ("(Region Jämtland Härjedalen)"), else None."""
    blob = " ".join(texts).casefold()
    codes = {code for key, code in areas.regions.items()
             if code != RIKET and len(key) >= 5 and re.search(rf"\b{re.escape(key)}\b", blob)}
    return codes.pop() if len(codes) == 1 else None


class _Areas:
    """Resolves one file's area cells, "Länet" included."""

    def __init__(self, areas: AreaNames, region_code: str | None, texts: list[str]) -> None:
        self.areas = areas
        self.region_code = region_code or region_named_in(texts, areas)

    def code(self, name: str, file: str, row: int, column: str | None) -> str:
        if name.casefold().strip() in _LAN_WORDS:
            if self.region_code is None:
                raise FileRejected(
                    file, row=row, column=column, found=name,
                    expected="ett länsnamn (t.ex. \"Jämtlands län\"), eller att regionen anges vid importen",
                    reason=errors.UNKNOWN_AREA,
                )
            return self.region_code
        code = self.areas.any(name)
        if code is None:
            raise errors.unknown_area(file, row, column, name, "en kommun, ett län eller Riket")
        return code


def _share(text: str, file: str, row: int, column: str) -> tuple[float | None, str]:
    status = cell_status(text)
    if status != "ok":
        return None, status
    value = number_or_reject(text, file, row, column, "en andel i procent med decimalkomma")
    in_range_or_reject(value, "percent", file, row, column, found=text)
    return value, "ok"


# --- Long format -------------------------------------------------------------


def long_columns(header: list[str]) -> dict[str, int]:
    """Role → column index for a long-format header (first matching column wins)."""
    cols: dict[str, int] = {}
    for c, name in enumerate(header):
        key = " ".join(name.casefold().split())
        for role, aliases in LONG_COLUMNS.items():
            if key in aliases and role not in cols:
                cols[role] = c
                break
    return cols


def looks_like_long(table: Table) -> bool:
    rows = table.nonempty()
    if not rows:
        return False
    cols = long_columns(table.rows[rows[0]])
    return all(k in cols for k in LONG_REQUIRED) and ("area" in cols or "area_code" in cols)


def parse_long(table: Table, areas: AreaNames, region_code: str | None = None) -> Extract:
    """Observations from the long format (one row per year, area, grade, sex, question)."""
    file = table.name
    h = table.nonempty()[0]
    header = table.rows[h]
    cols = long_columns(header)
    data = [i for i in table.nonempty() if i > h]
    if not data:
        raise errors.header_only(file, table.row_no(h))
    texts = [table.cell(i, cols["survey"]) for i in data[:1] if "survey" in cols]
    resolver = _Areas(areas, region_code, texts + [table.name])
    out = Extract()
    definitions: dict[str, dict] = {}
    problems = errors.Problems()
    for i in data:
        row_no = table.row_no(i)

        def cell(role: str) -> str:
            return table.cell(i, cols[role]) if role in cols else ""

        with problems.row():
            period = spring_year(cell("period"))
            if period is None:
                raise FileRejected(file, row=row_no, column=header[cols["period"]], found=cell("period"),
                                   expected='ett läsår ("2015/16") eller ett år ("2016")')
            grade = normalise_grade(cell("grade"))
            if grade is None:
                raise errors.unknown_grade(file, row_no, header[cols["grade"]], cell("grade"))
            sex = normalise_sex(cell("sex"))
            if sex is None:
                raise errors.unknown_sex(file, row_no, header[cols["sex"]], cell("sex"))
            code_text, level = cell("area_code"), cell("level").casefold()
            if code_text and re.fullmatch(r"\d{1,4}", code_text):
                is_region = level in ("lan", "län", "region", "landsting") or len(code_text) <= 2
                code = code_text.zfill(2).rjust(4, "0") if is_region else code_text.zfill(4)
            else:
                column = header[cols["area"]] if "area" in cols else None
                code = resolver.code(cell("area"), file, row_no, column)
            question = cell("question")
            source_ref = cell("survey") or file
            indicator_id, definition = indicator_for(question, cell("question_id"), cell("response"), source_ref)
            definitions.setdefault(indicator_id, definition)
            value, status = _share(cell("share"), file, row_no, header[cols["share"]])
            n = number_or_reject(cell("n"), file, row_no, header[cols["n"]], "ett antal svarande") if cell("n") else None
            numerator = round(value * n / 100) if value is not None and n else None
            out.rows.append(observation(file, row_no, indicator_id, code, period, value=value, status=status,
                                        sex=sex, subgroup=grade, numerator=numerator, denominator=n))
    problems.check()
    reject_duplicates(file, out.rows, "fråga, område, läsår, årskurs och kön",
                      ("area_code", "period", "subgroup", "sex"))
    out.indicators = list(definitions.values())
    return out


# --- Report cross-tab --------------------------------------------------------


def _sex_row(table: Table, i: int) -> bool:
    cells = [c for c in table.rows[i][1:] if c]
    return len(cells) >= 2 and sum(normalise_sex(c) is not None for c in cells) >= len(cells) / 2


def _grade_row(table: Table, i: int) -> bool:
    cells = [c for c in table.rows[i][1:] if c]
    return len(cells) >= 1 and sum(normalise_grade(c) is not None for c in cells) >= len(cells) / 2


def find_crosstab_header(table: Table) -> tuple[int, int] | None:
    """(grade row index, sex row index) of a cross-tab, or None."""
    rows = table.nonempty()
    for a, b in zip(rows, rows[1:]):
        if _grade_row(table, a) and _sex_row(table, b):
            return a, b
        if _sex_row(table, a) and _grade_row(table, b):
            return b, a
    return None


def parse_crosstab(
    table: Table, areas: AreaNames, region_code: str | None = None, period: str | None = None,
) -> Extract:
    """Observations from the report cross-tab (grade × sex over two header rows)."""
    file = table.name
    header = find_crosstab_header(table)
    if header is None:
        raise errors.unknown_kind(file)
    g, s = header
    first_data = max(g, s) + 1
    titles = [c for i in range(min(g, s)) for c in table.rows[i] if c]
    data = [i for i in table.nonempty() if i >= first_data and any(table.rows[i][1:])]
    footers = [c for i in table.nonempty() if i >= first_data and not any(table.rows[i][1:]) for c in table.rows[i] if c]
    if not data:
        raise errors.header_only(file, table.row_no(max(g, s)))
    title = " ".join(titles)
    period = period or next((p for p in map(spring_year, _school_years(title + " " + " ".join(footers))) if p), None)
    if period is None:
        raise FileRejected(file, row=table.row_no(0), found=title,
                           expected='ett läsår i titelraden ("läsåret 2015/16"), eller att perioden anges vid importen')
    question = re.sub(r",?\s*(läsåret|läsår)\s*\d{4}\s*[/\-–]\s*\d{2,4}", "", title)
    question = re.sub(r"\s*\(%\)\s*$|\s*\(procent\)\s*$", "", question).strip(" ,") or title
    source_ref = next((f for f in footers if f.casefold().startswith("källa")), file)
    indicator_id, definition = indicator_for(question, "", "", source_ref)
    columns: dict[int, tuple[str, str, str]] = {}  # col → (grade, sex, label)
    grade = ""
    width = max(len(table.rows[g]), len(table.rows[s]))
    for c in range(1, width):
        grade_text = table.cell(g, c) or grade
        grade = grade_text
        sex_text = table.cell(s, c)
        if not sex_text:
            continue
        sex = normalise_sex(sex_text)
        if sex is None:
            raise errors.unknown_sex(file, table.row_no(s), f"{grade_text} {sex_text}".strip(), sex_text)
        norm = normalise_grade(grade_text)
        if norm is None:
            raise errors.unknown_grade(file, table.row_no(g), f"{grade_text} {sex_text}".strip(), grade_text)
        columns[c] = (norm, sex, f"{grade_text} {sex_text}")
    resolver = _Areas(areas, region_code, titles + footers)
    out = Extract([], [definition], [])
    problems = errors.Problems()
    for i in data:
        row_no = table.row_no(i)
        code = None
        with problems.row():
            code = resolver.code(table.cell(i, 0), file, row_no, table.cell(s, 0) or None)
        if code is None:
            continue
        for c, (grade, sex, label) in columns.items():
            with problems.row():
                value, status = _share(table.cell(i, c), file, row_no, label)
                out.rows.append(observation(file, row_no, indicator_id, code, period, value=value, status=status,
                                            sex=sex, subgroup=grade))
    problems.check()
    reject_duplicates(file, out.rows, "område, läsår, årskurs och kön", ("area_code", "period", "subgroup", "sex"))
    return out


def _school_years(text: str) -> list[str]:
    return re.findall(r"\d{4}\s*[/\-–]\s*\d{2,4}\b", text) or re.findall(r"\b(?:19|20)\d\d\b", text)[-1:]
