"""Read the CSV and Excel files analysts actually have into rows of text.

Files arrive as Excel downloads, CSV exports saved by Excel on Windows (cp1252),
UTF-8 with or without a byte-order mark, separated by `;` (the Swedish default,
because the decimal separator is a comma), `,` or tab. This module turns any of
them into a `Table` of text cells and keeps the 1-based row number of every row
so that error messages can point at the cell. It knows nothing about what the
cells mean; `bup.py`, `survey.py` and `parse.py` do.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from etl.files import errors
from etl.files.errors import FileRejected

# A monthly export is a few hundred kB; anything above this is not what we expect.
MAX_FILE_BYTES = 20 * 1024 * 1024
# Total uncompressed size of an .xlsx's parts; a zip bomb unpacks to gigabytes.
MAX_XLSX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
# ...or compresses absurdly well (real workbooks stay well below 100:1).
MAX_XLSX_COMPRESSION_RATIO = 200

DELIMITERS = (";", "\t", ",")  # order breaks ties: `;` wins over `,` (decimal commas)
EXCEL_SUFFIXES = (".xlsx", ".xlsm")

SUPPRESSED_MARKERS = frozenset({"n", "..", "-", "–", "—"})
MISSING_MARKERS = frozenset({"", "ej deltagit", "uppgift saknas", "saknas"})

_SPACES = "\u0020\u00a0\u202f\u2009"
_NUMBER = re.compile(
    r"^(?P<sign>[-+\u2212]?)"
    rf"(?P<int>\d{{1,3}}(?:[{_SPACES}]\d{{3}})+|\d+)"
    r"(?:[,.](?P<frac>\d+))?$"
)
_SUFFIX = re.compile(r"\s*(%|st\.?|dagar|dgr)$", re.IGNORECASE)


@dataclass
class Table:
    """A file's cells as text.

    Attributes:
        path: where it was read from.
        rows: cell texts, stripped; trailing empty rows dropped.
        encoding: "utf-8-sig", "utf-8", "cp1252" or "xlsx".
        delimiter: the CSV separator used, None for Excel or a one-column file.
        row_numbers: the 1-based row number in the file of each entry in rows
            (differs from index + 1 only when a quoted cell spans lines).
        sheet: the Excel sheet read, if any.
    """

    path: Path
    rows: list[list[str]]
    encoding: str
    delimiter: str | None
    row_numbers: list[int] = field(default_factory=list)
    sheet: str | None = None

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        if not self.row_numbers:
            self.row_numbers = list(range(1, len(self.rows) + 1))

    @property
    def name(self) -> str:
        return self.path.name

    def row_no(self, index: int) -> int:
        """The 1-based file row number of rows[index]."""
        return self.row_numbers[index]

    def cell(self, index: int, col: int) -> str:
        row = self.rows[index]
        return row[col] if col < len(row) else ""

    def nonempty(self) -> list[int]:
        """Indexes of rows with at least one non-empty cell."""
        return [i for i, r in enumerate(self.rows) if any(c for c in r)]


def parse_number(text: str | None) -> float | None:
    """A Swedish-formatted number as a float; None for an empty cell.

    Accepts a decimal comma (or point), thousands separated by space, no-break
    space (U+00A0) or narrow no-break space (U+202F) in groups of three, a minus
    sign (also U+2212), and the suffixes `%` and ` st` that vantetider.se prints.
    Percent values stay on the 0-100 scale: "57 %" is 57.0.

    Raises:
        ValueError: for anything else (text, "7,,5", "1 2", "1.234,5").
    """
    if text is None:
        return None
    s = str(text).strip(_SPACES + "\t")
    if not s:
        return None
    s = _SUFFIX.sub("", s)
    m = _NUMBER.match(s)
    if not m:
        raise ValueError(f"not a number: {text!r}")
    digits = re.sub(f"[{_SPACES}]", "", m["int"])
    value = float(f"{digits}.{m['frac']}" if m["frac"] is not None else digits)
    return -value if m["sign"] in ("-", "\u2212") else value


def is_suppressed(text: str) -> bool:
    """True for cells the source withheld (`N`, `..`, `-`): the value exists but is secret."""
    return text.strip().casefold() in SUPPRESSED_MARKERS


def is_missing(text: str) -> bool:
    """True for cells with no value (empty, `Ej deltagit`): nothing was reported."""
    return text.strip(_SPACES).casefold() in MISSING_MARKERS


def cell_status(text: str) -> str:
    """'suppressed', 'missing' or 'ok' (meaning: try to read a number)."""
    if is_suppressed(text):
        return "suppressed"
    if is_missing(text):
        return "missing"
    return "ok"


def decode(data: bytes, file: str = "") -> tuple[str, str]:
    """Bytes as text, trying UTF-8 with BOM, UTF-8, then cp1252.

    Returns:
        (text, encoding name used).

    Raises:
        FileRejected: when cp1252 cannot decode it either (not a text file).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data.decode("utf-8-sig"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise FileRejected(
            file, found=f"byte 0x{data[exc.start]:02x} på position {exc.start}",
            expected="en textfil i UTF-8 eller Windows-1252 (cp1252), eller en .xlsx-fil",
            reason=errors.ENCODING,
        ) from None


def _split(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out, start = [], 1
    for record in reader:
        out.append((start, record))
        start = reader.line_num + 1
    return out


def sniff_delimiter(text: str) -> str | None:
    """The separator among `;`, tab and `,` that splits the most lines into the same count.

    Title and footer lines are single cells in every candidate, so they do not
    vote. A `;` file with decimal commas splits on `,` into ragged rows (and its
    header has no commas), so `;` wins; ties go to `;`, then tab, then `,`.
    """
    best, best_score = None, 0
    for delimiter in DELIMITERS:
        try:
            counts = [len(r) for _, r in _split(text, delimiter) if len(r) > 1]
        except csv.Error:
            continue
        if not counts:
            continue
        score = Counter(counts).most_common(1)[0][1]
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _drop_trailing_empty(rows: list[list[str]], numbers: list[int]) -> tuple[list[list[str]], list[int]]:
    rows = [[c.strip(_SPACES + "\t\r\n") for c in r] for r in rows]
    while rows and not any(rows[-1]):
        rows.pop()
        numbers = numbers[: len(rows)]
    # Excel pads every row to the widest; trailing empty cells carry nothing.
    for r in rows:
        while r and not r[-1]:
            r.pop()
    return rows, numbers[: len(rows)]


def read_text_table(text: str, path: Path | str, encoding: str) -> Table:
    """Split decoded CSV text into a Table (separator sniffed)."""
    delimiter = sniff_delimiter(text)
    if delimiter is None:
        records = [(i, [line]) for i, line in enumerate(text.splitlines(), start=1)]
    else:
        records = _split(text, delimiter)
    rows, numbers = _drop_trailing_empty([r for _, r in records], [n for n, _ in records])
    return Table(Path(path), rows, encoding, delimiter, numbers)


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        if "%" in (cell.number_format or ""):
            value = value * 100  # a cell formatted as percent holds 0.57 for "57 %"
        if float(value).is_integer():
            return str(int(value))
        return repr(round(float(value), 10)).replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _check_zip(path: Path) -> None:
    name = path.name
    if not zipfile.is_zipfile(path):
        raise FileRejected(
            name, found="inte en zip-arkiverad Excel-fil",
            expected="en riktig .xlsx-fil (spara om den i Excel som Excel-arbetsbok, eller som CSV)",
            reason=errors.NOT_XLSX,
        )
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        names = {i.filename for i in infos}
        if "xl/workbook.xml" not in names:
            raise FileRejected(
                name, found="ett zip-arkiv utan xl/workbook.xml",
                expected="en .xlsx-fil från Excel", reason=errors.NOT_XLSX,
            )
        total = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos) or 1
        if total > MAX_XLSX_UNCOMPRESSED_BYTES or total / packed > MAX_XLSX_COMPRESSION_RATIO:
            raise FileRejected(
                name, found=f"{total:,} byte uppackat ({total / packed:.0f} gånger filens storlek)".replace(",", " "),
                expected=(
                    f"högst {MAX_XLSX_UNCOMPRESSED_BYTES // 2**20} MB uppackat och högst "
                    f"{MAX_XLSX_COMPRESSION_RATIO} gånger packningsgrad"
                ),
                reason=errors.TOO_LARGE,
            )


def read_xlsx(path: Path) -> Table:
    """The first non-empty sheet of a workbook, values not formulas, merged cells filled.

    A merged header cell ("Åk 4" over two columns) holds its value only in its
    top-left cell; every cell of the range gets that value so each column knows
    its header.
    """
    import openpyxl  # imported here: CSV-only callers should not pay for it

    _check_zip(path)
    try:
        workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken workbook
        raise FileRejected(
            path.name, found=f"{type(exc).__name__}: {exc}",
            expected="en .xlsx-fil som Excel kan öppna", reason=errors.NOT_XLSX,
        ) from None
    formulas = openpyxl.load_workbook(path, data_only=False)
    try:
        for sheet in workbook.worksheets:
            grid = [[_cell_text(c) for c in row] for row in sheet.iter_rows()]
            _refuse_uncomputed_formulas(path, sheet, formulas[sheet.title])
            for merged in sheet.merged_cells.ranges:
                top = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(grid) else ""
                for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
                    for c in range(merged.min_col - 1, merged.max_col):
                        if c < len(grid[r]):
                            grid[r][c] = top
            numbers = list(range(1, len(grid) + 1))
            rows, numbers = _drop_trailing_empty(grid, numbers)
            if rows:
                return Table(path, rows, "xlsx", None, numbers, sheet=sheet.title)
        return Table(path, [], "xlsx", None, [], sheet=None)
    finally:
        workbook.close()
        formulas.close()


def _refuse_uncomputed_formulas(path: Path, values_sheet, formula_sheet) -> None:
    """A formula whose value Excel never stored reads as empty: refuse rather than lose the value.

    Workbooks saved by Excel keep each formula's last value, which data_only reads. A file
    written by another program may not; then the value is unknown, not missing.
    """
    from openpyxl.utils import get_column_letter

    for row in formula_sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                if values_sheet.cell(row=cell.row, column=cell.column).value is None:
                    raise FileRejected(
                        path.name, row=cell.row, column=get_column_letter(cell.column), found=cell.value,
                        expected="ett värde; öppna filen i Excel och spara den (eller klistra in som värden)",
                        reason=errors.LAYOUT,
                    )


def read_table(path: Path | str, *, max_bytes: int = MAX_FILE_BYTES) -> Table:
    """Read a CSV/TSV/text or .xlsx file into a Table.

    Args:
        path: the file; its suffix decides Excel vs text, but a zip signature
            (an .xlsx saved with a .csv name) is read as Excel too.
        max_bytes: refuse larger files before reading them.

    Raises:
        FileRejected: too large, a fake or broken .xlsx, an old binary .xls,
            or bytes that are not text. An empty file gives an empty Table;
            refusing it is the parser's job (it can say what it expected).
    """
    path = Path(path)
    size = path.stat().st_size
    if size > max_bytes:
        raise FileRejected(
            path.name, found=f"{size / 2**20:.1f} MB",
            expected=f"en fil på högst {max_bytes / 2**20:.0f} MB", reason=errors.TOO_LARGE,
        )
    with path.open("rb") as f:
        head = f.read(8)
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES or head.startswith(b"PK\x03\x04"):
        return read_xlsx(path)
    if suffix == ".xls" or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected(
            path.name, found="det gamla Excelformatet .xls",
            expected="en .xlsx- eller CSV-fil (spara om den i Excel)", reason=errors.NOT_XLSX,
        )
    text, encoding = decode(path.read_bytes(), path.name)
    return read_text_table(text, path, encoding)


# --- Area names --------------------------------------------------------------
# Shared by every layout: files name areas ("Region Jämtland Härjedalen",
# "Jämtlands län", "Östersunds kommun", "Alla regioner"), the warehouse keys
# them by Kolada code (regions '00' + county code, Riket '0000').

KOLADA_AREAS = Path(__file__).resolve().parent.parent / "snapshot" / "data" / "kolada_municipality.json"
RIKET = "0000"
_RIKET_NAMES = ("riket", "sverige", "hela landet", "alla regioner", "alla landsting", "totalt riket", "hela riket")
# Names the exports use that Kolada's titles do not yield by stripping.
_REGION_ALIASES = {
    "jämtland": "0023", "härjedalen jämtland": "0023", "södermanland": "0004",
    "sörmland": "0004", "västra götaland": "0014", "vgr": "0014",
}


def area_keys(name: str) -> list[str]:
    """Lookup keys for a name, from the literal to the bare place name.

    "Region Jönköpings län" gives "region jönköpings län", "jönköpings län",
    "jönköpings", "jönköping"; the caller tries them in order, so a municipality
    whose own name ends in s (Hällefors) is still found before the stripped form.
    """
    s = " ".join(name.replace("\u00a0", " ").replace("–", " ").replace("-", " ").split()).casefold()
    keys = [s]
    for prefix in ("region ", "landstinget ", "landsting "):
        if s.startswith(prefix):
            s = s[len(prefix):]
            keys.append(s)
    for suffix in (" läns landsting", " län", " kommun", "regionen", " landsting"):
        if s.endswith(suffix) and len(s) > len(suffix):
            s = s[: -len(suffix)].strip()
            keys.append(s)
            if s.endswith("s"):
                keys.append(s[:-1])
            break
    return keys


@dataclass
class AreaNames:
    """Area name → code, with regions and municipalities kept apart.

    They must be apart because names collide: "Gotland" is region 0009 in a BUP
    export and municipality 0980 in a school survey; "Jönköping" is 0006 or 0680.
    """

    regions: dict[str, str]
    municipalities: dict[str, str]

    @classmethod
    def from_mapping(cls, mapping: dict[str, str]) -> AreaNames:
        """Names to codes; a code starting with '00' is a region (or Riket)."""
        regions: dict[str, str] = {}
        municipalities: dict[str, str] = {}
        for name, code in mapping.items():
            target = regions if code.startswith("00") else municipalities
            for key in area_keys(name):
                target.setdefault(key, code)
        return cls(regions, municipalities)

    @classmethod
    def default(cls, extra: dict[str, str] | None = None) -> AreaNames:
        """Kolada's area list from the offline snapshot, plus aliases, plus `extra` (which wins)."""
        import json

        values = json.loads(KOLADA_AREAS.read_text(encoding="utf-8"))["values"]
        mapping = {v["title"]: v["id"] for v in values}
        mapping.update({n: RIKET for n in _RIKET_NAMES})
        base = cls.from_mapping(mapping)
        for key, code in _REGION_ALIASES.items():
            base.regions.setdefault(key, code)
        if extra:
            more = cls.from_mapping(extra)
            base.regions.update(more.regions)
            base.municipalities.update(more.municipalities)
        return base

    def codes(self) -> set[str]:
        """Every code a name leads to."""
        return set(self.regions.values()) | set(self.municipalities.values())

    def region(self, name: str) -> str | None:
        """The code of a region or Riket, or None."""
        return next((self.regions[k] for k in area_keys(name) if k in self.regions), None)

    def municipality(self, name: str) -> str | None:
        return next((self.municipalities[k] for k in area_keys(name) if k in self.municipalities), None)

    def any(self, name: str) -> str | None:
        """A municipality first (a survey row is usually one), else a region or Riket."""
        return self.municipality(name) or self.region(name)


# --- What every layout parser hands back ------------------------------------


@dataclass
class Extract:
    """Observation rows (dicts with `_row`, the file row they came from), indicator
    definitions and warnings from one layout parser."""

    rows: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def observation(
    file: str, row: int, indicator_id: str, area_code: str, period: str, *,
    value: float | None, status: str, sex: str = "T", subgroup: str = "",
    numerator: float | None = None, denominator: float | None = None,
) -> dict:
    """One observation row; value is None unless status is 'ok'."""
    return {
        "indicator_id": indicator_id, "area_code": area_code, "period": period,
        "sex": sex, "subgroup": subgroup,
        "value": value if status == "ok" else None,
        "numerator": numerator, "denominator": denominator,
        "status": status, "source_ref": f"{file}, rad {row}", "_row": row,
    }


def reject_duplicates(file: str, rows: list[dict], key_names: str, shown: tuple[str, ...]) -> None:
    """Refuse the file at the second row with the same key.

    Two rows for the same area, period, grade and sex would silently overwrite
    each other in the warehouse; the analyst must pick one.
    """
    seen: dict[tuple, int] = {}
    for r in rows:
        key = (r["indicator_id"], r["area_code"], r["period"], r["sex"], r["subgroup"])
        if key in seen:
            text = ", ".join(str(r[k]) for k in shown if r[k] != "")
            raise errors.duplicate_key(file, r["_row"], text, seen[key], key_names)
        seen[key] = r["_row"]


# What a value may be in each unit; warehouse/schema.yml checks the same before a publish, but only a
# parser can name the file's row and column.
_UNIT_RANGE = {"percent": (0.0, 100.0, "en andel i procent mellan 0 och 100"),
               "yes_no": (0.0, 1.0, "Ja eller Nej (1 eller 0)")}
_NOT_NEGATIVE = (0.0, None, "ett tal som är 0 eller större")


def in_range_or_reject(value: float | None, unit: str | None, file: str, row: int, column: str,
                       found: str | None = None, expected: str | None = None) -> None:
    """Refuse a value outside what its unit allows (a share 0–100, yes/no 0 or 1, else not negative)."""
    low, high, allowed = _UNIT_RANGE.get(unit or "", _NOT_NEGATIVE)
    if value is not None and (value < low or (high is not None and value > high)):
        raise FileRejected(file, row=row, column=column, found=found or f"{value:g}".replace(".", ","),
                           expected=expected or allowed, reason=errors.OUT_OF_RANGE)


def number_or_reject(text: str, file: str, row: int, column: str, expected: str = "ett tal med decimalkomma") -> float | None:
    """parse_number, turning its ValueError into a FileRejected naming the cell."""
    try:
        return parse_number(text)
    except ValueError:
        raise errors.not_a_number(file, row, column, text, expected) from None
