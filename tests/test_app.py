"""The app's logic through Streamlit's AppTest: figures, URLs, bad links, empty states."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from tests.apptest import decoded, figure, markdown_tables, run_app, url_param, view_link_params
from warehouse.loader import Batch, load_batch


def test_indicator_page_plots_the_warehouse_values(snapshot_warehouse):
    at = run_app({"indikator": "N15428", "omrade": "0023"})
    assert not at.exception
    fig = figure(at)
    trace = fig["data"][0]
    assert decoded(trace["y"]) == [82.8, 85.1, 78.6]  # seed 001 §2.1, as loaded in the warehouse
    assert fig["layout"]["separators"] == ", "
    assert "Region Jämtland Härjedalen" in fig["layout"]["title"]["text"]
    captions = " ".join(c.value for c in at.caption)
    assert "hämtad 2018-08-20" in captions and "Kolada N15428" in captions


def test_a_publish_is_shown_at_the_next_rerun_even_when_the_file_keeps_its_modification_time(snapshot_warehouse):
    """A running app picks up a new warehouse version without a restart.

    Network shares and FAT keep modification times in whole seconds or two, so a
    refresh and an import in quick succession can leave the new file with the old
    file's time; the app must still tell the versions apart.
    """
    at = run_app({"indikator": "N15428", "omrade": "0023"})
    assert decoded(figure(at)["data"][0]["y"]) == [82.8, 85.1, 78.6]
    before = snapshot_warehouse.stat()
    new_year = pd.DataFrame([{
        "indicator_id": "N15428", "area_code": "0023", "period": "2019", "sex": "T", "subgroup": "",
        "value": 80.5, "numerator": None, "denominator": None, "status": "ok", "source": "test",
        "source_ref": "test", "fetched_at": pd.Timestamp("2026-11-30")}])
    assert load_batch(snapshot_warehouse, Batch("test", new_year)).published
    os.utime(snapshot_warehouse, ns=(before.st_atime_ns, before.st_mtime_ns))
    at.run()
    assert decoded(figure(at)["data"][0]["y"]) == [82.8, 85.1, 78.6, 80.5]


def test_selection_is_written_to_the_url(snapshot_warehouse):
    at = run_app({"indikator": "bup_first_visit_median_wait_days"})
    at.selectbox[1].select("0021").run()  # the area picker
    assert url_param(at, "indikator") == "bup_first_visit_median_wait_days" and url_param(at, "omrade") == "0021"
    assert "Region Gävleborg" in figure(at)["layout"]["title"]["text"]
    assert len(decoded(figure(at)["data"][0]["y"])) == 12  # 2025-07 .. 2026-06


def view(at) -> dict[str, str]:
    return view_link_params(at, "/indikator?")


def test_every_choice_in_a_row_takes_effect_in_the_area_and_indicator_pickers_and_the_switch(snapshot_warehouse):
    """Each pick is kept, not only every second one (a widget whose start came from the URL was replaced
    at the next run, so the pick after a URL change was lost)."""
    at = run_app({"indikator": "suicide_rate_15_24_5yr", "omrade": "0023"})
    area = lambda: next(s for s in at.selectbox if s.label == "Område")  # noqa: E731
    for code in ("0021", "0020", "0010", "0000", "0023"):
        area().select(code).run()
        assert url_param(at, "omrade") == code and area().value == code  # some have no values: no chart, no link
    for shown in (False, True, False):
        at.toggle[0].set_value(shown).run()
        assert view(at)["jmf"] == "01"[shown] and at.toggle[0].value is shown
    indicator = lambda: next(s for s in at.selectbox if s.label == "Indikator")  # noqa: E731
    for chosen in ("suicide_rate_all_ages_5yr", "bup_first_visit_median_wait_days", "suicide_rate_15_24_5yr"):
        indicator().select(chosen).run()
        assert not at.exception and indicator().value == chosen
        assert view(at)["indikator"] == chosen


def test_another_area_after_a_goals_link_says_the_goal_is_followed_elsewhere(snapshot_warehouse):
    at = run_app({"indikator": "suicide_rate_15_24_5yr", "omrade": "0000", "plan": "jamtland-2018-2020",
                  "mal": "halvera-suicid-15-24"})
    assert not at.exception and not at.warning  # the goal exists: no "finns inte i planen"
    assert any("följs upp med en annan indikator eller i ett annat område" in i.value for i in at.info)
    area = next(s for s in run_app(GOAL_VIEW).selectbox if s.label == "Område")
    assert area.options[0].endswith("(0023)") and any(o.endswith(" – inga värden") for o in area.options)


def test_unknown_indicator_in_link_gets_a_swedish_message_not_a_traceback(snapshot_warehouse):
    at = run_app({"indikator": "'; drop table observations; --", "omrade": "9999"})
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "finns inte i Målkoll" in warnings
    assert figure(at)["data"]  # fell back to a real view


def test_a_goal_link_to_a_plan_that_does_not_exist_names_the_plan_not_the_goal(snapshot_warehouse):
    at = run_app({"indikator": "suicide_rate_15_24_5yr", "omrade": "0023", "plan": "finns-inte",
                  "mal": "halvera-suicid-15-24"})
    warnings = [w.value for w in at.warning]
    assert warnings == ["Planen finns-inte finns inte i Målkoll. Visar indikatorn utan mål."]
    assert not at.exception and figure(at)["data"]


def test_indicator_without_values_says_how_to_get_them(snapshot_warehouse):
    at = run_app({"indikator": "N02797", "omrade": "0023"})
    assert not at.exception
    assert any("inga värden" in i.value for i in at.info)
    assert any("malkoll refresh" in c.value for c in at.caption)



def test_an_area_without_rows_offers_no_comparison_that_would_show_nothing(snapshot_warehouse):
    at = run_app({"indikator": "suicide_rate_15_24_5yr", "omrade": "2380"})  # Östersund: no rows in the snapshot
    assert any("inga värden" in i.value for i in at.info)
    assert not at.toggle  # "Jämför med Riket …" switched on showed nothing but the same message


def test_suppressed_window_is_marked_not_drawn_as_zero(snapshot_warehouse):
    at = run_app({"indikator": "suicide_rate_15_24_5yr", "omrade": "0023"})
    fig = figure(at)
    assert 0 not in decoded(fig["data"][0]["y"])
    assert any(a["text"] == "för få fall" for a in fig["layout"]["annotations"])


def test_table_view_is_built_only_once_opened_and_names_suppressed_windows(snapshot_warehouse):
    params = {"indikator": "suicide_rate_15_24_5yr", "omrade": "0023"}
    closed = run_app(params)
    assert any(e.label == "Visa som tabell" for e in closed.expander)
    assert not closed.dataframe  # a closed table costs the first view nothing

    table = run_app(params, opened=("indikator_table",)).dataframe[0].value
    assert list(table.columns[:4]) == ["Period", "Kön", "Grupp", "Värde"]
    assert "för få fall" in table["Värde"].tolist()
    assert "för få fall" in table["Täljare"].tolist()  # the count is hidden with the value


def test_the_table_view_does_not_give_away_a_suppressed_value_through_its_source(snapshot_warehouse):
    """The plan's sentence behind suicide 15–24 in 2016 quotes 6,90 per 100 000 and derives 1 death."""
    table = run_app({"indikator": "suicide_rate_15_24", "omrade": "0023"}, opened=("indikator_table",)).dataframe[0]
    row = table.value.set_index("Period").loc["2016"]
    assert row["Värde"] == "för få fall" and row["Källa"] == "seed 001 §2.1, rad 1759"


def test_first_start_builds_the_warehouse_from_the_snapshot(env):
    assert not env.exists()
    at = run_app(page=None)
    assert not at.exception
    assert env.exists()
    assert markdown_tables(at)  # the overview's goal tables, from the freshly built warehouse


def test_a_file_that_is_not_a_warehouse_is_named_on_screen_and_left_as_it_is(env):
    """MALKOLL_WAREHOUSE pointing at the wrong file, or a damaged one: say so, never overwrite it.

    The other pages' links are checked in Chromium (tests/test_browser.py): AppTest runs a
    linked page without app.py before navigation is set up, unlike the server."""
    env.parent.mkdir(parents=True)
    env.write_bytes(b"inte en databas\n")
    at = run_app(page=None)
    assert not at.exception
    (message,) = [e.value for e in at.error]
    assert "kan inte läsas" in message and "malkoll snapshot" in message and "`MALKOLL_WAREHOUSE`" in message
    assert env.read_bytes() == b"inte en databas\n"


def test_data_page_lists_sources_and_the_last_failure(kolada, env):
    from etl.refresh import RefreshFailed, refresh
    from tests.kolada_replay import Fault

    refresh(env)
    kolada.fail_forever("data/", Fault(status=503))
    with pytest.raises(RefreshFailed):
        refresh(env)
    at = run_app(page="pages/datakallor.py")
    assert not at.exception
    assert "HTTP 503" in " ".join(e.value for e in at.error)
    frames = [df.value for df in at.dataframe]
    assert "Kolada (RKA/SKR)" in frames[0].iloc[:, 0].tolist()
    announced = frames[0]["Nästa publicering"].tolist()
    assert set(announced) - {"–"} and all(v == "–" or len(v) == 10 for v in announced), announced  # no "None"
    latest_run = frames[1].iloc[0]
    assert latest_run["Källa"] == "Kolada (RKA/SKR)" and latest_run["Utfall"] == "misslyckades"


def test_indicator_opened_from_a_goal_shows_target_path_and_working(snapshot_warehouse):
    at = run_app({"indikator": "bup_first_assessment_within_30_days", "omrade": "0023",
                  "plan": "jamtland-2018-2020", "mal": "bup-forsta-linjen"})
    assert not at.exception
    fig = figure(at)
    target_lines = [s for s in fig["layout"]["shapes"] if s.get("y0") == 100 and s.get("y1") == 100]
    assert target_lines, "target line at 100 % missing"
    names = [trace["name"] for trace in fig["data"]]
    assert "Väg från utgångsvärde till mål" in names and "I nuvarande takt" in names
    path = next(tr for tr in fig["data"] if tr["name"] == "Väg från utgångsvärde till mål")
    assert decoded(path["y"]) == [84, 100]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Mot målet nu": "Målet är inte uppfyllt", "Mot måldatum": "Går åt fel håll"}
    assert any("Hur räknades detta?" in e.label for e in at.expander)
    assert not at.json
    working = run_app({"indikator": "bup_first_assessment_within_30_days", "omrade": "0023",
                       "plan": "jamtland-2018-2020", "mal": "bup-forsta-linjen"}, opened=("indikator_working",))
    assert len(working.json) == 2  # against the target now, and progress towards the deadline
    now, progress = (dict(zip(table["Steg"], table["Värde"])) for table in markdown_tables(working)
                     if "Steg" in table)  # words first, the JSON below them
    assert now["Senaste värde"] == "63,5 (2018)" and now["Mål"] == "≥ 100"
    assert progress["Förändring per år hittills"] == "-24,4 % per år"


def test_each_subgroup_has_its_own_colour_and_each_sex_its_own_dash(snapshot_warehouse):
    at = run_app({"indikator": "school_survey_often_sad_low", "omrade": "0023"})
    lines = [(tr["name"], tr["line"]["color"], tr["line"]["dash"]) for tr in figure(at)["data"] if tr["name"] != "Riket"]
    grades = {name.split(", ")[1] for name, _, _ in lines}
    assert len(grades) > 1 and len({colour for _, colour, _ in lines}) == len(grades)
    assert len({(colour, dash) for _, colour, dash in lines}) == len(lines)  # no two lines alike


def test_whole_year_values_beside_monthly_ones_are_markers_of_their_own_not_joined_to_the_months(snapshot_warehouse):
    at = run_app({"indikator": "bup_first_assessment_within_30_days", "omrade": "0023"})
    years, months = figure(at)["data"][:2]
    assert (years["name"], years["mode"], decoded(years["y"])) == ("Totalt (helår)", "markers", [72.0, 84.0])
    assert months["name"] == "Totalt" and decoded(months["y"])[0] == 38.0  # 2018-01: the line starts there


def test_five_year_windows_share_one_time_axis_with_the_plans_baseline_path_and_projection(snapshot_warehouse):
    """The plan's baseline 2011–2015 is the window the warehouse names "2015": both sit at 2013, the
    window's middle year, where the assessment puts them; the projection for 2019 sits beside the
    window 2017–2021."""
    at = run_app({"indikator": "suicide_rate_15_24_5yr", "omrade": "0023", "plan": "jamtland-2018-2020",
                  "mal": "halvera-suicid-15-24"})
    fig = figure(at)
    values, path = fig["data"][0], next(tr for tr in fig["data"] if tr["name"] == "Väg från utgångsvärde till mål")
    at_x = dict(zip(decoded(values["x"]), values["customdata"]))
    assert decoded(path["x"])[0] == 2013 and at_x[2013] == "2011–2015" and at_x[2019] == "2017–2021"
    assert fig["layout"]["xaxis"]["title"]["text"] == "Mittåret i varje 5-årsfönster"


def test_the_chart_in_words_names_windows_and_each_line_drawn(snapshot_warehouse):
    pooled = run_app({"indikator": "suicide_rate_15_24_5yr", "omrade": "0023"})
    (words,) = [m.value for m in pooled.markdown if "värden från" in m.value]
    assert "från 2007–2011 till 2020–2024" in words and "(2024)" not in words  # windows, as the chart's hover
    survey = run_app({"indikator": "school_survey_often_sad_low", "omrade": "0023"})
    lines = [m.value for m in survey.markdown if m.value.startswith("Elever som ofta")]
    assert len(lines) == 8  # one sentence per line drawn, each naming its group
    assert any(line.endswith("(Kvinnor, Gy 1), Region Jämtland Härjedalen: ett värde, 22 (2016).") for line in lines)
    bup = run_app({"indikator": "bup_first_assessment_within_30_days", "omrade": "0023"})
    words = [m.value for m in bup.markdown if m.value.startswith("BUP: andel")]
    assert len(words) == 2 and "(Totalt, helår)" in words[0] and "Senaste värde 84 (2017)" in words[0]
    assert "8 värden från jan 2018 till aug 2018" in words[1]  # the months, the chart's second line


def test_no_projection_is_drawn_where_progress_cannot_be_assessed(snapshot_warehouse):
    """The five-year 15–24 rate is too uncertain to judge against the deadline ("Kan inte bedömas"):
    no "I nuvarande takt" cross forecasts it anyway."""
    at = run_app({"indikator": "suicide_rate_15_24_5yr", "omrade": "0023", "plan": "jamtland-2018-2020",
                  "mal": "halvera-suicid-15-24"})
    assert {m.label: m.value for m in at.metric}["Mot måldatum"] == "Kan inte bedömas"
    assert not [tr for tr in figure(at)["data"] if tr["name"] == "I nuvarande takt"]


def test_pooled_suicide_rates_have_interval_whiskers_and_suppressed_windows_named(snapshot_warehouse):
    at = run_app({"indikator": "suicide_rate_15_24_5yr", "omrade": "0023"})
    trace = figure(at)["data"][0]
    upper, lower, y = decoded(trace["error_y"]["array"]), decoded(trace["error_y"]["arrayminus"]), decoded(trace["y"])
    assert len(upper) == len(y) and all(u > 0 and l > 0 for u, l, v in zip(upper, lower, y) if v is not None)
    # "För få fall" windows break the line instead of being bridged by it.
    gaps = [label for label, v in zip(trace["customdata"], y) if v is None]
    assert gaps and all(u is None for u, v in zip(upper, y) if v is None)


def test_an_area_without_values_is_said_in_words_while_the_comparison_is_drawn(snapshot_warehouse):
    """The snapshot has Riket's pooled suicide rate but Gävleborg's windows are missing at the source."""
    at = run_app({"indikator": "suicide_rate_all_ages_5yr", "omrade": "0021"})
    assert not at.exception
    assert any("Region Gävleborg har inga värden att visa" in i.value for i in at.info)
    assert "Riket" in [trace["name"] for trace in figure(at)["data"]]


def test_riket_is_drawn_as_comparator_and_can_be_hidden(snapshot_warehouse):
    at = run_app({"indikator": "bup_first_visit_median_wait_days", "omrade": "0023"})
    names = [trace["name"] for trace in figure(at)["data"]]
    assert names == ["Totalt", "Riket"]
    riket = figure(at)["data"][1]
    assert decoded(riket["y"])[:3] == [28.0, 30.0, 19.0]  # Alla regioner 2025-07..09 in the export
    assert figure(at)["layout"]["showlegend"] is True  # which line is which, also without the area's own
    assert at.toggle[0].label == "Jämför med Riket"  # only what is drawn: Jämtland's county is the area itself
    at.toggle[0].set_value(False).run()
    assert [trace["name"] for trace in figure(at)["data"]] == ["Totalt"]
    assert url_param(at, "jmf") == "0"


def test_monthly_series_gets_a_control_chart_explained_in_words(snapshot_warehouse):
    at = run_app({"indikator": "bup_first_assessment_within_30_days", "omrade": "0023"})
    control = figure(at, 1)
    names = [tr["name"] for tr in control["data"]]
    assert names == ["Månadsvärde", "Medelvärde", "Övre styrgräns", "Nedre styrgräns"]
    assert decoded(control["data"][1]["y"]) == [63.5, 63.5]
    assert decoded(control["data"][2]["y"]) == [100.0, 100.0]  # the limit, 113,3 %, drawn where a share ends
    words = next(m.value for m in at.markdown if "slumpmässig variation" in m.value)
    assert "styrgränser 13,7–100,0 " in words  # the words say what the chart draws (they said 113,3)


def test_copy_link_holds_the_whole_view(snapshot_warehouse):
    at = run_app({"indikator": "N15428", "omrade": "0023"})
    codes = [c.value for c in at.code]
    assert any(c.endswith("/indikator?indikator=N15428&omrade=0023") for c in codes), codes


def test_empty_warehouse_says_how_to_load_data(env):
    import duckdb

    from warehouse.db import create_schema

    env.parent.mkdir(parents=True)
    con = duckdb.connect(str(env))
    create_schema(con)
    con.close()
    at = run_app()
    assert not at.exception
    assert any("malkoll snapshot" in i.value and "malkoll refresh" in i.value for i in at.info)
    overview = run_app(page=None)
    assert not overview.exception


GOAL_VIEW = {"indikator": "bup_first_assessment_within_30_days", "omrade": "0023",
             "plan": "jamtland-2018-2020", "mal": "bup-forsta-linjen"}


def test_signed_out_user_cannot_set_a_flag(snapshot_warehouse):
    at = run_app(GOAL_VIEW)
    assert not at.exception
    assert any("Logga in för att sätta flaggor på mål." in i.value for i in at.info)
    assert not [ta for ta in at.text_area]


def test_analyst_is_told_the_role_is_missing(snapshot_warehouse):
    at = run_app(GOAL_VIEW, page="pages/indikator.py", as_role="analyst")
    assert any("Din roll (analytiker) får inte sätta flaggor på mål." in w.value for w in at.warning)


def test_manager_sets_a_flag_with_author_and_a_comment_is_required(snapshot_warehouse):
    import datetime as dt

    from malkoll.flags import history, latest_by_goal

    at = run_app(GOAL_VIEW, page="pages/indikator.py", as_role="manager")
    save = lambda: [b for b in at.button if b.label == "Spara flaggan"][0].click().run()  # noqa: E731
    at.text_area[0].input("Bara en kommentar")
    save()
    assert any("Välj en bedömning" in e.value for e in at.error)  # no judgement is chosen for the manager
    kind = lambda: next(s for s in at.selectbox if s.label == "Bedömning")  # noqa: E731
    kind().select("risk")
    save()
    assert any("En flagga behöver en kommentar" in e.value for e in at.error)
    assert history(snapshot_warehouse, "jamtland-2018-2020") == []
    kind().select("ur_fas")
    at.text_area[0].input("Vakanser under sommaren; ny rekrytering klar i oktober")
    at.date_input[0].set_value(dt.date(2027, 1, 15))
    save()
    assert any("Flaggan är sparad" in s.value for s in at.success)
    flags = history(snapshot_warehouse, "jamtland-2018-2020", "bup-forsta-linjen")
    assert [(f.author, f.kind, f.indicator_id, f.follow_up_date) for f in flags] == [
        ("Maria Chef", "ur_fas", "bup_first_assessment_within_30_days", dt.date(2027, 1, 15))]

    kind().select("ingen")  # the flag withdrawn, with why: gone from the overview, kept in the history
    at.text_area[0].input("Rekryteringen klar")
    save()
    assert latest_by_goal(snapshot_warehouse, "jamtland-2018-2020") == {}
    lines = [m.value for m in at.markdown if "(Maria Chef, " in m.value]
    assert lines[0].startswith("**Ingen flagga** (Maria Chef, ") and lines[0].endswith("Rekryteringen klar")
    assert lines[1].startswith("**Ur fas** (Maria Chef, ") and lines[1].endswith(" Följs upp 2027-01-15.")
    assert not any(line.startswith("Senaste flagga") for line in lines)  # history entries are not all "latest"


def test_data_page_lists_flags_and_imports_with_who_and_when(snapshot_warehouse, tmp_path):
    from etl.imports import import_file
    from malkoll.flags import add_flag
    from tests.test_file_parsers import vantetider_rows, write_rows

    import_file(write_rows(tmp_path / "bup.csv", vantetider_rows()), snapshot_warehouse, user="Ada Analytiker")
    add_flag(snapshot_warehouse, "jamtland-2018-2020", "bup-forsta-linjen", "risk", "Sommarvakanser", "Maria Chef")
    at = run_app(page="pages/datakallor.py")
    assert not at.exception
    runs, flags = at.dataframe[1].value, at.dataframe[-1].value
    assert runs.iloc[0]["Vem"] == "Ada Analytiker" and runs.iloc[0]["Källa"] == "import:bup"
    assert flags.iloc[0]["Vem"] == "Maria Chef" and flags.iloc[0]["Kommentar (obligatorisk)"] == "Sommarvakanser"


def test_an_indicator_without_caveats_shows_none_rather_than_nan(snapshot_warehouse):
    at = run_app({"indikator": "suicide_rate_all_ages", "omrade": "0023"})
    card = " ".join(m.value for m in at.markdown)
    assert "**Definition:**" in card and "**Att tänka på:**" not in card  # was "Att tänka på: nan"


def test_indicator_page_offers_data_downloads(snapshot_warehouse):
    at = run_app({"indikator": "suicide_rate_15_24", "omrade": "0023"})
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Ladda ner data (CSV)", "Ladda ner data (Excel, med README)", "README till data"]


def test_refresh_from_the_data_page_needs_an_analyst_and_reports(kolada, env):
    from etl.refresh import refresh

    refresh(env)
    at = run_app(page="pages/datakallor.py")
    assert any("Logga in för att starta en uppdatering." in i.value for i in at.info)
    at = run_app(None, page="pages/datakallor.py", as_role="analyst")
    [b for b in at.button if b.label == "Uppdatera nu"][0].click().run()
    assert not at.exception
    assert any("Inga ändringar" in c.value for c in at.code)
    # The runs table says how each run pulled Kolada: the whole series first, then only changes.
    pulls = list(at.dataframe[1].value["Hämtning"])
    assert pulls[0].startswith("ändringar sedan ") and pulls[-1] == "hela serien"
