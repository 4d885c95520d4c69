"""A synthetic national-scale warehouse and three 60-goal plans, for the benchmark.

Why synthetic: the questions are "is it fast at national scale", and real data
at that scale needs the network and changes under us. So the shape is real
(the real schema via warehouse.db.create_schema, Kolada's real 312 areas, 25
years, three sexes, monthly series for the 21 regions, counts behind shares and
rates so the intervals are computed as in production) and the values are
deterministic hashes. Everything synthetic says so: indicator ids SYN0001…,
SYNM001…, titles starting "SYNTETISK", source_ref "SYNTETISK …", plan ids
syn-…. Rows are made by DuckDB in bulk SQL, not Python loops.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from bench.scale import Scale
from etl.kolada.load import parse_areas
from warehouse.db import create_schema, refresh_observation_counts

ROOT = Path(__file__).resolve().parents[1]
AREA_FILE = ROOT / "etl" / "snapshot" / "data" / "kolada_municipality.json"
GENERATED_AT = dt.datetime(2026, 1, 15, 6, 0)
UNITS = ("percent", "per_100k", "per_1000", "days", "count")
PLAN_COUNTIES = ("0023", "0021", "0001")  # Jämtland Härjedalen, Gävleborg, Stockholm
SOURCE_REF = "SYNTETISK: bench/generate.py"


def annual_id(i: int) -> str:
    return f"SYN{i:04d}"


def monthly_id(i: int) -> str:
    return f"SYNM{i:03d}"


def real_areas() -> pd.DataFrame:
    """Kolada's 312 areas (Riket, 21 regions, 290 municipalities) as area rows."""
    body = json.loads(AREA_FILE.read_text(encoding="utf-8"))
    return parse_areas([(str(AREA_FILE), item) for item in body["values"]])


# A uniform number in [0, 1) from a hash of its key: deterministic, so two runs (and the
# ETL pages) agree to the bit, and no Python loop is needed.
_U = "(hash({key}) % 1000003) / 1000003.0"

_INDICATORS_SQL = f"""
insert into indicators
select
    'SYN' || lpad(i::varchar, 4, '0'),
    'SYNTETISK indikator ' || lpad(i::varchar, 4, '0') || ' (' || unit || ')',
    unit,
    case when unit = 'count' then 'neutral' when i % 2 = 0 then 'higher_is_better' else 'lower_is_better' end,
    'kolada', '{SOURCE_REF}', 'Syntetiska värden för prestandamätning; inte verklig statistik.',
    'annual', case when unit = 'per_100k' and i % 4 = 1 then 5 end, null, null
from (select i, ['percent', 'per_100k', 'per_1000', 'days', 'count'][(i % 5) + 1] as unit
      from range(1, $n + 1) t(i))
union all
select
    'SYNM' || lpad(i::varchar, 3, '0'),
    'SYNTETISK månadsindikator ' || lpad(i::varchar, 3, '0') || ' (' || unit || ')',
    unit, case when unit = 'days' then 'lower_is_better' else 'higher_is_better' end,
    'kolada', '{SOURCE_REF}', 'Syntetiska månadsvärden för prestandamätning.', 'monthly', null, null, null
from (select i, case when i % 2 = 0 then 'days' else 'percent' end as unit from range(1, $m + 1) t(i))
"""

# Population per area and sex, shares with pupils behind them, rates with events behind
# them, about 2 % missing and 1 % suppressed, a small trend per indicator and area.
_ANNUAL_SQL = f"""
insert into observations
with base as (
    select
        i.indicator_id, i.unit, a.area_code, y.y, s.sex,
        (case a.area_type when 'country' then 10500000 when 'region' then 60000 + 2000000 * {_U.format(key="a.area_code, 'pop'")}
              else 2500 + 150000 * pow({_U.format(key="a.area_code, 'pop'")}, 3) end)
            * (case s.sex when 'T' then 1.0 else 0.5 end) as pop,
        {_U.format(key="i.indicator_id, a.area_code, y.y, s.sex")} as u,
        {_U.format(key="i.indicator_id, a.area_code")} as level,
        {_U.format(key="i.indicator_id")} as trend
    from indicators as i
    cross join areas as a
    cross join range($first, $last + 1) as y(y)
    cross join (values ('T'), ('K'), ('M')) as s(sex)
    where i.frequency = 'annual'
),
counted as (
    select *,
        case when u < 0.02 then 'missing' when u < 0.03 then 'suppressed' else 'ok' end as status,
        case unit
            when 'percent' then greatest(round(pop * 0.011), 3)
            when 'per_100k' then round(pop)
            when 'per_1000' then round(pop)
        end as den,
        least(greatest(0.2 + 0.6 * level + (trend - 0.5) * 0.01 * (y - 2000) + 0.1 * (u - 0.5), 0.01), 0.99) as p
    from base
),
valued as (
    select *,
        case unit
            when 'percent' then round(den * p)
            when 'per_100k' then round(den * (5 + 40 * p) / 100000)
            when 'per_1000' then round(den * (2 + 20 * p) / 1000)
        end as num
    from counted
)
select
    indicator_id, area_code, y::varchar, sex, '',
    case when status = 'ok' then case unit
        when 'percent' then 100.0 * num / den
        when 'per_100k' then 100000.0 * num / den
        when 'per_1000' then 1000.0 * num / den
        when 'days' then round(10 + 80 * p, 1)
        else round(pop * (0.005 + 0.01 * p))
    end end,
    case when status <> 'missing' then num end,
    case when status <> 'missing' then den end,
    status, 'kolada', '{SOURCE_REF}', $fetched_at, 1
from valued
order by indicator_id, area_code, sex, y  -- as warehouse/load/apply_batch.sql inserts a load
"""

# BUP-like monthly series for the 21 regions: a share within 30 days, or median waiting days.
_MONTHLY_SQL = f"""
insert into observations
with base as (
    select i.indicator_id, i.unit, a.area_code, y.y, m.m,
           {_U.format(key="i.indicator_id, a.area_code, y.y, m.m")} as u,
           {_U.format(key="i.indicator_id, a.area_code")} as level
    from indicators as i
    cross join areas as a
    cross join range($last - $years + 1, $last + 1) as y(y)
    cross join range(1, 13) as m(m)
    where i.frequency = 'monthly' and a.area_type = 'region'
)
select indicator_id, area_code, y::varchar || '-' || lpad(m::varchar, 2, '0'), 'T', '',
       case unit when 'percent' then round(100.0 * round((0.4 + 0.5 * level + 0.1 * (u - 0.5)) * 300) / 300, 4)
                 else round(20 + 60 * level + 10 * u, 1) end,
       case unit when 'percent' then round((0.4 + 0.5 * level + 0.1 * (u - 0.5)) * 300) end,
       case unit when 'percent' then 300 end,
       'ok', 'kolada', '{SOURCE_REF}', $fetched_at, 1
from base
order by indicator_id, area_code, y, m
"""


def build_warehouse(path: Path, scale: Scale) -> int:
    """Write the synthetic warehouse at `path` (replacing it); return its observation count."""
    path = Path(path)
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        create_schema(con)
        con.register("real_areas", real_areas())
        con.execute("insert into areas select * from real_areas")
        con.execute(_INDICATORS_SQL, {"n": scale.indicators, "m": scale.monthly_indicators})
        con.execute("insert into loads values (1, 'bench-synthetic', $t, $t, 0, 0, 0, 'published', "
                    "'SYNTETISK: genererad av bench/generate.py')", {"t": GENERATED_AT})
        con.execute(_ANNUAL_SQL, {"first": scale.first_year, "last": scale.last_year, "fetched_at": GENERATED_AT})
        con.execute(_MONTHLY_SQL, {"last": scale.last_year, "years": scale.monthly_years,
                                   "fetched_at": GENERATED_AT})
        refresh_observation_counts(con)  # as every publish does
        con.execute("checkpoint")
        return con.execute("select count(*) from observations").fetchone()[0]
    finally:
        con.close()


@dataclass(frozen=True)
class Spec:
    """One plan indicator before its target is set from the data."""

    id: str
    indicator: str
    area: str
    sex: str
    monthly: bool


def _specs(plan_no: int, county: str, municipalities: list[str], scale: Scale) -> list[list[Spec]]:
    """Per goal, its 1–3 indicators: the county mostly, sometimes a municipality or one sex."""
    goals = []
    for g in range(scale.goals_per_plan):
        specs = []
        for k in range(1 + (g % 3 == 0) + (g % 5 == 0)):
            n = plan_no * 97 + g * 7 + k * 31
            monthly = scale.monthly_indicators and g % 10 == 9 and k == 0
            indicator = monthly_id(n % scale.monthly_indicators + 1) if monthly else annual_id(n % scale.indicators + 1)
            area = municipalities[n % len(municipalities)] if (not monthly and g % 4 == 1) else county
            sex = "T" if monthly else ("T", "T", "K", "M")[(g + k) % 4]
            specs.append(Spec(f"g{g + 1:02d}-i{k + 1}", indicator, area, sex, bool(monthly)))
        goals.append(specs)
    return goals


def _indicator_yaml(spec: Spec, direction: str, baseline: float | None, baseline_period: str,
                    deadline: str) -> dict:
    """A plan indicator with a target 10 % better than its baseline (so statuses vary)."""
    node = {"id": spec.id, "text": f"SYNTETISK indikator {spec.indicator}", "indicator": spec.indicator,
            "area": spec.area, "sex": spec.sex, "direction": direction}
    if baseline is None:
        return node
    better = 1.1 if direction == "higher_is_better" else 0.9
    target = round(baseline * better, 2)
    comparison = ">=" if direction == "higher_is_better" else "<="
    amber = round(baseline * (1.05 if better > 1 else 0.95), 2)
    node["target"] = {"comparison": comparison, "value": target, "amber_from": amber}
    node["baseline"] = {"value": round(baseline, 2), "period": baseline_period}
    node["deadline"] = deadline
    node["milestones"] = [{"period": str(int(deadline[:4]) - 2), "value": round((baseline + target) / 2, 2),
                           "text": "SYNTETISKT delmål"}]
    return node


def write_plans(warehouse: Path, plans_dir: Path, scale: Scale) -> list[Path]:
    """Three plans of `scale.goals_per_plan` goals in the project's plan schema (plans/README.md)."""
    plans_dir.mkdir(parents=True, exist_ok=True)
    base_year, monthly_base = str(scale.first_year + 2), str(scale.last_year - scale.monthly_years + 1)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        areas = con.execute("select area_code, parent_code from areas where area_type = 'municipality' "
                            "order by area_code").fetchall()
        meta = dict(con.execute("select indicator_id, direction from indicators").fetchall())
        values = {(r[0], r[1], r[2], r[3]): r[4] for r in con.execute(
            "select indicator_id, area_code, sex, period, value from observations "
            "where area_code in (select unnest($areas)) and value is not null "
            "and (period = $base or period[:4] = $monthly_base and length(period) = 7)",
            {"areas": [*PLAN_COUNTIES, *(a for a, p in areas if p in PLAN_COUNTIES)],
             "base": base_year, "monthly_base": monthly_base}).fetchall()}
    finally:
        con.close()
    paths = []
    for plan_no, county in enumerate(PLAN_COUNTIES, start=1):
        municipalities = [a for a, parent in areas if parent == county]
        focus_areas = []
        for g, specs in enumerate(_specs(plan_no, county, municipalities, scale)):
            indicators = []
            for s in specs:
                direction = meta[s.indicator] if meta[s.indicator] != "neutral" else "higher_is_better"
                if s.monthly:
                    months = [values.get((s.indicator, s.area, s.sex, f"{monthly_base}-{m:02d}")) for m in range(1, 13)]
                    known = [v for v in months if v is not None]
                    baseline = sum(known) / len(known) if known else None
                    indicators.append(_indicator_yaml(s, direction, baseline, monthly_base,
                                                      str(scale.last_year + 2)))
                else:
                    baseline = values.get((s.indicator, s.area, s.sex, base_year))
                    indicators.append(_indicator_yaml(s, direction, baseline, base_year,
                                                      str(scale.last_year + 3)))
            goal = {"id": f"syn-mal-{g + 1:02d}", "text": f"SYNTETISKT mål {g + 1} för prestandamätning.",
                    "kind": "long_term" if g % 2 == 0 else "short_term", "timeline": f"{base_year}-{scale.last_year + 3}",
                    "forums": ["syn-forum"], "indicators": indicators}
            if g % 10 == 0 or not focus_areas:
                focus_areas.append({"id": f"syn-fokus-{len(focus_areas) + 1}",
                                    "name": f"SYNTETISKT fokusområde {len(focus_areas) + 1}", "goals": []})
            focus_areas[-1]["goals"].append(goal)
        plan = {"id": f"syn-plan-{plan_no}", "name": f"SYNTETISK plan {plan_no} (benchmark, {county})",
                "county": county, "period": {"start": int(base_year), "end": scale.last_year + 3},
                "source": "SYNTETISK: bench/generate.py", "forums": [{"id": "syn-forum", "name": "SYNTETISKT forum"}],
                "focus_areas": focus_areas}
        path = plans_dir / f"syn_plan_{plan_no}.yml"
        path.write_text("# SYNTETISK plan för prestandamätning (bench/generate.py); inte en verklig handlingsplan.\n"
                        + yaml.safe_dump(plan, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
        paths.append(path)
    return paths
