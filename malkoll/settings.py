"""Every setting Målkoll reads, declared once as data.

Settings come from environment variables so that the CLI, the app and the
tests (which point HTTP sources at a local replay server) share one mechanism.
Each one is documented in README.md; `tests/test_settings.py` checks that.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, default and what it is for."""

    name: str
    default: str
    help: str

    def get(self) -> str:
        value = os.environ.get(self.name, "").strip()
        return value or self.default


WAREHOUSE = Setting(
    "MALKOLL_WAREHOUSE",
    "data/malkoll.duckdb",
    "Path of the served DuckDB warehouse, used by the CLI and the app. Relative paths "
    "are relative to the current directory. Built from the offline snapshot if missing.",
)
CONFIG_DIR = Setting(
    "MALKOLL_CONFIG_DIR",
    str(PROJECT_ROOT / "config"),
    "Folder with sources.yml (what to pull) and indicators/*.yml (indicator catalogue).",
)
PLANS_DIR = Setting(
    "MALKOLL_PLANS_DIR",
    str(PROJECT_ROOT / "plans"),
    "Folder with the action plans (*.yml) that the app and `malkoll status` follow.",
)
KOLADA_URL = Setting(
    "MALKOLL_KOLADA_URL",
    "https://api.kolada.se/v3",
    "Base URL of the Kolada v3 API.",
)
KOLADA_FULL_EVERY_DAYS = Setting(
    "MALKOLL_KOLADA_FULL_EVERY_DAYS",
    "30",
    "Days between full Kolada pulls. In between, `malkoll refresh` asks Kolada only for values changed "
    "since the last successful pull (from_date); a full pull also catches silent revisions.",
)
SOCIALSTYRELSEN_URL = Setting(
    "MALKOLL_SOCIALSTYRELSEN_URL",
    "https://sdb.socialstyrelsen.se/api/v1/sv",
    "Base URL of Socialstyrelsen's statistics database API (causes of death).",
)
SCB_URL = Setting(
    "MALKOLL_SCB_URL",
    "https://statistikdatabasen.scb.se/api/v2",
    "Base URL of SCB's PxWeb API (population, the denominators of rates).",
)
HTTP_TIMEOUT = Setting(
    "MALKOLL_HTTP_TIMEOUT",
    "30",
    "Seconds to wait for an HTTP source to connect or send data before retrying.",
)
HTTP_RETRIES = Setting(
    "MALKOLL_HTTP_RETRIES",
    "4",
    "Retries after a failed HTTP request (HTTP 429, 5xx, timeouts, broken or truncated responses).",
)
HTTP_BACKOFF = Setting(
    "MALKOLL_HTTP_BACKOFF",
    "1.0",
    "First wait in seconds between retries; doubles each retry, capped at MALKOLL_HTTP_MAX_WAIT.",
)
HTTP_MAX_WAIT = Setting(
    "MALKOLL_HTTP_MAX_WAIT",
    "60",
    "Longest wait in seconds between retries, also the cap on a server's Retry-After.",
)
SUPPRESSION_THRESHOLD = Setting(
    "MALKOLL_SUPPRESSION_THRESHOLD",
    "5",
    "Counts below this are shown as 'för få fall' (never as zero) in displays and exports.",
)

USERS_FILE = Setting(
    "MALKOLL_USERS_FILE",
    "data/users.toml",
    "Local users (scrypt-hashed passwords, roles viewer/analyst/manager) and roles for identity-provider "
    "users; manage it with `malkoll user add`. Keep it out of version control.",
)
REQUIRE_LOGIN = Setting(
    "MALKOLL_REQUIRE_LOGIN",
    "false",
    "Set to true to require sign-in also for viewing; editing (flags, imports, refresh) always needs it.",
)

ALL: tuple[Setting, ...] = (
    WAREHOUSE,
    CONFIG_DIR,
    PLANS_DIR,
    KOLADA_URL,
    KOLADA_FULL_EVERY_DAYS,
    SOCIALSTYRELSEN_URL,
    SCB_URL,
    HTTP_TIMEOUT,
    HTTP_RETRIES,
    HTTP_BACKOFF,
    HTTP_MAX_WAIT,
    SUPPRESSION_THRESHOLD,
    USERS_FILE,
    REQUIRE_LOGIN,
)


def warehouse_path() -> Path:
    """The served warehouse file (not necessarily existing yet)."""
    return Path(WAREHOUSE.get()).expanduser()


def config_dir() -> Path:
    return Path(CONFIG_DIR.get()).expanduser()
