"""Who may change things: local users with hashed passwords, roles, and permissions.

Viewing needs no account unless MALKOLL_REQUIRE_LOGIN is set. Setting flags
needs a manager; uploading files and starting a refresh need an analyst or a
manager. Where an identity provider is configured (Streamlit's `st.login`,
`[auth]` in .streamlit/secrets.toml), users sign in there and their role comes
from the `[oidc]` table of the users file; otherwise the users file holds
local accounts with scrypt-hashed passwords (for small installations).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from malkoll import settings
from malkoll.atomic_write import write_atomically

ROLES = ("viewer", "analyst", "manager")
PERMISSIONS = {"flag": {"manager"}, "import": {"analyst", "manager"}, "refresh": {"analyst", "manager"}}
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
# A user name or an e-mail address: what people type into the sign-in box, nothing that needs quoting.
_LOGIN = re.compile(r"[^\W_][\w.@+-]*")


class UsersFileError(Exception):
    """The users file cannot be read: sign-in is refused until it is mended, nothing is guessed."""


@dataclass(frozen=True)
class User:
    name: str      # shown as the author of flags and imports
    login: str     # user name or e-mail
    role: str

    def may(self, action: str) -> bool:
        return self.role in PERMISSIONS[action]


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), dklen=32, **_SCRYPT)
    return hmac.compare_digest(candidate.hex(), digest)


def users_file() -> Path:
    return Path(settings.USERS_FILE.get()).expanduser()


def _load(path: Path | None = None) -> dict:
    path = path or users_file()
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UsersFileError(f"användarfilen {path} går inte att läsa: {exc}") from exc


def normal_login(login: str) -> str:
    """The login as stored: trimmed and in lower case, since people type "Anna" and "anna" alike."""
    return login.strip().lower()


def authenticate(login: str, password: str, path: Path | None = None) -> User | None:
    """The local user if the password matches, else None (no hint which part was wrong).

    Raises UsersFileError when the users file cannot be read.
    """
    users = _load(path).get("users", {})
    login = normal_login(login) if normal_login(login) in users else login  # or as written before logins were lowered
    entry = users.get(login)
    if not entry or not verify_password(password, entry.get("password", "")):
        return None
    role = entry.get("role", "viewer")
    return User(entry.get("name", login), login, role if role in ROLES else "viewer")


def oidc_user(email: str, name: str | None, path: Path | None = None) -> User:
    """A user signed in with the identity provider; the role comes from configuration."""
    role = _load(path).get("oidc", {}).get(email, "viewer")
    return User(name or email, email, role if role in ROLES else "viewer")


def toml_string(value: str) -> str:
    """`value` as a TOML basic string: quotes, backslashes and control characters escaped."""
    escaped = []
    for char in value:
        if char in '"\\':
            escaped.append("\\" + char)
        elif char < " " or char == "\x7f":
            escaped.append(f"\\u{ord(char):04X}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def add_user(login: str, password: str, role: str, name: str | None = None, path: Path | None = None,
             replace: bool = False) -> str:
    """Add a local user to the users file (kept out of git), or with `replace` change an existing one.

    Returns the login as stored. An existing login is never overwritten by
    accident: a typo in `user add` would otherwise take a colleague's account.
    Replacing keeps the shown name unless a new one is given.
    """
    login = normal_login(login)
    if not _LOGIN.fullmatch(login):
        raise ValueError(f"ogiltigt användarnamn {login!r}: använd bokstäver, siffror och . _ @ + -"
                         " (till exempel anna.andersson eller anna@region.se)")
    if role not in ROLES:
        raise ValueError(f"okänd roll {role!r}; välj {', '.join(ROLES)}")
    if len(password) < 10:
        raise ValueError("lösenordet måste ha minst 10 tecken")
    path = path or users_file()
    data = _load(path)
    users = data.setdefault("users", {})
    old = users.get(login)
    if old is not None and not replace:
        raise ValueError(f"{login} finns redan ({old.get('role', 'viewer')}, {old.get('name', login)!r}); "
                         "lägg till --replace för att byta lösenord, roll eller namn")
    users[login] = {"name": (name or "").strip() or (old or {}).get("name") or login, "role": role,
                    "password": hash_password(password)}
    lines = []
    for login_name, entry in sorted(users.items()):
        lines.append(f"[users.{toml_string(login_name)}]")
        lines += [f"{key} = {toml_string(str(value))}" for key, value in entry.items()]
        lines.append("")
    if data.get("oidc"):
        lines.append("[oidc]")
        lines += [f"{toml_string(email)} = {toml_string(role_)}" for email, role_ in sorted(data["oidc"].items())]
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, ("\n".join(lines) + "\n").encode("utf-8"), mode=0o600)  # password hashes: owner only
    return login


def login_required_to_view() -> bool:
    return settings.REQUIRE_LOGIN.get().lower() in ("1", "true", "ja", "yes")
