"""Swedish formatting helpers shared by the app, the CLI and the reports."""

from __future__ import annotations

import pytest

from malkoll.formatting import literal_markdown


@pytest.mark.parametrize("text, shown", [
    ("Halvera *suicid* bland 15_24", r"Halvera \*suicid\* bland 15\_24"),
    ("[Kolada](https://example.org)", r"\[Kolada\](https://example.org)"),
    ("Kostnad $100 <b>", r"Kostnad \$100 \<b\>"),
    ("1. Öka\n- minska\n# rubrik", "1\\. Öka\n\\- minska\n\\# rubrik"),
    ("BUP: andel (%) 2018–2020, 63,5 ≥ 100", "BUP: andel (%) 2018–2020, 63,5 ≥ 100"),
])
def test_plan_text_is_escaped_so_markdown_shows_it_as_written(text, shown):
    assert literal_markdown(text) == shown
