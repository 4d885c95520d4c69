"""Atomic publishing: readers keep working, failures leave the served file untouched."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import duckdb
import pandas as pd
import pytest

from tests.conftest import sha256
from warehouse.checks import DataCheckError
from warehouse.loader import Batch, load_batch
from warehouse.publish import PublishBusyError, writer_lock

READER = textwrap.dedent("""
    import sys
    from warehouse.db import read_only
    with read_only(sys.argv[1]) as con:
        print(con.execute("select count(*) from observations").fetchall()[0][0], flush=True)
        sys.stdin.readline()          # hold the connection open while the test publishes
        print(con.execute("select count(*) from observations").fetchall()[0][0], flush=True)
""")


def _extra_value_batch(value: float = 50.0) -> Batch:
    """One new BUP month for Jämtland Härjedalen (a value the snapshot lacks)."""
    return Batch("test", pd.DataFrame([{
        "indicator_id": "bup_first_assessment_within_30_days", "area_code": "0023", "period": "2018-09",
        "sex": "T", "subgroup": "", "value": value, "numerator": None, "denominator": None, "status": "ok",
        "source": "test", "source_ref": "test", "fetched_at": pd.Timestamp("2026-11-24")}]))


def test_publish_succeeds_while_another_process_holds_a_reader_open(snapshot_warehouse):
    reader = subprocess.Popen([sys.executable, "-c", READER, str(snapshot_warehouse)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        before = int(reader.stdout.readline())
        result = load_batch(snapshot_warehouse, _extra_value_batch())
        assert result.published
        reader.stdin.write("\n")
        reader.stdin.flush()
        # The open reader still sees the complete old version, not a mix.
        assert int(reader.stdout.readline()) == before
    finally:
        reader.communicate(timeout=30)
    con = duckdb.connect(str(snapshot_warehouse), read_only=True)
    assert con.execute("select count(*) from observations").fetchall()[0][0] == before + 1
    con.close()


def test_reader_opened_after_a_publish_sees_it_while_an_older_reader_is_still_open(snapshot_warehouse):
    """Two app sessions: one still reading the old version, one opening after the publish.

    DuckDB reuses an open database for a second connect() to the same path, and
    that open database is the file the rename replaced. The app caches a read
    under the new file's modification time, so a stale read would stay on screen
    until the next publish.
    """
    from warehouse.db import read_only

    with read_only(snapshot_warehouse) as older:
        before = older.execute("select count(*) from observations").fetchall()[0][0]
        assert load_batch(snapshot_warehouse, _extra_value_batch()).published
        with read_only(snapshot_warehouse) as newer:
            assert newer.execute("select count(*) from observations").fetchall()[0][0] == before + 1
        assert older.execute("select count(*) from observations").fetchall()[0][0] == before


def test_failed_check_leaves_served_file_byte_identical_and_no_temp_files(snapshot_warehouse):
    before = sha256(snapshot_warehouse)
    with pytest.raises(DataCheckError, match=r"accepted_range 0..100 på observations.value stoppade 1 rad: "
                                             r"test \(value = 130.0\)$"):  # where the row came from, and its value
        load_batch(snapshot_warehouse, _extra_value_batch(value=130.0))  # a share above 100 %
    assert sha256(snapshot_warehouse) == before
    assert sorted(p.name for p in snapshot_warehouse.parent.iterdir()) == ["malkoll.duckdb", "malkoll.duckdb.lock"]


def test_process_killed_before_the_rename_leaves_served_file_intact(snapshot_warehouse):
    before = sha256(snapshot_warehouse)
    script = textwrap.dedent(f"""
        import os, pandas as pd
        import warehouse.publish as publish
        from tests.test_publish import _extra_value_batch
        from warehouse.loader import load_batch
        publish.os.replace = lambda *a: os._exit(9)   # die at the very moment of publishing
        load_batch({str(snapshot_warehouse)!r}, _extra_value_batch())
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 9, proc.stderr
    assert sha256(snapshot_warehouse) == before
    # The next run succeeds (the leftover temp copy does not get in the way).
    assert load_batch(snapshot_warehouse, _extra_value_batch()).published
    assert not list(snapshot_warehouse.parent.glob("*.tmp*"))


def test_second_writer_is_told_to_wait(snapshot_warehouse):
    with writer_lock(snapshot_warehouse):
        script = ("from warehouse.publish import writer_lock\n"
                  f"with writer_lock(__import__('pathlib').Path({str(snapshot_warehouse)!r}), wait_seconds=0.2): pass")
        proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert PublishBusyError.__name__ in proc.stderr and "försök igen" in proc.stderr


def test_app_connection_cannot_read_other_files(snapshot_warehouse, tmp_path):
    from warehouse.db import read_only

    secret = tmp_path / "secret.csv"
    secret.write_text("a\n1\n")
    with read_only(snapshot_warehouse) as con:
        with pytest.raises(duckdb.Error):
            con.execute(f"select * from read_csv('{secret}')").fetchall()
        with pytest.raises(duckdb.Error):
            con.execute("set enable_external_access = true")
        with pytest.raises(duckdb.Error):  # the warehouse is attached; attaching another file is refused
            con.execute(f"attach '{tmp_path / 'other.duckdb'}' as other")
        assert not (tmp_path / "other.duckdb").exists()


def _observation_rows(warehouse) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("select * exclude (load_id) from observations order by all").fetchall()
    finally:
        con.close()


def test_warehouse_from_0_1_with_a_primary_key_is_rebuilt_without_it_and_keeps_every_row(snapshot_warehouse):
    con = duckdb.connect(str(snapshot_warehouse))
    con.execute("alter table observations rename to o_plain")
    # The 0.1 layout: the same columns with the five-column primary key.
    con.execute("""create table observations (indicator_id varchar not null, area_code varchar not null,
        period varchar not null, sex varchar not null, subgroup varchar not null default '', value double,
        numerator double, denominator double, status varchar not null, source varchar not null,
        source_ref varchar, fetched_at timestamp not null, load_id integer not null,
        primary key (indicator_id, area_code, period, sex, subgroup))""")
    con.execute("insert into observations select * from o_plain")
    con.execute("drop table o_plain")
    con.close()
    con = duckdb.connect(str(snapshot_warehouse))
    con.execute("checkpoint")
    con.close()
    before, size = _observation_rows(snapshot_warehouse), snapshot_warehouse.stat().st_size

    assert load_batch(snapshot_warehouse, _extra_value_batch()).published

    after = _observation_rows(snapshot_warehouse)
    assert len(after) == len(before) + 1 and set(before) < set(after)
    con = duckdb.connect(str(snapshot_warehouse), read_only=True)
    keys = dict(con.execute("select table_name, count(*) from duckdb_constraints() "
                            "where constraint_type = 'PRIMARY KEY' group by all").fetchall())
    con.close()
    assert "observations" not in keys and {"areas", "indicators", "loads"} <= set(keys)
    # Written afresh, not with the dropped table's blocks left in the file.
    assert snapshot_warehouse.stat().st_size <= size
    assert not list(snapshot_warehouse.parent.glob(".*.tmp*"))
    # And the next publish works on the upgraded file (areas and indicators keep their keys).
    assert load_batch(snapshot_warehouse, _extra_value_batch(60.0)).count("changed") == 1


def test_a_changed_value_replaces_the_old_row_instead_of_adding_one(snapshot_warehouse):
    load_batch(snapshot_warehouse, _extra_value_batch(50.0))
    count = len(_observation_rows(snapshot_warehouse))
    result = load_batch(snapshot_warehouse, _extra_value_batch(55.0))
    assert result.count("changed") == 1
    rows = _observation_rows(snapshot_warehouse)
    assert len(rows) == count
    assert [r[5] for r in rows if r[0] == "bup_first_assessment_within_30_days" and r[2] == "2018-09"] == [55.0]


def test_two_batches_with_the_same_key_in_one_publish_leave_one_row_with_the_later_value(snapshot_warehouse):
    from warehouse.loader import load_batches

    first, second = _extra_value_batch(50.0), _extra_value_batch(60.0)
    second.source = "test2"
    second.observations = second.observations.assign(source="test2")
    results = load_batches(snapshot_warehouse, [first, second])
    assert [r.count("new") for r in results] == [1, 0] and results[1].count("changed") == 1
    rows = [r for r in _observation_rows(snapshot_warehouse)
            if r[0] == "bup_first_assessment_within_30_days" and r[2] == "2018-09"]
    assert [(r[5], r[9]) for r in rows] == [(60.0, "test2")]


def test_checks_scoped_to_a_publish_still_see_a_new_row_that_repeats_an_old_key(snapshot_warehouse, tmp_path):
    from warehouse.checks import changed_rows, run_checks

    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(snapshot_warehouse.read_bytes())
    con = duckdb.connect(str(copy))
    try:
        con.execute("insert into observations select * replace (load_id + 1000 as load_id, 1.0 as value) "
                    "from observations where indicator_id = 'bup_first_assessment_within_30_days' limit 1")
        con.execute("attach ? as served (read_only)", [str(snapshot_warehouse)])
        scope = changed_rows(con, "served")
        failures = run_checks(con, scope)
    finally:
        con.close()
    unique = [f for f in failures if f.check.startswith("unique") and f.table == "observations"]
    assert len(unique) == 1 and unique[0].failing_rows == 1


def test_checks_scoped_to_a_publish_see_old_rows_of_an_indicator_whose_unit_changed(snapshot_warehouse, tmp_path):
    from warehouse.checks import changed_rows, run_checks

    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(snapshot_warehouse.read_bytes())
    con = duckdb.connect(str(copy))
    try:
        # Days waited, declared a yes/no (0/1) indicator: every old value breaks the 0..1 range.
        indicator = con.execute("select indicator_id from indicators where unit = 'days' limit 1").fetchall()[0][0]
        con.execute("update indicators set unit = 'yes_no' where indicator_id = ?", [indicator])
        con.execute("attach ? as served (read_only)", [str(snapshot_warehouse)])
        failures = run_checks(con, changed_rows(con, "served"))
    finally:
        con.close()
    assert any(f.check == "accepted_range 0..1" and f.column == "value" for f in failures)


def test_failure_halfway_through_writing_a_batch_leaves_the_served_file_and_no_copy(snapshot_warehouse, monkeypatch):
    import warehouse.loader as loader

    real = loader.statements

    def fail_after_the_first(text):  # the areas are written, then a statement fails
        return [real(text)[0], "select * from no_such_table"]

    before = sha256(snapshot_warehouse)
    monkeypatch.setattr(loader, "statements", fail_after_the_first)
    with pytest.raises(duckdb.CatalogException):
        load_batch(snapshot_warehouse, _extra_value_batch())
    assert sha256(snapshot_warehouse) == before
    assert not list(snapshot_warehouse.parent.glob(".*.tmp*"))
    monkeypatch.setattr(loader, "statements", real)
    assert load_batch(snapshot_warehouse, _extra_value_batch()).published


def _as_written_by_0_1(warehouse) -> None:
    """Drop what 0.2 added (observation_counts), as a warehouse from 0.1 lacks it."""
    con = duckdb.connect(str(warehouse))
    con.execute("drop table observation_counts")
    con.close()


def test_counts_for_the_pages_are_rebuilt_at_every_publish(snapshot_warehouse):
    load_batch(snapshot_warehouse, _extra_value_batch())
    con = duckdb.connect(str(snapshot_warehouse), read_only=True)
    stored = con.execute("select * from observation_counts order by all").fetchall()
    fresh = con.execute("select indicator_id, area_code, count(value), max(fetched_at) from observations "
                        "group by all order by all").fetchall()
    con.close()
    assert stored == fresh and any(r[:2] == ("bup_first_assessment_within_30_days", "0023") for r in stored)


def test_app_and_cli_upgrade_a_warehouse_from_0_1_before_reading_it(snapshot_warehouse, capsys):
    from malkoll.cli import main
    from tests.apptest import run_app
    from warehouse.db import is_current

    _as_written_by_0_1(snapshot_warehouse)
    assert not is_current(snapshot_warehouse)
    at = run_app(page=None)  # the start page, through app.py, as a first visitor gets it
    assert not at.exception and at.get("page_link")
    assert is_current(snapshot_warehouse)

    _as_written_by_0_1(snapshot_warehouse)
    assert main(["export", "--indicator", "N15428", "--area", "0023"]) == 0
    assert "Uppgraderade" in capsys.readouterr().err and is_current(snapshot_warehouse)


def test_app_that_may_not_write_beside_an_old_warehouse_says_how_to_upgrade_it(snapshot_warehouse, monkeypatch):
    import warehouse.loader as loader
    from tests.apptest import run_app

    def no_write_access(served, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(served) + ".lock")

    _as_written_by_0_1(snapshot_warehouse)
    monkeypatch.setattr(loader, "writer_lock", no_write_access)
    at = run_app(page=None)
    assert not at.exception
    assert any("kunde inte uppgraderas" in e.value and "malkoll refresh" in e.value for e in at.error)
