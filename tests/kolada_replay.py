"""A local HTTP server that replays recorded real Kolada responses.

Why a server and not mocks: the client, the retry policy and the parser run
exactly as in production, over real sockets, against bodies Kolada really
sent (../shared/samples/kolada/, see its SOURCES.md). The server indexes the
recorded items so that a request for any subset of recorded KPIs and areas
gets the records Kolada returned for them, in Kolada's envelope. Faults
(429 with Retry-After, 500, truncated bodies, dropped connections) are
injected per path for the failure tests. URLs inside bodies that point at
api.kolada.se are rewritten to this server, as a recording proxy would.
"""

from __future__ import annotations

import json
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
        """Serve the data records of these recorded files (a later file wins a key)."""
        records: dict[tuple, dict] = {}
        for path in files:
            for rec in _load(path)["values"]:
                records[(rec["kpi"], rec["municipality"], rec["period"])] = rec
        self._records = list(records.values())

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
            items = [r for r in self._records if r["kpi"] in kpis and r["municipality"] in areas]
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
