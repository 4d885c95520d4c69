"""The text catalogue: every sentence the app shows, looked up by key.

Why a catalogue: the UI speaks Swedish first, and another language is a new
folder in locales/, not a hunt through the pages. A language's texts may be
split into several files (locales/sv/common.yml, locales/sv/jamfor.yml …);
they form one catalogue, and a key defined twice is an error. Missing keys
fail loudly in tests (KeyError) rather than showing a raw key to a user.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from malkoll import yamlfile

LOCALES = Path(__file__).resolve().parent / "locales"
DEFAULT_LANGUAGE = "sv"


@cache
def catalogue(language: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((LOCALES / language).glob("*.yml")):
        texts = yamlfile.load(path) or {}  # libyaml when present; a key twice in one file is an error too
        clash = set(texts) & set(merged)
        if clash:
            raise KeyError(f"{path.name} defines keys already defined elsewhere: {sorted(clash)}")
        merged.update(texts)
    return merged


def t(key: str, language: str = DEFAULT_LANGUAGE, **values: Any) -> str:
    """The text for `key`, with {placeholders} filled from `values`."""
    text = catalogue(language)[key]
    return text.format(**values) if values else text


def label(prefix: str, value: object, language: str = DEFAULT_LANGUAGE) -> str:
    """The text for a coded value (e.g. label('source', 'kolada')); the code itself if unknown."""
    return catalogue(language).get(f"{prefix}_{value}", str(value))
