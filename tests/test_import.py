"""`malkoll import`: files through dry run and the same atomic publish as a refresh."""

from __future__ import annotations

import hashlib

import pytest

from malkoll.cli import main
from tests.apptest import run_app
from tests.conftest import query as rows, sha256
from tests.test_file_parsers import socialstyrelsen_rows, vantetider_rows, write_rows


def test_dry_run_shows_the_changes_and_loads_nothing(snapshot_warehouse, tmp_path, capsys):
    path = write_rows(tmp_path / "bup_jan_2018.csv", vantetider_rows())
    before = sha256(snapshot_warehouse)
    assert main(["import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Provkörning: inget laddades." in out
    # The plan printed 38 % for January 2018; this export says 82 % (27 of 33): shown as a change.
    assert "ändrat  0023 2018-01 T: 38 → 82" in out
    assert sha256(snapshot_warehouse) == before


def test_import_publishes_values_with_counts_and_keeps_the_file(snapshot_warehouse, tmp_path, capsys):
    path = write_rows(tmp_path / "bup_jan_2018.csv", vantetider_rows())
    assert main(["import", str(path)]) == 0
    assert "Publicerat i" in capsys.readouterr().out
    assert rows(snapshot_warehouse, "select value, numerator, denominator, status, source from observations "
                "where indicator_id = 'bup_first_assessment_within_30_days' and area_code = '0023' "
                "and period = '2018-01'") == [(82.0, 27.0, 33.0, "ok", "vantetider")]
    # n = 0 ("0 % of 0") is missing, never zero; "Ej deltagit" is missing too.
    assert rows(snapshot_warehouse, "select value, status from observations where area_code in ('0025', '0020') "
                "and period = '2018-01' and indicator_id = 'bup_first_assessment_within_30_days' "
                "order by area_code") == [(None, "missing"), (None, "missing")]
    kept = rows(snapshot_warehouse, "select file_name, kind, sha256, content from load_files")
    assert kept[0][:2] == ("bup_jan_2018.csv", "bup")
    assert kept[0][2] == hashlib.sha256(path.read_bytes()).hexdigest() and bytes(kept[0][3]) == path.read_bytes()
    # The same file again changes nothing and publishes nothing.
    before = sha256(snapshot_warehouse)
    assert main(["import", str(path)]) == 0
    assert "Inga ändringar" in capsys.readouterr().out and sha256(snapshot_warehouse) == before


def test_socialstyrelsen_export_of_the_kurvan_months_changes_nothing(snapshot_warehouse, tmp_path, capsys):
    """The snapshot's median days come from the same export: importing it again is a no-op for them."""
    path = write_rows(tmp_path / "bup_median.csv", socialstyrelsen_rows())
    assert main(["import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    # Same values as the snapshot; only Blekinge's two suppressed months (N) are new, and the
    # export's title row becomes the indicator's definition.
    assert ("bup_first_visit_median_wait_days BUP: väntetid till genomfört första besök, median (dagar): "
            "2 nya, 0 ändrade, 0 borttagna") in out
    assert "1 indikatorbeskrivningar" in out


@pytest.mark.parametrize("content, message", [
    (b"", "tom"),
    ("Region;juli\n".encode(), "rad"),
    ("indikator;område;period;värde;kommentar\nnetwork_meetings_held;0023;2018;fyra;\n".encode(), 'kolumn'),
])
def test_bad_file_is_refused_with_file_row_column_and_exit_2(snapshot_warehouse, tmp_path, capsys, content, message):
    path = tmp_path / "fel.csv"
    path.write_bytes(content)
    before = sha256(snapshot_warehouse)
    assert main(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Filen avvisades, inget laddades: fel.csv") and message in err.lower()
    assert sha256(snapshot_warehouse) == before


def test_local_template_round_trip(snapshot_warehouse, tmp_path, capsys):
    template = tmp_path / "mall.csv"
    assert main(["template", "--out", str(template)]) == 0
    lines = template.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "indicator;area;period;value;comment"
    meeting_places = next(l for l in lines if l.startswith("municipalities_with_open_meeting_place;")
                          or l.startswith("municipalities_with_meeting_place;"))
    indicator = meeting_places.split(";")[0]
    filled = tmp_path / "ifylld.csv"
    filled.write_text(f"{lines[0]}\n{indicator};0023;2018;4;Åre, Östersund, Berg och Strömsund\n", encoding="utf-8")
    assert main(["import", str(filled)]) == 0
    assert rows(snapshot_warehouse, "select value, source, source_ref from observations where indicator_id = ? "
                "and area_code = '0023' and period = '2018'", [indicator]) == [
        (4.0, "local", "ifylld.csv, rad 2: Åre, Östersund, Berg och Strömsund")]


def test_import_page_needs_an_analyst(snapshot_warehouse):
    at = run_app(page="pages/importera.py")
    assert not at.exception
    assert any("Logga in för att importera filer." in i.value for i in at.info)
    at = run_app(None, page="pages/importera.py", as_role="analyst")
    assert not at.exception
    assert at.get("file_uploader") and at.get("download_button")
