"""The machine a run was measured on, recorded with the figures.

Why: a p95 of 300 ms means little without the cores, memory and library
versions behind it, and the README compares runs from different machines.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("duckdb", "pandas", "pyarrow", "streamlit", "plotly", "requests", "playwright")


def _first(path: str, prefix: str) -> str | None:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def _run(*cmd: str) -> str | None:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=20, cwd=ROOT).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        return None


def describe() -> dict:
    mem_kb = _first("/proc/meminfo", "MemTotal")
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpu_count": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "cpu_model": _first("/proc/cpuinfo", "model name"),
        "memory_gb": round(int(mem_kb.split()[0]) / 1024 / 1024, 1) if mem_kb else None,
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "versions": versions,
        "chromium": _run("/usr/bin/chromium", "--version"),
        "git_commit": _run("git", "rev-parse", "HEAD"),
    }


def summary(machine: dict) -> str:
    v = machine["versions"]
    return (f"{machine['cpus_usable']} CPUs ({machine['cpu_model']}), {machine['memory_gb']} GB RAM, "
            f"Python {machine['python']}, DuckDB {v['duckdb']}, pandas {v['pandas']}, Streamlit {v['streamlit']}")
