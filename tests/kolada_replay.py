"""A local HTTP server that replays recorded real Kolada responses.

Why a server and not mocks: the client, the retry policy and the parser run
exactly as in production, over real sockets, against bodies Kolada really
sent (../shared/samples/kolada/, see its SOURCES.md). The server indexes the
recorded items so that a request for any subset of recorded KPIs and areas
gets the records Kolada returned for them, in Kolada's envelope. Faults
(429 with Retry-After, 500, truncated bodies, dropped connections) are
injected per path for the failure tests. URLs inside bodies that point at
api.kolada.se are rewritten to this server, as a recording proxy would.

`from_date` is answered as Kolada documents it (DOMAIN.md, section 4): only
records changed on or after that day, with withdrawn values marked
`isdeleted: true`. A recorded record counts as changed on its file's recording
date; `set_data` stamps what it adds, changes or withdraws with today's date.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs, urlsplit

from tests.local_server import LocalServer

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
KOLADA = SAMPLES / "kolada"
REAL_BASE = "https://api.kolada.se/v3"

MUNICIPALITIES = KOLADA / "v3_municipality__all_312__reconstructed_2026-03-23.json"
KPI_PAGES = [KOLADA / "v3_kpi__all_page1_of_2__reconstructed_2026-03-23.json",
             KOLADA / "v3_kpi__all_page2_of_2__reconstructed_2026-03-23.json"]
KPI_SELECTION = KOLADA / "v3_kpi__malkoll_selection_25__reconstructed_2026-03-23.json"
DATA_N00945_WITH_NULLS = KOLADA / ("v3_data__kpi_N00945__municipality_0180-1280-1480__year_1996-2020"
                                   "__with_null_placeholders__reconstructed_2026-03-04.json")
DATA_N00945 = KOLADA / "v3_data__kpi_N00945__municipality_0180-1280-1480__year_2000-2020__reconstructed_2026-03-23.json"
DATA_BRP = KOLADA / "v3_data__kpi_N03702-N03703__municipality_0180-1280-1480__reconstructed_2026-03-23.json"


@dataclass
class Fault:
    """One injected misbehaviour for one request."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    truncate_to: int | None = None  # send only this many bytes of the real body
    short_read: bool = False        # with truncate_to: still declare the full Content-Length
    drop: bool = False              # close the connection without an answer
    mutate: Callable[[dict], dict] | None = None  # alter the real JSON before sending


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


class KoladaReplay(LocalServer):
    """Start with `with KoladaReplay(...) as k:`; point MALKOLL_KOLADA_URL at k.base_url."""

    def __init__(self, data_files: list[Path] | None = None, page_size: int | None = None):
        self.page_size = page_size
        self.requests: list[str] = []
        self.set_data(data_files if data_files is not None else [DATA_N00945_WITH_NULLS, DATA_BRP])
        self._kpis: dict[str, dict] = {}
        for path in [*KPI_PAGES, KPI_SELECTION]:
            for item in _load(path)["values"]:
                self._kpis.setdefault(item["id"], item)
        super().__init__()

    # --- configuration -------------------------------------------------
    def set_data(self, files: list[Path]) -> None:
        """Serve the data records of these recorded files (a later file wins a key).

        Compared with what was served before, added and changed records are
        stamped with today's date, and withdrawn values are kept for
        `from_date` requests as `isdeleted: true` with today's date.
        """
        records: dict[tuple, dict] = {}
        stamps: dict[tuple, dt.date] = {}
        for path in files:
            recorded = dt.date.fromisoformat(re.search(r"(\d{4}-\d{2}-\d{2})\.json$", path.name).group(1))
            for rec in _load(path)["values"]:
                key = (rec["kpi"], rec["municipality"], rec["period"])
                records[key], stamps[key] = rec, recorded
        old = getattr(self, "_live", {})
        today = dt.date.today()
        self._withdrawn = dict(getattr(self, "_withdrawn", {}))
        if old:
            for key, rec in records.items():
                if key not in old or old[key][0] != rec:
                    stamps[key] = today
            for key, (rec, _) in old.items():
                kept = {v["gender"] for v in records[key]["values"]} if key in records else set()
                gone = [dict(v, isdeleted=True) for v in rec["values"] if v["gender"] not in kept]
                if gone:
                    self._withdrawn[key] = ({**rec, "values": gone}, today)
        self._live = {key: (rec, stamps[key]) for key, rec in records.items()}
        self._records = list(records.values())

    def revise(self, kpi: str, area: str, period: int, gender: str, value: float | None) -> None:
        """Kolada revises one value today: a pull of changes since yesterday gets its record."""
        key = (kpi, area, period)
        rec, _ = self._live[key]
        new = {**rec, "values": [dict(v, value=value) if v["gender"] == gender else v for v in rec["values"]]}
        self._live[key] = (new, dt.date.today())
        self._records = [new if (r["kpi"], r["municipality"], r["period"]) == key else r for r in self._records]

    def _changed_since(self, since: dt.date) -> list[dict]:
        """Records changed on or after `since`, withdrawn values included (marked isdeleted)."""
        out: dict[tuple, dict] = {k: rec for k, (rec, day) in self._live.items() if day >= since}
        for key, (tomb, day) in self._withdrawn.items():
            if day >= since:
                live = out.get(key)
                out[key] = {**tomb, "values": [*(live["values"] if live else []), *tomb["values"]]}
        return list(out.values())

    @property
    def base_url(self) -> str:
        return f"{self.origin}/v3"

    # --- serving -------------------------------------------------------
    def _envelope(self, items: list[dict], path: str, page: int) -> dict:
        if self.page_size is None:
            return {"count": len(items), "next_url": None, "previous_url": None, "values": items}
        start = (page - 1) * self.page_size
        chunk = items[start:start + self.page_size]
        more = start + self.page_size < len(items)
        return {
            "count": len(chunk),
            "next_url": f"{REAL_BASE}/{path}?page={page + 1}&per_page={self.page_size}" if more else None,
            "previous_url": f"{REAL_BASE}/{path}?page={page - 1}&per_page={self.page_size}" if page > 1 else None,
            "values": chunk,
        }

    def _answer(self, path: str, query: dict[str, list[str]]) -> dict | None:
        page = int(query.get("page", ["1"])[0])
        parts = path.split("/")
        if path == "municipality":
            return _load(MUNICIPALITIES)
        if path == "kpi":
            return _load(KPI_PAGES[page - 1]) if page <= len(KPI_PAGES) else None
        if parts[0] == "kpi" and len(parts) == 2:
            ids = parts[1].split(",")
            items = [self._kpis[i] for i in ids if i in self._kpis]
            return {"count": len(items), "next_url": None, "previous_url": None, "values": items}
        if parts[0] == "data" and len(parts) >= 5 and parts[1] == "kpi" and parts[3] == "municipality":
            kpis, areas = set(parts[2].split(",")), set(parts[4].split(","))
            since = query.get("from_date", [None])[0]
            served = self._changed_since(dt.date.fromisoformat(since)) if since else self._records
            items = [r for r in served if r["kpi"] in kpis and r["municipality"] in areas]
            return self._envelope(items, path, page)
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                url = urlsplit(self.path)
                path = url.path.removeprefix("/v3/").strip("/")
                replay.requests.append(self.path)
                fault = replay._fault_for(path) or Fault()
                if fault.drop:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                body = replay._answer(path, parse_qs(url.query)) if fault.status == 200 else {"error": "injected"}
                if body is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                if fault.mutate:
                    body = fault.mutate(json.loads(json.dumps(body)))
                raw = json.dumps(body, ensure_ascii=False, indent=1).replace(REAL_BASE, replay.base_url).encode()
                sent = raw[: fault.truncate_to] if fault.truncate_to is not None else raw
                self.send_response(fault.status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(raw) if fault.short_read else len(sent)))
                for k, v in fault.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(sent)
                if fault.short_read:
                    self.close_connection = True

        return Handler
