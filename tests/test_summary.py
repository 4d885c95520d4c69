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


def test_a_yes_no_indicator_reads_ja_and_nej_in_the_overview_and_on_the_chart_axis(snapshot_warehouse):
    from malkoll.charts import overlay_for, series_figure
    from malkoll.status_table import latest_text

    plan = load_plan(ROOT / "plans" / "jamtland_2018_2020.yml", known_indicator_ids(snapshot_warehouse))
    status = next(s for g in plan_status(plan, snapshot_warehouse) for s in g.indicators if s.unit == "yes_no")
    answered = replace(status, points=[Point("2019", 1.0)], latest=Point("2019", 1.0), latest_label="2019")
    assert latest_text(answered) == "ja"  # Översikt's "Senaste värde" (it said 1)

    rows = [{"period": p, "sex": "T", "subgroup": "", "value": v, "status": "ok"} for p, v in (("2018", 0.0),
                                                                                                ("2019", 1.0))]
    fig = series_figure(rows, "", "ja/nej", unit="yes_no", overlay=overlay_for(answered)).to_plotly_json()
    assert list(fig["layout"]["yaxis"]["ticktext"]) == ["Nej", "Ja"]
    assert any(a.get("text") == "Mål ja" for a in fig["layout"]["annotations"])
