"""Swedish formatting helpers shared by the app, the CLI and the reports."""

from __future__ import annotations

import pandas as pd
import pytest

from malkoll.formatting import literal_markdown, markdown_table, number, period_text, pooled_window


@pytest.mark.parametrize("text, shown", [
    ("Halvera *suicid* bland 15_24", r"Halvera \*suicid\* bland 15\_24"),
    ("[Kolada](https://example.org)", r"\[Kolada\](https://example.org)"),
    ("Kostnad $100 <b>", r"Kostnad \$100 \<b\>"),
    ("1. Öka\n- minska\n# rubrik", "1\\. Öka\n\\- minska\n\\# rubrik"),
    ("BUP: andel (%) 2018–2020, 63,5 ≥ 100", "BUP: andel (%) 2018–2020, 63,5 ≥ 100"),
])
def test_plan_text_is_escaped_so_markdown_shows_it_as_written(text, shown):
    assert literal_markdown(text) == shown


def test_markdown_table_has_one_row_per_record_in_small_type():
    table = markdown_table([{"Indikator": "BUP", "Senaste värde": "63,5"}, {"Indikator": "Suicid", "Senaste värde": "–"}])
    assert table.splitlines() == ["| :small[Indikator] | :small[Senaste värde] |", "|---|---|",
                                  "| :small[BUP] | :small[63,5] |", "| :small[Suicid] | :small[–] |"]


def test_markdown_table_cells_with_pipes_brackets_and_line_breaks_stay_in_their_cell():
    from tests.apptest import markdown_row

    lines = markdown_table([{"x": "a | b ] *c*\nrad två", "y": ""}]).splitlines()
    assert len(lines) == 3
    assert markdown_row(lines[2]) == ["a | b ] *c* rad två", ""]  # two cells, the text as written


def test_markdown_table_of_nothing_is_empty():
    assert markdown_table([]) == ""



def test_numbers_round_half_up_as_a_reader_would_so_every_page_shows_one_figure():
    # Half of 21,77 is 10,885: stored as 10.88499… in binary, it used to read 10,88 in one place and
    # 10,89 in another.
    assert number(21.77 / 2, 2) == "10,89" and number(0.125, 2) == "0,13" and number(-1.005, 2) == "-1,01"
    assert number(2.5, 0) == "3" and number(float("inf")) == "inf"


def test_period_text_names_pooled_windows_and_months():
    assert period_text("2015", 5) == "2011–2015"
    assert period_text("2018", 3) == "2016–2018"
    assert period_text("2018") == "2018"
    assert period_text("2018-08") == "aug 2018"


@pytest.mark.parametrize("value, window", [(5, 5), (3.0, 3), (None, None), (float("nan"), None), (pd.NA, None),
                                           (0, None), (1, None)])
def test_pooled_window_reads_the_catalogue_value_from_rows_and_frames_alike(value, window):
    assert pooled_window(value) == window


def test_a_pooled_window_is_labelled_with_an_en_dash_like_every_other_range():
    from malkoll.formatting import period_label

    assert period_label("2011-2015") == "2011–2015" and period_label("2018-08") == "aug 2018"
