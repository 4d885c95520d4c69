"""Set up Målkoll and run it: `python3 dev.py app` or `python3 dev.py test`.

Why a script and not a list of steps in the README: a fresh machine has only
Python, and both README commands must work there with nothing done first. This
file creates `.venv`, installs the project from its own `pyproject.toml`
(again only when that file changed), and then starts the app on the bundled
offline snapshot or runs the whole test suite. Uses the standard library only.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".malkoll-installed"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def _log(message: str) -> None:
    print(f"[dev] {message}", file=sys.stderr, flush=True)


def ensure_venv(extras: str) -> None:
    """Create .venv and install the project, skipping work already done."""
    if not PYTHON.exists():
        _log("skapar .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    have = STAMP.read_text().split() if STAMP.exists() else []
    if have and have[0] == digest and (not extras or extras in have[1:]):
        return
    _log(f"installerar Målkoll med beroenden ({extras or 'app'})")
    target = f".[{extras}]" if extras else "."
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([str(PYTHON), "-m", "pip", "install", "--quiet", "-e", target], check=True, cwd=ROOT)
    STAMP.write_text(" ".join([digest, *([extras] if extras else [])]))


# Debian packages the tests use, by the command each provides.
SYSTEM_PACKAGES = {"chromium": "chromium", "pdftoppm": "poppler-utils"}


def ensure_system_packages() -> None:
    """Install Debian's Chromium (browser tests) and poppler (PDF rendering checks) when allowed.

    Test tools must never download a browser of their own, so the browser comes
    from the system package manager. Without root or apt these tests skip
    locally with a reason; in CI (CI=true) they fail instead.
    """
    missing = [pkg for cmd, pkg in SYSTEM_PACKAGES.items() if not shutil.which(cmd)]
    if not missing:
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        _log(f"installerar {', '.join(missing)} från Debians paket")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env,
                       stdout=subprocess.DEVNULL)
    else:
        _log(f"{', '.join(missing)} saknas och kan inte installeras här: de testerna hoppas över")


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "help"
    if command == "app":
        ensure_venv("")
        return subprocess.call([str(BIN / "malkoll"), "app", *argv[1:]], cwd=ROOT)
    if command == "test":
        ensure_venv("test")
        ensure_system_packages()
        code = subprocess.call([str(PYTHON), "-m", "pytest", *argv[1:]], cwd=ROOT)
        return 1 if code == 5 else code  # 5 = no tests collected: never a pass
    print(__doc__)
    return 0 if command == "help" else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
