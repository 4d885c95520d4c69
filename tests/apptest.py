"""Helpers for AppTest: run the app on a page with URL parameters, read Plotly figures."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
from streamlit.testing.v1 import AppTest

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


def decoded(array) -> list:
    """Plotly 7 may send arrays as typed base64 ({'dtype', 'bdata'}); give plain lists."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"])).tolist()
    return list(array)


def figure(at: AppTest, index: int = 0) -> dict:
    charts = at.get("plotly_chart")
    assert charts, "no chart rendered"
    return json.loads(charts[index].proto.spec)
