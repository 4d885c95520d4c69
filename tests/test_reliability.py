"""Nothing is lost: concurrent readers during publishes, hostile URL parameters, no raw HTML."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from tests.apptest import run_app
from warehouse.loader import Batch, load_batch

ROOT = Path(__file__).resolve().parents[1]
READERS, READS_EACH, PUBLISHES = 4, 50, 5

READER = textwrap.dedent("""
    import sys, time
    from warehouse.db import read_only
    path, reads = sys.argv[1], int(sys.argv[2])
    failures, seen = 0, set()
    for _ in range(reads):
        try:
            with read_only(path) as con:
                n = con.execute("select count(*) from observations").fetchall()[0][0]
                loads = con.execute("select count(*) from loads").fetchall()[0][0]
                seen.add((n, loads))
        except Exception as exc:
            failures += 1
            print("FAIL", type(exc).__name__, exc, file=sys.stderr)
        time.sleep(0.005)
    print(failures, ";".join(f"{n},{l}" for n, l in sorted(seen)))
""")


def _month(i: int) -> Batch:
    return Batch("test", pd.DataFrame([{
        "indicator_id": "bup_first_assessment_within_30_days", "area_code": "0021", "period": f"2019-{i:02d}",
        "sex": "T", "subgroup": "", "value": 50.0 + i, "numerator": None, "denominator": None, "status": "ok",
        "source": "test", "source_ref": "test", "fetched_at": pd.Timestamp("2026-11-24")}]))


def test_200_reads_from_several_processes_while_publishing_five_times(snapshot_warehouse):
    import duckdb

    con = duckdb.connect(str(snapshot_warehouse), read_only=True)
    base_rows, base_loads = con.execute("select (select count(*) from observations), "
                                        "(select count(*) from loads)").fetchall()[0]
    con.close()
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(snapshot_warehouse), str(READS_EACH)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
               for _ in range(READERS)]
    for i in range(1, PUBLISHES + 1):
        assert load_batch(snapshot_warehouse, _month(i)).published
    # Each complete version has k new rows and k new loads; a torn read would mix them.
    complete = {(base_rows + k, base_loads + k) for k in range(PUBLISHES + 1)}
    for proc in readers:
        out, err = proc.communicate(timeout=120)
        failures, seen = out.split()
        assert failures == "0", err
        versions = {tuple(int(x) for x in pair.split(",")) for pair in seen.split(";")}
        assert versions <= complete


HOSTILE = ["' or 1=1 --", "\"; drop table observations; --", "<script>alert('x')</script>",
           "../../etc/passwd", "0023' union select * from load_files --", "%00", "9" * 500]
PAGES = {
    "pages/indikator.py": ["indikator", "omrade", "kon", "plan", "mal", "jmf"],
    "pages/oversikt.py": ["plan"],
    "pages/jamfor.py": ["indikator", "region", "kon", "period"],
    "pages/moteslage.py": ["plan", "agenda", "steg"],
    "pages/datakallor.py": [],
}


@pytest.mark.parametrize("page", list(PAGES))
def test_injection_strings_in_every_url_parameter_raise_nothing(snapshot_warehouse, page):
    for value in HOSTILE[:4] if page != "pages/indikator.py" else HOSTILE:
        at = run_app({name: value for name in PAGES[page]}, page=page)
        assert not at.exception, (page, value, at.exception)
    import duckdb

    con = duckdb.connect(str(snapshot_warehouse), read_only=True)
    assert con.execute("select count(*) from observations").fetchall()[0][0] > 0  # nothing dropped
    con.close()


def test_no_raw_html_anywhere_in_the_app():
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("malkoll/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"unsafe_allow_html\s*=\s*True", text), path
        assert "st.html(" not in text and "components.html(" not in text, path


def test_import_killed_before_the_rename_leaves_the_warehouse_and_the_next_import_works(snapshot_warehouse, tmp_path):
    from tests.conftest import sha256
    from tests.test_file_parsers import vantetider_rows, write_rows

    path = write_rows(tmp_path / "bup.csv", vantetider_rows())
    before = sha256(snapshot_warehouse)
    script = textwrap.dedent(f"""
        import os
        import warehouse.publish as publish
        from etl.imports import import_file
        publish.os.replace = lambda *a: os._exit(9)
        import_file({str(path)!r}, {str(snapshot_warehouse)!r})
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 9, proc.stderr
    assert sha256(snapshot_warehouse) == before
    from etl.imports import import_file

    assert import_file(path, snapshot_warehouse).result.published


def test_import_while_another_writer_publishes_is_told_to_retry(snapshot_warehouse, tmp_path, capsys):
    from malkoll.cli import main
    from tests.test_file_parsers import vantetider_rows, write_rows
    from warehouse import publish

    path = write_rows(tmp_path / "bup.csv", vantetider_rows())
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from warehouse.publish import writer_lock
        with writer_lock(Path({str(snapshot_warehouse)!r})):
            print("locked", flush=True)
            time.sleep(15)
    """)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "locked"
        original = publish.writer_lock
        publish_wait = lambda served, wait_seconds=10.0: original(served, wait_seconds=0.3)  # noqa: E731
        import warehouse.loader as loader

        loader.writer_lock = publish_wait
        try:
            assert main(["import", str(path)]) == 1
        finally:
            loader.writer_lock = original
        assert "försök igen" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
