"""Helpers for AppTest: run the app on a page with URL parameters, read Plotly figures and Markdown tables."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from malkoll.ui.chart import COMPONENT

ROOT = Path(__file__).resolve().parents[1]


ROLES = {"analyst": {"name": "Ada Analytiker", "login": "ada", "role": "analyst"},
         "manager": {"name": "Maria Chef", "login": "maria", "role": "manager"}}


def run_app(params: dict[str, str] | None = None, page: str | None = "pages/indikator.py",
            as_role: str | None = None, opened: tuple[str, ...] = ()) -> AppTest:
    """Run app.py on `page` (None: the start page, exactly as a first visitor gets it),
    signed in as a local user with `as_role` ('analyst' or 'manager') if given, with the
    expanders keyed `opened` open (their content is built only then, malkoll/ui/expanders.py)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    if as_role:
        at.session_state["malkoll_user"] = ROLES[as_role]
    for key in opened:
        at.session_state[key] = True
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    return at.run()


def view_link_params(at: AppTest, page: str) -> dict[str, str]:
    """The query of the view's "Kopiera länk" link (`page` like "/jamfor?"), which holds every view setting."""
    from urllib.parse import parse_qsl, urlsplit

    link = next(c.value for c in at.code if page in c.value)
    return dict(parse_qsl(urlsplit(link).query))


def url_param(at: AppTest, key: str) -> str | None:
    """What the address bar holds for `key` (None when absent: the view's default)."""
    value = at.query_params.get(key)
    return value[-1] if isinstance(value, list) else value


def decoded(array) -> list:
    """Plotly 7 may send arrays as typed base64 ({'dtype', 'bdata'}); give plain lists."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return list(array)


def charts(at: AppTest) -> list:
    """The app's charts (malkoll/ui/chart.py), in page order."""
    return [element for element in at.get("bidi_component") if element.proto.component_name == COMPONENT]


def figure(at: AppTest, index: int = 0) -> dict:
    """The Plotly figure the chart at `index` sends to the browser."""
    drawn = charts(at)
    assert drawn, "no chart rendered"
    return json.loads(json.loads(drawn[index].proto.json)["figure"])


_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def _cell_text(cell: str) -> str:
    cell = cell.strip()
    if cell.startswith(":small[") and cell.endswith("]"):
        cell = cell[len(":small["):-1]
    return re.sub(r"\\(.)", r"\1", cell)


def markdown_row(line: str) -> list[str]:
    """One row of a Markdown table (formatting.markdown_table) as the cell texts a reader sees."""
    return [_cell_text(c) for c in _UNESCAPED_PIPE.split(line.strip()[1:-1])]


def markdown_tables(at: AppTest) -> list[pd.DataFrame]:
    """Every Markdown table the page shows, as the text a reader sees."""
    tables = []
    for element in at.markdown:
        lines = element.value.splitlines()
        if len(lines) < 2 or not lines[0].startswith("| ") or not set(lines[1]) <= {"|", "-"}:
            continue
        header, *rows = [markdown_row(line) for line in [lines[0], *lines[2:]]]
        tables.append(pd.DataFrame(rows, columns=header))
    return tables
