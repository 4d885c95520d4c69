"""`malkoll refresh`: pull every HTTP source, diff, publish once, report.

Sources register here by name. Pulling (the network part, where most failures
happen) is done for every chosen source first; only if all succeed are their
batches published together in one atomic rename. Every run, failed or not,
is written to the run journal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from etl import journal
from etl.http import HttpClient, SourceError
from etl.kolada.client import KoladaClient
from etl.kolada.load import pull as pull_kolada
from etl.catalogue import load_catalogue
from etl.kolada.settings import SelectionError, load_selection, sources_file
from etl.kolada.since import plan_pull, selection_key
from etl.scb.client import ScbClient
from etl.scb.load import pull as pull_scb
from etl.socialstyrelsen.client import SocialstyrelsenClient
from etl.socialstyrelsen.load import pull as pull_socialstyrelsen
from etl.report import format_report
from malkoll import settings, yamlfile
from warehouse.checks import DataCheckError
from warehouse.loader import Batch, LoadResult, load_batches
from warehouse.publish import PublishBusyError

Progress = Callable[[str], None]


@dataclass
class SourceRun:
    """What a source puller gets, and where it leaves what the run journal should keep."""

    progress: Progress
    record_dir: Path | None
    warehouse: Path
    full: bool = False  # --full: no changes-only pulls
    details: dict[str, dict] = field(default_factory=dict)  # per source, for the run journal and the report


def _http(run: SourceRun, name: str) -> HttpClient:
    return HttpClient(name, record_dir=run.record_dir / name if run.record_dir else None)


def _kolada(run: SourceRun) -> Batch:
    selection = load_selection()
    plan = plan_pull(run.warehouse, selection, run.full)
    run.details["kolada"] = {"mode": plan.mode, "selection": selection_key(selection),
                             "since": plan.since.isoformat() if plan.since else None, "reason": plan.reason}
    http = _http(run, "kolada")
    try:
        return pull_kolada(KoladaClient(settings.KOLADA_URL.get(), http), selection, run.progress, plan.since)
    finally:
        http.close()


def _scb(run: SourceRun) -> Batch:
    http = _http(run, "scb")
    try:
        return pull_scb(ScbClient(settings.SCB_URL.get(), http), run.progress)
    finally:
        http.close()


def _socialstyrelsen(run: SourceRun) -> Batch:
    sdb, scb = _http(run, "socialstyrelsen"), _http(run, "scb")
    try:
        return pull_socialstyrelsen(SocialstyrelsenClient(settings.SOCIALSTYRELSEN_URL.get(), sdb),
                                    ScbClient(settings.SCB_URL.get(), scb), run.progress)
    finally:
        sdb.close()
        scb.close()


SOURCES: dict[str, Callable[[SourceRun], Batch]] = {
    "kolada": _kolada, "scb": _scb, "socialstyrelsen": _socialstyrelsen,
}


def configured_sources() -> list[str]:
    """The sources config/sources.yml has a section for, in SOURCES order (what a plain refresh pulls)."""
    data = yamlfile.load(sources_file()) or {}
    return [name for name in SOURCES if name in data]


def with_catalogue(batch: Batch) -> Batch:
    """Give a batch the catalogue rows of the indicators it delivers but does not describe itself."""
    produced = set(batch.observations["indicator_id"])
    described = set(batch.indicators["indicator_id"]) if batch.indicators is not None else set()
    catalogue = load_catalogue()
    extra = catalogue[catalogue["indicator_id"].isin(produced - described)]
    if not extra.empty:
        batch.indicators = extra if batch.indicators is None else pd.concat([batch.indicators, extra],
                                                                            ignore_index=True)
    return batch


class RefreshFailed(RuntimeError):
    """The refresh stopped; the served warehouse is unchanged. str() is one line."""


@dataclass
class RefreshOutcome:
    results: list[LoadResult]
    report: str

    @property
    def published(self) -> bool:
        return any(r.published for r in self.results)


def refresh(
    warehouse: Path,
    sources: list[str] | None = None,
    progress: Progress = lambda _m: None,
    record_dir: Path | None = None,
    user: str | None = None,
    full: bool = False,
) -> RefreshOutcome:
    """Pull the chosen sources (all by default) and publish what changed.

    `full` makes Kolada send every value, not only those changed since the last
    pull (etl/kolada/since.py decides otherwise).

    Raises:
        RefreshFailed: naming the source and the request or check that failed.
    """
    names = sources or configured_sources()
    unknown = [n for n in names if n not in SOURCES]
    if unknown:
        raise RefreshFailed(f"okänd källa {', '.join(unknown)}; välj bland {', '.join(SOURCES)}")
    started = journal.now_iso()
    batches: list[Batch] = []
    run = SourceRun(progress, record_dir, Path(warehouse), full)
    for name in names:
        try:
            batches.append(with_catalogue(SOURCES[name](run)))
        except (SourceError, SelectionError) as exc:
            _journal_failure(warehouse, name, started, str(exc), user, run.details.get(name))
            raise RefreshFailed(str(exc).splitlines()[0] if isinstance(exc, SourceError) else str(exc)) from exc
    progress("Jämför med lagret och publicerar")
    try:
        results = load_batches(warehouse, batches)
    except (DataCheckError, PublishBusyError) as exc:
        for name in names:
            _journal_failure(warehouse, name, started, str(exc), user, run.details.get(name))
        raise RefreshFailed(str(exc)) from exc
    titles = {}
    for b in batches:
        if b.indicators is not None and not b.indicators.empty:
            titles.update(zip(b.indicators["indicator_id"], b.indicators["title_sv"]))
    for r in results:
        journal.append(warehouse, journal.RunRecord(
            source=r.source, started_at=started, finished_at=journal.now_iso(),
            outcome="published" if r.published else "unchanged",
            message="" if r.published else "inga ändringar", load_id=r.load_id,
            rows_new=r.count("new"), rows_changed=r.count("changed"), rows_removed=r.count("removed"),
            values_received=r.values_received, user=user,
            details={**run.details.get(r.source, {}), "as_of_load": r.as_of_load}))
    return RefreshOutcome(results, format_report(results, titles, str(warehouse),
                                                    how={n: d["reason"] for n, d in run.details.items()}))


def _journal_failure(warehouse: Path, source: str, started: str, message: str, user: str | None,
                     details: dict | None = None) -> None:
    journal.append(warehouse, journal.RunRecord(
        source=source, started_at=started, finished_at=journal.now_iso(), outcome="failed",
        message=message, user=user, details=details or {}))
