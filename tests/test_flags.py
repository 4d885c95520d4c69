"""Managers' flags: append-only history that survives every refresh, even one running concurrently."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import pytest

from malkoll import flags as flag_store
from malkoll.flags import FlagError, add_flag, flags_path, history, latest_by_goal
from tests.kolada_replay import Fault


def test_flags_keep_their_history_and_the_latest_wins(env):
    add_flag(env, "jamtland-2018-2020", "bup-forsta-linjen", "risk", "Vakanser på BUP under sommaren", "anna")
    add_flag(env, "jamtland-2018-2020", "bup-forsta-linjen", "ur_fas", "Augusti 37 %: nytt läge", "bertil")
    flags = history(env, "jamtland-2018-2020", "bup-forsta-linjen")
    assert [(f.kind, f.author) for f in flags] == [("ur_fas", "bertil"), ("risk", "anna")]
    assert latest_by_goal(env, "jamtland-2018-2020")["bup-forsta-linjen"].comment == "Augusti 37 %: nytt läge"
    assert flags[0].contradicts("on_track") and not flags[0].contradicts("moving_away")


def test_two_sessions_of_one_app_reading_and_writing_flags_at_once_wait_for_each_other(env):
    """One app process serves every session; DuckDB refuses a read-only and a writing connection to
    one file in one process at the same time. A reader that meets a writer waits, and the other way."""
    add_flag(env, "jamtland-2018-2020", "bup-forsta-linjen", "risk", "Vakanser på BUP under sommaren", "anna")
    writer = flag_store._connect(flags_path(env))  # another session, in the middle of saving a flag
    threading.Timer(0.3, writer.close).start()
    assert [f.author for f in history(env, "jamtland-2018-2020")] == ["anna"]

    reader = flag_store._connect(flags_path(env), read_only=True)  # another session showing the history
    threading.Timer(0.3, reader.close).start()
    add_flag(env, "jamtland-2018-2020", "bup-forsta-linjen", "ur_fas", "Augusti 37 %", "bertil")
    assert [f.author for f in history(env, "jamtland-2018-2020")] == ["bertil", "anna"]


def test_flags_saved_by_several_sessions_at_once_are_all_kept(env):
    def save(author):
        for n in range(15):
            add_flag(env, "jamtland-2018-2020", "bup-forsta-linjen", "diskutera", f"Punkt {n}", author)

    sessions = [threading.Thread(target=save, args=(author,)) for author in ("anna", "bertil", "cecilia")]
    for session in sessions:
        session.start()
    for session in sessions:
        session.join()
    flags = history(env, "jamtland-2018-2020")
    assert len(flags) == 45 and len({f.flag_id for f in flags}) == 45
    assert {f.author for f in flags} == {"anna", "bertil", "cecilia"}


@pytest.mark.parametrize("kind, comment, author, message", [
    ("ur_fas", "  ", "anna", "behöver en kommentar"),
    ("kanske", "text", "anna", "Okänd flagga"),
    ("risk", "text", "", "inloggad"),
])
def test_a_flag_without_comment_kind_or_author_is_refused(env, kind, comment, author, message):
    with pytest.raises(FlagError, match=message):
        add_flag(env, "p", "g", kind, comment, author)
    assert history(env, "p") == []


def test_comment_with_html_is_stored_as_text(env):
    add_flag(env, "p", "g", "diskutera", "<script>alert(1)</script>", "anna")
    assert history(env, "p")[0].comment == "<script>alert(1)</script>"



def test_flag_line_is_plain_text_for_files_and_escaped_markdown_for_pages(env):
    add_flag(env, "p", "g", "risk", "*viktigt* [se](https://example.org)", "anna_b")
    flag = history(env, "p")[0]
    date = f"{flag.created_at:%Y-%m-%d}"
    assert flag.line_text() == f"Risk (anna_b, {date}): *viktigt* [se](https://example.org)"
    assert "\\*viktigt\\*" in flag.line_markdown() and "\\[se\\]" in flag.line_markdown()

def test_flags_survive_a_refresh_and_flags_written_during_one(kolada, env):
    from etl.refresh import refresh

    refresh(env)
    add_flag(env, "p", "g", "risk", "före uppdateringen", "anna")
    kolada.fail("data/", Fault(status=429, headers={"Retry-After": "1"}))  # keep the refresh busy a while
    writer = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time
        from malkoll.flags import add_flag
        for i in range(10):
            add_flag({str(env)!r}, "p", "g", "diskutera", f"under uppdateringen {{i}}", "bertil")
            time.sleep(0.1)
    """)], stderr=subprocess.PIPE, text=True)
    kolada.set_data([])  # Kolada now answers with no values: the refresh removes them all
    outcome = refresh(env)
    assert outcome.published
    assert writer.wait(timeout=60) == 0, writer.stderr.read()
    comments = [f.comment for f in history(env, "p")]
    assert len(comments) == 11 and "före uppdateringen" in comments
    assert flags_path(env).exists() and flags_path(env) != env
