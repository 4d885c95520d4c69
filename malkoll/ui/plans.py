"""Plans and their statuses for the app, cached on the plan files' and warehouse's change times."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from malkoll.goal_status import GoalStatus, plan_status
from malkoll.plan import LoadedPlan, known_indicator_ids, load_plans_in_use, plan_files
from malkoll.ui.data import Stamp, indicators, stamp, warehouse

STATUS_GROUP = {
    "moving_away": "bad", "not_met": "bad",
    "limited_progress": "warn", "needs_acceleration": "warn", "close": "warn", "indistinguishable": "warn",
    "on_track": "good", "meets": "good", "target_reached": "good",
    "cannot_assess": "unknown",
}
GROUP_COLOUR = {"bad": "red", "warn": "orange", "good": "green", "unknown": "gray"}
GROUP_ORDER = {"bad": 0, "warn": 1, "unknown": 2, "good": 3}


def _plan_stamps() -> tuple[tuple[str, Stamp], ...]:
    return tuple((str(p), stamp(p)) for p in plan_files())


@st.cache_data(show_spinner=False, max_entries=8)
def _plans(stamps: tuple[tuple[str, Stamp], ...], warehouse_path: str, warehouse_stamp: Stamp) -> list[LoadedPlan]:
    paths = [Path(p) for p, _ in stamps]
    known = known_indicator_ids()  # the catalogue and the Kolada selection
    if Path(warehouse_path).exists():
        known |= {i["indicator_id"] for i in indicators()}  # the pages' cached list, not another query
    return load_plans_in_use(paths, known, Path(warehouse_path))


def plans_in_use() -> list[LoadedPlan]:
    path = warehouse()
    return _plans(_plan_stamps(), str(path), stamp(path))


@st.cache_data(show_spinner=False, max_entries=16)
def _statuses(plan_path: str, plan_stamp: Stamp, warehouse_path: str, warehouse_stamp: Stamp,
              _plan) -> list[GoalStatus]:
    return plan_status(_plan, Path(warehouse_path))


def statuses(loaded: LoadedPlan) -> list[GoalStatus]:
    path = warehouse()
    return _statuses(str(loaded.path), stamp(loaded.path), str(path), stamp(path), loaded.plan)
