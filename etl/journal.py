"""The run journal: every refresh and import, including failed and no-change runs.

Why beside the warehouse and not in it: a failed run must leave the served
warehouse byte-identical, and a run that changed nothing must write nothing
to it, yet the data page must still show both. So each run appends one JSON
line to `<warehouse>.runs.jsonl` (appends of one short line are atomic).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class RunRecord:
    """One run of one source: outcome is published, unchanged or failed."""

    source: str
    started_at: str
    finished_at: str
    outcome: str
    message: str
    load_id: int | None = None
    rows_new: int = 0
    rows_changed: int = 0
    rows_removed: int = 0
    values_received: int = 0
    user: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def journal_path(warehouse: Path) -> Path:
    return Path(warehouse).with_name(Path(warehouse).name + ".runs.jsonl")


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def append(warehouse: Path, record: RunRecord) -> None:
    path = journal_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(asdict(record), ensure_ascii=False) + "\n")


def read(warehouse: Path, limit: int = 200) -> list[RunRecord]:
    """The latest runs, newest first; unreadable lines are skipped, not fatal."""
    path = journal_path(warehouse)
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines()[-limit:]:
        try:
            records.append(RunRecord(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return records[::-1]
