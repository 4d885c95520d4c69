"""Goal statuses from the shipped Jämtland plan and the offline snapshot: the plan's real figures."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from malkoll.cli import main
from malkoll.goal_status import plan_status
from malkoll.plan import known_indicator_ids, load_plan

ROOT = Path(__file__).resolve().parents[1]
JAMTLAND = ROOT / "plans" / "jamtland_2018_2020.yml"


@pytest.fixture
def statuses(snapshot_warehouse):
    plan = load_plan(JAMTLAND, known_indicator_ids())
    return {gs.goal.id: gs for gs in plan_status(plan, snapshot_warehouse)}


def test_bup_first_assessment_is_not_on_track(statuses):
    """BUP, Region Jämtland Härjedalen: 72 % (2016), 84 % (2017), jan–aug 2018 38, 63, 73, 65, 60, 82, 90, 37.

    Months are summarised per year: (38+63+73+65+60+82+90+37)/8 = 508/8 = 63.5 %, labelled "jan–aug 2018".
    Against the target now: 63.5 < 100 → not met.
    To the deadline (plan: baseline 84 % in 2017, ≥ 100 % by 2019):
      observed CAGR = 63.5/84 − 1 = −24.4 % per year; needed = (100/84)^(1/2) − 1 = +9.1 % per year;
      ratio = −0.244/0.091 = −2.68 < 0 → moving away. Projection to 2019: 63.5 × 0.756 = 48.0 %.
    """
    bup = statuses["bup-forsta-linjen"]
    s = bup.indicators[0]
    assert s.latest_label == "jan–aug 2018" and s.latest.value == pytest.approx(63.5)
    assert s.against_target.code == "not_met"
    assert s.progress.code == "moving_away"
    assert s.progress.working["cagr_observed"] == pytest.approx(63.5 / 84 - 1)
    assert s.projection == pytest.approx(63.5 * (63.5 / 84), rel=1e-6)
    assert bup.status.code == "moving_away"


def test_eligibility_for_vocational_programmes_is_moving_away(statuses):
    """N15428, Jämtlands län: 82.8 (2015), 85.1 (2016), 78.6 (2017); the plan only says "öka".

    No numeric target, so the Open SDG no-target rule: CAGR = (78.6/82.8)^(1/2) − 1 = −2.57 % per
    year, counted in the wanted direction (higher is better) −2.57 % < 0 → moving away.
    """
    s = statuses["behorighet-gymnasiet"].indicators[0]
    assert s.latest.value == 78.6
    assert s.progress.code == "moving_away"
    assert s.progress.working["cagr_observed"] == pytest.approx((78.6 / 82.8) ** 0.5 - 1)
    assert statuses["behorighet-gymnasiet"].status.code == "moving_away"


def test_suicide_15_24_cannot_carry_a_verdict_from_small_numbers(statuses):
    """Suicide 15–24, Jämtland: baseline 21.77 (mean 2011–2015), milestone halve by 2019 (10.885).

    2016: 6.90 per 100 000 is about 1 death in 14 419 people aged 15–24 (SCB); a count of 1 is below
    the suppression threshold (5), so it is shown as "för få fall" and cannot carry a verdict.
    Pooled 2020–2024: 12 deaths over 70 295 person-years = 17.07; its exact/Byar 95 % interval
    (8.8–29.8) holds the baseline 21.77, so the change is not distinguishable from chance either.
    """
    goal = statuses["halvera-suicid-15-24"]
    annual = next(s for s in goal.indicators if s.spec.indicator == "suicide_rate_15_24")
    pooled = next(s for s in goal.indicators if s.spec.indicator == "suicide_rate_15_24_5yr")
    assert annual.latest.suppressed and annual.progress.code == "cannot_assess"
    assert "för få fall" in annual.progress.reason_sv
    assert pooled.latest.period == "2020-2024" and pooled.latest.numerator == 12
    assert pooled.latest.lower < 21.77 < pooled.latest.upper
    assert pooled.progress.code == "cannot_assess" and "fler sammanslagna år" in pooled.progress.reason_sv
    assert goal.status.code == "cannot_assess"


def test_all_ages_suicide_change_is_not_established(statuses):
    """All ages: 15.33 (mean 2011–2015) → 16.40 in 2016, ≈ 21 deaths; interval ≈ 10.2–25.1 holds 15.33."""
    s = next(s for s in statuses["suicidpreventivt-arbete"].indicators if s.spec.indicator == "suicide_rate_all_ages")
    assert s.progress.code == "limited_progress"
    # The label "Begränsade framsteg" beside a value that rose is explained, not left to look like a claim.
    assert "inte säkerställd, varken åt rätt eller fel håll. Därför \"begränsade framsteg\"" in s.progress.reason_sv


def test_goal_without_data_says_so(statuses):
    s = statuses["motesplatser"]
    assert s.status.code == "cannot_assess"
    assert all("inga värden" in i.progress.reason_sv for i in s.indicators)


def test_an_indicator_whose_source_marks_every_period_missing_is_not_said_to_have_no_rows(statuses):
    """The all-ages five-year rate for Jämtland: 15 windows, each marked missing by the source."""
    s = next(s for s in statuses["suicidpreventivt-arbete"].indicators
             if s.spec.indicator == "suicide_rate_all_ages_5yr")
    assert s.progress.code == "cannot_assess"
    assert s.progress.reason_sv == "Källan anger att värde saknas för varje period som finns i lagret."


def test_status_cli_formats(snapshot_warehouse, capsys):
    assert main(["status", "--plan", str(JAMTLAND), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    bup = next(r for r in rows if r["indicator"] == "bup_first_assessment_within_30_days")
    assert (bup["latest_value"], bup["latest_period"], bup["status_now"], bup["progress"]) == (
        "63,5", "jan–aug 2018", "Målet är inte uppfyllt", "Går åt fel håll")
    assert bup["target"] == "≥ 100\u00a0%; senast 2019"
    assert main(["status", "--plan", str(JAMTLAND), "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("plan,focus_area,goal_id")
    assert main(["status"]) == 0  # every plan in plans/
    out = capsys.readouterr().out
    assert "== rjh-langsiktig-2022:" in out and "== gavleborg-2022:" in out


def test_status_refuses_a_broken_plan_but_reports_the_others(snapshot_warehouse, tmp_path, capsys):
    broken = tmp_path / "broken.yml"
    broken.write_text(JAMTLAND.read_text(encoding="utf-8").replace("direction: higher_is_better", "direction: up", 1))
    assert main(["status", "--plan", str(broken), "--plan", str(ROOT / "plans" / "gavleborg_2022.yml")]) == 2
    out, err = capsys.readouterr()
    assert "broken.yml har fel och används inte; ingen tidigare godkänd version finns" in err
    assert "okänd 'direction' 'up'" in err
    assert "gavleborg-2022" in out and "bup-forsta-linjen" not in out


def test_previous_plan_stays_in_use_when_an_edit_breaks_it(snapshot_warehouse, tmp_path, capsys):
    edited = tmp_path / "jamtland.yml"
    edited.write_text(JAMTLAND.read_text(encoding="utf-8"))
    assert main(["status", "--plan", str(edited)]) == 0  # accepted: a copy is kept
    capsys.readouterr()
    edited.write_text(edited.read_text().replace('baseline: {value: 84, period: "2017"}',
                                                 'baseline: {value: 84, period: "2020"}'))
    assert main(["status", "--plan", str(edited)]) == 2
    out, err = capsys.readouterr()
    assert "senast godkända versionen används i stället" in err and "ligger före baslinjen" in err
    assert "bup-forsta-linjen" in out


def test_the_kept_copy_is_the_version_that_passed_the_checks_even_if_the_file_changes_meanwhile(
        snapshot_warehouse, tmp_path, monkeypatch):
    """The editor saves (here: half a file) between Målkoll's check and its copy of the accepted version."""
    from malkoll import plan as plans

    edited = tmp_path / "jamtland.yml"
    good = JAMTLAND.read_text(encoding="utf-8")
    edited.write_text(good, encoding="utf-8")
    check = plans.read_plan

    def check_then_save_half(path, *args, **kwargs):
        checked = check(path, *args, **kwargs)
        edited.write_text("id: [halvt sparad", encoding="utf-8")
        return checked

    monkeypatch.setattr(plans, "read_plan", check_then_save_half)
    (loaded,) = plans.load_plans_in_use([edited], None, snapshot_warehouse)
    assert loaded.plan is not None and loaded.plan.id == "jamtland-2018-2020"
    assert (plans.accepted_dir(snapshot_warehouse) / "jamtland.yml").read_text(encoding="utf-8") == good


@pytest.mark.parametrize("suffix", [".md", ".docx", ".pdf"])
def test_follow_up_report_has_the_seed_shape(snapshot_warehouse, tmp_path, suffix):
    out = tmp_path / f"uppfoljning{suffix}"
    assert main(["report", "--plan", str(JAMTLAND), "--year", "2018", "--out", str(out)]) == 0
    if suffix == ".md":
        text = out.read_text(encoding="utf-8")
    elif suffix == ".docx":
        import docx

        document = docx.Document(str(out))
        assert [c.text for c in document.tables[0].rows[0].cells][-1] == "Målet bör kvarstå"
        text = "\n".join([p.text for p in document.paragraphs]
                         + [c.text for t in document.tables for row in t.rows for c in row.cells])
    else:
        if not shutil.which("pdftoppm"):
            pytest.skip("pdftoppm (poppler-utils) not installed")
        subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(out), str(tmp_path / "p")],
                       check=True)
        png = next(tmp_path.glob("p*.png"))
        assert _ink_fraction(png) > 0.01  # the page is not blank
        return
    assert "Barn och ungas psykiska hälsa" in text
    assert "2016: 72 %, 2017: 84 %, jan–aug 2018: 63,5 %" in text
    assert "Går åt fel håll" in text
    assert "Ja, men formuleras om" in text or "Ja (förslag)" in text
    assert "2016: för få fall" in text  # suicide 15–24 2016 is 1 death: suppressed in the report too


def _ink_fraction(png: Path) -> float:
    """Share of non-white pixels, read with the standard library (PNG via zlib)."""
    import struct
    import zlib

    data = png.read_bytes()
    width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
    raw = b"".join(data[i + 8:i + 8 + struct.unpack(">I", data[i:i + 4])[0]]
                   for i in _chunks(data, b"IDAT"))
    pixels = zlib.decompress(raw)
    dark = sum(1 for b in pixels if b < 200)
    return dark / len(pixels)


def _chunks(data: bytes, kind: bytes):
    i = 8
    while i < len(data):
        length = int.from_bytes(data[i:i + 4], "big")
        if data[i + 4:i + 8] == kind:
            yield i
        i += 12 + length


def test_report_carries_the_flag_history(snapshot_warehouse, tmp_path):
    from malkoll.flags import add_flag

    add_flag(snapshot_warehouse, "jamtland-2018-2020", "bup-forsta-linjen", "risk", "Sommarvakanser", "anna")
    add_flag(snapshot_warehouse, "jamtland-2018-2020", "bup-forsta-linjen", "ur_fas", "Augusti 37 %", "bertil")
    out = tmp_path / "r.md"
    assert main(["report", "--plan", str(JAMTLAND), "--year", "2018", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "**Senaste flagga:** Ur fas (bertil, " in text and "Tidigare: Risk (anna, " in text


def test_report_keeps_a_long_flag_comment_to_a_cell_and_shows_markup_as_written(snapshot_warehouse, tmp_path):
    from malkoll.flags import add_flag

    long_comment = "Vakanser. " * 600  # about 6 000 characters: twenty PDF pages in one table cell before
    add_flag(snapshot_warehouse, "jamtland-2018-2020", "bup-forsta-linjen", "risk", long_comment, "anna")
    add_flag(snapshot_warehouse, "jamtland-2018-2020", "bup-forsta-linjen", "ur_fas", "*se* [här](http://x)", "bertil")
    out = tmp_path / "r.md"
    assert main(["report", "--plan", str(JAMTLAND), "--year", "2018", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Ur fas (bertil, " in text and "\\*se\\* \\[här\\](http://x)" in text  # no emphasis, no link
    assert "… (hela kommentaren finns i Målkoll)" in text and text.count("Vakanser.") < 60
