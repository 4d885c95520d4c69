"""`malkoll import`: files through dry run and the same atomic publish as a refresh."""

from __future__ import annotations

import hashlib

import pytest

from etl import journal
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


@pytest.mark.parametrize("row, column, expected", [
    ("staff_trained_mental_health_share;0023;2020;250;", "value", "mellan 0 och 100"),
    ("persons_trained;0023;2020;-5;", "value", "0 eller större"),
    ("network_meetings_held;9999;2020;4;", "area", 'dess kod i Kolada (t.ex. "0023"'),
])
def test_a_value_outside_its_unit_or_an_unknown_area_code_is_refused_already_in_the_dry_run(
        snapshot_warehouse, tmp_path, capsys, row, column, expected):
    path = tmp_path / "lokalt.csv"
    path.write_text(f"indikator;område;period;värde;kommentar\nnetwork_meetings_held;0023;2020;3;\n{row}\n",
                    encoding="utf-8")
    before = sha256(snapshot_warehouse)
    for dry_run in (["--dry-run"], []):
        assert main(["import", str(path), *dry_run]) == 2
        err = capsys.readouterr().err
        assert f'lokalt.csv, rad 3, kolumn "{column}"' in err.replace("område", "area").replace("värde", "value")
        assert expected in err
    assert sha256(snapshot_warehouse) == before
    failed = journal.read(snapshot_warehouse)[0]  # the real import, not the dry run, is in the journal
    assert failed.outcome == "failed" and failed.details == {"file": "lokalt.csv"} and "rad 3" in failed.message
    assert len([r for r in journal.read(snapshot_warehouse) if r.outcome == "failed"]) == 1


def test_a_region_code_that_a_spreadsheet_stripped_of_its_zeros_is_read_as_the_region(snapshot_warehouse, tmp_path):
    path = tmp_path / "lokalt.csv"
    path.write_text("indikator;område;period;värde;kommentar\nnetwork_meetings_held;23;2020;3;\n", encoding="utf-8")
    assert main(["import", str(path)]) == 0
    assert rows(snapshot_warehouse, "select area_code, value from observations where indicator_id = "
                "'network_meetings_held' and period = '2020'") == [("0023", 3.0)]


def test_local_template_filled_in_reaches_the_goals_it_was_made_for(snapshot_warehouse, tmp_path, capsys):
    """The template has a row per indicator, area, subgroup and sex a goal follows; filled in as it
    stands and imported, every one of those goals finds its value."""
    from malkoll.plan import iter_loaded, known_indicator_ids

    template = tmp_path / "mall.csv"
    assert main(["template", "--out", str(template)]) == 0
    lines = template.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "indikator;område;undergrupp;kön;period;värde;kommentar"
    assert "network_meetings_held;0023;Regionalt Jämtbusnätverk;Totalt;;;" in "\n".join(lines)
    filled = [lines[0]] + [";".join(cells[:4] + ["2019", "1"] + cells[6:])
                           for cells in (line.split(";") for line in lines[1:])]
    (tmp_path / "ifylld.csv").write_text("\n".join(filled) + "\n", encoding="utf-8")
    assert main(["import", str(tmp_path / "ifylld.csv")]) == 0, capsys.readouterr().err
    stored = set(rows(snapshot_warehouse, "select indicator_id, area_code, subgroup, sex from observations "
                                          "where period = '2019' and source = 'local'"))
    local = {line.split(";")[0] for line in lines[1:]}
    followed = {(spec.indicator, spec.area, spec.subgroup, spec.sex) for plan in iter_loaded(known_indicator_ids())
                for goal in plan.goals for spec in goal.indicators if spec.indicator in local}
    assert followed and followed <= stored
    assert ("network_meetings_held", "0023", "Chefsnätverk", "T") in stored
    comment = rows(snapshot_warehouse, "select source_ref from observations where period = '2019' and "
                   "subgroup = 'Chefsnätverk'")[0][0]
    assert comment.startswith("ifylld.csv, rad ") and "samverkansforum" in comment


def test_import_page_needs_an_analyst(snapshot_warehouse):
    at = run_app(page="pages/importera.py")
    assert not at.exception
    assert any("Logga in för att importera filer." in i.value for i in at.info)
    at = run_app(None, page="pages/importera.py", as_role="analyst")
    assert not at.exception
    assert at.get("file_uploader") and at.get("download_button")
