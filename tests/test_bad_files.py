"""A corpus of malformed files: every one refused with file, row and column; nothing loaded.

Each case is built in code from the real layouts (see test_file_parsers.py) with one thing broken.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl
import pytest

from malkoll.cli import main
from tests.conftest import sha256
from tests.test_file_parsers import socialstyrelsen_rows, vantetider_rows

LOCAL = "indikator;område;period;värde;kommentar\n"
LONG = ("survey;school_year;geo_level;geo_code;geo_name;grade;sex;question_id;question_text;response;share_pct;"
        "n_respondents;source_note\n")
SAD = "ledsen_nedstamd_3man;Andel elever som de senaste tre månaderna ofta eller alltid känt sig ledsen eller nedstämd"


def long_row(grade="Åk 7", sex="K", share="9", name="Jämtlands län", level="lan", code="23") -> str:
    return f"Hälsosamtal i skolan;2015/16;{level};{code};{name};{grade};{sex};{SAD};Ofta eller alltid;{share};;seed\n"


def csv(rows: list[list[str]]) -> bytes:
    return "\n".join(";".join(r) for r in rows).encode("utf-8")


def replace_cell(rows, row, col, value):
    rows = [list(r) for r in rows]
    rows[row][col] = value
    return rows


def xlsx_with_formulas() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["indikator", "område", "period", "värde", "kommentar"])
    sheet.append(["network_meetings_held", "0023", "2018", "=2+2", ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (300 * 1024 * 1024))
    return out.getvalue()


CASES = {
    "empty.csv": b"",
    "blank_lines.csv": b"\n\n  \n",
    "local_header_only.csv": LOCAL.encode(),
    "survey_header_only.csv": LONG.encode(),
    "local_text_value.csv": (LOCAL + "network_meetings_held;0023;2018;fyra;\n").encode(),
    "local_double_comma.csv": (LOCAL + "network_meetings_held;0023;2018;7,,5;\n").encode(),
    "local_unknown_indicator.csv": (LOCAL + "antal_fikapauser;0023;2018;4;\n").encode(),
    "local_unknown_area.csv": (LOCAL + "network_meetings_held;Atlantis;2018;4;\n").encode(),
    "local_month_13.csv": (LOCAL + "network_meetings_held;0023;2018-13;4;\n").encode(),
    "local_two_digit_year.csv": (LOCAL + "network_meetings_held;0023;18;4;\n").encode(),
    "local_duplicated_key.csv": (LOCAL + "network_meetings_held;0023;2018;4;\n"
                                 "network_meetings_held;0023;2018;5;\n").encode(),
    "local_unknown_sex.csv": ("indikator;område;period;värde;kön\nnetwork_meetings_held;0023;2018;4;X\n").encode(),
    "survey_unknown_grade.csv": (LONG + long_row(grade="Åk 12")).encode(),
    "survey_unknown_sex.csv": (LONG + long_row(sex="Vuxna")).encode(),
    "survey_text_share.csv": (LONG + long_row(share="tjugo")).encode(),
    "survey_duplicated_key.csv": (LONG + long_row() + long_row(share="10")).encode(),
    "survey_unknown_municipality.csv": (LONG + long_row(name="Atlantis", level="kommun", code="")).encode(),
    "sdb_text_cell.csv": csv(replace_cell(socialstyrelsen_rows(), 3, 2, "abc")),
    "sdb_unknown_region.csv": csv(replace_cell(socialstyrelsen_rows(), 4, 0, "Region Atlantis")),
    "sdb_duplicated_region.csv": csv(socialstyrelsen_rows()[:4] + socialstyrelsen_rows()[3:]),
    "sdb_shifted_headers.csv": csv([socialstyrelsen_rows()[0]] + socialstyrelsen_rows()[3:]),
    "sdb_negative_number.csv": csv(replace_cell(socialstyrelsen_rows(), 3, 2, "1.234,5")),
    "vantetider_text_share.csv": csv(replace_cell(vantetider_rows(), 7, 1, "åttiotvå")),
    "vantetider_without_month.csv": csv(vantetider_rows()[1:]),
    "fake.xlsx": "indikator;område;period;värde\nnetwork_meetings_held;0023;2018;4\n".encode(),
    "bomb.xlsx": zip_bomb(),
    "too_large.csv": (LOCAL + "network_meetings_held;0023;2018;4;" + "x" * (21 * 1024 * 1024) + "\n").encode(),
    "random_bytes.csv": bytes(range(256)) * 50,
    "utf16.csv": (LOCAL + "network_meetings_held;0023;2018;4;\n").encode("utf-16"),
    "json_renamed.csv": b'{"values": [{"kpi": "N15428", "period": 2018, "value": 82.8}]}',
    "kurvan_processed.csv": (b"indicator,county_code,county_name,year,window,month,age_group,sex,value,count,"
                             b"suppressed\nsuicide_per_100k,23,J\xc3\xa4mtland,2013,2011-2015,,15-24,T,26.9,17,False\n"),
    "formulas.xlsx": xlsx_with_formulas(),
    "only_title.csv": "Andel elever som ofta känt sig ledsna, läsåret 2015/16 (%)\n".encode(),
}


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 30


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_file_is_refused_and_nothing_is_loaded(snapshot_warehouse, tmp_path, capsys, name):
    path = tmp_path / name
    path.write_bytes(CASES[name])
    before = sha256(snapshot_warehouse)
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"Filen avvisades, inget laddades: {name}"), err
    assert len(err.splitlines()) == 1
    assert sha256(snapshot_warehouse) == before
