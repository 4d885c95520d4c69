"""Meeting packs and chart images: read back what a meeting would get."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation

from malkoll.cli import main
from malkoll.flags import add_flag
from tests.browser import chromium_path

ROOT = Path(__file__).resolve().parents[1]
PLAN = str(ROOT / "plans" / "jamtland_2018_2020.yml")


@pytest.fixture(autouse=True)
def chromium(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", chromium_path())


def test_pack_has_title_agenda_and_a_slide_per_goal_with_flag(snapshot_warehouse, tmp_path):
    add_flag(snapshot_warehouse, "jamtland-2018-2020", "bup-forsta-linjen", "ur_fas", "Augusti 37 %", "Maria Chef")
    out = tmp_path / "pack.pptx"
    assert main(["export-pack", "--plan", PLAN, "--goals", "bup-forsta-linjen,halvera-suicid-15-24",
                 "--out", str(out)]) == 0
    slides = list(Presentation(str(out)).slides)
    assert len(slides) == 4
    texts = [" ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in slides]
    assert texts[1].startswith("Dagordning 1. Öka tillgängligheten till första linjens vård.")
    assert "Status: Går åt fel håll" in texts[2]
    assert "63,5\u00a0% (jan–aug 2018); målet är minst 100\u00a0% senast 2019" in texts[2]
    assert "Senaste flagga: Ur fas (Maria Chef, " in texts[2] and "Augusti 37 %" in texts[2]
    assert "Kan inte bedömas" in texts[3]
    assert "för få fall (2016)" in texts[3]  # 1 death: suppressed on slides too, never shown as 6,9
    assert all(any(sh.shape_type == 13 for sh in s.shapes) for s in slides[2:])  # a chart picture on each


def test_chart_image_has_title_legend_and_source_footer(snapshot_warehouse, tmp_path):
    out = tmp_path / "bup.svg"
    assert main(["chart", "--plan", PLAN, "--goal", "bup-forsta-linjen", "--out", str(out)]) == 0
    svg = out.read_text(encoding="utf-8")
    assert "BUP: andel som fått en första bedömning inom 30 dagar" in svg
    assert "Väg från utgångsvärde till mål" in svg  # legend
    assert "hämtad 2018-08-20" in svg
    png = tmp_path / "bup.png"
    assert main(["chart", "--plan", PLAN, "--goal", "bup-forsta-linjen", "--out", str(png)]) == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000


def test_empty_or_unknown_selection_writes_nothing(snapshot_warehouse, tmp_path, capsys):
    out = tmp_path / "pack.pptx"
    assert main(["export-pack", "--plan", PLAN, "--goals", "finns-inte", "--out", str(out)]) == 2
    assert "finns inte" in capsys.readouterr().err and not out.exists()
    assert main(["chart", "--plan", PLAN, "--goal", "motesplatser", "--out", str(tmp_path / "x.png")]) == 2
    assert "saknar värden" in capsys.readouterr().err
