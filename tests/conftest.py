"""Shared fixtures: throwaway warehouses, a test source selection, and Kolada replay.

Fixtures go from minimal to rich: `env` isolates settings; `selection_dir`
is a config folder that follows the three KPIs whose real Kolada responses
are recorded; `kolada` is the replay server; `snapshot_warehouse` is the
offline snapshot built once per session and copied for each test.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from tests.kolada_replay import SAMPLES, KoladaReplay

ROOT = Path(__file__).resolve().parents[1]
TEST_SELECTION = """\
kolada:
  indicators:
    - {id: N00945, unit: percent, direction: neutral}
    - {id: N03702, unit: other, direction: higher_is_better}
    - {id: N03703, unit: other, direction: higher_is_better}
  areas: ["0180", "1280", "1480"]
"""


def pytest_sessionstart(session: pytest.Session) -> None:
    if not SAMPLES.is_dir():
        raise pytest.UsageError(f"recorded samples missing: expected {SAMPLES} (shared/ beside the checkout)")


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Rows from a short read-only connection to a test warehouse."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Settings isolated per test: a warehouse path in tmp and fast retries."""
    warehouse = tmp_path / "data" / "malkoll.duckdb"
    monkeypatch.setenv("MALKOLL_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("MALKOLL_HTTP_BACKOFF", "0.01")
    monkeypatch.setenv("MALKOLL_HTTP_RETRIES", "2")
    monkeypatch.setenv("MALKOLL_HTTP_TIMEOUT", "5")
    return warehouse


@pytest.fixture
def selection_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, env: Path) -> Path:
    """A config folder following N00945, N03702, N03703 for Stockholm, Göteborg, Malmö."""
    config = tmp_path / "config"
    (config / "indicators").mkdir(parents=True)
    (config / "sources.yml").write_text(TEST_SELECTION, encoding="utf-8")
    monkeypatch.setenv("MALKOLL_CONFIG_DIR", str(config))
    return config


@pytest.fixture
def kolada(monkeypatch: pytest.MonkeyPatch, selection_dir: Path):
    """The Kolada replay server, with MALKOLL_KOLADA_URL pointing at it."""
    with KoladaReplay() as replay:
        monkeypatch.setenv("MALKOLL_KOLADA_URL", replay.base_url)
        yield replay


@pytest.fixture(scope="session")
def _snapshot_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from etl.snapshot.build import build_snapshot

    path = tmp_path_factory.mktemp("snapshot") / "malkoll.duckdb"
    build_snapshot(path)
    return path


@pytest.fixture
def snapshot_warehouse(_snapshot_file: Path, env: Path) -> Path:
    """The offline snapshot warehouse, a fresh copy at MALKOLL_WAREHOUSE."""
    env.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_snapshot_file, env)
    return env
