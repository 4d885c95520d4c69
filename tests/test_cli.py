"""The `malkoll` command as an analyst uses it: exit codes, progress, reports, exports."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

import openpyxl
import pytest

from malkoll.cli import main
from tests.kolada_replay import Fault


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "malkoll.cli", *args], capture_output=True, text=True,
                          timeout=120, env=env)


def test_refresh_prints_progress_and_report_and_exits_0(kolada, env, capsys):
    assert main(["refresh"]) == 0
    out, err = capsys.readouterr()
    assert "Kolada: hämtar värden, anrop 1/1" in err
    assert "kolada: 123 värden hämtade; 123 nya, 0 ändrade, 0 borttagna; 3 indikatorbeskrivningar och 312 områden" in out
    assert main(["refresh", "--source", "kolada"]) == 0
    out, err = capsys.readouterr()
    assert "Inga ändringar: inget publicerades." in out
    assert "kolada: hämtade bara ändringar sedan" in out and "Kolada: hämtar ändrade värden sedan" in err


def test_refresh_full_pulls_every_value_and_says_so(kolada, env, capsys):
    assert main(["refresh"]) == 0
    capsys.readouterr()
    assert main(["refresh", "--full"]) == 0
    out, err = capsys.readouterr()
    assert "kolada: hämtade hela serien, på begäran (--full)." in out
    assert "kolada: 123 värden hämtade; inga ändringar." in out and "Inga ändringar: inget publicerades." in out


def test_refresh_failure_is_one_line_and_exit_1(kolada, env, capsys):
    kolada.fail_forever("kpi/", Fault(status=500))
    assert main(["refresh"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("Uppdateringen misslyckades, lagret är oförändrat: kolada: HTTP 500")
    assert "/v3/kpi/N00945,N03702,N03703" in err[-1]


def test_export_csv_has_the_agreed_first_columns(snapshot_warehouse, capsys):
    assert main(["export", "--indicator", "N15428", "--area", "0023"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][:9] == ["indicator_id", "area_code", "area_name", "period", "sex", "value",
                           "numerator", "denominator", "source"]
    assert rows[1][:6] == ["N15428", "0023", "Region Jämtland Härjedalen", "2015", "T", "82.8"]
    assert len(rows) == 4


def test_export_csv_file_round_trips_suppressed_as_empty(snapshot_warehouse, tmp_path):
    out = tmp_path / "suicide.csv"
    assert main(["export", "--indicator", "suicide_rate_15_24_5yr", "--area", "0023", "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    suppressed = [r for r in rows if r["status"] == "suppressed"]
    assert suppressed and all(r["value"] == "" for r in suppressed)
    row_2015 = next(r for r in rows if r["period"] == "2015")
    assert (row_2015["numerator"], row_2015["denominator"]) == ("17.0", "77135.0")
    assert abs(float(row_2015["value"]) - 17 / 77135 * 1e5) < 1e-9


def test_export_xlsx_has_the_same_rows(snapshot_warehouse, tmp_path):
    out = tmp_path / "bup.xlsx"
    assert main(["export", "--indicator", "bup_first_assessment_within_30_days", "--format", "xlsx",
                 "--out", str(out)]) == 0
    sheet = openpyxl.load_workbook(out).active
    values = list(sheet.values)
    assert values[0][:6] == ("indicator_id", "area_code", "area_name", "period", "sex", "value")
    assert [r[5] for r in values[1:]] == [72, 84, 38, 63, 73, 65, 60, 82, 90, 37]


def test_export_of_an_empty_selection_says_so_and_writes_no_file(snapshot_warehouse, tmp_path, capsys):
    out = tmp_path / "none.csv"
    assert main(["export", "--indicator", "N02797", "--out", str(out)]) == 2
    assert "Urvalet är tomt" in capsys.readouterr().err
    assert not out.exists()


def test_console_script_is_installed():
    result = subprocess.run([str(__import__("pathlib").Path(sys.executable).parent / "malkoll"), "--help"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "refresh" in result.stdout and "export" in result.stdout


def test_snapshot_command_builds_then_reports_nothing_new(env, capsys):
    assert main(["snapshot"]) == 0
    assert "Byggde" in capsys.readouterr().out
    assert main(["snapshot"]) == 0
    assert "inget ändrades" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_small_counts_stay_suppressed_in_every_export_and_a_readme_comes_along(snapshot_warehouse, tmp_path, fmt):
    """Suicide 15–24, Jämtland 2016: 6,90 per 100 000 is 1 death; below the threshold of 5 it is never shown."""
    out = tmp_path / f"suicid.{fmt}"
    assert main(["export", "--indicator", "suicide_rate_15_24", "--area", "0023", "--out", str(out)]) == 0
    if fmt == "csv":
        row = next(csv.DictReader(out.open(encoding="utf-8")))
        readme = (tmp_path / "suicid_README.txt").read_text(encoding="utf-8")
    else:
        book = openpyxl.load_workbook(out)
        header, values = list(book["data"].values)[:2]
        row = {h: ("" if v is None else str(v)) for h, v in zip(header, values)}
        readme = "\n".join(str(r[0]) for r in book["README"].values)
    assert (row["period"], row["value"], row["numerator"], row["status"]) == ("2016", "", "", "suppressed")
    assert row["denominator"] in ("14419.0", "14419")
    assert row["source_ref"] == "seed 001 §2.1, rad 1759"  # the plan's sentence quoted the 6,90 and the 1 death
    assert "färre än 5 fall" in readme and "suicide_rate_15_24: Suicid per 100 000 invånare 15–24 år" in readme
    assert "Hämtad: 2018-08-20" in readme


def test_a_file_that_is_not_a_warehouse_gets_one_line_and_exit_2(env, capsys):
    env.parent.mkdir(parents=True, exist_ok=True)
    env.write_text("inte en databas\n", encoding="utf-8")
    assert main(["status"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"Datalagret {env} kan inte läsas (")
    assert "Filen lämnas som den är" in err[0] and "malkoll snapshot" in err[0]
    assert env.read_text(encoding="utf-8") == "inte en databas\n"


def test_small_command_line_slips_get_plain_answers(snapshot_warehouse, tmp_path):
    """A missing plan file, a misspelt source, and a pipe closed early: a Swedish line, no traceback."""
    env = dict(os.environ, MALKOLL_WAREHOUSE=str(snapshot_warehouse))
    run = lambda *args, **kw: subprocess.run([sys.executable, "-m", "malkoll.cli", *args], env=env,  # noqa: E731
                                             capture_output=True, text=True, timeout=120, **kw)
    missing = run("status", "--plan", str(tmp_path / "finns-inte.yml"))
    assert missing.returncode == 2 and "finns-inte.yml: kan inte läsas (No such file or directory)" in missing.stderr
    assert "rad 0" not in missing.stderr
    typo = run("refresh", "--source", "kolda")
    assert typo.returncode == 2 and "okänd källa kolda; välj bland kolada" in typo.stderr
    # `true` reads nothing and is gone long before the status is written: every write meets a closed pipe.
    piped = subprocess.run(["bash", "-c", f"set -o pipefail; {sys.executable} -m malkoll.cli status --format csv | true"],
                           env=env, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and "Traceback" not in piped.stderr and "BrokenPipe" not in piped.stderr, piped.stderr
