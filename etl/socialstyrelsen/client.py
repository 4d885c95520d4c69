"""Socialstyrelsen statistics database HTTP client: metadata, result paths, paging.

It returns raw metadata items and result rows; turning them into deaths (and
refusing malformed ones) is load.py's job. Two things are decided here because
they are about HTTP: an HTTP 404 on the first page of a result means an empty
selection (no deaths), and `nasta_sida` is followed until it is missing, null
or empty.
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence
from urllib.parse import urljoin

import requests

from etl.http import HttpClient, SourceError
from etl.socialstyrelsen.settings import DATASET, PAGE_CAP, PER_PAGE, SOURCE


def _full_url(url: str, params: dict[str, Any] | None) -> str:
    return requests.Request("GET", url, params=params).prepare().url or url


class SocialstyrelsenClient:
    """Fetches one dataset's metadata and results (default: `dodsorsaker`)."""

    def __init__(self, base_url: str, http: HttpClient, dataset: str = DATASET):
        self.base_url = base_url.rstrip("/")
        self.http = http
        self.dataset = dataset

    def _url(self, path: str) -> str:
        return f"{self.base_url}/{self.dataset}/{path.lstrip('/')}"

    def pages(self, path: str, *, empty_on_404: bool = False) -> Iterator[tuple[str, list[Any]]]:
        """Yield (url, rows) per page.

        A body that is a plain list is one page; an envelope {"data": [...],
        "nasta_sida": ...} is followed page by page. `nasta_sida` may be an
        address (absolute or relative) or a page number.
        """
        url = self._url(path)
        params: dict[str, Any] | None = {"per_sida": PER_PAGE}
        for page in range(PAGE_CAP):
            full = _full_url(url, params)
            body = self.http.get_json(url, params, not_found_ok=empty_on_404 and page == 0)
            if body is None:  # HTTP 404 on the first page: an empty selection
                return
            if isinstance(body, list):
                yield full, body
                return
            if not isinstance(body, dict) or not isinstance(body.get("data"), list):
                raise SourceError(SOURCE, full, "data: listan 'data' saknas i svaret (oväntat format)")
            yield full, body["data"]
            following = body.get("nasta_sida")
            if following is None or following == "" or following is False:
                return
            if isinstance(following, bool):
                raise SourceError(SOURCE, full, f"nasta_sida: oväntat värde {following!r}")
            if isinstance(following, int) or (isinstance(following, str) and following.isdigit()):
                params = {"per_sida": PER_PAGE, "sida": int(following)}
            elif isinstance(following, str):
                url, params = urljoin(full, following), None
            else:
                raise SourceError(SOURCE, full, f"nasta_sida: ska vara en adress eller ett sidnummer, fick {following!r}")
        raise SourceError(SOURCE, self._url(path), f"fler än {PAGE_CAP} sidor; avbryter")

    def dimension_url(self, dimension: str) -> str:
        return self._url(dimension)

    def result_url(self, *args: Any) -> str:
        """The first page's full URL for `results(*args)`, for messages."""
        return _full_url(self._url(self.result_path(*args)), {"per_sida": PER_PAGE})

    def metadata(self, dimension: str) -> list[tuple[str, Any]]:
        """(url, item) for every value of a dimension: GET /{dataset}/{dimension} (alder, region, ...)."""
        return [(url, item) for url, rows in self.pages(dimension) for item in rows]

    @staticmethod
    def result_path(cause: str, measure: str, sexes: Sequence[str], ages: Sequence[str],
                    regions: Sequence[str], years: Sequence[int | str]) -> str:
        """The result path. `diagnos` and `matt` take a single value (a comma there is refused)."""
        def join(values: Sequence[Any]) -> str:
            return ",".join(str(v) for v in values)
        return (f"resultat/diagnos/{cause}/matt/{measure}/kon/{join(sexes)}/alder/{join(ages)}"
                f"/region/{join(regions)}/ar/{join(years)}")

    def results(self, cause: str, measure: str, sexes: Sequence[str], ages: Sequence[str],
                regions: Sequence[str], years: Sequence[int | str]) -> Iterator[tuple[str, Any]]:
        """(url, row) for every result row over all pages; an empty selection (HTTP 404) yields nothing."""
        path = self.result_path(cause, measure, sexes, ages, regions, years)
        for url, rows in self.pages(path, empty_on_404=True):
            for row in rows:
                yield url, row
