"""How big each benchmark run is: the national shape, and a quick one for a smoke run.

One dataclass, so that every module takes its sizes from the same place and the
JSON result records exactly what was measured.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    indicators: int           # annual synthetic indicators SYN0001..; × every area × years × 3 sexes
    first_year: int
    last_year: int
    monthly_indicators: int   # SYNM001..; monthly series for the 21 regions
    monthly_years: int        # the last N years of monthly values
    goals_per_plan: int       # three plans of this many goals
    etl_kpis: int             # Kolada-shaped KPIs served by the replay server (SYNK0001..)
    etl_years: int            # years per KPI × every area × 3 sexes
    repeats: int              # runs of the fast measures (a, b)
    baseline_repeats: int     # runs of the slow naive baselines
    browser_repeats: int      # app cold starts per warehouse (c, f); 8, as one start varies by ±0.5 s
    etl_repeats: int          # ETL runs (d, e)

    @property
    def years(self) -> int:
        return self.last_year - self.first_year + 1

    def as_dict(self) -> dict:
        return asdict(self)


FULL = Scale("full", indicators=300, first_year=2000, last_year=2024, monthly_indicators=10, monthly_years=10,
             goals_per_plan=60, etl_kpis=50, etl_years=25, repeats=30, baseline_repeats=3,
             browser_repeats=8, etl_repeats=3)
QUICK = Scale("quick", indicators=20, first_year=2015, last_year=2024, monthly_indicators=3, monthly_years=3,
              goals_per_plan=60, etl_kpis=5, etl_years=10, repeats=10, baseline_repeats=2,
              browser_repeats=1, etl_repeats=2)
