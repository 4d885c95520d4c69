"""The refresh report's per-indicator lines: counts, the first value changes in key order, the rest counted."""

from __future__ import annotations

import pandas as pd

from etl.report import MAX_LINES_PER_INDICATOR, describe_changes

COLUMNS = ["indicator_id", "area_code", "period", "sex", "subgroup", "change",
           "old_value", "new_value", "old_status", "new_status"]


def _changes(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


def test_each_indicator_gets_its_counts_then_its_first_changes_in_key_order():
    changes = _changes([
        ("N2", "2361", "2020", "T", "", "changed", 10.0, 12.5, "ok", "ok"),
        ("N1", "0023", "2019", "K", "", "removed", 30.41, None, "ok", None),
        ("N1", "0023", "2019", "K", "", "new", None, 1.0, None, "ok"),
        ("N1", "0023", "2018", "K", "15-24", "changed", 4.0, None, "suppressed", "suppressed"),
        ("N1", "0021", "2020", "T", "", "changed", None, 7.25, "missing", "ok"),
        ("N1", "0023", "2018", "K", "", "new", None, 2.0, None, "ok"),
    ])
    assert describe_changes(changes, {"N1": "Andel", "N2": "Antal"}) == [
        "  N1 Andel: 2 nya, 2 ändrade, 1 borttagna",
        "      ändrat  0021 2020 T: saknas → 7,25",
        "      borttaget 0023 2019 K: var 30,41",
        "      ändrat  0023 2018 K 15-24: för få fall → för få fall",
        "  N2 Antal: 0 nya, 1 ändrade, 0 borttagna",
        "      ändrat  2361 2020 T: 10 → 12,5",
    ]


def test_an_indicator_with_many_changes_shows_the_first_ten_and_counts_the_rest():
    changes = _changes([("N1", f"{code:04d}", "2024", "T", "", "changed", 1.0, 2.0, "ok", "ok")
                        for code in range(2400, 2380, -1)] + [("N1", "0001", "2024", "T", "", "new", None, 3.0, None, "ok")])
    lines = describe_changes(changes, {})
    assert lines[0] == "  N1 : 1 nya, 20 ändrade, 0 borttagna"
    assert [line.split()[1] for line in lines[1:-1]] == [f"{code:04d}" for code in range(2381, 2391)]
    assert len(lines) == 2 + MAX_LINES_PER_INDICATOR and lines[-1] == "      … och 10 till"


def test_no_changes_give_no_lines():
    assert describe_changes(_changes([]), {}) == []
