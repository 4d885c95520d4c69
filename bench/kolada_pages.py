"""A local server answering like Kolada v3 with synthetic KPIs, for the ETL measures (d, e).

Why not tests/kolada_replay.py: that server re-filters and re-encodes the
recorded samples on every request in the test process, which is right for
fault tests and wrong for a throughput figure. This one builds every page once
at start-up, in Kolada's v3 envelope (count, next_url, previous_url, values;
data records {kpi, municipality, period, values: [{count, gender, isdeleted,
status, value}]}, about 2 % `value: null`), pages of 5000 records split the way
etl/kolada/client.py asks (25 ids per path segment), and serves the bytes from
its own process over HTTP/1.1, so the client's cost is what gets measured.

Every synthetic value was last changed on PUBLISHED (the KPIs' publication
date), so a `from_date` after it gets empty pages, as Kolada answers a
changes-only pull when nothing was republished (etl/kolada/since.py).

Run: `python -m bench.kolada_pages --kpis 50 --first-year 2000 --last-year 2024`;
it prints `READY <base url>` when it listens.
"""

from __future__ import annotations

import argparse
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from bench.generate import real_areas
from etl.kolada.client import chunks
from etl.kolada.settings import PER_PAGE

GENDERS = ("T", "K", "M")
PUBLISHED = "2026-09-25"


def kpi_id(i: int) -> str:
    return f"SYNK{i:04d}"


def kpi_ids(n: int) -> list[str]:
    return [kpi_id(i) for i in range(1, n + 1)]


def kpi_unit(i: int) -> str:
    return "percent" if i % 2 else "per_1000"


def _value(k: int, area: int, year: int, g: int) -> float | None:
    h = (k * 7919 + area * 104729 + year * 131 + g * 17) % 10007
    return None if h % 50 == 0 else round(h / 100.07, 3)


def data_records(kpis: list[str], areas: list[str], years: range) -> list[dict]:
    out = []
    for kpi in kpis:
        k = int(kpi[4:])
        for area in areas:
            for year in years:
                out.append({"kpi": kpi, "municipality": area, "period": year, "values": [
                    {"count": 1, "gender": g, "isdeleted": False, "status": "",
                     "value": _value(k, int(area), year, n)} for n, g in enumerate(GENDERS)]})
    return out


def _envelope(items: list[dict], base: str, path: str, page: int, per_page: int) -> bytes:
    start = (page - 1) * per_page
    more = start + per_page < len(items)
    body = {"count": len(items[start:start + per_page]),
            "next_url": f"{base}/{path}?page={page + 1}&per_page={per_page}" if more else None,
            "previous_url": f"{base}/{path}?page={page - 1}&per_page={per_page}" if page > 1 else None,
            "values": items[start:start + per_page]}
    return json.dumps(body, ensure_ascii=False).encode()


def build_pages(base: str, n_kpis: int, years: range) -> dict[tuple[str, int], bytes]:
    """Every page the client will ask for, keyed by (path, page number)."""
    areas = real_areas()
    codes = areas["area_code"].tolist()
    pages: dict[tuple[str, int], bytes] = {}
    municipalities = [{"id": c, "title": n, "type": "K" if t == "municipality" else "L"}
                      for c, n, t in zip(areas["area_code"], areas["name"], areas["area_type"])]
    pages[("municipality", 1)] = _envelope(municipalities, base, "municipality", 1, PER_PAGE)
    ids = kpi_ids(n_kpis)
    for group in chunks(ids):
        meta = [{"id": k, "title": f"SYNTETISK Kolada-KPI {k}", "description": "Syntetisk, för prestandamätning.",
                 "is_divided_by_gender": True, "municipality_type": "A", "publication_date": PUBLISHED}
                for k in group]
        pages[("kpi/" + ",".join(group), 1)] = _envelope(meta, base, "kpi/" + ",".join(group), 1, PER_PAGE)
        for area_group in chunks(codes):
            path = f"data/kpi/{','.join(group)}/municipality/{','.join(area_group)}"
            records = data_records(group, area_group, years)
            for page in range(1, max(1, -(-len(records) // PER_PAGE)) + 1):
                pages[(path, page)] = _envelope(records, base, path, page, PER_PAGE)
    return pages


def serve(n_kpis: int, years: range) -> None:
    pages: dict[tuple[str, int], bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes; with Nagle's algorithm a small body then
        # waits for the client's delayed ACK (40 ms a request), which no real server does.
        disable_nagle_algorithm = True

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server API)
            url = urlsplit(self.path)
            path = url.path.removeprefix("/v3/").strip("/")
            query = parse_qs(url.query)
            page = int(query.get("page", ["1"])[0])
            since = query.get("from_date", [""])[0]
            if path.startswith("data/") and since > PUBLISHED:
                body = _envelope([], base, path, 1, PER_PAGE)  # nothing changed since
            else:
                body = pages.get((path, page))
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}/v3"
    pages.update(build_pages(base, n_kpis, years))
    print(f"READY {base}", flush=True)
    server.serve_forever()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kpis", type=int, required=True)
    parser.add_argument("--first-year", type=int, required=True)
    parser.add_argument("--last-year", type=int, required=True)
    args = parser.parse_args(argv)
    serve(args.kpis, range(args.first_year, args.last_year + 1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
