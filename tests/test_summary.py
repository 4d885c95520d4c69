"""The one-sentence summary of a goal indicator (Mötesläge, meeting pack, reports)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from malkoll.assessment import Point
from malkoll.goal_status import plan_status
from malkoll.plan import known_indicator_ids, load_plan
from malkoll.summary import one_sentence

ROOT = Path(__file__).resolve().parents[1]


def test_a_yes_no_goal_reads_ja_as_on_the_overview_not_1(snapshot_warehouse):
    plan = load_plan(ROOT / "plans" / "jamtland_2018_2020.yml", known_indicator_ids(snapshot_warehouse))
    status = next(s for g in plan_status(plan, snapshot_warehouse) for s in g.indicators if s.unit == "yes_no")

    assert one_sentence(status, "Östersund").endswith("inga värden ännu; målet är ja senast 2019.")
    answered = replace(status, points=[Point("2020", 0.0)], latest=Point("2020", 0.0), latest_label="2020")
    assert ": nej (2020); målet är ja senast 2019;" in one_sentence(answered, "Östersund")
