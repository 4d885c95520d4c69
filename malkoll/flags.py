"""Managers' flags on goals: who said a goal is off track, when, and why, never overwritten.

Flags live in their own DuckDB file beside the statistics warehouse
(`<warehouse>.flags.duckdb`), because the warehouse is replaced wholesale by
every publish: a refresh can never lose a flag, and a flag written while a
refresh runs goes to a different file. Rows are only ever inserted; the
latest flag of a goal is simply its newest row, and the history is all rows.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from malkoll.formatting import literal_markdown
from malkoll.i18n import t

KINDS = {"ur_fas": "Ur fas", "risk": "Risk", "i_fas": "I fas", "diskutera": "Behöver diskuteras",
         # Withdraws the goal's flag: rows are never deleted, so clearing is a row of its own, with why.
         "ingen": "Ingen flagga"}
CLEARED = "ingen"
# Computed statuses a manual flag contradicts.
CONTRADICTS = {"ur_fas": {"on_track", "meets", "target_reached"},
               "i_fas": {"moving_away", "not_met", "limited_progress"}}
LOCK_WAIT_SECONDS = 10.0
# One app process serves every session. Two of its sessions saving at once would share one DuckDB
# database and collide (both read the same next flag_id); another process is kept out by the file lock.
_WRITING = threading.Lock()
SCHEMA = """
create table if not exists flags (
    flag_id        bigint primary key,
    plan_id        varchar not null,
    goal_id        varchar not null,
    indicator_id   varchar,             -- optional: the flag concerns one indicator of the goal
    kind           varchar not null,    -- ur_fas | risk | i_fas | diskutera
    comment        varchar not null,
    follow_up_date date,
    author         varchar not null,    -- the signed-in user, never free text
    created_at     timestamp not null   -- UTC
)
"""


class FlagError(ValueError):
    """A flag was refused (no comment, unknown kind, no author); the message says why in Swedish."""


@dataclass(frozen=True)
class Flag:
    flag_id: int
    plan_id: str
    goal_id: str
    indicator_id: str | None
    kind: str
    comment: str
    follow_up_date: dt.date | None
    author: str
    created_at: dt.datetime

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    def line_markdown(self, latest: bool = True) -> str:
        """'Senaste flagga: **Risk** (author, date): comment Följs upp …' for the pages; without `latest`
        (a history entry) no "Senaste flagga". Comment and author are shown as written.

        A comment is a manager's plain text: a '*' or '[..](..)' in it must not
        become emphasis or a live link on the overview, the indicator page or in
        meeting mode.
        """
        return t("flag_line" if latest else "flag_history_line", label=self.label,
                 author=literal_markdown(self.author), date=self.created_at.strftime("%Y-%m-%d"),
                 comment=literal_markdown(self.comment)) + self._follow_up()

    def line_text(self) -> str:
        """'Risk (author, date): comment' as plain text, for the Word, PDF and PowerPoint files."""
        return f"{self.label} ({self.author}, {self.created_at:%Y-%m-%d}): {self.comment}" + self._follow_up()

    def _follow_up(self) -> str:
        return t("flag_follow_up_line", date=f"{self.follow_up_date:%Y-%m-%d}") if self.follow_up_date else ""

    def contradicts(self, status_code: str) -> bool:
        """True when the manager's judgement differs from the computed status."""
        return status_code in CONTRADICTS.get(self.kind, set())


def flags_path(warehouse: Path) -> Path:
    return Path(warehouse).with_name(Path(warehouse).name + ".flags.duckdb")


def _connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A short connection, waiting while another process holds the file for writing.

    Also waits while another session of this app process has it open the other
    way (reading or writing): DuckDB refuses a second connection to one file
    with a different configuration in the same process (ConnectionException).
    """
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            if read_only and not path.exists():
                con = duckdb.connect()
                con.execute(SCHEMA)
                return con
            con = duckdb.connect(str(path), read_only=read_only)
            if not read_only:
                con.execute(SCHEMA)
            return con
        except (duckdb.IOException, duckdb.ConnectionException):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def add_flag(warehouse: Path, plan_id: str, goal_id: str, kind: str, comment: str, author: str,
             indicator_id: str | None = None, follow_up_date: dt.date | None = None) -> Flag:
    """Store a new flag (the history keeps every earlier one).

    Raises:
        FlagError: without a comment, with an unknown kind, or without a signed-in author.
    """
    comment = (comment or "").strip()
    if not kind:
        raise FlagError(f"Välj en bedömning: {', '.join(KINDS.values())}.")
    if not comment:
        raise FlagError("En flagga behöver en kommentar: skriv varför målet bedöms så." if kind != CLEARED else
                        "Skriv varför flaggan tas bort.")
    if kind not in KINDS:
        raise FlagError(f"Okänd flagga {kind!r}; välj {', '.join(KINDS.values())}.")
    if not (author or "").strip():
        raise FlagError("Bara en inloggad användare kan sätta en flagga.")
    path = flags_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _WRITING:
        con = _connect(path)
        try:
            con.execute("begin transaction")
            flag_id = con.execute("select coalesce(max(flag_id), 0) + 1 from flags").fetchall()[0][0]
            now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
            con.execute("insert into flags values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [flag_id, plan_id, goal_id, indicator_id, kind, comment, follow_up_date, author, now])
            con.execute("commit")
        finally:
            con.close()
    return Flag(flag_id, plan_id, goal_id, indicator_id, kind, comment, follow_up_date, author, now)


def history(warehouse: Path, plan_id: str, goal_id: str | None = None) -> list[Flag]:
    """Every flag of a plan (or one goal), newest first."""
    con = _connect(flags_path(warehouse), read_only=True)
    try:
        rows = con.execute(
            "select * from flags where plan_id = ? and (? is null or goal_id = ?) order by flag_id desc",
            [plan_id, goal_id, goal_id]).fetchall()
    finally:
        con.close()
    return [Flag(*row) for row in rows]


def latest_by_goal(warehouse: Path, plan_id: str) -> dict[str, Flag]:
    """The newest flag of each goal in a plan; a goal whose newest flag withdrew it has none."""
    latest: dict[str, Flag] = {}
    for flag in history(warehouse, plan_id):
        latest.setdefault(flag.goal_id, flag)
    return {goal: flag for goal, flag in latest.items() if flag.kind != CLEARED}


def recent(warehouse: Path, limit: int = 50) -> list[Flag]:
    """The newest flags of every plan, for the audit list on the data page."""
    con = _connect(flags_path(warehouse), read_only=True)
    try:
        rows = con.execute("select * from flags order by flag_id desc limit ?", [limit]).fetchall()
    finally:
        con.close()
    return [Flag(*row) for row in rows]
