"""YAML files that remember line numbers, for error messages that say where.

Analysts edit plan and configuration files by hand; a message such as
"plans/x.yml, rad 41: okänd indikator 'N9999'" lets them fix it without help.
PyYAML keeps marks on its nodes; this loader copies them onto the dicts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class LineDict(dict):
    """A dict from YAML with the line of the mapping and of each key (1-based)."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class YamlFileError(ValueError):
    """A YAML file that cannot be parsed; the message names file and line."""


# libyaml's parser when PyYAML was built with it (the wheels are): it keeps the same marks and errors,
# and parses a 60-goal plan about five times faster than the pure-Python one.
class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    duplicates: list[tuple[str, int]]


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            loader.duplicates.append((str(key), key_node.start_mark.line + 1))
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load(path: Path, content: bytes | None = None) -> Any:
    """Parse a YAML file, or `content` already read from it; mappings come back as LineDict.

    Raises:
        OSError: if the file cannot be read.
        YamlFileError: on a syntax error or a duplicated key, naming file and line.
    """
    path = Path(path)
    raw = path.read_bytes() if content is None else content
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlFileError(f"{path}: filen är inte UTF-8 ({exc})") from exc
    loader = _Loader(text)
    loader.duplicates = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        raise YamlFileError(f"{path}, rad {line}: kan inte läsa YAML: {exc.problem}") from exc
    finally:
        loader.dispose()
    if loader.duplicates:
        key, line = loader.duplicates[0]
        raise YamlFileError(f"{path}, rad {line}: nyckeln '{key}' förekommer två gånger")
    return data
