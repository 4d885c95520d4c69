"""What every test HTTP server here shares: a loopback server on a free port, started and
stopped with `with`, and faults injected per path prefix, in order (or forever)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class LocalServer:
    """Subclasses provide `_handler()` (a BaseHTTPRequestHandler class) and answer requests."""

    def __init__(self) -> None:
        self._faults: dict[str, list[Any]] = {}
        self._forever: dict[str, Any] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def fail(self, path_prefix: str, *faults: Any) -> None:
        """The next requests under `path_prefix` get these faults, in order."""
        self._faults.setdefault(path_prefix, []).extend(faults)

    def fail_forever(self, path_prefix: str, fault: Any) -> None:
        self._forever[path_prefix] = fault

    def heal(self) -> None:
        """Answer normally again: drop every injected fault."""
        self._faults.clear()
        self._forever.clear()

    def _fault_for(self, path: str) -> Any | None:
        for prefix, queue in self._faults.items():
            if path.startswith(prefix) and queue:
                return queue.pop(0)
        for prefix, fault in self._forever.items():
            if path.startswith(prefix):
                return fault
        return None

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
