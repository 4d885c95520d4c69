"""An installed wheel, not only a checkout, carries everything the app reads at run time.

Why a test: the editable install that `dev.py` makes leaves the project's files
beside the package, so a file missing from the wheel goes unnoticed there. The
chart's front end did: Streamlit found it through the project's pyproject.toml,
which a wheel does not carry. This builds the real wheel, unpacks it, and draws
a chart from it in a Python that does not see the checkout.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# What the build reads (pyproject.toml's readme and packages); copied so the build writes nothing into the checkout.
SOURCES = ("pyproject.toml", "README.md", "malkoll", "etl", "warehouse")

DRAW_A_CHART = textwrap.dedent(r"""
    import sys
    sys.path[:0] = [sys.argv[1], sys.argv[2]]  # the unpacked wheel, then the dependencies; no .pth files
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(
        "import plotly.graph_objects as go\n"
        "from malkoll.ui.chart import plotly_chart\n"
        "plotly_chart(go.Figure(go.Scatter(x=[2024, 2025], y=[71.0, 74.5])))\n"
    ).run(timeout=60)
    if at.exception:
        sys.exit(at.exception[0].message)
    import malkoll
    print(malkoll.__file__)
""")


def _wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--wheel-dir", str(tmp_path / "dist"), str(source)], check=True, capture_output=True)
    (wheel,) = (tmp_path / "dist").glob("malkoll-*.whl")
    return wheel


def test_a_chart_draws_from_an_installed_wheel_without_the_checkout(tmp_path):
    site = tmp_path / "site"
    with zipfile.ZipFile(_wheel(tmp_path)) as wheel:
        names = wheel.namelist()
        wheel.extractall(site)
    assert "malkoll/pyproject.toml" in names and "malkoll/ui/chart_js/plotly-basic.min.js" in names

    # -S: no site-packages processing, so the editable install's path to the checkout is not on sys.path.
    run = subprocess.run([sys.executable, "-S", "-c", DRAW_A_CHART, str(site), sysconfig.get_paths()["purelib"]],
                         capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:] + run.stdout[-2000:]
    assert Path(run.stdout.strip()).is_relative_to(site), run.stdout
