"""File parsers (etl/files): every layout, encoding, separator and number format
analysts send, and every way a file is refused.

All fixture files are written into tmp_path here, from real values: BUP median
days to first visit from Socialstyrelsen's export as processed by Kurvan
(shared/samples/kurvan), Jämtland's 2018 monthly BUP shares and the 2015/16
school survey values from the seed (shared/DOMAIN.md), and rows of the
vantetider.se detail page (shared/samples/vantetider).
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, strategies as st

from etl.files import FileRejected, detect_kind, parse, parse_number, read_table
from etl.files import errors
from etl.files.reader import MAX_FILE_BYTES, AreaNames, cell_status, decode, sniff_delimiter
from etl.files.survey import normalise_grade, normalise_sex, spring_year

ENCODINGS = ["utf-8", "utf-8-sig", "cp1252"]
DELIMITERS = [";", ",", "\t"]

# Real median days to a completed first visit, 2025-07..2026-06 (Kurvan's copy of
# Socialstyrelsen's export). Blekinge 2025-11 and 2025-12 were not published: N.
MONTHS_SV = ["juli", "augusti", "september", "oktober", "november", "december",
             "januari", "februari", "mars", "april", "maj", "juni"]
PERIODS = [f"2025-{m:02d}" for m in range(7, 13)] + [f"2026-{m:02d}" for m in range(1, 7)]
MEDIANS = {
    "Alla regioner": ["28", "30", "19", "20", "21", "21", "28", "21", "21", "25", "24", "23"],
    "Region Blekinge": ["20", "11,5", "11", "17", "N", "N", "22", "14", "15", "18", "20", "15"],
    "Västra Götaland": ["25", "37,5", "19", "17", "18", "20", "32", "22", "21", "22", "23", "27"],
    "Region Gävleborg": ["40", "34", "21", "20", "24,5", "25,5", "29", "24", "26", "27", "23,5", "27"],
    "Jämtland Härjedalen": ["19,5", "21", "12", "18", "25", "20", "29", "23", "21", "25", "22,5", "24"],
}
CODES = {"Alla regioner": "0000", "Region Blekinge": "0010", "Västra Götaland": "0014",
         "Region Gävleborg": "0021", "Jämtland Härjedalen": "0023"}
MEDIAN_TITLE = ("Väntetider i BUP. Kontaktstatus: Genomförd, Fas: Första besök, "
                "Mått: Median (50:e percentilen), Kön: Båda könen, Ålder: Alla åldrar")
FOOTER = "Exportdatum: 2026-08-24"

# Seed: Region Jämtland Härjedalen, first assessment within 30 days, 2018 by month.
JAMTLAND_2018 = ["38", "63", "73", "65", "60", "82", "90", "37"]
# Seed: 2015/16, Jämtlands län, ofta eller alltid ledsen eller nedstämd (%), (pojkar, flickor).
SURVEY = {"Fsk": (2, 2), "Åk 4": (3, 3), "Åk 7": (2, 9), "Gy 1": (6, 22)}
SAD_QUESTION = "Andel elever som de senaste tre månaderna ofta eller alltid känt sig ledsen eller nedstämd"


def write_rows(path: Path, rows: list[list[str]], delimiter: str = ";", encoding: str = "utf-8") -> Path:
    """A CSV as Excel writes it: quoting only where the separator occurs."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def socialstyrelsen_rows(title: str = MEDIAN_TITLE, values: dict[str, list[str]] = MEDIANS) -> list[list[str]]:
    """Regions as rows: title, years (only over each year's first month), months, regions, footer."""
    years = ["", "2025"] + [""] * 5 + ["2026"] + [""] * 5
    return [[title], years, ["Region", *MONTHS_SV], *([name, *v] for name, v in values.items()), [FOOTER]]


def transposed_rows() -> list[list[str]]:
    """The same export transposed: regions over the columns, one row per month."""
    names = list(MEDIANS)
    rows = [[MEDIAN_TITLE], ["År", "Månad", *names]]
    for k, (period, month) in enumerate(zip(PERIODS, MONTHS_SV)):
        year = period[:4] if month in ("juli", "januari") else ""
        rows.append([year, month, *(MEDIANS[n][k] for n in names)])
    return rows + [[FOOTER]]


def expected_median(name: str, k: int) -> float | None:
    text = MEDIANS[name][k]
    return None if text == "N" else float(text.replace(",", "."))


def value(frame, **where) -> float | None:
    rows = frame
    for column, wanted in where.items():
        rows = rows[rows[column] == wanted]
    assert len(rows) == 1, f"{where}: {len(rows)} rows"
    v = rows.iloc[0]["value"]
    return None if isinstance(v, float) and math.isnan(v) else float(v)


def rejected(path: Path, **kwargs) -> FileRejected:
    with pytest.raises(FileRejected) as info:
        parse(path, **kwargs)
    return info.value


# --- reader ------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("57 %", 57.0), ("57%", 57.0), ("4 075 st", 4075.0), ("4\u00a0075", 4075.0), ("1\u202f234,5", 1234.5),
    ("12 345 678", 12345678.0), ("37,5", 37.5), ("37.5", 37.5), ("-3,2", -3.2), ("\u22123,2", -3.2),
    ("0 %", 0.0), ("", None), ("  ", None),
])
def test_parse_number_reads_swedish_formats(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["abc", "7,,5", "1 2", "12 34", "1.234,5", "N", "Ej deltagit", "3,", ",5"])
def test_parse_number_refuses_text(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize("text, status", [
    ("N", "suppressed"), ("..", "suppressed"), ("-", "suppressed"), ("", "missing"),
    ("Ej deltagit", "missing"), ("ej deltagit", "missing"), ("57 %", "ok"), ("0", "ok"),
])
def test_cell_status(text, status):
    assert cell_status(text) == status


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_decode_says_which_encoding(encoding):
    text, used = decode("Jämtland Härjedalen;Gävleborg".encode(encoding))
    assert text == "Jämtland Härjedalen;Gävleborg"
    assert used == encoding


def test_sniff_keeps_decimal_commas_in_semicolon_files():
    text = "Titel\n;Fsk;Fsk\nKommun;Pojkar;Flickor\nLänet;2,5;3,5\nÅre;1,5;2,5\n"
    assert sniff_delimiter(text) == ";"
    assert sniff_delimiter("a,b,c\n1,2,3\n4,5,6\n") == ","
    assert sniff_delimiter("a\tb\n1,5\t2,5\n") == "\t"


def test_read_table_keeps_row_numbers_and_drops_trailing_empty_rows(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('a;b\n"x\ny";1\n\n;;\n\n', encoding="utf-8")
    table = read_table(path)
    assert table.rows == [["a", "b"], ["x\ny", "1"]]
    assert table.row_numbers == [1, 2]
    assert (table.encoding, table.delimiter) == ("utf-8", ";")


def test_area_names_keep_regions_and_municipalities_apart():
    areas = AreaNames.default()
    assert areas.region("Jämtland Härjedalen") == "0023"
    assert areas.region("Region Jämtland Härjedalen") == "0023"
    assert areas.region("Jämtlands län") == "0023"
    assert areas.region("Gävleborg") == "0021"
    assert areas.region("Västra Götalandsregionen") == "0014"
    assert areas.region("Sörmland") == areas.region("Södermanland") == "0004"
    assert areas.region("Alla regioner") == areas.region("Riket") == "0000"
    assert areas.region("Gotland") == "0009"
    assert areas.municipality("Gotland") == "0980"
    assert areas.municipality("Östersunds kommun") == "2380"
    assert areas.municipality("Hällefors kommun") == "1863"


# --- Socialstyrelsen BUP export ---------------------------------------------


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("delimiter", DELIMITERS)
def test_socialstyrelsen_regions_as_rows(tmp_path, encoding, delimiter):
    path = write_rows(tmp_path / "bup.csv", socialstyrelsen_rows(), delimiter, encoding)
    parsed = parse(path)
    obs = parsed.observations
    assert (parsed.kind, parsed.layout, parsed.encoding) == ("bup", "socialstyrelsen", encoding)
    assert len(obs) == 5 * 12
    assert set(obs["indicator_id"]) == {"bup_first_visit_median_wait_days"}
    assert set(obs["sex"]) == {"T"} and set(obs["subgroup"]) == {""}
    for name, code in CODES.items():
        for k, period in enumerate(PERIODS):
            assert value(obs, area_code=code, period=period) == expected_median(name, k), (name, period)
    blekinge_nov = obs[(obs.area_code == "0010") & (obs.period == "2025-11")].iloc[0]
    assert blekinge_nov["status"] == "suppressed"
    assert blekinge_nov["source_ref"] == "bup.csv, rad 5"
    assert obs[obs.area_code == "0023"].iloc[0]["source_ref"] == "bup.csv, rad 8"
    (definition,) = parsed.indicators
    assert definition["id"] == "bup_first_visit_median_wait_days"
    assert definition["definition"] == MEDIAN_TITLE
    assert definition["source"] == "socialstyrelsen"
    assert "export 2026-08-24" in definition["source_ref"]
    assert definition["unit"] == "days" and definition["direction"] == "lower_is_better"


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_socialstyrelsen_transposed(tmp_path, encoding):
    path = write_rows(tmp_path / "bup_t.csv", transposed_rows(), ";", encoding)
    obs = parse(path).observations
    assert len(obs) == 60
    assert value(obs, area_code="0023", period="2025-07") == 19.5
    assert value(obs, area_code="0014", period="2025-08") == 37.5
    assert value(obs, area_code="0021", period="2026-06") == 27.0
    assert value(obs, area_code="0010", period="2025-12") is None
    assert obs[(obs.area_code == "0023") & (obs.period == "2026-01")].iloc[0]["source_ref"] == "bup_t.csv, rad 9"


def test_socialstyrelsen_share_with_percent_signs_and_combined_labels(tmp_path):
    """Jämtland's 2018 first-assessment shares as '38 %' under '2018 januari' labels."""
    months = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti"]
    rows = [
        ["BUP. Kontaktstatus: Genomförd, Fas: Första bedömning, Mått: Andel inom 30 dagar, Kön: Båda könen"],
        ["Region", *(f"2018 {m}" for m in months)],
        ["Region Jämtland Härjedalen", *(f"{v} %" for v in JAMTLAND_2018)],
    ]
    obs = parse(write_rows(tmp_path / "andel.csv", rows)).observations
    assert set(obs["indicator_id"]) == {"bup_first_assessment_within_30_days"}
    assert list(obs.sort_values("period")["value"]) == [38, 63, 73, 65, 60, 82, 90, 37]
    assert list(obs.sort_values("period")["period"]) == [f"2018-{m:02d}" for m in range(1, 9)]


@pytest.mark.parametrize("title, indicator_id, sex, subgroup", [
    ("Kontaktstatus: Genomförd, Fas: Fördjupad utredning, Mått: Andel inom 30 dagar, Kön: Flickor",
     "bup_deepened_assessment_within_30_days", "K", ""),
    ("Kontaktstatus: Genomförd, Fas: Påbörjad behandling, Mått: Andel inom 30 dagar, Kön: Pojkar",
     "bup_treatment_started_within_30_days", "M", ""),
    ("Kontaktstatus: Genomförd, Fas: Första besök, Mått: 75:e percentilen, Ålder: 13-17 år",
     "bup_first_visit_p75_wait_days", "T", "13-17 år"),
])
def test_socialstyrelsen_selection_sets_indicator_sex_and_age(tmp_path, title, indicator_id, sex, subgroup):
    rows = [[f"Väntetider i BUP. {title}"], ["", "2025"], ["Region", "juli"], ["Gävleborg", "40"]]
    parsed = parse(write_rows(tmp_path / "sel.csv", rows))
    row = parsed.observations.iloc[0]
    assert (row["indicator_id"], row["sex"], row["subgroup"], row["area_code"]) == (indicator_id, sex, subgroup, "0021")
    assert parsed.indicators[0]["id"] == indicator_id
    assert parsed.indicators[0]["title_sv"]


def test_socialstyrelsen_xlsx_with_merged_year_cells(tmp_path):
    """An Excel save of the export: years as merged cells over their months."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in socialstyrelsen_rows():
        ws.append([float(c.replace(",", ".")) if c.replace(",", "").isdigit() else c for c in r])
    ws.merge_cells("B2:G2")
    ws.merge_cells("H2:M2")
    path = tmp_path / "bup.xlsx"
    wb.save(path)
    parsed = parse(path)
    assert parsed.encoding == "xlsx"
    assert value(parsed.observations, area_code="0023", period="2025-07") == 19.5
    assert value(parsed.observations, area_code="0000", period="2026-06") == 23.0


# --- vantetider.se detail export ---------------------------------------------

VANTETIDER_HEADER = ["Landsting / region", "Andel genomförda inom 30 dagar", "Antal genomförda totalt",
                     "Antal genomförda exkl PVV", "Genomförda väntetid 30 dagar eller kortare", "PVV",
                     "31 dagar eller längre", "Svarsfrekvens"]


def vantetider_rows() -> list[list[str]]:
    """Rows of snapshot D (Alla landsting, a sjukvårdsregion, Dalarna 'Ej deltagit') and
    snapshot A (Norrbotten 0 % of 0), in one month's table, as the Excel export is assumed to be."""
    return [
        ["Barn- och ungdomspsykiatri, per månad, januari 2018"],
        [],
        ["Första bedömning"],
        VANTETIDER_HEADER,
        ["Alla landsting", "75 %", "3 580 st", "3 152 st", "2 353 st", "428 st", "", "94 %"],
        ["Norra sjukvårdsregionen", "47 %", "253 st", "233 st", "110 st", "20 st", "", "100 %"],
        ["Dalarna", "Ej deltagit", "Ej deltagit", "Ej deltagit", "Ej deltagit", "Ej deltagit", "", "Ej deltagit"],
        ["Jämtland Härjedalen", "82 %", "34 st", "33 st", "27 st", "1 st", "", "100 %"],
        ["Norrbotten", "0 %", "0 st", "0 st", "0 st", "0 st", "", "100 %"],
        ["Västra Götaland", "64 %", "490 st", "469 st", "302 st", "21 st", "", "100 %"],
        [],
        ["Fördjupad utredningFördjupad utredning"],
        VANTETIDER_HEADER,
        ["Alla regioner", "60 %", "1 329 st", "1 234 st", "743 st", "95 st", "", "92 %"],
    ]


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_vantetider_detail_export(tmp_path, encoding):
    parsed = parse(write_rows(tmp_path / "BUPDetalj.csv", vantetider_rows(), ";", encoding))
    obs = parsed.observations
    assert (parsed.kind, parsed.layout) == ("bup", "vantetider")
    first = obs[obs.indicator_id == "bup_first_assessment_within_30_days"].set_index("area_code")
    assert set(obs["period"]) == {"2018-01"}
    assert first.loc["0023", ["value", "numerator", "denominator", "status"]].tolist() == [82.0, 27.0, 33.0, "ok"]
    assert first.loc["0000", ["value", "numerator", "denominator"]].tolist() == [75.0, 2353.0, 3152.0]
    assert first.loc["0025", "status"] == "missing" and math.isnan(first.loc["0025", "value"])  # 0 % of 0
    assert first.loc["0020", "status"] == "missing"  # Ej deltagit
    assert first.loc["0014", "source_ref"] == "BUPDetalj.csv, rad 10"
    deepened = obs[obs.indicator_id == "bup_deepened_assessment_within_30_days"]
    assert deepened[["area_code", "value", "numerator", "denominator"]].values.tolist() == [["0000", 60.0, 743.0, 1234.0]]
    assert any("Norra sjukvårdsregionen" in w for w in parsed.warnings)
    assert any("svarsfrekvens 94" in w for w in parsed.warnings)
    ids = {d["id"] for d in parsed.indicators}
    assert ids == {"bup_first_assessment_within_30_days", "bup_deepened_assessment_within_30_days"}


def test_vantetider_xlsx_with_percent_cells(tmp_path):
    """Excel holds '82 %' as 0.82 formatted as percent; the parser must give 82."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["BUP per månad, februari 2018"])
    ws.append(["Första bedömning"])
    ws.append(VANTETIDER_HEADER)
    ws.append(["Jämtland Härjedalen", 0.63, 50, 48, 30, 2, None, 1])
    ws["B4"].number_format = "0 %"
    ws["H4"].number_format = "0%"
    path = tmp_path / "vantetider.xlsx"
    wb.save(path)
    obs = parse(path).observations
    assert obs[["area_code", "period", "value", "numerator", "denominator"]].values.tolist() == [
        ["0023", "2018-02", 63.0, 30.0, 48.0]]


def test_vantetider_needs_a_month(tmp_path):
    rows = vantetider_rows()[2:]
    error = rejected(write_rows(tmp_path / "v.csv", rows))
    assert error.row == 1 and "vilken månad" in str(error)
    assert parse(write_rows(tmp_path / "v.csv", rows), period="2018-03").observations["period"].unique().tolist() == ["2018-03"]


# --- School survey -------------------------------------------------------------

LONG_HEADER = ["survey", "school_year", "geo_level", "geo_code", "geo_name", "grade", "sex",
               "question_id", "question_text", "response", "share_pct", "n_respondents", "source_note"]


def long_rows(grades=("Fsk", "Åk4", "Åk7", "Gy1"), geo_code="23", year="2015/16", n="") -> list[list[str]]:
    """The seed's long table, as in samples/school_survey (one row per grade and sex)."""
    rows = [LONG_HEADER]
    for spelled, (boys, girls) in zip(grades, SURVEY.values()):
        for sex, share in (("M", boys), ("K", girls)):
            rows.append(["Hälsosamtal i skolan", year, "lan", geo_code, "Jämtlands län", spelled, sex,
                         "ledsen_nedstamd_3man", SAD_QUESTION, "Ofta eller alltid", str(share), n, "seed 001"])
    return rows


def crosstab_rows(year: str = "läsåret 2015/16") -> list[list[str]]:
    """The report's cross-tab: grade over two columns (merged: blank to the right)."""
    grades, sexes, values = [""], ["Kommun"], ["Länet"]
    for grade, (boys, girls) in SURVEY.items():
        grades += [grade, ""]
        sexes += ["Pojkar", "Flickor"]
        values += [str(boys), str(girls)]
    return [[f"{SAD_QUESTION}, {year} (%)"], grades, sexes, values,
            ["Källa: Skolelevers hälsa och levnadsvanor, länsrapport 2015-2016 (Region Jämtland Härjedalen)"]]


def assert_seed_survey(obs) -> None:
    assert set(obs["indicator_id"]) == {"school_survey_often_sad_low"}
    assert set(obs["area_code"]) == {"0023"} and set(obs["period"]) == {"2016"}
    got = {(r.subgroup, r.sex): r.value for r in obs.itertuples()}
    assert got == {(g, s): float(v) for g, pair in SURVEY.items() for s, v in zip("MK", pair)}


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("delimiter", DELIMITERS)
def test_survey_long(tmp_path, encoding, delimiter):
    parsed = parse(write_rows(tmp_path / "enkat.csv", long_rows(), delimiter, encoding))
    assert (parsed.kind, parsed.layout, parsed.encoding) == ("survey", "survey_long", encoding)
    assert_seed_survey(parsed.observations)
    assert parsed.observations.iloc[3]["source_ref"] == "enkat.csv, rad 5"
    (definition,) = parsed.indicators
    assert definition["id"] == "school_survey_often_sad_low" and definition["direction"] == "lower_is_better"


def test_survey_long_by_name_with_thousands_in_n(tmp_path):
    """Area by name ("Länet" with the caller's region), 'årskurs 4' spellings, n with no-break spaces."""
    rows = long_rows(grades=("förskoleklass", "årskurs 4", "ÅK 7", "gymnasiet år 1"), geo_code="", year="2015-2016",
                     n="1\u00a0200")
    for r in rows[1:]:
        r[4] = "Länet"
    obs = parse(write_rows(tmp_path / "n.csv", rows, ";", "cp1252"), region_code="0023").observations
    assert_seed_survey(obs)
    assert set(obs["denominator"]) == {1200.0}
    assert value(obs, subgroup="Gy 1", sex="K") == 22.0
    assert obs[(obs.subgroup == "Gy 1") & (obs.sex == "K")].iloc[0]["numerator"] == 264.0


def test_survey_other_question_gets_its_own_indicator(tmp_path):
    rows = long_rows()
    for r in rows[1:]:
        r[7], r[8], r[9] = "sover_bra", "Andel elever som ofta eller alltid sover bra", "Ofta eller alltid"
    parsed = parse(write_rows(tmp_path / "sovn.csv", rows))
    assert set(parsed.observations["indicator_id"]) == {"school_survey_sover_bra"}
    (definition,) = parsed.indicators
    assert definition["id"] == "school_survey_sover_bra"
    assert definition["title_sv"] == "Andel elever som ofta eller alltid sover bra"
    assert (definition["unit"], definition["source"], definition["frequency"]) == ("percent", "survey", "annual")


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("delimiter", DELIMITERS)
def test_survey_crosstab(tmp_path, encoding, delimiter):
    parsed = parse(write_rows(tmp_path / "rapport.csv", crosstab_rows(), delimiter, encoding))
    assert (parsed.kind, parsed.layout) == ("survey", "survey_crosstab")
    assert_seed_survey(parsed.observations)
    assert set(parsed.observations["source_ref"]) == {"rapport.csv, rad 4"}
    assert parsed.indicators[0]["source_ref"].startswith("Källa: Skolelevers hälsa")


def test_survey_crosstab_xlsx_with_merged_headers(tmp_path):
    """The report table in Excel: grade cells merged over Pojkar/Flickor, title merged across."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in crosstab_rows():
        ws.append([int(c) if c.isdigit() else (c or None) for c in r])
    ws.merge_cells("A1:I1")
    for first in ("B", "D", "F", "H"):
        ws.merge_cells(f"{first}2:{chr(ord(first) + 1)}2")
    ws.insert_rows(4)  # an empty row between header and data, as reports have
    path = tmp_path / "rapport.xlsx"
    wb.save(path)
    table = read_table(path)
    assert table.rows[1] == ["", "Fsk", "Fsk", "Åk 4", "Åk 4", "Åk 7", "Åk 7", "Gy 1", "Gy 1"]
    parsed = parse(path)
    assert_seed_survey(parsed.observations)
    assert set(parsed.observations["source_ref"]) == {"rapport.xlsx, rad 5"}


def test_survey_crosstab_municipality_rows_and_caller_region(tmp_path):
    rows = crosstab_rows()[:-1]  # no footer naming the region
    rows.append(["Östersunds kommun", "1", "2", "3", "4", "5", "6", "7", "8"])
    obs = parse(write_rows(tmp_path / "x.csv", rows), region_code="0021").observations
    assert set(obs["area_code"]) == {"0021", "2380"}
    assert value(obs, area_code="2380", subgroup="Gy 1", sex="K") == 8.0


@pytest.mark.parametrize("text, grade", [
    ("Fsk", "Fsk"), ("förskoleklass", "Fsk"), ("F-klass", "Fsk"), ("Åk4", "Åk 4"), ("åk 4", "Åk 4"),
    ("ÅK 4", "Åk 4"), ("årskurs 7", "Åk 7"), ("Åk 9", "Åk 9"), ("Gy1", "Gy 1"), ("gy 2", "Gy 2"),
    ("gymnasiet år 1", "Gy 1"), ("år 2 gymnasiet", "Gy 2"), ("Gymnasiet åk 1", "Gy 1"),
    ("Åk 12", None), ("Mellanstadiet", None),
])
def test_normalise_grade(text, grade):
    assert normalise_grade(text) == grade


@pytest.mark.parametrize("text, sex", [
    ("pojkar", "M"), ("Pojke", "M"), ("M", "M"), ("flickor", "K"), ("Flicka", "K"), ("K", "K"),
    ("alla", "T"), ("Totalt", "T"), ("T", "T"), ("Båda könen", "T"), ("Vuxna", None),
])
def test_normalise_sex(text, sex):
    assert normalise_sex(text) == sex


@pytest.mark.parametrize("text, period", [
    ("2015/16", "2016"), ("2015-2016", "2016"), ("2015/2016", "2016"), ("läsåret 2015/16", "2016"),
    ("2016", "2016"), ("2015/17", None), ("höst", None),
])
def test_spring_year(text, period):
    assert spring_year(text) == period


# --- Local template ------------------------------------------------------------


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("delimiter", DELIMITERS)
def test_local_template(tmp_path, encoding, delimiter):
    thin = "\u00a0" if encoding == "cp1252" else "\u202f"  # cp1252 has no narrow no-break space
    rows = [
        ["indikator", "område", "period", "värde", "kommentar", "undergrupp"],
        ["network_meetings_held", "Region Jämtland Härjedalen", "2024", "4", "Regionalt Jämtbusnätverk", "Regionalt Jämtbusnätverk"],
        ["regional_coordination_done", "0023", "2024", "Ja", "", ""],
        ["municipalities_with_child_health_team", "Jämtlands län", "2024", "6", "", ""],
        ["placed_children_health_exam_before_placement", "Östersund", "2024-06", f"1{thin}234,5", "", "LVU"],
        ["placed_children_health_exam_before_placement", "Östersund", "2023", "..", "", "LVU"],
    ]
    parsed = parse(write_rows(tmp_path / "lokal.csv", rows, delimiter, encoding))
    obs = parsed.observations
    assert parsed.kind == "local"
    assert obs[["indicator_id", "area_code", "period", "subgroup", "value", "status"]].values.tolist()[:4] == [
        ["network_meetings_held", "0023", "2024", "Regionalt Jämtbusnätverk", 4.0, "ok"],
        ["regional_coordination_done", "0023", "2024", "", 1.0, "ok"],
        ["municipalities_with_child_health_team", "0023", "2024", "", 6.0, "ok"],
        ["placed_children_health_exam_before_placement", "2380", "2024-06", "LVU", 1234.5, "ok"],
    ]
    assert obs.iloc[4]["status"] == "suppressed"
    assert obs.iloc[4]["source_ref"] == "lokal.csv, rad 6"


def test_local_template_skips_rows_left_blank(tmp_path):
    """The downloaded template lists every plan indicator; unfilled rows must not become 'missing'."""
    rows = [["indicator", "area", "period", "value", "comment"],
            ["network_meetings_held", "0023", "", "", "Antal träffar i länsnätverket"],
            ["network_meetings_held", "0023", "2024", "5", "Antal träffar i länsnätverket"],
            ["regional_coordination_done", "0023", "2024", "saknas", ""]]
    parsed = parse(write_rows(tmp_path / "malkoll_lokala_indikatorer.csv", rows, ";", "utf-8-sig"))
    assert parsed.observations[["indicator_id", "value", "status"]].values.tolist()[0] == ["network_meetings_held", 5.0, "ok"]
    assert parsed.observations.iloc[1]["status"] == "missing"
    assert parsed.warnings == ["malkoll_lokala_indikatorer.csv: 1 rad utan värde hoppades över (rad 2)"]


def test_local_template_checks_indicator_ids_when_given(tmp_path):
    rows = [["indikator", "område", "period", "värde", "kommentar"], ["ind3", "Åre", "2024", "1", ""]]
    error = rejected(write_rows(tmp_path / "l.csv", rows), known_indicators={"network_meetings_held"})
    assert (error.row, error.column, error.found) == (2, "indikator", "ind3")


def test_every_bad_row_of_a_local_file_is_named_in_one_refusal(tmp_path):
    """The analyst fixes the file once, not once per error (bad rows 3, 4 and 6 of 5 data rows)."""
    rows = [["indikator", "område", "period", "värde", "kommentar"],
            ["network_meetings_held", "0023", "2024", "4", ""],
            ["network_meetings_held", "Åre", "24", "4", ""],
            ["network_meetings_held", "Ingenstans", "2024", "4", ""],
            ["network_meetings_held", "2361", "2024", "4", ""],
            ["network_meetings_held", "2380", "2024", "fyra", ""]]
    error = rejected(write_rows(tmp_path / "l.csv", rows))
    assert str(error).startswith("3 fel. l.csv, rad 3, kolumn \"period\"")
    assert 'rad 4, kolumn "område": fann "Ingenstans"' in str(error) and 'rad 6, kolumn "värde"' in str(error)
    assert (error.row, error.column) == (3, "period")  # the first, for callers that look at one


def test_a_misspelt_region_is_named_once_beside_the_other_problems_of_a_bup_export(tmp_path):
    values = dict(MEDIANS)
    values["Region Jämtlan"] = values.pop(next(iter(MEDIANS)))
    second = next(iter(values))
    values[second] = ["sex"] + values[second][1:]
    error = rejected(write_rows(tmp_path / "bup.csv", socialstyrelsen_rows(values=values)))
    assert str(error).startswith("2 fel. ") and str(error).count('fann "Region Jämtlan"') == 1
    assert 'fann "sex"' in str(error)


def test_a_vantetider_export_names_every_bad_row_at_once(tmp_path):
    rows = vantetider_rows()
    rows[7] = ["Jämtlnd Härjedalen", *rows[7][1:]]  # misspelt
    rows[9] = [rows[9][0], "sextiofyra", *rows[9][2:]]  # text in the share
    error = rejected(write_rows(tmp_path / "vt.csv", rows))
    assert str(error).startswith("2 fel. vt.csv, rad 8") and 'fann "Jämtlnd Härjedalen"' in str(error)
    assert 'rad 10' in str(error) and 'fann "sextiofyra"' in str(error)


# --- detect_kind ---------------------------------------------------------------


def test_detect_kind(tmp_path):
    def kind(name, rows):
        return detect_kind(read_table(write_rows(tmp_path / name, rows)))

    assert kind("a.csv", socialstyrelsen_rows()) == "bup"
    assert kind("b.csv", transposed_rows()) == "bup"
    assert kind("c.csv", vantetider_rows()) == "bup"
    assert kind("d.csv", long_rows()) == "survey"
    assert kind("e.csv", crosstab_rows()) == "survey"
    assert kind("f.csv", [["indikator", "område", "period", "värde", "kommentar"], ["x", "Åre", "2024", "1", ""]]) == "local"
    assert kind("g.csv", [["namn", "telefon"], ["Anna", "070"]]) is None


# --- Refused files -------------------------------------------------------------


def test_empty_file(tmp_path):
    path = tmp_path / "tom.csv"
    path.write_bytes(b"\xef\xbb\xbf\r\n;;\r\n")
    error = rejected(path)
    assert (error.reason, error.file, error.row) == (errors.EMPTY, "tom.csv", None)
    assert str(error).startswith("tom.csv: filen är tom")


@pytest.mark.parametrize("rows, row", [
    ([["indikator", "område", "period", "värde", "kommentar"]], 1),
    (socialstyrelsen_rows(values={}), 3),
    (long_rows()[:1], 1),
    (crosstab_rows()[:3], 3),
    ([["bara en rubrik", "och en till"]], 1),
])
def test_header_only(tmp_path, rows, row):
    error = rejected(write_rows(tmp_path / "rubrik.csv", rows))
    assert (error.reason, error.row) == (errors.HEADER_ONLY, row)
    assert "bara rubriker" in str(error)


def test_file_of_another_kind(tmp_path):
    error = rejected(write_rows(tmp_path / "kontakter.csv", [["namn", "telefon"], ["Anna", "070"], ["Bo", "071"]]))
    assert error.reason == errors.UNKNOWN_KIND
    assert str(error).startswith("kontakter.csv: känner inte igen filen")


def test_file_of_another_kind_than_chosen(tmp_path):
    error = rejected(write_rows(tmp_path / "enkat.csv", long_rows()), kind="bup")
    assert error.reason == errors.UNKNOWN_KIND and "BUP-väntetider" in str(error) and "elevhälsoenkät" not in str(error)


def test_text_in_a_number_column(tmp_path):
    values = dict(MEDIANS)
    values["Region Blekinge"] = ["7,,5", *MEDIANS["Region Blekinge"][1:]]
    error = rejected(write_rows(tmp_path / "bup.csv", socialstyrelsen_rows(values=values)))
    assert (error.reason, error.row, error.column, error.found) == (errors.NOT_A_NUMBER, 5, "2025 juli", "7,,5")
    assert str(error) == 'bup.csv, rad 5, kolumn "2025 juli": fann "7,,5", väntade ett tal med decimalkomma'


def test_text_in_a_survey_share(tmp_path):
    rows = crosstab_rows()
    rows[3][4] = "tre"
    error = rejected(write_rows(tmp_path / "x.csv", rows))
    assert (error.row, error.column, error.found) == (4, "Åk 4 Flickor", "tre")


def test_share_above_100(tmp_path):
    rows = long_rows()
    rows[2][10] = "220"
    error = rejected(write_rows(tmp_path / "x.csv", rows))
    assert (error.row, error.column, error.found) == (3, "share_pct", "220")


def test_duplicated_survey_key(tmp_path):
    rows = long_rows()
    rows.append(list(rows[3]))
    error = rejected(write_rows(tmp_path / "dubbel.csv", rows))
    assert (error.reason, error.row, error.found) == (errors.DUPLICATE_KEY, 10, "0023, 2016, Åk 4, M")
    assert "rad 4" in str(error)


def test_duplicated_bup_region(tmp_path):
    values = dict(MEDIANS)
    rows = socialstyrelsen_rows(values=values)
    rows.insert(5, ["Region Jämtland Härjedalen", *MEDIANS["Jämtland Härjedalen"]])
    error = rejected(write_rows(tmp_path / "bup.csv", rows))
    assert (error.reason, error.row) == (errors.DUPLICATE_KEY, 9)
    assert error.found == "0023, 2025-07"


def test_unknown_region(tmp_path):
    values = {"Alla regioner": MEDIANS["Alla regioner"], "Region Jämtlandia": MEDIANS["Jämtland Härjedalen"]}
    error = rejected(write_rows(tmp_path / "bup.csv", socialstyrelsen_rows(values=values)))
    assert (error.reason, error.row, error.found) == (errors.UNKNOWN_AREA, 5, "Region Jämtlandia")


def test_unknown_municipality(tmp_path):
    rows = crosstab_rows()
    rows[3][0] = "Östersundd"
    error = rejected(write_rows(tmp_path / "x.csv", rows))
    assert (error.reason, error.row, error.column, error.found) == (errors.UNKNOWN_AREA, 4, "Kommun", "Östersundd")


def test_lanet_without_a_region(tmp_path):
    error = rejected(write_rows(tmp_path / "x.csv", crosstab_rows()[:-1]))
    assert (error.reason, error.row, error.found) == (errors.UNKNOWN_AREA, 4, "Länet")


def test_unknown_grade_and_sex(tmp_path):
    rows = long_rows()
    rows[4][5] = "Åk 12"
    error = rejected(write_rows(tmp_path / "x.csv", rows))
    assert (error.reason, error.row, error.column, error.found) == (errors.UNKNOWN_GRADE, 5, "grade", "Åk 12")
    rows = crosstab_rows()
    rows[2][3] = "Pojkr"
    error = rejected(write_rows(tmp_path / "y.csv", rows))
    assert (error.reason, error.row, error.found) == (errors.UNKNOWN_SEX, 3, "Pojkr")


def test_fake_xlsx(tmp_path):
    path = write_rows(tmp_path / "export.xlsx", socialstyrelsen_rows())
    error = rejected(path)
    assert (error.reason, error.file) == (errors.NOT_XLSX, "export.xlsx")
    assert "riktig .xlsx-fil" in str(error)


def test_old_xls(tmp_path):
    path = tmp_path / "gammal.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    assert rejected(path).reason == errors.NOT_XLSX


def test_over_limit_file(tmp_path):
    path = tmp_path / "stor.csv"
    with path.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: no 20 MB written
    error = rejected(path)
    assert (error.reason, error.file) == (errors.TOO_LARGE, "stor.csv")
    assert "högst 20 MB" in str(error)


def test_zip_bomb_xlsx(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 2**20))
    error = rejected(path)
    assert error.reason == errors.TOO_LARGE and "uppackat" in str(error)


def test_binary_garbage_is_not_text(tmp_path):
    path = tmp_path / "skrap.csv"
    path.write_bytes(b"a;b\n\x81\x8d\x8f;1\n")
    assert rejected(path).reason == errors.ENCODING


# --- Properties ----------------------------------------------------------------


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99),
       st.sampled_from([" ", "\u00a0", "\u202f"]), st.sampled_from(["", " %", " st"]))
def test_parse_number_reads_any_grouped_number(whole, cents, space, suffix):
    grouped = f"{whole:,}".replace(",", space)
    assert parse_number(f"{grouped},{cents:02d}{suffix}") == pytest.approx(whole + cents / 100)
