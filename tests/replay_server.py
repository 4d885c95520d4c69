"""A generic local HTTP server that answers from files, for any source's tests.

Why a server and not mocks: the client, `etl.http.HttpClient`'s retry policy
and the parser run exactly as in production, over real sockets. A test maps a
request (method + path, optionally some query parameters) to a body, usually a
recorded real response; unmapped requests get HTTP 404 with an empty body.
Faults (404, 500, 429 with Retry-After, dropped connections) are injected per
path prefix, in order, for the failure tests. Every request is logged in
`requests` as (method, path, query) so tests can assert what was asked.

Usage:
    with ReplayServer() as server:
        server.route("/api/v2/tables/TAB638/data", Path("recorded.json"))
        client = SomeClient(server.url("/api/v2"), HttpClient(...))
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.local_server import LocalServer


@dataclass
class Fault:
    """One injected misbehaviour for one request (status 200 + drop=False = no fault)."""

    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b'{"error": "injected"}'
    drop: bool = False  # close the connection without an answer


@dataclass
class Route:
    """A canned answer: `body` for `method path`, if `query` (when given) matches too."""

    method: str
    path: str
    body: bytes
    status: int = 200
    query: dict[str, str] | None = None
    prefix: bool = False
    headers: dict[str, str] = field(default_factory=dict)

    def matches(self, method: str, path: str, query: dict[str, str]) -> bool:
        if method != self.method:
            return False
        if not (path.startswith(self.path) if self.prefix else path == self.path):
            return False
        return self.query is None or all(query.get(k) == v for k, v in self.query.items())


def _as_bytes(body: bytes | str | Path | dict | list | None) -> bytes:
    if body is None:
        return b""
    if isinstance(body, Path):
        return body.read_bytes()
    if isinstance(body, (dict, list)):
        return json.dumps(body, ensure_ascii=False).encode("utf-8")
    if isinstance(body, str):
        return body.encode("utf-8")
    return body


class ReplayServer(LocalServer):
    """Start with `with ReplayServer() as s:`; point the source's base URL at `s.url(...)`."""

    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.posted: list[bytes] = []
        self._rewrites: dict[bytes, str] = {}
        super().__init__()

    # --- configuration -------------------------------------------------
    def route(self, path: str, body: bytes | str | Path | dict | list | None, *, method: str = "GET",
              status: int = 200, query: dict[str, str] | None = None, prefix: bool = False,
              headers: dict[str, str] | None = None) -> None:
        """Answer `method path` with `body`. Later, more specific routes are tried first.

        Args:
            path: the URL path, e.g. "/api/v1/sv/dodsorsaker/alder" (decoded, no query).
            body: a file (recorded response), bytes, text, or JSON-able data.
            status: HTTP status to answer with (404 for "empty selection" answers).
            query: query parameters that must be present with these values.
            prefix: match every path that starts with `path`.
        """
        route = Route(method.upper(), path, _as_bytes(body), status, query, prefix, headers or {})
        self.routes.insert(0, route)

    def rewrite(self, real_base: str, local_path: str = "") -> None:
        """Replace `real_base` in every body with this server's URL (+ `local_path`),
        as a recording proxy would, so that paging links in recorded bodies come back here."""
        self._rewrites[real_base.encode()] = local_path

    def url(self, path: str = "") -> str:
        return f"{self.origin}{path}"

    def paths(self) -> list[str]:
        return [p for _m, p, _q in self.requests]

    # --- serving -------------------------------------------------------
    def _answer(self, method: str, path: str, query: dict[str, str]) -> Route | None:
        for route in self.routes:
            if route.matches(method, path, query):
                return route
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def _serve(self, method: str) -> None:
                url = urlsplit(self.path)
                path = unquote(url.path)
                query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
                replay.requests.append((method, path, query))
                if method == "POST":
                    length = int(self.headers.get("Content-Length") or 0)
                    replay.posted.append(self.rfile.read(length))
                fault = replay._fault_for(path)
                if fault is not None and fault.drop:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if fault is not None and fault.status != 200:
                    status, body, headers = fault.status, fault.body, fault.headers
                else:
                    route = replay._answer(method, path, query)
                    if route is None:
                        status, body, headers = 404, b"", {}
                    else:
                        status, body, headers = route.status, route.body, route.headers
                for real, local in replay._rewrites.items():
                    body = body.replace(real, replay.url(local).encode())
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 (http.server API)
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802
                self._serve("POST")

        return Handler
