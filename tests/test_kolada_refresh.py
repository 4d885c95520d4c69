"""`malkoll refresh` against replayed real Kolada responses: values, paging, faults."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.http import HttpClient, HttpPolicy
from etl.journal import read as read_journal
from etl.kolada.client import KoladaClient
from etl.refresh import RefreshFailed, refresh
from tests.conftest import query as rows, sha256
from tests.kolada_replay import DATA_BRP, DATA_N00945, Fault, KoladaReplay


def value(warehouse, kpi, area, period, sex="T"):
    return rows(warehouse, "select value, status from observations where indicator_id=? and area_code=? "
                           "and period=? and sex=?", [kpi, area, period, sex])[0]


def test_refresh_loads_the_recorded_values_exactly(kolada, env):
    outcome = refresh(env)
    assert outcome.published
    # Values as Kolada sent them (file: N00945 2026-03-04 and BRP 2026-03-23).
    assert value(env, "N00945", "0180", "2000") == (31.32959689, "ok")
    assert value(env, "N03702", "0180", "2012") == (777.735791, "ok")
    assert value(env, "N03703", "1480", "2019") == (1064.0, "ok")
    # KPI metadata and area names come from Kolada too.
    assert rows(env, "select title_sv from indicators where indicator_id='N00945'")[0][0].startswith(
        "Tillfälliga föräldrapenningdagar (VAB)")
    assert rows(env, "select name, area_type, parent_code from areas where area_code='1280'") == [
        ("Malmö", "municipality", "0012")]
    assert rows(env, "select name, area_type from areas where area_code='0000'") == [("Riket", "country")]
    assert "N00945" in outcome.report and "nya" in outcome.report


def test_null_value_is_stored_as_missing_not_zero(kolada, env):
    refresh(env)
    assert value(env, "N00945", "0180", "1996") == (None, "missing")
    assert rows(env, "select count(*) from observations where value = 0") == [(0,)]


def test_second_refresh_without_upstream_change_publishes_nothing(kolada, env):
    refresh(env)
    before = sha256(env)
    outcome = refresh(env)
    assert not outcome.published
    assert "Inga ändringar" in outcome.report
    assert sha256(env) == before
    assert rows(env, "select count(*) from loads") == [(1,)]
    assert [r.outcome for r in read_journal(env)][:2] == ["unchanged", "published"]


def test_upstream_revision_is_reported_as_removed_and_changed(kolada, env):
    refresh(env)
    # Kolada's 2026-03-23 answer no longer has the 1996-1999 rows it had on 2026-03-04;
    # a pull of changes since yesterday gets them as withdrawn (isdeleted) values.
    kolada.set_data([DATA_N00945, DATA_BRP])
    outcome = refresh(env)
    assert "bara ändringar sedan" in outcome.report
    result = outcome.results[0]
    assert result.count("removed") == 12 and result.count("new") == 0
    assert rows(env, "select count(*) from observations where indicator_id='N00945' and period < '2000'") == [(0,)]
    assert "borttaget 0180 1998 T: var 30,41" in outcome.report
    # A changed value shows old -> new.
    kolada.set_data([DATA_N00945, DATA_BRP])

    def revise(body):
        for rec in body["values"]:
            if rec["municipality"] == "0180" and rec["period"] == 2012 and rec["kpi"] == "N03702":
                rec["values"][0]["value"] = 780.5
        return body

    kolada.fail("data/", Fault(mutate=revise))
    # A silent revision (no change date at Kolada) is seen by a full pull.
    outcome = refresh(env, full=True)
    assert value(env, "N03702", "0180", "2012") == (780.5, "ok")
    assert "ändrat  0180 2012 T: 777,74 → 780,5" in outcome.report
    assert "hela serien, på begäran (--full)" in outcome.report


def _data_requests(kolada) -> list[str]:
    return [r for r in kolada.requests if r.startswith("/v3/data/")]


def test_second_refresh_asks_kolada_only_for_changes_since_the_day_before_the_last_pull(kolada, env):
    first = refresh(env)
    assert "hela serien, eftersom lagret är nytt" in first.report
    assert not any("from_date" in r for r in _data_requests(kolada))
    kolada.requests.clear()
    outcome = refresh(env)
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert _data_requests(kolada) and all(f"from_date={yesterday}" in r for r in _data_requests(kolada))
    assert not outcome.published and f"bara ändringar sedan {yesterday}" in outcome.report
    assert read_journal(env)[0].details["mode"] == "changes"


def test_value_kolada_revises_is_picked_up_by_a_changes_only_pull(kolada, env):
    refresh(env)
    kolada.revise("N03702", "0180", 2012, "T", 780.5)
    outcome = refresh(env)
    assert outcome.results[0].count("changed") == 1 and outcome.results[0].values_received == 1
    assert value(env, "N03702", "0180", "2012") == (780.5, "ok")
    # Everything else is as the full pull left it.
    assert value(env, "N00945", "0180", "2000") == (31.32959689, "ok")
    assert rows(env, "select count(*) from observations") == [(75 + 48,)]


@pytest.mark.parametrize("fault, message", [
    (Fault(status=500), "HTTP 500"),
    (Fault(truncate_to=40), "inte giltig JSON"),
])
def test_failed_changes_only_pull_leaves_the_warehouse_and_the_next_one_asks_from_the_same_day(
        kolada, env, fault, message):
    refresh(env)
    before = sha256(env)
    kolada.fail_forever("data/", fault)
    with pytest.raises(RefreshFailed, match=message):
        refresh(env)
    assert sha256(env) == before
    assert read_journal(env)[0].outcome == "failed" and read_journal(env)[0].details["mode"] == "changes"
    kolada.heal()
    kolada.revise("N03702", "0180", 2012, "T", 780.5)
    outcome = refresh(env)
    assert "bara ändringar sedan" in outcome.report and outcome.results[0].count("changed") == 1


def test_full_refresh_without_upstream_change_publishes_nothing(kolada, env):
    refresh(env)
    before = sha256(env)
    outcome = refresh(env, full=True)
    assert not outcome.published and outcome.results[0].values_received == 123
    assert sha256(env) == before
    assert rows(env, "select count(*) from loads") == [(1,)]


def test_a_full_pull_comes_back_after_the_configured_number_of_days(kolada, env, monkeypatch):
    refresh(env)
    monkeypatch.setenv("MALKOLL_KOLADA_FULL_EVERY_DAYS", "0")
    kolada.requests.clear()
    outcome = refresh(env)
    assert "hela serien, som hämtas var 0:e dag" in outcome.report
    assert not any("from_date" in r for r in _data_requests(kolada))


def test_a_new_area_in_the_selection_gets_a_full_pull(kolada, env, selection_dir):
    refresh(env)
    path = selection_dir / "sources.yml"
    path.write_text(path.read_text().replace('"1480"', '"1480", "0000"'))
    outcome = refresh(env)
    assert "urvalet i config/sources.yml inte har hämtats helt förut" in outcome.report


def test_another_source_writing_a_kolada_kpi_makes_the_next_refresh_a_full_pull(kolada, env):
    import pandas as pd

    from warehouse.loader import Batch, load_batch

    refresh(env)
    load_batch(env, Batch("local", pd.DataFrame([{
        "indicator_id": "N00945", "area_code": "0180", "period": "2000", "sex": "T", "subgroup": "", "value": 1.0,
        "numerator": None, "denominator": None, "status": "ok", "source": "local", "source_ref": "test",
        "fetched_at": pd.Timestamp("2026-11-30")}])))
    outcome = refresh(env)
    assert "lagret har ändrats sedan förra hämtningen från Kolada" in outcome.report
    assert value(env, "N00945", "0180", "2000") == (31.32959689, "ok")  # Kolada's value is back


def test_client_follows_next_url_across_the_two_catalogue_pages(kolada):
    client = KoladaClient(kolada.base_url, HttpClient("kolada", HttpPolicy(retries=0)))
    ids = [item["id"] for _, item in client.items("kpi")]
    assert len(ids) == 5000 + 1099 and len(set(ids)) == len(ids)
    assert sum(1 for r in kolada.requests if r.startswith("/v3/kpi")) == 2


def test_data_paging_gives_the_same_warehouse_as_one_page(selection_dir, env, monkeypatch):
    with KoladaReplay(page_size=20) as paged:
        monkeypatch.setenv("MALKOLL_KOLADA_URL", paged.base_url)
        refresh(env)
        data_requests = [r for r in paged.requests if r.startswith("/v3/data/")]
    assert len(data_requests) > 3  # 75 + 48 records in pages of 20
    assert rows(env, "select count(*) from observations") == [(75 + 48,)]
    assert value(env, "N00945", "1480", "2020") == (39.5, "ok")


def test_429_with_retry_after_then_success(kolada, env):
    kolada.fail("data/", Fault(status=429, headers={"Retry-After": "1"}))
    outcome = refresh(env)
    assert outcome.published
    data_requests = [r for r in kolada.requests if r.startswith("/v3/data/")]
    assert len(data_requests) == 2  # one refused, one retried after the server's wait


def test_500_that_never_recovers_leaves_the_warehouse_byte_identical(kolada, env):
    refresh(env)
    before = sha256(env)
    kolada.fail_forever("data/", Fault(status=500))
    with pytest.raises(RefreshFailed, match=r"HTTP 500, efter 3 försök.*data/kpi/N00945"):
        refresh(env)
    assert sha256(env) == before
    assert read_journal(env)[0].outcome == "failed"
    assert "HTTP 500" in read_journal(env)[0].message


@pytest.mark.parametrize("fault, message", [
    (Fault(truncate_to=500), "inte giltig JSON"),
    (Fault(truncate_to=500, short_read=True), "avbröts innan det var komplett"),
])
def test_truncated_body_fails_cleanly_and_next_run_succeeds(kolada, env, fault, message):
    kolada.fail("data/", *[fault] * 3)
    with pytest.raises(RefreshFailed, match=message):
        refresh(env)
    assert not env.exists()  # nothing was ever published
    assert refresh(env).published


def test_dropped_connection_is_retried(kolada, env):
    kolada.fail("municipality", Fault(drop=True))
    assert refresh(env).published


@pytest.mark.parametrize("mutate, message", [
    (lambda b: {**b, "values": [{**b["values"][0], "values": [{**b["values"][0]["values"][0], "value": "31,3"}]}]},
     "fältet 'value' ska vara ett tal"),
    (lambda b: {**b, "values": [{**b["values"][0], "values": [{**b["values"][0]["values"][0], "gender": "X"}]}]},
     "fältet 'gender' ska vara T, K eller M"),
    (lambda b: {**b, "values": [{**b["values"][0], "period": "år 2000"}]}, "fältet 'period' ska vara ett årtal"),
    (lambda b: {k: v for k, v in b.items() if k != "values"}, "saknar listan 'values'"),
])
def test_malformed_payload_names_request_and_field(kolada, env, mutate, message):
    refresh(env)
    before = sha256(env)
    kolada.fail("data/", Fault(mutate=mutate))
    with pytest.raises(RefreshFailed, match=message) as info:
        refresh(env, full=True)
    assert "data/kpi/" in str(info.value)
    assert sha256(env) == before


def test_failed_data_check_stops_the_publish(kolada, env, selection_dir):
    refresh(env)
    before = sha256(env)
    # Declaring BRP (about 800, in 1000 kr per inhabitant) as a percentage breaks the 0-100 check.
    text = (selection_dir / "sources.yml").read_text().replace("N03702, unit: other", "N03702, unit: percent")
    (selection_dir / "sources.yml").write_text(text)
    with pytest.raises(RefreshFailed, match=r"Datakontroll misslyckades.*accepted_range 0..100"):
        refresh(env)
    assert sha256(env) == before


def test_kpi_that_kolada_no_longer_has_is_named(kolada, env, selection_dir):
    path = selection_dir / "sources.yml"
    path.write_text(path.read_text().replace("N03703", "N61602"))  # retired in 2026
    with pytest.raises(RefreshFailed, match="Kolada känner inte till N61602"):
        refresh(env)


def test_unknown_source_name_is_refused(kolada, env):
    with pytest.raises(RefreshFailed, match="okänd källa"):
        refresh(env, ["kolda"])


def test_record_option_saves_raw_bodies_with_urls(kolada, env, tmp_path):
    refresh(env, record_dir=tmp_path / "rec")
    index = (tmp_path / "rec" / "kolada" / "index.jsonl").read_text().splitlines()
    assert any("/v3/data/kpi/N00945,N03702,N03703/municipality/0180,1280,1480" in line for line in index)
