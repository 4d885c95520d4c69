"""Cached reads of the served warehouse for the app.

The cache key includes the warehouse file's modification time, so a publish
(which replaces the file) is picked up on the next rerun without a restart.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from malkoll import settings
from warehouse import read


def warehouse() -> Path:
    return settings.warehouse_path()


def _stamp(path: Path) -> float:
    return path.stat().st_mtime_ns if path.exists() else 0.0


@st.cache_data(show_spinner=False, max_entries=64)
def _indicators(path: str, stamp: float) -> pd.DataFrame:
    return read.indicators(Path(path))


@st.cache_data(show_spinner=False, max_entries=64)
def _areas(path: str, stamp: float) -> pd.DataFrame:
    return read.areas(Path(path))


@st.cache_data(show_spinner=False, max_entries=256)
def _series(path: str, stamp: float, indicator: str, area: str) -> pd.DataFrame:
    return read.series(Path(path), indicator, area)


def indicators() -> pd.DataFrame:
    path = warehouse()
    return _indicators(str(path), _stamp(path))


def areas() -> pd.DataFrame:
    path = warehouse()
    return _areas(str(path), _stamp(path))


def series(indicator: str, area: str) -> pd.DataFrame:
    path = warehouse()
    return _series(str(path), _stamp(path), indicator, area)


@st.cache_data(show_spinner=False, max_entries=256)
def _indicator_areas(path: str, stamp: float, indicator: str) -> pd.DataFrame:
    return read.indicator_areas(Path(path), indicator)


def indicator_areas(indicator: str) -> pd.DataFrame:
    path = warehouse()
    return _indicator_areas(str(path), _stamp(path), indicator)


@st.cache_data(show_spinner=False, max_entries=16)
def _sources_overview(path: str, stamp: float) -> pd.DataFrame:
    return read.sources_overview(Path(path))


@st.cache_data(show_spinner=False, max_entries=16)
def _latest_loads(path: str, stamp: float) -> pd.DataFrame:
    return read.latest_loads(Path(path))


@st.cache_data(show_spinner=False, max_entries=64)
def _load_changes(path: str, stamp: float, load_id: int) -> pd.DataFrame:
    return read.load_changes(Path(path), load_id)


def sources_overview() -> pd.DataFrame:
    path = warehouse()
    return _sources_overview(str(path), _stamp(path))


def latest_loads() -> pd.DataFrame:
    path = warehouse()
    return _latest_loads(str(path), _stamp(path))


def load_changes(load_id: int) -> pd.DataFrame:
    path = warehouse()
    return _load_changes(str(path), _stamp(path), load_id)


@st.cache_data(show_spinner=False, max_entries=16)
def _compare_indicators(path: str, stamp: float) -> pd.DataFrame:
    return read.compare_indicators(Path(path))


@st.cache_data(show_spinner=False, max_entries=128)
def _compare_areas(path: str, stamp: float, indicator: str, region: str) -> pd.DataFrame:
    return read.compare_areas(Path(path), indicator, region)


def compare_indicators() -> pd.DataFrame:
    path = warehouse()
    return _compare_indicators(str(path), _stamp(path))


def compare_areas(indicator: str, region: str) -> pd.DataFrame:
    path = warehouse()
    return _compare_areas(str(path), _stamp(path), indicator, region)
