"""The front end the app serves: Streamlit's own, with a hint to fetch Plotly's chunk early."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from malkoll import front_end

STREAMLIT_STATIC = Path(__import__("streamlit.file_util").file_util.get_static_dir())


def fake_build(root: Path, html: str = "<html><head><title>x</title></head><body></body></html>",
               chunks: tuple[str, ...] = ("index.abc.js",)) -> Path:
    """A minimal static folder shaped like Streamlit's, for the builds the real one cannot stand in for."""
    (root / "static" / "js").mkdir(parents=True)
    (root / "index.html").write_text(html, encoding="utf-8")
    for name in chunks:
        (root / "static" / "js" / name).write_text("export {}", encoding="utf-8")
    return root


def test_installed_streamlit_is_served_with_one_plotly_hint_and_everything_else_unchanged(tmp_path):
    served = front_end.served_with_plotly_preload(STREAMLIT_STATIC, tmp_path)
    assert served == tmp_path
    chunk = front_end.plotly_chunk(STREAMLIT_STATIC)
    assert (STREAMLIT_STATIC / "static" / "js" / chunk).is_file()
    html = (served / "index.html").read_text(encoding="utf-8")
    assert html.count("modulepreload") == (STREAMLIT_STATIC / "index.html").read_text().count("modulepreload") + 1
    assert front_end.preload_tag(chunk) + "</head>" in html
    others = {p.name for p in STREAMLIT_STATIC.iterdir()} - {"index.html"}
    assert {p.name for p in served.iterdir()} - {"index.html"} == others
    assert all((served / name).is_symlink() and (served / name).resolve() == (STREAMLIT_STATIC / name).resolve()
               for name in others)
    assert "PlotlyChart" not in (STREAMLIT_STATIC / "index.html").read_text()  # Streamlit's own page untouched


@pytest.mark.parametrize("case", ["no plotly chunk", "two plotly chunks", "no head end"])
def test_another_streamlit_build_is_served_as_it_is(tmp_path, case):
    build = tmp_path / "streamlit"
    if case == "no plotly chunk":
        fake_build(build)
    elif case == "two plotly chunks":
        fake_build(build, chunks=("PlotlyChart.a.js", "PlotlyChart.b.js"))
    else:
        fake_build(build, html="<html><body></body></html>", chunks=("PlotlyChart.a.js",))
    into = tmp_path / "served"
    into.mkdir()
    assert front_end.served_with_plotly_preload(build, into) is None
    assert list(into.iterdir()) == []


def test_file_system_without_links_leaves_streamlit_as_it_is(tmp_path, monkeypatch):
    """Windows refuses symbolic links to users without the right; the links made so far are taken back."""
    made = []

    def symlink_refused_after_one(src, dst, target_is_directory=False):
        if made:
            raise OSError(1314, "A required privilege is not held by the client")
        made.append(dst)
        real_symlink(src, dst, target_is_directory=target_is_directory)

    real_symlink = os.symlink
    monkeypatch.setattr(front_end.os, "symlink", symlink_refused_after_one)
    build = fake_build(tmp_path / "streamlit", chunks=("PlotlyChart.a.js", "index.abc.js"))
    (build / "favicon.png").write_bytes(b"png")
    into = tmp_path / "served"
    into.mkdir()
    assert front_end.served_with_plotly_preload(build, into) is None
    assert made and list(into.iterdir()) == []
