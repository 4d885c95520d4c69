"""The README's promises: two set-up commands, every setting documented, CI runs line 2."""

from __future__ import annotations

import re
from pathlib import Path

from malkoll import settings

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start() -> list[str]:
    """The lines of the first fenced block under 'Quick start'."""
    section = README.split("## Quick start", 1)[1]
    block = re.search(r"```\w*\n(.*?)```", section, re.S)
    assert block, "no fenced block under Quick start"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_is_exactly_two_commands_and_comes_first():
    assert len(quick_start()) == 2
    assert README.index("## Quick start") < README.index("## ", README.index("## Quick start") + 3)
    assert README.find("```") > README.index("## Quick start")  # no command before it


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    last = [l for l in ci.splitlines() if l.strip() and not l.startswith(("#", "set ", "cd "))][-1]
    assert last.strip() == quick_start()[1]


def test_every_setting_is_documented_in_the_readme():
    for setting in settings.ALL:
        assert f"`{setting.name}`" in README, f"{setting.name} missing from README"
        row = next(l for l in README.splitlines() if l.startswith(f"| `{setting.name}`"))
        assert len(row.split("|")) >= 5 and row.split("|")[3].strip(), f"{setting.name} has no description"


def test_every_environment_variable_read_by_the_code_is_declared():
    names = {s.name for s in settings.ALL}
    used = set()
    for path in [*ROOT.glob("*.py"), *ROOT.glob("malkoll/**/*.py"), *ROOT.glob("etl/**/*.py"),
                 *ROOT.glob("warehouse/**/*.py"), *ROOT.glob("pages/*.py")]:
        used |= set(re.findall(r"MALKOLL_[A-Z_]+", path.read_text(encoding="utf-8")))
    assert used <= names, f"undeclared settings: {used - names}"
