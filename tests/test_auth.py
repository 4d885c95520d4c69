"""Local users: hashed passwords, roles, the CLI that adds them."""

from __future__ import annotations

import io

import pytest

from malkoll.auth import User, add_user, authenticate, hash_password, oidc_user, verify_password
from malkoll.cli import main


def test_passwords_are_hashed_and_verified(tmp_path):
    stored = hash_password("rätt lösenord 123")
    assert stored.startswith("scrypt$") and "rätt" not in stored
    assert verify_password("rätt lösenord 123", stored) and not verify_password("fel", stored)


def test_users_file_round_trip_and_roles(tmp_path, monkeypatch):
    path = tmp_path / "users.toml"
    monkeypatch.setenv("MALKOLL_USERS_FILE", str(path))
    add_user("anna", "ett långt lösenord", "manager", "Anna Andersson")
    add_user("ada", "ett annat lösenord", "analyst")
    assert "ett långt" not in path.read_text()
    assert authenticate("anna", "ett långt lösenord") == User("Anna Andersson", "anna", "manager")
    assert authenticate("anna", "fel lösenord") is None and authenticate("okänd", "x") is None
    ada = authenticate("ada", "ett annat lösenord")
    assert ada.may("import") and not ada.may("flag")
    assert oidc_user("ingen@example.se", None).role == "viewer"
    with pytest.raises(ValueError, match="minst 10 tecken"):
        add_user("kort", "kort", "viewer")


def test_cli_user_add(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MALKOLL_USERS_FILE", str(tmp_path / "u.toml"))
    monkeypatch.setattr("sys.stdin", io.StringIO("hemligt och långt\n"))
    assert main(["user", "add", "maria", "--role", "manager", "--name", "Maria Chef", "--password-stdin"]) == 0
    assert authenticate("maria", "hemligt och långt").name == "Maria Chef"
