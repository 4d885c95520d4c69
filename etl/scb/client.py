"""SCB PxWeb v2 HTTP client: builds the population query, and nothing else.

It returns raw json-stat2 bodies; parsing them (and refusing malformed ones)
is load.py's job.
"""

from __future__ import annotations

from typing import Any

import requests

from etl.http import HttpClient
from etl.scb.settings import LANGUAGE, OUTPUT_FORMAT, POPULATION_CONTENTS, SEX_CODES, TABLE_ID


class ScbClient:
    """Fetches population from SCB's PxWeb API v2 (`GET /tables/{id}/data`)."""

    def __init__(self, base_url: str, http: HttpClient, table_id: str = TABLE_ID):
        self.base_url = base_url.rstrip("/")
        self.http = http
        self.table_id = table_id

    def data_url(self) -> str:
        return f"{self.base_url}/tables/{self.table_id}/data"

    @staticmethod
    def population_params(region: str) -> dict[str, str]:
        """Query for one region: every civil status, single-year age and year; men and women.

        `*` selects every value the table has, so new years arrive without a
        code change; the parser decides what each returned code means.
        """
        return {
            "lang": LANGUAGE,
            "outputFormat": OUTPUT_FORMAT,
            "valueCodes[Region]": region,
            "valueCodes[Civilstand]": "*",
            "valueCodes[Alder]": "*",
            "valueCodes[Kon]": ",".join(SEX_CODES),
            "valueCodes[ContentsCode]": POPULATION_CONTENTS,
            "valueCodes[Tid]": "*",
        }

    def population(self, region: str) -> tuple[str, Any]:
        """(request URL, json-stat2 body) for one SCB region code ('00', '23', '2380').

        Raises:
            SourceError: the request failed after retries, or SCB refused it.
        """
        url, params = self.data_url(), self.population_params(region)
        body = self.http.get_json(url, params)
        return requests.Request("GET", url, params=params).prepare().url or url, body
