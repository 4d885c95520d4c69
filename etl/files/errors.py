"""Why an uploaded file was refused, in words an analyst can act on.

Every refusal names the file and, where it makes sense, the row (1-based, as a
spreadsheet shows it), the column, what was found and what was expected, so the
analyst can open the file and fix exactly that cell.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

# Machine-readable reasons, so callers and tests need not match on Swedish text.
EMPTY = "empty"
HEADER_ONLY = "header_only"
UNKNOWN_KIND = "unknown_kind"
NOT_A_NUMBER = "not_a_number"
DUPLICATE_KEY = "duplicate_key"
UNKNOWN_AREA = "unknown_area"
UNKNOWN_GRADE = "unknown_grade"
UNKNOWN_SEX = "unknown_sex"
NOT_XLSX = "not_xlsx"
TOO_LARGE = "too_large"
ENCODING = "encoding"
LAYOUT = "layout"
OUT_OF_RANGE = "out_of_range"


class FileRejected(Exception):
    """A file that cannot be imported as it stands.

    Attributes:
        file: the file name (no directory), as the analyst knows it.
        row: 1-based row number, or None when the problem is the whole file.
        column: the column's header text (or its letter/number), or None.
        found: what the file holds there, quoted in the message.
        expected: what would have been accepted, in Swedish.
        reason: one of the module constants (EMPTY, DUPLICATE_KEY, ...).
    """

    def __init__(
        self,
        file: str,
        *,
        row: int | None = None,
        column: str | None = None,
        found: str | None = None,
        expected: str = "",
        reason: str = LAYOUT,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.found = found
        self.expected = expected
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column is not None:
            where.append(f'kolumn "{self.column}"')
        if self.found is None:
            what = self.expected
        else:
            what = f'fann "{self.found}", väntade {self.expected}'
        return f"{', '.join(where)}: {what}"


class FileProblems(FileRejected):
    """Several cells to fix, all of them named, so the analyst can mend the file in one go.

    Behaves as the first problem (its file, row, column, reason) for callers
    that look at one; its message lists up to LISTED of them.
    """

    LISTED = 20

    def __init__(self, problems: list[FileRejected]) -> None:
        self.problems = problems
        first = problems[0]
        super().__init__(first.file, row=first.row, column=first.column, found=first.found,
                         expected=first.expected, reason=first.reason)

    def __str__(self) -> str:
        if len(self.problems) == 1:
            return FileRejected.__str__(self.problems[0])
        listed = "; ".join(FileRejected.__str__(p) for p in self.problems[:self.LISTED])
        more = len(self.problems) - self.LISTED
        return f"{len(self.problems)} fel. {listed}" + (f"; och {more} till" if more > 0 else "")


class Problems:
    """Collects the rows' problems while a parser goes on with the next row; `check` refuses them all."""

    def __init__(self) -> None:
        self.found: list[FileRejected] = []
        self._seen: set[str] = set()

    @contextmanager
    def row(self) -> Iterator[None]:
        """Wrap one row's parsing: a FileRejected there is kept, and the parser continues."""
        try:
            yield
        except FileRejected as exc:
            for problem in getattr(exc, "problems", [exc]):
                if str(problem) not in self._seen:  # one region misspelt, not once per month
                    self._seen.add(str(problem))
                    self.found.append(problem)

    def check(self) -> None:
        if self.found:
            raise FileProblems(self.found)


def empty_file(file: str) -> FileRejected:
    return FileRejected(file, expected="filen är tom; väntade en rubrikrad och minst en rad med värden", reason=EMPTY)


def header_only(file: str, row: int) -> FileRejected:
    return FileRejected(
        file, row=row,
        expected="filen har bara rubriker och inga rader med värden", reason=HEADER_ONLY,
    )


KIND_NAMES = {
    "bup": "en export av BUP-väntetider (Socialstyrelsens statistikdatabas eller vantetider.se)",
    "survey": "en tabell från en elevhälsoenkät (lång form eller rapportens korstabell)",
    "local": "mallen med kolumnerna indikator, område, period, värde, kommentar",
}


def unknown_kind(file: str, kind: str | None = None) -> FileRejected:
    """A file of another kind than any we read (or than the one the analyst chose)."""
    wanted = [KIND_NAMES[kind]] if kind in KIND_NAMES else list(KIND_NAMES.values())
    return FileRejected(
        file, expected="känner inte igen filen; väntade " + ", ".join(wanted[:-1])
        + (" eller " if len(wanted) > 1 else "") + wanted[-1],
        reason=UNKNOWN_KIND,
    )


def not_a_number(file: str, row: int, column: str, found: str, expected: str = "ett tal med decimalkomma") -> FileRejected:
    return FileRejected(file, row=row, column=column, found=found, expected=expected, reason=NOT_A_NUMBER)


def duplicate_key(file: str, row: int, key: str, first_row: int, key_names: str) -> FileRejected:
    return FileRejected(
        file, row=row, found=key,
        expected=f"en rad per {key_names}; samma nyckel finns redan på rad {first_row}",
        reason=DUPLICATE_KEY,
    )


def unknown_area(file: str, row: int, column: str | None, found: str, what: str = "en region, en kommun eller Riket",
                 with_codes: bool = False) -> FileRejected:
    examples = '"Region Jämtland Härjedalen", "Östersund"' if "kommun" in what else '"Region Jämtland Härjedalen"'
    if with_codes:
        expected = (f"namnet på {what} eller dess kod i Kolada (t.ex. \"0023\" för Region Jämtland Härjedalen, "
                    f"\"2380\" för Östersund)")
    else:
        expected = f"namnet på {what} (t.ex. {examples})"
    return FileRejected(file, row=row, column=column, found=found, expected=expected, reason=UNKNOWN_AREA)


def unknown_grade(file: str, row: int, column: str | None, found: str) -> FileRejected:
    return FileRejected(
        file, row=row, column=column, found=found,
        expected="en årskurs: Fsk, Åk 4, Åk 7, Åk 9, Gy 1 eller Gy 2", reason=UNKNOWN_GRADE,
    )


def unknown_sex(file: str, row: int, column: str | None, found: str) -> FileRejected:
    return FileRejected(
        file, row=row, column=column, found=found,
        expected="ett kön: pojkar, flickor eller alla (M, K, T)", reason=UNKNOWN_SEX,
    )
