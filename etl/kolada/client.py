"""Kolada v3 HTTP client: paging, id chunking, and nothing else.

It returns the raw `values` items; turning them into warehouse rows (and
refusing malformed ones) is load.py's job.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable, Iterator, Sequence
from urllib.parse import urljoin

from etl.http import HttpClient, SourceError
from etl.kolada.settings import MAX_IDS_PER_SEGMENT, PAGE_CAP, PER_PAGE, SOURCE


def chunks(ids: Sequence[str], size: int = MAX_IDS_PER_SEGMENT) -> list[list[str]]:
    """Split ids into groups of at most `size` (Kolada's limit per path segment)."""
    return [list(ids[i:i + size]) for i in range(0, len(ids), size)]


class KoladaClient:
    """Fetches Kolada metadata and data, following `next_url` across pages."""

    def __init__(self, base_url: str, http: HttpClient):
        self.base_url = base_url.rstrip("/") + "/"
        self.http = http

    def _url(self, path: str) -> str:
        return urljoin(self.base_url, path.lstrip("/"))

    def pages(self, path: str, query: dict[str, str] | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        """Yield (url, envelope) for each page; next_url missing, null or "" ends it.

        `query` goes on the first request only; next_url carries it on.
        """
        url: str | None = self._url(path)
        params: dict[str, Any] | None = {**(query or {}), "per_page": PER_PAGE}
        for _ in range(PAGE_CAP):
            assert url is not None
            body = self.http.get_json(url, params)
            if not isinstance(body, dict) or not isinstance(body.get("values"), list):
                raise SourceError(SOURCE, url, "svaret saknar listan 'values' (oväntat format)")
            yield url, body
            next_url = body.get("next_url")
            if not next_url:
                return
            if not isinstance(next_url, str):
                raise SourceError(SOURCE, url, f"'next_url' är inte en adress: {next_url!r}")
            url, params = urljoin(url, next_url), None
        raise SourceError(SOURCE, path, f"fler än {PAGE_CAP} sidor; avbryter")

    def items(self, path: str, query: dict[str, str] | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        """Yield (url, item) for every item on every page."""
        for url, body in self.pages(path, query):
            for item in body["values"]:
                yield url, item

    def municipalities(self) -> list[tuple[str, dict[str, Any]]]:
        """All areas Kolada knows (GET /municipality)."""
        return list(self.items("municipality"))

    def kpis(self, ids: Iterable[str]) -> list[tuple[str, dict[str, Any]]]:
        """KPI metadata (GET /kpi/{ids}), 25 ids per call."""
        out = []
        for group in chunks(list(ids)):
            out.extend(self.items("kpi/" + ",".join(group)))
        return out

    def data(self, kpi_ids: Sequence[str], area_ids: Sequence[str],
             since: dt.date | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every data record for the KPIs × areas, all years; with `since`, only records changed since that day.

        Kolada's `from_date` answers with the records changed since the date,
        withdrawn values included as `isdeleted: true` (DOMAIN.md, section 4).
        """
        query = {"from_date": since.isoformat()} if since else None
        for kpis in chunks(list(kpi_ids)):
            for areas in chunks(list(area_ids)):
                yield from self.items(f"data/kpi/{','.join(kpis)}/municipality/{','.join(areas)}", query)
