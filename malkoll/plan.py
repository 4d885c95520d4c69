"""Action plans as data: loading and checking the YAML files in plans/.

A plan is what the regional network decided (focus areas, goals, activities,
measurable indicators with targets, baselines and deadlines). Analysts edit
the files by hand, so every problem is reported with file and line, and a
plan with any error is refused as a whole. Schema: plans/README.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from malkoll import settings, yamlfile
from malkoll.atomic_write import write_atomically
from malkoll.assessment import Baseline, Milestone, Target, period_position

KINDS = ("long_term", "short_term")
DIRECTIONS = ("higher_is_better", "lower_is_better")
COMPARISONS = (">=", "<=", "=")
SEXES = ("T", "K", "M")
_PERIOD = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")
_WINDOW = re.compile(r"^(\d{4})-(\d{4})$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a plan file, where it is."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}, rad {self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


class PlanError(ValueError):
    """A plan file was refused; `problems` lists every error found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class PlanIndicator:
    """A measurable indicator of a goal, linked to a warehouse indicator."""

    id: str
    text: str
    indicator: str
    area: str
    direction: str
    sex: str = "T"
    subgroup: str = ""
    target: Target | None = None
    baseline: Baseline | None = None
    deadline: str | None = None
    milestones: tuple[Milestone, ...] = ()
    zero_vision: bool = False
    note: str = ""
    line: int = 0


@dataclass(frozen=True)
class Activity:
    text: str
    forums: tuple[str, ...] = ()
    timeline: str = ""


@dataclass(frozen=True)
class Goal:
    id: str
    text: str
    kind: str
    timeline: str
    forums: tuple[str, ...]
    focus_area: str
    parent: str | None = None
    activities: tuple[Activity, ...] = ()
    indicators: tuple[PlanIndicator, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class FocusArea:
    id: str
    name: str
    goals: tuple[Goal, ...]


@dataclass(frozen=True)
class Plan:
    id: str
    name: str
    county: str
    period_start: int
    period_end: int
    source: str
    forums: dict[str, str]
    focus_areas: tuple[FocusArea, ...]
    path: str = ""

    @property
    def goals(self) -> list[Goal]:
        return [g for fa in self.focus_areas for g in fa.goals]

    def goal(self, goal_id: str) -> Goal | None:
        return next((g for g in self.goals if g.id == goal_id), None)


class _Reader:
    """Collects problems while turning LineDicts into plan objects."""

    def __init__(self, path: Path, known_indicators: set[str] | None):
        self.file = str(path)
        self.known = known_indicators
        self.problems: list[Problem] = []

    def problem(self, node: Any, key: str | None, message: str) -> None:
        line = node.line_of(key) if isinstance(node, yamlfile.LineDict) and key else getattr(node, "line", 0)
        self.problems.append(Problem(self.file, line, message))

    def text(self, node: dict, key: str, required: bool = True) -> str:
        value = node.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(node, None, f"'{key}' saknas")
            return ""
        return str(value).strip()

    def period(self, node: dict, key: str, value: Any, allow_window: bool = False) -> str | None:
        text = str(value).strip() if value is not None else ""
        if _PERIOD.match(text) or (allow_window and _WINDOW.match(text) and text[:4] <= text[5:]):
            return text
        expected = "'YYYY', 'YYYY-MM' eller ett fönster 'YYYY-YYYY'" if allow_window else "'YYYY' eller 'YYYY-MM'"
        self.problem(node, key, f"'{key}' ska vara {expected}, fick {value!r}")
        return None

    def number(self, node: dict, key: str, value: Any) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.problem(node, key, f"'{key}' ska vara ett tal, fick {value!r}")
            return None
        return float(value)

    def indicator(self, node: Any, goal_id: str) -> PlanIndicator | None:
        if not isinstance(node, dict):
            self.problem(node, None, f"mål {goal_id}: en indikator ska vara en mappning")
            return None
        ind_id = self.text(node, "id")
        ref = self.text(node, "indicator")
        if ref and self.known is not None and ref not in self.known:
            self.problem(node, "indicator", f"okänd indikator '{ref}' (finns varken i lagret, config/sources.yml "
                                            "eller config/indicators/)")
        direction = node.get("direction")
        if direction is None:
            self.problem(node, None, f"indikator {ind_id}: 'direction' saknas (higher_is_better eller lower_is_better)")
        elif direction not in DIRECTIONS:
            self.problem(node, "direction", f"okänd 'direction' {direction!r}; välj {' eller '.join(DIRECTIONS)}")
        area = str(node.get("area", "")).strip()
        if not re.fullmatch(r"\d{4}", area):
            self.problem(node, "area" if "area" in node else None, f"'area' ska vara en fyrsiffrig kod, fick {area!r}")
        sex = node.get("sex", "T")
        if sex not in SEXES:
            self.problem(node, "sex", f"'sex' ska vara T, K eller M, fick {sex!r}")
        target = None
        if "target" in node:
            t = node["target"]
            comparison = t.get("comparison") if isinstance(t, dict) else None
            if comparison not in COMPARISONS:
                self.problem(t, "comparison", f"'comparison' ska vara >=, <= eller =, fick {comparison!r}")
            value = self.number(t, "value", t.get("value")) if isinstance(t, dict) and "value" in t else None
            amber = self.number(t, "amber_from", t["amber_from"]) if isinstance(t, dict) and "amber_from" in t else None
            if value == 0 and node.get("zero_vision"):
                self.problem(t, "value", "en nollvision anges som riktning med delmål (milestones), inte som målvärde 0")
            if comparison in COMPARISONS:
                try:
                    target = Target(comparison, value, amber)
                except ValueError as exc:
                    self.problem(t, "amber_from", str(exc))
        baseline = None
        if "baseline" in node:
            b = node["baseline"]
            period = self.period(b, "period", b.get("period"), allow_window=True)
            value = self.number(b, "value", b.get("value"))
            if period and value is not None:
                baseline = Baseline(period, value)
        deadline = self.period(node, "deadline", node["deadline"]) if "deadline" in node else None
        if baseline and deadline and period_position(deadline) < period_position(baseline.period, "last"):
            self.problem(node, "deadline", f"deadline {deadline} ligger före baslinjen {baseline.period}")
        milestones = []
        for m in node.get("milestones") or []:
            period = self.period(m, "period", m.get("period"))
            value = self.number(m, "value", m.get("value"))
            if period and value is not None:
                milestones.append(Milestone(period, value, str(m.get("text", ""))))
        return PlanIndicator(
            id=ind_id, text=self.text(node, "text", required=False), indicator=ref, area=area,
            direction=direction if direction in DIRECTIONS else "", sex=sex if sex in SEXES else "T",
            subgroup=str(node.get("subgroup") or ""), target=target, baseline=baseline, deadline=deadline,
            milestones=tuple(milestones), zero_vision=bool(node.get("zero_vision")),
            note=str(node.get("note") or ""), line=getattr(node, "line", 0))

    def plan(self, data: Any) -> Plan | None:
        if not isinstance(data, dict):
            self.problems.append(Problem(self.file, 1, "filen ska vara en YAML-mappning med id, name, focus_areas …"))
            return None
        forums = {}
        for f in data.get("forums") or []:
            if isinstance(f, dict) and f.get("id"):
                forums[str(f["id"])] = str(f.get("name") or f["id"])
            else:
                self.problem(f, None, "ett forum behöver 'id'")
        period = data.get("period") or {}
        start, end = period.get("start"), period.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and start <= end):
            self.problem(data, "period", f"'period' ska vara {{start: ÅÅÅÅ, end: ÅÅÅÅ}} med start ≤ end, fick {dict(period)!r}")
        county = str(data.get("county", ""))
        if not re.fullmatch(r"\d{4}", county):
            self.problem(data, "county", f"'county' ska vara en fyrsiffrig områdeskod, fick {county!r}")
        seen: dict[str, int] = {}
        focus_areas = []
        pending_parents = []
        for fa in data.get("focus_areas") or []:
            fa_id = self.text(fa, "id")
            goals = []
            for g in fa.get("goals") or []:
                goal_id = self.text(g, "id")
                for key, value in (("goal", goal_id),):
                    if value in seen:
                        self.problem(g, "id", f"id '{value}' används redan (rad {seen[value]})")
                    seen[value] = g.line
                kind = g.get("kind")
                if kind not in KINDS:
                    self.problem(g, "kind" if "kind" in g else None, f"'kind' ska vara long_term eller short_term, fick {kind!r}")
                goal_forums = tuple(str(x) for x in g.get("forums") or [])
                for forum in goal_forums:
                    if forum not in forums:
                        self.problem(g, "forums", f"okänt forum '{forum}'; lägg till det under 'forums'")
                if g.get("parent"):
                    pending_parents.append((g, str(g["parent"])))
                activities = []
                for a in g.get("activities") or []:
                    a_forums = tuple(str(x) for x in a.get("forums") or [])
                    for forum in a_forums:
                        if forum not in forums:
                            self.problem(a, "forums", f"okänt forum '{forum}'")
                    activities.append(Activity(self.text(a, "text"), a_forums, str(a.get("timeline") or "")))
                indicators = []
                for i in g.get("indicators") or []:
                    ind = self.indicator(i, goal_id)
                    if ind:
                        if ind.id in seen:
                            self.problem(i, "id", f"id '{ind.id}' används redan (rad {seen[ind.id]})")
                        seen[ind.id] = i.line
                        indicators.append(ind)
                goals.append(Goal(goal_id, self.text(g, "text"), kind if kind in KINDS else "",
                                  str(g.get("timeline") or ""), goal_forums, fa_id, g.get("parent"),
                                  tuple(activities), tuple(indicators), g.line))
            focus_areas.append(FocusArea(fa_id, self.text(fa, "name"), tuple(goals)))
        goal_ids = {g.id for fa in focus_areas for g in fa.goals}
        for g, parent in pending_parents:
            if parent not in goal_ids:
                self.problem(g, "parent", f"'parent' pekar på ett mål som inte finns: '{parent}'")
        if not focus_areas:
            self.problem(data, None, "planen har inga 'focus_areas'")
        return Plan(self.text(data, "id"), self.text(data, "name"), county, start or 0, end or 0,
                    self.text(data, "source", required=False), forums, tuple(focus_areas), self.file)


def known_indicator_ids(warehouse: Path | None = None) -> set[str]:
    """Indicators a plan may reference: the catalogue, the Kolada selection and the warehouse."""
    from etl.catalogue import catalogue_rows
    from etl.kolada.settings import load_selection

    known = {row["indicator_id"] for row in catalogue_rows()}
    known |= {k.id for k in load_selection().kpis}
    if warehouse and Path(warehouse).exists():
        from warehouse.read import indicators

        known |= {row["indicator_id"] for row in indicators(warehouse)}
    return known


def read_plan(path: Path, known_indicators: set[str] | None = None) -> tuple[Plan, bytes]:
    """Read and check one plan file; also return the bytes that were checked.

    A caller that keeps a copy of an accepted plan keeps exactly those bytes,
    even if the file is saved again while it is being checked.

    Raises:
        PlanError: with every problem found (file, line, what is wrong).
    """
    path = Path(path)
    try:
        content = path.read_bytes()
        data = yamlfile.load(path, content)
    except OSError as exc:  # the file itself: no line to point at
        raise PlanError([Problem(str(path), 0, f"kan inte läsas ({exc.strerror or exc})")]) from exc
    except yamlfile.YamlFileError as exc:
        raise PlanError([Problem(str(path), getattr(exc, "line", 0), str(exc))]) from exc
    reader = _Reader(path, known_indicators)
    plan = reader.plan(data)
    if reader.problems or plan is None:
        raise PlanError(sorted(reader.problems, key=lambda p: p.line))
    return plan, content


def load_plan(path: Path, known_indicators: set[str] | None = None) -> Plan:
    """Read and check one plan file.

    Raises:
        PlanError: with every problem found (file, line, what is wrong).
    """
    return read_plan(path, known_indicators)[0]


def plans_dir() -> Path:
    return Path(settings.PLANS_DIR.get()).expanduser()


def plan_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or plans_dir()).glob("*.yml"))


def accepted_dir(warehouse: Path) -> Path:
    """Where the last accepted version of each plan file is kept (beside the warehouse)."""
    return Path(warehouse).parent / "plans-accepted"


@dataclass
class LoadedPlan:
    """A plan in use, and whether it is the file as it is now or its last accepted version."""

    path: Path
    plan: Plan | None
    error: PlanError | None = None
    from_accepted_copy: bool = False


def load_plans_in_use(paths: Iterable[Path], known: set[str] | None, warehouse: Path) -> list[LoadedPlan]:
    """Load plans; a file with errors is refused and its last accepted version stays in use.

    Every file that passes the checks is copied to `accepted_dir(warehouse)`, so
    an analyst's half-finished edit never takes a working plan off the screen.
    """
    store = accepted_dir(warehouse)
    out = []
    for path in paths:
        path = Path(path)
        copy = store / path.name
        try:
            plan, content = read_plan(path, known)
        except PlanError as exc:
            previous = None
            if copy.exists():
                try:
                    previous = load_plan(copy, None)
                except PlanError:
                    previous = None
            out.append(LoadedPlan(path, previous, exc, from_accepted_copy=previous is not None))
            continue
        store.mkdir(parents=True, exist_ok=True)
        if not copy.exists() or copy.read_bytes() != content:
            write_atomically(copy, content)
        out.append(LoadedPlan(path, plan))
    return out


def iter_loaded(known: set[str] | None, directory: Path | None = None) -> list[Plan]:
    """The plans in the plans folder that pass their checks (refused ones are left out)."""
    out = []
    for path in plan_files(directory):
        try:
            out.append(load_plan(path, known))
        except PlanError:
            continue
    return out
