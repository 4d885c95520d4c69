"""Streamlit's front end, served with a hint to load Plotly while the page starts.

Why: Streamlit's browser code fetches its Plotly chunk (4.7 MB of JavaScript)
only when the first chart arrives, and then downloads and compiles it before
drawing. On a cold start that was about 2 s between the chart's data arriving
and the chart being drawn (bench/README.md, finding c). One
`<link rel="modulepreload">` in the page's head lets the browser fetch and
compile the chunk while the app's script is still running on the server; the
chunk is still only run when Streamlit imports it.

Streamlit has no setting for this, so `served_with_plotly_preload` builds a
copy of Streamlit's static folder: its own `index.html` with the hint, and
links to everything else. Whatever is not as expected (another Streamlit build
without a Plotly chunk, links not allowed on this file system) leaves
Streamlit's folder as it is: the hint only makes the first chart come sooner.
"""

from __future__ import annotations

import os
from pathlib import Path

HEAD_END = "</head>"


def plotly_chunk(static_dir: Path) -> str | None:
    """The file name of Streamlit's Plotly chunk in `static_dir`, if this build has exactly one."""
    found = sorted(p.name for p in (static_dir / "static" / "js").glob("PlotlyChart.*.js"))
    return found[0] if len(found) == 1 else None


def preload_tag(chunk: str) -> str:
    # Same relative form and crossorigin as Streamlit's own module links, so the browser reuses it.
    return f'<link rel="modulepreload" crossorigin href="./static/js/{chunk}">'


def served_with_plotly_preload(static_dir: Path, into: Path) -> Path | None:
    """Write into the empty folder `into` Streamlit's front end with Plotly preloaded.

    Args:
        static_dir: Streamlit's own static folder (with index.html and static/js/).
        into: an empty folder this process owns; it holds one edited index.html
            and a symbolic link for every other entry of `static_dir`.

    Returns:
        `into`, or None when the hint cannot be added; `into` is then left empty.
    """
    index = static_dir / "index.html"
    chunk = plotly_chunk(static_dir)
    try:
        html = index.read_text(encoding="utf-8")
    except OSError:
        return None
    if chunk is None or html.count(HEAD_END) != 1:
        return None
    made: list[Path] = []
    try:
        for entry in static_dir.iterdir():
            if entry.name != index.name:
                made.append(into / entry.name)
                os.symlink(entry, into / entry.name, target_is_directory=entry.is_dir())
    except OSError:  # e.g. Windows without the right to make links
        for link in made:
            link.unlink(missing_ok=True)
        return None
    (into / index.name).write_text(html.replace(HEAD_END, preload_tag(chunk) + HEAD_END), encoding="utf-8")
    return into
