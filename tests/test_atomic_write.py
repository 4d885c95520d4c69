"""Small files replaced in one rename: complete for every reader, also with several writers at once."""

from __future__ import annotations

import os
import stat
import threading

import pytest

from malkoll.atomic_write import write_atomically


def test_writers_at_the_same_moment_each_leave_a_complete_file_and_no_temporary_one(tmp_path):
    target = tmp_path / "jamtland.yml"
    versions = [(f"version {n}\n" * 2000).encode() for n in range(8)]
    errors: list[BaseException] = []

    def write(data: bytes) -> None:
        try:
            for _ in range(20):
                write_atomically(target, data)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion below
            errors.append(exc)

    writers = [threading.Thread(target=write, args=(data,)) for data in versions]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert errors == []
    assert target.read_bytes() in versions
    assert [p.name for p in tmp_path.iterdir()] == ["jamtland.yml"]


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_a_private_file_is_never_readable_by_others(tmp_path):
    target = tmp_path / "users.toml"
    write_atomically(target, b"secret\n", mode=0o600)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path, monkeypatch):
    target = tmp_path / "plan.yml"
    target.write_bytes(b"old\n")

    def fail(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="No space"):
        write_atomically(target, b"new\n")
    assert target.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["plan.yml"]
