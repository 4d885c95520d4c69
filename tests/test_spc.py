"""XmR control charts: limits and signals, worked by hand on real BUP figures."""

from __future__ import annotations

import pytest

from malkoll.spc import xmr


def test_bup_2018_months_limits_and_signals():
    """BUP first assessment within 30 days, Jämtland Härjedalen, jan–aug 2018: 38 63 73 65 60 82 90 37.

    mean = 508/8 = 63.5; moving ranges 25 10 8 5 22 8 53, mean 131/7 = 18.714;
    limits 63.5 ± 2.66 × 18.714 = 13.72 … 113.28 (lower stays above 0). Every month lies inside, and no
    run of 8 on one side: the swings are within what noise alone produces.
    """
    months = [f"2018-{m:02d}" for m in range(1, 9)]
    chart = xmr(months, [38, 63, 73, 65, 60, 82, 90, 37])
    assert chart.mean == pytest.approx(63.5)
    assert chart.mean_moving_range == pytest.approx(131 / 7)
    assert (chart.lower, chart.upper) == (pytest.approx(63.5 - 2.66 * 131 / 7), pytest.approx(63.5 + 2.66 * 131 / 7))
    assert chart.signals == []
    assert "slumpmässig variation" in chart.summary_sv()


def test_point_outside_and_long_run_are_explained_in_words():
    values = [20, 21, 19, 20, 22, 21, 20, 19, 60] + [30] * 8
    periods = [f"20{18 + i // 12}-{i % 12 + 1:02d}" for i in range(len(values))]
    chart = xmr(periods, values)
    rules = [s.rule for s in chart.signals]
    assert "above" in rules and "run_above" in rules
    assert any("ligger över den övre styrgränsen" in s.text_sv for s in chart.signals)


def test_too_few_points_gives_no_chart():
    assert xmr(["2018-01", "2018-02"], [1.0, 2.0]) is None
