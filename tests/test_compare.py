"""Jämför: funnel-plot limits, the shaping of a comparison, and the page (AppTest).

The funnel maths is checked against hand-worked examples (in the docstrings)
and properties; the page against the snapshot warehouse's own numbers and
against a small municipal fixture built in code.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from malkoll.compare import (AreaValue, build_comparison, funnel_band, funnel_curves, latest_period,
                             poisson_limit, rank, rate_limits, share_limits, summary, table)
from malkoll.stats import poisson_cdf, z_for
from tests.apptest import charts, decoded, figure, run_app, view_link_params
from warehouse.db import refresh_observation_counts
from warehouse.read import indicators as read_indicators

ROOT = Path(__file__).resolve().parents[1]
PAGE = "pages/jamfor.py"


# --------------------------------------------------------------------------
# Funnel limits
# --------------------------------------------------------------------------


def test_share_limits_hand_worked():
    """p0 = 80 %, n = 100.

    Standard error √(0.8 · 0.2 / 100) = 0.04.
    95 %:   z = 1.959964, half-width 0.078399 → 72.160–87.840 %.
    99.8 %: z = 3.090232, half-width 0.123609 → 67.639–92.361 %.
    """
    assert share_limits(80.0, 100, 0.95) == pytest.approx((72.160, 87.840), abs=5e-4)
    assert share_limits(80.0, 100, 0.998) == pytest.approx((67.639, 92.361), abs=5e-4)


def test_share_limits_are_clipped_to_0_and_100():
    low, high = share_limits(99.0, 10, 0.998)  # 0.99 ± 3.09·√(0.0099/10) = 0.99 ± 0.0972
    assert high == 100.0 and low == pytest.approx(89.28, abs=0.01)
    assert share_limits(1.0, 10, 0.998)[0] == 0.0


def test_poisson_limit_hand_worked_small_mean():
    """Expected count θ = 2 (e.g. 10 per 100 000 in 20 000 person-years).

    Poisson(2): F(4) = 0.947347, F(5) = 0.983436, F(6) = 0.995466,
    F(7) = 0.998903, F(8) = 0.999763.
    Upper 95 % (p = 0.975): y = 5; α = (0.983436 − 0.975) / (0.983436 − 0.947347)
    = 0.23376; limit 4.76624 events → 23.831 per 100 000.
    Upper 99.8 % (p = 0.999): y = 8; α = (0.999763 − 0.999) / (0.999763 − 0.998903)
    = 0.88744; limit 7.11256 events → 35.563 per 100 000.
    Lower 95 % (p = 0.025): F(0) = 0.135335 ≥ p, so y = 0 and the interpolated
    limit is 0 − (0.135335 − 0.025) / 0.135335 = −0.815 → clipped to 0.
    """
    assert [poisson_cdf(k, 2) for k in (4, 5, 8)] == pytest.approx([0.947347, 0.983436, 0.999763], abs=1e-6)
    assert poisson_limit(0.975, 2.0) == pytest.approx(4.76624, abs=1e-5)
    assert poisson_limit(0.999, 2.0) == pytest.approx(7.11256, abs=1e-5)
    assert poisson_limit(0.025, 2.0) == pytest.approx(-0.81527, abs=1e-5)
    assert rate_limits(10.0, 20_000, 0.95) == pytest.approx((0.0, 23.831), abs=1e-3)
    assert rate_limits(10.0, 20_000, 0.998) == pytest.approx((0.0, 35.563), abs=1e-3)


def test_rate_limits_hand_worked_jamtland_against_riket():
    """Suicide 15–24 years, 2020–2024 (snapshot): Jämtland against Riket.

    Riket: 577 deaths / 5 937 255 person-years = 9.71830 per 100 000.
    Jämtland: 70 293 person-years, so θ = 9.71830e-5 · 70 293 = 6.83128 expected deaths.
    Poisson(6.83128): F(1) = 0.008454, F(2) = 0.033641, F(11) = 0.953908, F(12) = 0.977184.
    Lower 95 %: y = 2, 2 − (0.033641 − 0.025)/(0.033641 − 0.008454) = 1.65692 → 2.3572 per 100 000.
    Upper 95 %: y = 12, 12 − (0.977184 − 0.975)/(0.977184 − 0.953908) = 11.90618 → 16.9379.
    Jämtland observed 12 deaths = 17.0714 per 100 000: above the 95 % limit,
    inside the 99.8 % limits (upper ≈ 22.4).
    """
    riket = 577 / 5_937_255 * 100_000
    assert riket == pytest.approx(9.71830, abs=1e-5)
    assert rate_limits(riket, 70_293, 0.95) == pytest.approx((2.3572, 16.9379), abs=1e-4)
    assert funnel_band("per_100k", riket, 12 / 70_293 * 100_000, 70_293) == "high_95"
    assert rate_limits(riket, 70_293, 0.998)[1] == pytest.approx(22.4, abs=0.05)


def test_large_expected_counts_agree_with_the_normal_approximation():
    """For θ in the thousands the exact limits are close to θ ± z√θ (Spiegelhalter 2005)."""
    theta = 5_000.0
    low, high = rate_limits(10.0, theta / 10.0 * 100_000, 0.998)
    half = z_for(0.998) * math.sqrt(theta)
    assert low == pytest.approx(10.0 * (theta - half) / theta, rel=2e-3)
    assert high == pytest.approx(10.0 * (theta + half) / theta, rel=2e-3)
    # ... and beyond NORMAL_ABOVE the normal limits are used directly.
    assert rate_limits(10.0, 2e10, 0.95) == pytest.approx(
        (10 - 1.959964 * math.sqrt(2e6) / 2e5, 10 + 1.959964 * math.sqrt(2e6) / 2e5), rel=1e-9)


@settings(max_examples=150, deadline=None)
@given(p0=st.floats(0.5, 99.5), n=st.floats(5, 1e6))
def test_share_limits_nest_and_contain_the_centre(p0, n):
    inner, outer = share_limits(p0, n, 0.95), share_limits(p0, n, 0.998)
    assert outer[0] <= inner[0] <= p0 <= inner[1] <= outer[1]
    wider = share_limits(p0, n / 4, 0.95)
    assert wider[1] - wider[0] >= inner[1] - inner[0] - 1e-9


@settings(max_examples=150, deadline=None)
@given(rate=st.floats(0.5, 500.0), n=st.floats(1_000, 5e7))
def test_rate_limits_nest_and_contain_the_centre(rate, n):
    if rate * n / 100_000 < 0.05:  # below θ ≈ 0.025 the upper limit is 0 events (see rate_limits)
        return
    inner, outer = rate_limits(rate, n, 0.95), rate_limits(rate, n, 0.998)
    assert outer[0] <= inner[0] + 1e-9 and inner[1] <= outer[1] + 1e-9
    assert inner[0] <= rate <= inner[1]


def test_funnel_curves_follow_the_limits_on_a_log_grid():
    curves = funnel_curves("percent", 76.9, 100, 10_000, points=5)
    assert [c.level for c in curves] == [0.95, 0.998]
    assert curves[0].n == pytest.approx([100, 316.23, 1000, 3162.28, 10_000], rel=1e-4)
    assert curves[1].upper[0] == pytest.approx(share_limits(76.9, 100, 0.998)[1])
    assert all(a >= b for a, b in zip(curves[0].upper, curves[0].upper[1:]))  # narrows as n grows


# --------------------------------------------------------------------------
# Periods, settings, shaping
# --------------------------------------------------------------------------


def test_threshold_setting_falls_back_to_the_default(monkeypatch):
    from malkoll.stats import configured_threshold, is_suppressed

    monkeypatch.setenv("MALKOLL_SUPPRESSION_THRESHOLD", "10")
    assert configured_threshold() == 10 and is_suppressed(7)
    for bad in ("ten", "0", ""):
        monkeypatch.setenv("MALKOLL_SUPPRESSION_THRESHOLD", bad)
        assert configured_threshold() == 5 and not is_suppressed(7)


def rows_frame(rows: list[tuple]) -> pd.DataFrame:
    columns = ["role", "area_code", "name", "area_type", "period", "sex", "subgroup", "value", "numerator",
               "denominator", "status"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.assign(source="test", source_ref="test", fetched_at=pd.Timestamp(2024, 1, 1))


MUNICIPAL_SHARES = rows_frame([
    # role, code, name, type, period, sex, subgroup, value, numerator, denominator, status
    ("area", "2380", "Östersund", "municipality", "2018", "T", "", 80.0, 400, 500, "ok"),
    ("area", "2309", "Krokom", "municipality", "2018", "T", "", 93.8, 150, 160, "ok"),
    ("area", "2313", "Strömsund", "municipality", "2018", "T", "", 60.0, 60, 100, "ok"),
    ("area", "2321", "Åre", "municipality", "2018", "T", "", 66.0, 66, 100, "ok"),
    ("area", "2326", "Berg", "municipality", "2018", "T", "", None, None, 40, "suppressed"),
    ("area", "2305", "Bräcke", "municipality", "2018", "T", "", 10.0, 3, 30, "ok"),  # 3 < 5: för få fall
    ("area", "2361", "Härjedalen", "municipality", "2018", "T", "", 93.3, 28, 30, "ok"),  # 2 did not
    ("area", "2303", "Ragunda", "municipality", "2018", "T", "", None, None, None, "missing"),
    ("area", "2380", "Östersund", "municipality", "2017", "T", "", 79.0, 395, 500, "ok"),
    ("area", "2303", "Ragunda", "municipality", "2017", "T", "", 70.0, 35, 50, "ok"),
    ("county", "0023", "Region Jämtland Härjedalen", "region", "2018", "T", "", 76.9, 1000, 1300, "ok"),
    ("country", "0000", "Riket", "country", "2018", "T", "", 80.0, 80_000, 100_000, "ok"),
])


def test_municipal_shares_make_a_funnel_around_the_county():
    c = build_comparison(MUNICIPAL_SHARES, indicator_id="N15428", unit="percent", period="2018", sex="T")
    assert (c.level, c.chart) == ("municipalities", "funnel")
    assert c.centre is not None and c.centre.role == "county" and c.centre.basis == "counts"
    assert c.centre.value == pytest.approx(1000 / 1300 * 100)
    assert [r.name for r in c.references] == ["Region Jämtland Härjedalen", "Riket"]
    # Ranked highest first; plotted values are the published ones.
    assert [(a.name, a.value) for a in c.shown] == [("Krokom", 93.8), ("Östersund", 80.0), ("Åre", 66.0),
                                                     ("Strömsund", 60.0)]
    assert {a.name: a.band for a in c.shown} == {"Krokom": "high_998", "Östersund": "within", "Åre": "low_95",
                                                 "Strömsund": "low_998"}
    # Source-suppressed, below-threshold numerator and below-threshold complement: för få fall.
    assert sorted(a.name for a in c.suppressed) == ["Berg", "Bräcke", "Härjedalen"]
    assert all(a.value is None and a.numerator is None for a in c.suppressed)
    assert [a.name for a in c.missing] == ["Ragunda"]
    assert c.areas[-1].name == "Ragunda"
    assert c.shown[0].limits[0.998] == pytest.approx(share_limits(1000 / 1300 * 100, 160, 0.998))


def test_text_alternative_names_the_areas_outside_the_limits():
    c = build_comparison(MUNICIPAL_SHARES, indicator_id="N15428", unit="percent", period="2018", sex="T")
    text = summary(c, "Behöriga", "2018")
    assert "Över 99,8 %-gränsen, alltså tydligt högre än väntat: Krokom (93,8 %)." in text
    assert "Under 99,8 %-gränsen, alltså tydligt lägre än väntat: Strömsund (60 %)." in text
    assert "lägre än väntat: Åre (66 %)." in text
    assert "1 av 4 ligger inom 95 %-gränserna." in text
    assert "För få fall, visas inte: Berg, Bräcke och Härjedalen." in text
    assert "Saknar värde: Ragunda." in text
    assert "Region Jämtland Härjedalen 76,9 %, Riket 80 %" in text


def test_table_uses_decimal_commas_and_hides_suppressed_counts():
    c = build_comparison(MUNICIPAL_SHARES, indicator_id="N15428", unit="percent", period="2018", sex="T")
    frame = table(c).set_index("Område")
    assert frame.loc["Krokom", "Värde"] == "93,8"
    assert frame.loc["Krokom", "Rang"] == "1"
    assert frame.loc["Krokom", "99,8 %-gränser"] == "66,6–87,2"
    assert frame.loc["Krokom", "Läge"] == "Över 99,8 %-gränsen"
    assert frame.loc["Bräcke", "Värde"] == "för få fall" and frame.loc["Bräcke", "Täljare"] == ""
    assert frame.loc["Ragunda", "Värde"] == "saknas"
    assert frame.loc["Region Jämtland Härjedalen (jämförelse)", "Värde"] == "76,9"


def test_a_higher_threshold_suppresses_more():
    c = build_comparison(MUNICIPAL_SHARES, indicator_id="N15428", unit="percent", period="2018", sex="T",
                         threshold=61)  # Strömsund's 60 (and the 40 who were not) are now too few
    assert "Strömsund" not in [a.name for a in c.shown]


def test_areas_without_counts_get_ranked_bars_with_intervals_where_possible():
    mixed = MUNICIPAL_SHARES.copy()
    mixed.loc[mixed["name"] == "Åre", ["numerator", "denominator"]] = None
    c = build_comparison(mixed, indicator_id="N15428", unit="percent", period="2018", sex="T")
    assert c.chart == "bars_with_intervals"
    krokom = next(a for a in c.shown if a.name == "Krokom")
    # Wilson 150/160: centre (0.9375 + 1.96²/320)/(1 + 1.96²/160) = 0.92724,
    # half-width 1.96/1.02401 · √(0.9375·0.0625/160 + 1.96²/102 400) = 0.03846.
    assert (krokom.lower, krokom.upper) == pytest.approx((88.878, 96.570), abs=1e-3)
    assert krokom.band == "high_95"  # the whole interval lies above the county's 76,9 %
    are = next(a for a in c.shown if a.name == "Åre")
    assert are.lower is None and are.band is None
    no_counts = MUNICIPAL_SHARES.assign(numerator=None)
    assert build_comparison(no_counts, indicator_id="x", unit="percent", period="2018", sex="T").chart == "bars"


def test_county_without_counts_uses_its_value_then_the_areas_pooled():
    rows = MUNICIPAL_SHARES.copy()
    county = rows["role"] == "county"
    rows.loc[county, ["numerator", "denominator"]] = None
    c = build_comparison(rows, indicator_id="N15428", unit="percent", period="2018", sex="T")
    assert (c.centre.value, c.centre.basis) == (76.9, "value")
    rows.loc[county, ["value", "status"]] = [None, "missing"]
    c = build_comparison(rows, indicator_id="N15428", unit="percent", period="2018", sex="T")
    assert c.centre.basis == "areas_sum" and c.chart == "funnel"
    # Every row with counts (Bräcke's and Härjedalen's too: a sum identifies no one).
    assert c.centre.value == pytest.approx((400 + 150 + 60 + 66 + 3 + 28) / (500 + 160 + 100 + 100 + 30 + 30) * 100)


def test_latest_period_and_missing_areas_of_other_periods():
    assert latest_period(MUNICIPAL_SHARES, "T") == "2018"
    assert latest_period(MUNICIPAL_SHARES, "K") == "2018"  # no values for women: the latest of any sex
    c = build_comparison(MUNICIPAL_SHARES, indicator_id="N15428", unit="percent", period="2017", sex="T")
    assert [a.name for a in c.shown] == ["Östersund", "Ragunda"]
    assert sorted(a.name for a in c.missing) == sorted(
        ["Krokom", "Strömsund", "Åre", "Berg", "Bräcke", "Härjedalen"])


def test_rank_puts_values_first_then_suppressed_then_missing():
    areas = [AreaValue("1", "B", "missing"), AreaValue("2", "A", "suppressed"), AreaValue("3", "C", "ok", value=1.0),
             AreaValue("4", "D", "ok", value=3.0)]
    assert [a.name for a in rank(areas)] == ["D", "C", "A", "B"]


# --------------------------------------------------------------------------
# The page (AppTest)
# --------------------------------------------------------------------------


def run_page(params: dict[str, str] | None = None) -> AppTest:
    """The page with its table view ("Visa som tabell") open."""
    return run_app(params, page=PAGE, opened=("jamfor_table",))


def traces(fig: dict, role: str) -> list[dict]:
    return [tr for tr in fig["data"] if (tr.get("meta") or {}).get("role") == role]


def points(fig: dict) -> dict[str, tuple[float, float]]:
    """Plotted areas: area code -> (x, y)."""
    found = {}
    for tr in traces(fig, "areas"):
        xs, ys = decoded(tr["x"]), decoded(tr["y"])
        found.update({code: (x, y) for code, x, y in zip(tr["meta"]["area_codes"], xs, ys)})
    return found


def param(at: AppTest, key: str) -> str | None:
    """The view's `key` as its shared link holds it (the address bar leaves defaults out)."""
    return view_link_params(at, "/jamfor?").get(key)


def warehouse_rows(path: Path, indicator: str, period: str) -> pd.DataFrame:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select * from observations where indicator_id = ? and period = ? and sex = 'T'",
                           [indicator, period]).df().set_index("area_code")


def test_region_only_rates_are_a_funnel_around_riket(snapshot_warehouse):
    at = run_page({"indikator": "suicide_rate_15_24_5yr"})
    assert not at.exception
    fig = figure(at)
    wh = warehouse_rows(snapshot_warehouse, "suicide_rate_15_24_5yr", "2024")
    # The latest period with values, shown as its five-year window; written to the URL.
    assert param(at, "period") == "2024" and param(at, "kon") == "T" and param(at, "region") == "0023"
    assert at.selectbox[2].format_func(at.selectbox[2].value) == "2020–2024"
    assert "2020–2024" in fig["layout"]["title"]["text"]
    # Every region with a value, at (person-years, rate) exactly as in the warehouse.
    assert points(fig) == {code: (wh.loc[code, "denominator"], wh.loc[code, "value"]) for code in ("0021", "0023")}
    # Centre line at Riket's pooled rate, Σdeaths / Σperson-years.
    (centre,) = traces(fig, "centre")
    assert decoded(centre["y"]) == pytest.approx([577 / 5_937_255 * 100_000] * 2)
    assert centre["meta"]["area_code"] == "0000" and centre["name"] == "Riket: 9,72 per 100 000"
    # Four limit curves, 95 % inside 99.8 %, matching the funnel maths.
    limits = {(tr["meta"]["level"], tr["meta"]["side"]): tr for tr in traces(fig, "limit")}
    assert set(limits) == {(0.95, "lower"), (0.95, "upper"), (0.998, "lower"), (0.998, "upper")}
    xs = decoded(limits[(0.95, "upper")]["x"])
    assert min(xs) < 70_293 and max(xs) > 153_170
    assert decoded(limits[(0.998, "upper")]["y"])[0] == pytest.approx(
        rate_limits(577 / 5_937_255 * 100_000, xs[0], 0.998)[1])
    assert all(o >= i for o, i in zip(decoded(limits[(0.998, "upper")]["y"]), decoded(limits[(0.95, "upper")]["y"])))
    # Jämtland lies above its 95 % limit (hand-worked above), Gävleborg inside.
    bands = {code: tr["meta"]["band"] for tr in traces(fig, "areas") for code in tr["meta"]["area_codes"]}
    assert bands == {"0023": "high_95", "0021": "within"}
    assert fig["layout"]["separators"] == ", "
    text = " ".join(m.value for m in at.markdown)
    assert ("Mellan 95 %- och 99,8 %-gränserna, högre än väntat: Region Jämtland Härjedalen (17,1 per 100 000)."
            in text)
    assert "Inget område ligger utanför 99,8 %-gränserna." in text
    assert any("Spiegelhalter 2005" in c.value for c in at.caption)
    assert any("redovisas inte för kommunerna i Region Jämtland Härjedalen" in c.value for c in at.caption)
    frame = at.dataframe[0].value.set_index("Område")
    jamtland = frame.loc["Region Jämtland Härjedalen"]
    assert jamtland[["Värde", "Täljare", "Nämnare"]].tolist() == ["17,1", "12", "70\u00a0293"]
    assert frame.loc["Region Jämtland Härjedalen", "95 %-gränser"] == "2,36–16,9"


def test_suppressed_window_is_listed_not_plotted(snapshot_warehouse):
    at = run_page({"indikator": "suicide_rate_15_24_5yr", "period": "2023"})
    assert not at.exception and not at.warning
    fig = figure(at)
    assert set(points(fig)) == {"0021"}  # Jämtland 2019–2023 is suppressed at the source
    assert 0 not in [y for _, y in points(fig).values()]
    note = [a for a in fig["layout"]["annotations"] if a.get("name") == "not_shown"]
    assert note and note[0]["text"] == "För få fall (visas inte): Region Jämtland Härjedalen"
    frame = at.dataframe[0].value.set_index("Område")
    assert frame.loc["Region Jämtland Härjedalen", "Värde"] == "för få fall"
    assert "För få fall, visas inte: Region Jämtland Härjedalen." in " ".join(m.value for m in at.markdown)


def test_values_without_counts_are_ranked_bars_with_riket_as_reference(snapshot_warehouse):
    at = run_page({"indikator": "bup_first_visit_median_wait_days", "region": "0021"})
    assert not at.exception
    fig = figure(at)
    wh = warehouse_rows(snapshot_warehouse, "bup_first_visit_median_wait_days", "2026-06")
    assert param(at, "period") == "2026-06"
    (bars,) = traces(fig, "areas")
    codes, values = bars["meta"]["area_codes"], decoded(bars["x"])
    regions = [c for c in wh.index if c != "0000"]
    assert sorted(codes) == sorted(regions) and len(codes) == 20
    assert values == [wh.loc[c, "value"] for c in codes]
    assert values == sorted(values, reverse=True)  # ranked, highest on top (reversed y axis)
    assert fig["layout"]["yaxis"]["autorange"] == "reversed"
    assert "error_x" not in bars or not bars["error_x"].get("array")
    colours = dict(zip(codes, bars["marker"]["color"]))
    assert colours["0021"] != colours["0023"]  # the chosen region stands out
    (riket,) = [s for s in fig["layout"]["shapes"] if s.get("name") == "reference:0000"]
    assert riket["x0"] == riket["x1"] == wh.loc["0000", "value"]
    (key,) = traces(fig, "reference_key")  # named in the legend, not by a label on the top bar
    assert key["name"].startswith("Riket: ") and key["line"] == riket["line"]
    assert not [a for a in fig["layout"].get("annotations", []) if a.get("text", "").startswith("Riket")]
    note = [a for a in fig["layout"]["annotations"] if a.get("name") == "not_shown"][0]
    assert note["text"] == "Saknar värde: Region Västernorrland"  # no June figure published


def test_unknown_link_values_get_swedish_warnings_and_a_real_view(snapshot_warehouse):
    at = run_page({"indikator": "suicide_rate_15_24_5yr", "region": "'; drop table areas; --",
                   "kon": "X", "period": "1066"})
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "Regionen '; drop table areas; -- finns inte i Målkoll" in warnings
    assert "Indikatorn har inga värden för kön X här" in warnings
    assert "Perioden 1062–1066 finns inte" in warnings  # named as the picker names five-year windows
    assert param(at, "region") == "0023" and param(at, "period") == "2024"
    assert points(figure(at))


def test_unknown_indicator_falls_back_to_the_one_with_most_areas(snapshot_warehouse):
    at = run_page({"indikator": "<script>"})
    assert not at.exception
    assert "finns inte i Målkoll" in " ".join(w.value for w in at.warning)
    assert param(at, "indikator") == "bup_first_visit_median_wait_days"


def test_sex_without_values_and_indicator_without_values_say_so(snapshot_warehouse):
    # A link asking for women where only everyone is reported: said so, and the view for everyone shown.
    at = run_page({"indikator": "suicide_rate_15_24_5yr", "kon": "K"})
    assert not at.exception and figure(at) and param(at, "kon") == "T"
    assert any("inga värden för kön Kvinnor här" in w.value for w in at.warning)  # named, not coded
    at = run_page({"indikator": "N02797"})
    assert not at.exception and any("inga värden" in i.value for i in at.info)


def test_nothing_to_plot_is_said_not_drawn(snapshot_warehouse):
    """Suicide all ages, pooled: the snapshot has Riket's rate but the regions' windows are missing."""
    at = run_page({"indikator": "suicide_rate_all_ages_5yr"})
    assert not at.exception and not charts(at)
    assert any("Inget område har ett värde som kan visas för 2020–2024" in i.value for i in at.info)
    frame = at.dataframe[0].value.set_index("Område")
    assert frame.loc["Region Gävleborg", "Värde"] == "saknas"
    assert frame.loc["Riket (jämförelse)", "Värde"] == "11,9"


def test_choosing_another_indicator_starts_from_its_latest_period(snapshot_warehouse):
    at = run_page({"indikator": "suicide_rate_15_24_5yr", "period": "2015"})
    assert param(at, "period") == "2015"
    at.selectbox[0].select("bup_first_visit_median_wait_days").run()
    assert not at.exception and not at.warning  # the old period is dropped quietly, not reported as unknown
    assert param(at, "indikator") == "bup_first_visit_median_wait_days" and param(at, "period") == "2026-06"
    at.selectbox[2].select("2025-07").run()
    assert param(at, "period") == "2025-07" and "jul 2025" in figure(at)["layout"]["title"]["text"]


@pytest.fixture
def municipal_shares(snapshot_warehouse: Path) -> Path:
    """The snapshot plus N15428 2018 with counts for Jämtland's municipalities, the county and Riket.

    Same figures as MUNICIPAL_SHARES: one area per funnel band, one suppressed
    at the source, two below the threshold (a numerator of 3, a complement
    of 2) and one missing.
    """
    fetched = dt.datetime(2024, 3, 1)
    rows = MUNICIPAL_SHARES[MUNICIPAL_SHARES["period"] == "2018"].astype(object)
    rows = rows.where(rows.notna(), None)
    with duckdb.connect(str(snapshot_warehouse)) as con:
        con.executemany(
            "insert into observations values ('N15428', ?, '2018', 'T', '', ?, ?, ?, ?, 'test', 'test fixture', ?, 1)",
            [(r.area_code, r.value, r.numerator, r.denominator, r.status, fetched) for r in rows.itertuples()],
        )
        refresh_observation_counts(con)  # as a publish does: the pickers list areas from these counts
    return snapshot_warehouse


def test_municipal_share_funnel_around_the_county(municipal_shares):
    at = run_page({"indikator": "N15428", "region": "0023"})
    assert not at.exception
    fig = figure(at)
    assert param(at, "period") == "2018"
    wh = warehouse_rows(municipal_shares, "N15428", "2018")
    plotted = points(fig)
    assert plotted == {code: (wh.loc[code, "denominator"], wh.loc[code, "value"])
                       for code in ("2380", "2309", "2313", "2321")}
    for code in ("2326", "2305", "2361", "2303"):  # suppressed (3 ways) and missing: never plotted
        assert code not in plotted
    (centre,) = traces(fig, "centre")
    assert centre["meta"]["area_code"] == "0023"
    assert decoded(centre["y"]) == pytest.approx([1000 / 1300 * 100] * 2)
    (riket,) = traces(fig, "reference")
    assert riket["meta"]["area_code"] == "0000" and decoded(riket["y"]) == pytest.approx([80.0, 80.0])
    upper = next(tr for tr in traces(fig, "limit") if tr["meta"] == {"role": "limit", "level": 0.998, "side": "upper"})
    assert max(decoded(upper["y"])) <= 100.0
    assert decoded(upper["y"])[-1] == pytest.approx(share_limits(1000 / 1300 * 100, decoded(upper["x"])[-1], 0.998)[1])
    bands = {code: tr["meta"]["band"] for tr in traces(fig, "areas") for code in tr["meta"]["area_codes"]}
    assert bands == {"2309": "high_998", "2380": "within", "2321": "low_95", "2313": "low_998"}
    note = [a for a in fig["layout"]["annotations"] if a.get("name") == "not_shown"][0]["text"]
    assert note == "För få fall (visas inte): Berg, Bräcke, Härjedalen<br>Saknar värde: Ragunda"
    assert fig["layout"]["xaxis"]["title"]["text"] == "Antal i gruppen (nämnare)"
    assert any("Kommunerna i Region Jämtland Härjedalen jämförs" in c.value for c in at.caption)
    text = " ".join(m.value for m in at.markdown)
    assert "Över 99,8 %-gränsen, alltså tydligt högre än väntat: Krokom (93,8 %)." in text


def test_a_region_without_municipal_values_compares_the_regions(municipal_shares):
    at = run_page({"indikator": "N15428", "region": "0021"})
    assert not at.exception
    assert any("Alla regioner visas" in c.value for c in at.caption)
    assert param(at, "period") == "2018"
    # Only Jämtland has a regional value; Riket is the centre. Choosing Jämtland shows its kommuner.
    assert set(points(figure(at))) == {"0023"}
    at.selectbox[1].select("0023").run()
    assert not at.exception and not at.warning
    assert set(points(figure(at))) == {"2380", "2309", "2313", "2321"}


def test_a_municipality_is_drawn_against_both_its_county_and_riket(municipal_shares):
    """The indicator view's comparison lines: country and county, read for both at once."""
    at = run_app({"indikator": "N15428", "omrade": "2380"})
    assert not at.exception
    lines = {trace["name"]: dict(zip(decoded(trace["x"]), decoded(trace["y"]))) for trace in figure(at)["data"]}
    assert list(lines) == ["Totalt", "Riket", "Region Jämtland Härjedalen"]
    assert lines["Riket"] == {2018: 80.0}
    assert lines["Region Jämtland Härjedalen"][2018] == 76.9


def test_the_indicator_picker_offers_only_indicators_with_areas_to_compare(snapshot_warehouse):
    at = run_page()
    offered = at.selectbox[0].options
    assert offered and not any("hbtq" in o.lower() for o in offered)
    assert len(offered) < len(read_indicators(snapshot_warehouse))


def test_every_choice_in_a_row_takes_effect_in_the_region_sex_and_period_pickers(snapshot_warehouse):
    """Each pick is kept, not only every second one (a widget whose start came from the URL was replaced
    at the next run, so the next pick was lost)."""
    at = run_page({"indikator": "bup_first_visit_median_wait_days"})
    for region, period in (("0021", "2026-05"), ("0023", "2026-04"), ("0022", "2026-03")):
        at.selectbox[1].select(region).run()
        at.selectbox[2].select(period).run()
        assert (param(at, "region"), param(at, "period")) == (region, period)
    assert at.radio[0].options == ["Totalt"]  # reported for everyone only: no Kvinnor or Män to pick
    at = run_page({"indikator": "school_survey_often_sad_low"})
    for sex in ("M", "K", "M"):
        at.radio[0].set_value(sex).run()
        assert param(at, "kon") == sex and at.radio[0].value == sex


def test_a_school_survey_indicator_is_compared_one_picked_grade_at_a_time(snapshot_warehouse):
    """The survey reports per grade (Fsk, Åk 4 … Gy 1); the first grade was the only one on offer."""
    at = run_page({"indikator": "school_survey_often_sad_low"})
    picker = next(s for s in at.selectbox if s.label == "Grupp")
    assert len(picker.options) > 2 and picker.value == "Fsk"
    picker.select("Gy 1").run()
    assert param(at, "grupp") == "Gy 1"
    assert any("Gruppen Gy 1 visas." in c.value for c in at.caption)
    assert figure(at)["layout"]["title"]["text"].replace("<br>", " ").endswith(", Gy 1")  # the group, named
    assert view_link_params(at, "/jamfor?")["grupp"] == "Gy 1"
    at = run_page({"indikator": "school_survey_often_sad_low", "grupp": "Åk 12"})
    assert any("Gruppen Åk 12 finns inte" in w.value for w in at.warning) and not at.exception
