"""Replace a small file in one step: write a uniquely named file beside it, then rename it over.

Why: readers (the app's sessions, another command) never see a half-written
file, and two writers at once each rename a complete file instead of writing
into one shared temporary name. The new file is created with its final
permissions, so a file of password hashes is never readable by others, not even
for a moment. (The warehouse has its own publish step: warehouse/publish.py.)
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def write_atomically(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Write `data` to `path` in one rename; on any failure `path` is as it was and no temporary file is left."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
