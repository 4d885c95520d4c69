"""The one place that talks HTTP: timeouts, retries, backoff, User-Agent, recording.

Every source client gets its JSON through `HttpClient.get_json`, so that all of
them retry the same way: on HTTP 429 and 5xx, timeouts, dropped connections
and truncated or invalid bodies, with exponential backoff capped at
MALKOLL_HTTP_MAX_WAIT, honouring the server's Retry-After. Other 4xx answers
are final. TLS is always verified. With a record folder, every raw body is
saved with its URL so that real responses can be replayed in tests.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import requests

from malkoll import settings

USER_AGENT = "Malkoll/0.1 (+uppföljning av handlingsplaner för psykisk hälsa)"


class SourceError(RuntimeError):
    """A source could not deliver: says which request failed and why (in Swedish)."""

    def __init__(self, source: str, url: str, reason: str):
        self.source, self.url, self.reason = source, url, reason
        super().__init__(f"{source}: {reason} (anrop: {url})")


@dataclass(frozen=True)
class HttpPolicy:
    """Timeouts and retry limits; from settings unless a test passes its own."""

    timeout: float = 30.0
    retries: int = 4
    backoff: float = 1.0
    max_wait: float = 60.0

    @classmethod
    def from_settings(cls) -> "HttpPolicy":
        return cls(
            timeout=float(settings.HTTP_TIMEOUT.get()),
            retries=int(settings.HTTP_RETRIES.get()),
            backoff=float(settings.HTTP_BACKOFF.get()),
            max_wait=float(settings.HTTP_MAX_WAIT.get()),
        )

    def wait(self, attempt: int, retry_after: str | None) -> float:
        """Seconds to wait before retry number `attempt` (0-based)."""
        if retry_after:
            seconds = _parse_retry_after(retry_after)
            if seconds is not None:
                return min(max(seconds, 0.0), self.max_wait)
        return min(self.backoff * (2 ** attempt), self.max_wait)


def _parse_retry_after(value: str) -> float | None:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when.timestamp() - time.time()


class HttpClient:
    """A requests session with Målkoll's retry policy, for one source."""

    def __init__(
        self,
        source: str,
        policy: HttpPolicy | None = None,
        *,
        record_dir: Path | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.source = source
        self.policy = policy or HttpPolicy.from_settings()
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        self.record_dir = Path(record_dir) if record_dir else None
        self.sleep = sleep
        self.requests_made = 0

    def close(self) -> None:
        self.session.close()

    def get_json(self, url: str, params: dict[str, Any] | None = None, *, not_found_ok: bool = False) -> Any:
        """GET a URL and parse JSON, retrying what is worth retrying.

        Args:
            url: absolute URL.
            params: query parameters.
            not_found_ok: return None on HTTP 404 (some APIs answer an empty selection so).

        Raises:
            SourceError: after the last retry, or at once for a final error (4xx other than 429).
        """
        full_url = requests.Request("GET", url, params=params).prepare().url or url
        last_reason = ""
        for attempt in range(self.policy.retries + 1):
            retry_after = None
            self.requests_made += 1
            try:
                response = self.session.get(full_url, timeout=self.policy.timeout)
                body = response.content
            except requests.Timeout:
                last_reason = f"ingen svar inom {self.policy.timeout:g} s"
            except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
                last_reason = "svaret avbröts innan det var komplett"
            except requests.RequestException as exc:
                last_reason = f"anslutningen bröts ({type(exc).__name__})"
            else:
                self._record(full_url, response.status_code, body)
                status = response.status_code
                if status == 404 and not_found_ok:
                    return None
                if status == 429 or status >= 500:
                    last_reason = f"HTTP {status}"
                    retry_after = response.headers.get("Retry-After")
                elif status >= 400:
                    raise SourceError(self.source, full_url, f"HTTP {status}: {body[:200]!r}")
                else:
                    try:
                        return json.loads(body)
                    except (ValueError, UnicodeDecodeError) as exc:
                        last_reason = f"svaret är inte giltig JSON ({exc}); {len(body)} byte, kanske avbrutet"
            if attempt < self.policy.retries:
                self.sleep(self.policy.wait(attempt, retry_after))
        raise SourceError(
            self.source, full_url, f"{last_reason}, efter {self.policy.retries + 1} försök"
        )

    def _record(self, url: str, status: int, body: bytes) -> None:
        if self.record_dir is None:
            return
        self.record_dir.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256(url.encode()).hexdigest()[:16] + ".body"
        (self.record_dir / name).write_bytes(body)
        with open(self.record_dir / "index.jsonl", "a", encoding="utf-8") as index:
            index.write(json.dumps({"url": url, "status": status, "file": name,
                                    "recorded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                                   ensure_ascii=False) + "\n")
