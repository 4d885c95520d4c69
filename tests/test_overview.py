"""Översikt: goals of the chosen plan with statuses, filters, ordering and links (AppTest)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.apptest import decoded, figure, markdown_tables, run_app, url_param, view_link_params

ROOT = Path(__file__).resolve().parents[1]


def overview(params: dict[str, str] | None = None) -> AppTest:
    return run_app(params, page=None)


def goal_tables(at: AppTest):
    return markdown_tables(at)


def test_overview_lists_the_plan_goals_off_track_first(snapshot_warehouse):
    at = overview({"plan": "jamtland-2018-2020"})
    assert not at.exception
    first_table = goal_tables(at)[0]
    # Off-track goals come first: the BUP goal (moving away, and getting worse) or eligibility.
    assert first_table.iloc[0]["Mot måldatum"] == "Går åt fel håll"
    badges = [line for m in at.markdown for line in m.value.splitlines() if "-badge[" in line]
    assert len(badges) == 36
    assert badges[0] == ":red-badge[:material/error: Går åt fel håll]  "
    assert badges[-1].startswith((":green-badge[", ":gray-badge["))  # on track or cannot be assessed, last
    assert at.caption[0].value.startswith("36 av 36 mål visas")


def test_bup_row_shows_value_period_target_and_link(snapshot_warehouse):
    at = overview({"plan": "jamtland-2018-2020"})
    rows = pd_concat(goal_tables(at))
    bup = rows[rows["Indikator"].str.startswith("BUP: andel som fått en första bedömning")].iloc[0]
    assert (bup["Senaste värde"], bup["Period"], bup["Mål"]) == ("63,5", "jan–aug 2018", "≥ 100 %; senast 2019")
    assert (bup["Mot målet nu"], bup["Mot måldatum"], bup["Senaste förändring"]) == (
        "Målet är inte uppfyllt", "Går åt fel håll", "↘ sämre")
    # The arrow is the movement, the word the judgement: a suicide rate that rose is "↗ sämre", not "↘".
    rates = rows[rows["Indikator"].str.contains("15–24") & rows["Indikator"].str.contains("fem år")]
    assert not rates.empty and set(rates["Senaste förändring"]) == {"↗ sämre"}
    links = [link for link in at.get("page_link") if "BUP: andel som fått en första" in link.proto.label]
    assert links[0].proto.page == "indikator"
    assert links[0].proto.query_string == ("indikator=bup_first_assessment_within_30_days&omrade=0023"
                                           "&plan=jamtland-2018-2020&mal=bup-forsta-linjen")


def test_forums_are_named_and_rows_of_one_goal_can_be_told_apart(snapshot_warehouse):
    at = overview({"plan": "gavleborg-2022"})
    assert "Länsledning Välfärd" in at.multiselect[1].options and "Lansledning-Valfard" not in at.multiselect[1].options
    assert any("Ansvar: Länsledning Välfärd" in m.value for m in at.markdown)
    at = overview({"plan": "jamtland-2018-2020"})
    for table in goal_tables(at):  # a goal followed in several areas, sexes or groups names each row's own
        assert table["Indikator"].is_unique, table["Indikator"].tolist()


def test_each_group_of_a_goal_links_to_its_own_assessment(snapshot_warehouse):
    """The school survey goal follows eight sex-and-grade groups; each row's link opens that group's."""
    from urllib.parse import parse_qsl

    at = overview({"plan": "jamtland-2018-2020"})
    links = [dict(parse_qsl(link.proto.query_string)) for link in at.get("page_link")
             if dict(parse_qsl(link.proto.query_string)).get("mal") == "identifiera-barn-i-riskgrupp"]
    assert len(links) == 8 and len({(q.get("kon"), q.get("grupp")) for q in links}) == 8
    women_gy1 = next(q for q in links if (q.get("kon"), q.get("grupp")) == ("K", "Gy 1"))
    page = run_app(women_gy1, opened=("indikator_working",))
    assert any("(Kvinnor, Gy 1)" in m.value for m in page.markdown if m.value.startswith("Mål i planen"))
    now = next(dict(zip(t["Steg"], t["Värde"])) for t in markdown_tables(page) if "Steg" in t)
    assert now["Senaste värde"] == "22 (2016)"  # Kvinnor, Gy 1, as its row on Översikt says; Män, Fsk has 2
    page.segmented_control[0].set_value(["K", "M"]).run()  # Män added to the chart
    assert any("(Kvinnor, Gy 1)" in m.value for m in page.markdown if m.value.startswith("Mål i planen"))


def test_status_filter_and_plan_order(snapshot_warehouse):
    at = overview({"plan": "jamtland-2018-2020"})
    at.multiselect[2].select("bad").run()
    assert all(set(t["Mot måldatum"]) & {"Går åt fel håll"} or set(t["Mot målet nu"]) & {"Målet är inte uppfyllt"}
               for t in goal_tables(at))
    assert at.caption[0].value.startswith("2 av 36 mål visas")  # BUP first line, eligibility
    goals = " ".join(m.value for m in at.markdown)
    assert "Öka tillgängligheten till första linjens vård." in goals
    at.radio[0].set_value("plan").run()
    assert [h.value for h in at.header][:1] == ["Barn och ungas psykiska hälsa"]


def test_other_plans_and_unknown_plan_link(snapshot_warehouse):
    at = overview({"plan": "gavleborg-2022"})
    assert not at.exception and "Gävleborg" in at.selectbox[0].value or at.selectbox[0].value == "gavleborg-2022"
    at = overview({"plan": "<script>alert(1)</script>"})
    assert not at.exception
    assert any("finns inte i Målkoll" in w.value for w in at.warning)


def test_broken_plan_file_is_refused_with_a_message(snapshot_warehouse, tmp_path, monkeypatch):
    plans = tmp_path / "plans"
    plans.mkdir()
    text = (ROOT / "plans" / "gavleborg_2022.yml").read_text(encoding="utf-8")
    (plans / "gavleborg_2022.yml").write_text(text.replace("county: \"0021\"", "county: \"21\""), encoding="utf-8")
    monkeypatch.setenv("MALKOLL_PLANS_DIR", str(plans))
    at = overview()
    assert not at.exception
    assert any("har fel och används inte" in w.value for w in at.warning)
    assert any("Det finns inga handlingsplaner" in i.value for i in at.info)


def test_goal_text_with_markdown_characters_is_shown_as_written(snapshot_warehouse, tmp_path, monkeypatch):
    plans = tmp_path / "plans"
    plans.mkdir()
    text = (ROOT / "plans" / "jamtland_2018_2020.yml").read_text(encoding="utf-8")
    (plans / "jamtland_2018_2020.yml").write_text(
        text.replace("Öka tillgängligheten till första linjens vård.", "Öka *tillgängligheten* [första linjen]"),
        encoding="utf-8")
    monkeypatch.setenv("MALKOLL_PLANS_DIR", str(plans))
    at = overview({"plan": "jamtland-2018-2020"})
    assert not at.exception
    assert any(m.value.startswith(r"**Öka \*tillgängligheten\* \[första linjen\]**  ") for m in at.markdown)
    at = meeting({"plan": "jamtland-2018-2020", "agenda": "bup-forsta-linjen"})
    assert at.title[0].value == r"Öka \*tillgängligheten\* \[första linjen\]"


def pd_concat(frames):
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def meeting(params: dict[str, str]) -> AppTest:
    return run_app(params, page="pages/moteslage.py")


def test_meeting_mode_shows_one_goal_with_its_sentence_and_steps_through_the_agenda(snapshot_warehouse):
    at = meeting({"plan": "jamtland-2018-2020", "agenda": "bup-forsta-linjen,behorighet-gymnasiet"})
    assert not at.exception
    assert at.title[0].value == "Öka tillgängligheten till första linjens vård."
    assert at.header[0].value == ("BUP: andel som fått en första bedömning inom 30 dagar, Region Jämtland Härjedalen: "
                                  "63,5\u00a0% (jan–aug 2018); målet är minst 100\u00a0% senast 2019; går åt fel håll.")
    assert "Mål 1 av 2" in " ".join(m.value for m in at.markdown)
    fig = figure(at)
    assert fig["layout"]["font"]["size"] == 26  # readable from the back of the room
    [b for b in at.button if b.label == "Nästa"][0].click().run()
    assert at.title[0].value == "Öka andelen barn och unga som är som är behöriga att söka program på gymnasiet."
    assert url_param(at, "steg") == "2"
    assert "Mål 2 av 2" in " ".join(m.value for m in at.markdown)


def test_every_plan_chosen_in_a_row_is_shown_on_the_overview(snapshot_warehouse):
    at = run_app(page=None)
    titles = {}
    for plan_id in ("gavleborg-2022", "jamtland-2018-2020", "gavleborg-2022", "rjh-langsiktig-2022"):
        at.selectbox[0].select(plan_id).run()
        assert view_link_params(at, "/?")["plan"] == plan_id and at.selectbox[0].value == plan_id
        titles[plan_id] = " ".join(m.value for m in at.markdown)
    assert len(set(titles.values())) == 3  # each plan its own goals


def test_meeting_mode_shows_the_plan_chosen_in_its_agenda_with_that_plans_goals(snapshot_warehouse):
    at = meeting({"plan": "jamtland-2018-2020", "agenda": "bup-forsta-linjen,behorighet-gymnasiet", "steg": "2"})
    plan = lambda: next(s for s in at.selectbox if s.label == "Plan")  # noqa: E731
    plan().select("gavleborg-2022").run()
    assert not at.exception and not at.warning
    agenda = at.multiselect[0].value
    assert agenda and view_link_params(at, "/moteslage?")["agenda"] == ",".join(agenda)
    assert "bup-forsta-linjen" not in agenda and at.title[0].value != "Öka tillgängligheten till första linjens vård."
    assert f"Mål 1 av {len(agenda)}" in " ".join(m.value for m in at.markdown)
    plan().select("jamtland-2018-2020").run()
    agenda = at.multiselect[0].value
    assert not at.warning and len(agenda) > 2 and "Mål 1 av" in " ".join(m.value for m in at.markdown)
    for goals in (agenda[:1], agenda[:3], agenda[1:2], agenda[2:3]):  # each change of the agenda is kept
        at.multiselect[0].set_value(goals).run()
        assert at.multiselect[0].value == goals and view_link_params(at, "/moteslage?")["agenda"] == ",".join(goals)


def test_meeting_mode_charts_the_goals_indicator_that_has_values_to_draw(snapshot_warehouse):
    """The 15–24 goal follows the single years (only "för få fall") and the five-year windows: the chart
    shows the windows, under their sentence, with the single years' sentence after it."""
    at = meeting({"plan": "jamtland-2018-2020", "agenda": "halvera-suicid-15-24"})
    fig = figure(at)
    assert not fig["layout"].get("title", {}).get("text")  # the sentence beside the chart names it, larger
    assert fig["layout"]["xaxis"]["title"]["text"] == "Mittåret i varje 5-årsfönster"  # the five-year windows
    assert len([y for y in decoded(fig["data"][0]["y"]) if y == y]) >= 5
    assert at.header[0].value.startswith("Suicid per 100 000 invånare 15–24 år, fem år sammanslagna")
    assert "(2020–2024)" in at.header[0].value  # the window as the chart names it, with an en dash
    assert "för få fall" in at.subheader[0].value


def test_meeting_mode_table_view_lists_the_points_once_opened(snapshot_warehouse):
    params = {"plan": "jamtland-2018-2020", "agenda": "bup-forsta-linjen"}
    assert not meeting(params).dataframe  # closed: not built
    at = run_app(params, page="pages/moteslage.py", opened=("moteslage_table",))
    table = at.dataframe[0].value
    assert list(table.columns) == ["Period", "Värde"]
    assert table.iloc[-1]["Värde"] == "63,5"  # the latest point, jan–aug 2018


def test_meeting_mode_skips_unknown_goals_in_the_link(snapshot_warehouse):
    at = meeting({"plan": "jamtland-2018-2020", "agenda": "finns-inte,bup-forsta-linjen", "steg": "x"})
    assert not at.exception
    assert any("finns-inte" in w.value for w in at.warning)
    assert at.title[0].value == "Öka tillgängligheten till första linjens vård."


def test_a_manager_flags_a_goal_without_an_indicator_from_the_overview(snapshot_warehouse):
    from malkoll.flags import latest_by_goal
    from malkoll.plan import load_plan

    goal = next(g for g in load_plan(ROOT / "plans" / "gavleborg_2022.yml").goals if not g.indicators)
    at = run_app({"plan": "gavleborg-2022"}, page=None, as_role="manager", opened=("oversikt_flag",))
    next(s for s in at.selectbox if s.label == "Mål").select(goal.id)
    next(s for s in at.selectbox if s.label == "Bedömning").select("diskutera")
    at.text_area[0].input("Ta upp på nästa nätverksmöte")
    [b for b in at.button if b.label == "Spara flaggan"][0].click().run()
    assert any("Flaggan är sparad" in s.value for s in at.success)
    assert latest_by_goal(snapshot_warehouse, "gavleborg-2022")[goal.id].comment == "Ta upp på nästa nätverksmöte"
    # Shown at once on the goal, not only after the next click.
    assert any(m.value.startswith("Senaste flagga: **Behöver diskuteras**") for m in at.markdown)

    signed_out = run_app({"plan": "gavleborg-2022"}, page=None, opened=("oversikt_flag",))
    assert any("Logga in för att sätta flaggor på mål." in i.value for i in signed_out.info)


def test_latest_flag_is_shown_and_a_disagreement_is_highlighted(snapshot_warehouse):
    from malkoll.flags import add_flag

    add_flag(snapshot_warehouse, "jamtland-2018-2020", "bup-forsta-linjen", "i_fas",
             "Nya rutiner från september <b>fet</b> *viktigt* [se](https://example.org)", "anna")
    at = overview({"plan": "jamtland-2018-2020"})
    assert any("Manuell bedömning avviker från beräknad status." in w.value for w in at.warning)
    first = goal_tables(at)[0]
    assert first.iloc[0]["Senaste flagga"] == "I fas"
    # Shown as written: no emphasis, no live link, the tags as text.
    assert any(r"Nya rutiner från september \<b\>fet\</b\> \*viktigt\* \[se\](https://example.org)" in m.value
               for m in at.markdown)


def test_follow_up_report_can_be_downloaded_from_the_overview(snapshot_warehouse):
    at = overview({"plan": "jamtland-2018-2020"})
    [b for b in at.button if b.label == "Skapa rapporten"][0].click().run()
    assert not at.exception
    assert [d.proto.label for d in at.get("download_button")] == [
        "Ladda ner statusen (CSV)", "Word", "PDF", "Text (Markdown)"]
