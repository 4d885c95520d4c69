"""Headless Chromium (Debian's package) driven by Playwright, and the app served for it.

Playwright's own browser download is never used: we launch /usr/bin/chromium.
Without Chromium the browser tests skip locally and fail in CI (CI=true).
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"]


def chromium_path() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if not found:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; `python3 dev.py test` installs it from Debian's packages")
        pytest.skip("chromium not installed (python3 dev.py test installs it as root on Debian)")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve_app(command: str, warehouse: Path, timeout: float = 180) -> Iterator[str]:
    """Run `command` (the README's app line) and yield the app's base URL once healthy."""
    port = free_port()
    env = dict(os.environ, MALKOLL_WAREHOUSE=str(warehouse), STREAMLIT_SERVER_PORT=str(port),
               STREAMLIT_SERVER_HEADLESS="true", STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    log = open(warehouse.parent / "app.log", "w")
    proc = subprocess.Popen(shlex.split(command), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                raise RuntimeError(f"app did not start: {(warehouse.parent / 'app.log').read_text()[-3000:]}")
            time.sleep(0.5)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()
