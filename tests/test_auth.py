"""Local users: hashed passwords, roles, the CLI that adds them."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from malkoll.auth import (User, UsersFileError, add_user, authenticate, hash_password, oidc_user, toml_string,
                          verify_password)
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


@given(st.text())
def test_any_text_is_written_as_a_toml_string_that_reads_back_the_same(value):
    assert tomllib.loads(f"x = {toml_string(value)}")["x"] == value


def test_a_login_that_would_need_quoting_is_refused_and_the_file_stays_readable(tmp_path):
    path = tmp_path / "users.toml"
    add_user("anna", "ett långt lösenord", "manager", "REGION\\anna \"chef\"", path=path)
    for login in ('a"b', "", "  ", "två ord", "x]", "_start"):
        with pytest.raises(ValueError, match="ogiltigt användarnamn"):
            add_user(login, "ett långt lösenord", "viewer", path=path)
    assert authenticate("anna", "ett långt lösenord", path) == User('REGION\\anna "chef"', "anna", "manager")


def test_an_existing_login_is_replaced_only_when_asked_and_keeps_its_name(tmp_path):
    path = tmp_path / "users.toml"
    add_user("Anna", "ett långt lösenord", "manager", "Anna Andersson", path=path)
    with pytest.raises(ValueError, match="anna finns redan .*--replace"):
        add_user("anna", "ett annat lösenord", "viewer", path=path)
    assert authenticate("ANNA ", "ett långt lösenord", path) == User("Anna Andersson", "anna", "manager")
    add_user("anna", "ett annat lösenord", "viewer", path=path, replace=True)
    assert authenticate("anna", "ett långt lösenord", path) is None
    assert authenticate("anna", "ett annat lösenord", path) == User("Anna Andersson", "anna", "viewer")


def test_a_login_written_before_logins_were_lowered_still_signs_in(tmp_path):
    path = tmp_path / "users.toml"
    path.write_text(f'[users."Erik"]\nname = "Erik"\nrole = "analyst"\npassword = "{hash_password("ett långt lösenord")}"\n')
    assert authenticate("Erik", "ett långt lösenord", path).role == "analyst"


def test_an_unreadable_users_file_is_named_not_overwritten(tmp_path, monkeypatch, capsys):
    path = tmp_path / "users.toml"
    path.write_text('[users."a"b"]\nrole = "viewer"\n')
    before = path.read_bytes()
    monkeypatch.setenv("MALKOLL_USERS_FILE", str(path))
    with pytest.raises(UsersFileError, match="users.toml går inte att läsa"):
        authenticate("a", "x")
    monkeypatch.setattr("sys.stdin", io.StringIO("hemligt och långt\n"))
    assert main(["user", "add", "maria", "--role", "manager", "--password-stdin"]) == 2
    assert "Användaren lades inte till: användarfilen" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_user_add_without_a_password_says_so_instead_of_a_traceback(tmp_path):
    env = dict(os.environ, MALKOLL_USERS_FILE=str(tmp_path / "u.toml"))
    done = subprocess.run([sys.executable, "-m", "malkoll.cli", "user", "add", "maria", "--role", "viewer"],
                          env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "inget lösenord lästes" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "u.toml").exists()

