"""Plan files: the shipped plans load, and every kind of error is reported with file and line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from malkoll.cli import main
from malkoll.plan import PlanError, known_indicator_ids, load_plan, plan_files

ROOT = Path(__file__).resolve().parents[1]
KNOWN = {"bup_first_assessment_within_30_days", "N15428"}

MINIMAL = """\
id: test-plan
name: "Testplan"
county: "0023"
period: {start: 2018, end: 2020}
forums:
  - {id: SVOM, name: SVOM}
focus_areas:
  - id: barn
    name: "Barn och ungas psykiska hälsa"
    goals:
      - id: bup
        text: "Öka tillgängligheten till första linjens vård."
        kind: short_term
        timeline: "2019"
        forums: [SVOM]
        indicators:
          - id: bup-30
            indicator: bup_first_assessment_within_30_days
            area: "0023"
            direction: higher_is_better
            target: {comparison: ">=", value: 100, amber_from: 90}
            baseline: {value: 84, period: "2017"}
            deadline: "2019"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.mark.parametrize("path", plan_files(ROOT / "plans"), ids=lambda p: p.name)
def test_shipped_plans_load_without_errors(path):
    plan = load_plan(path, known_indicator_ids())
    assert plan.goals and plan.county in ("0021", "0023")


def test_jamtland_plan_has_all_six_focus_areas_and_the_bup_target():
    plan = load_plan(ROOT / "plans" / "jamtland_2018_2020.yml", known_indicator_ids())
    assert len(plan.focus_areas) == 6
    bup = next(i for g in plan.goals for i in g.indicators if i.indicator == "bup_first_assessment_within_30_days")
    assert (bup.target.comparison, bup.target.value, bup.deadline) == (">=", 100.0, "2019")
    halve = next(g for g in plan.goals if g.id == "halvera-suicid-15-24")
    assert any(m.value == pytest.approx(21.77 / 2) and m.period == "2019" for i in halve.indicators
               for m in i.milestones) or any(i.target and i.target.value == pytest.approx(10.885)
                                             for i in halve.indicators)


def test_minimal_plan_loads(tmp_path):
    plan = load_plan(write(tmp_path, MINIMAL), KNOWN)
    assert plan.goal("bup").indicators[0].target.amber_from == 90


@pytest.mark.parametrize("change, line, message", [
    (("indicator: bup_first_assessment_within_30_days", "indicator: bup_okand"), 18, "okänd indikator 'bup_okand'"),
    (("            direction: higher_is_better\n", ""), 17, "'direction' saknas"),
    (('deadline: "2019"', 'deadline: "2016"'), 23, "deadline 2016 ligger före baslinjen 2017"),
    (("forums: [SVOM]", "forums: [SVOMM]"), 15, "okänt forum 'SVOMM'"),
    (('value: 100, amber_from: 90', 'value: 0'), 21, "nollvision anges som riktning"),
    (("kind: short_term", "kind: kortsiktigt"), 13, "'kind' ska vara long_term eller short_term"),
    (('period: "2017"', 'period: "17"'), 22, "'period' ska vara 'YYYY', 'YYYY-MM' eller ett fönster"),
])
def test_each_error_names_file_line_and_problem(tmp_path, change, line, message):
    text = MINIMAL.replace(*change)
    if "value: 0" in text:
        text = text.replace("            deadline:", "            zero_vision: true\n            deadline:")
    path = write(tmp_path, text)
    with pytest.raises(PlanError) as info:
        load_plan(path, KNOWN)
    problem = next(p for p in info.value.problems if message in p.message)
    assert problem.file == str(path) and problem.line == line


def test_duplicated_ids_and_keys_are_reported(tmp_path):
    # The same goal (lines 11-23) once more at the end of the goal list, from line 24.
    doubled = MINIMAL + MINIMAL.split("    goals:\n", 1)[1]
    with pytest.raises(PlanError) as info:
        load_plan(write(tmp_path, doubled), KNOWN)
    assert [(p.line, p.message) for p in info.value.problems] == [
        (24, "id 'bup' används redan (rad 11)"), (30, "id 'bup-30' används redan (rad 17)")]
    with pytest.raises(PlanError, match="rad 3: nyckeln 'name' förekommer två gånger"):
        load_plan(write(tmp_path, MINIMAL.replace('county: "0023"', 'name: "igen"')), KNOWN)


def test_all_errors_are_listed_at_once_and_cli_exits_2(tmp_path, capsys, env):
    text = MINIMAL.replace("forums: [SVOM]", "forums: [X]").replace('deadline: "2019"', 'deadline: "2016"')
    path = write(tmp_path, text.replace("bup_first_assessment_within_30_days", "nope"))
    assert main(["plan", "check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "3 fel; planen används inte" in err
    for expected in ("rad 15: okänt forum 'X'", "rad 18: okänd indikator 'nope'", "rad 23: deadline 2016"):
        assert expected in err


def test_plan_check_cli_accepts_the_shipped_plans(capsys, env):
    assert main(["plan", "check", *map(str, plan_files(ROOT / "plans"))]) == 0
    assert capsys.readouterr().out.count(": OK – ") == 3
