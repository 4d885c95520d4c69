"""Sign-in in the app: Streamlit's OpenID Connect (st.login) when configured, else local users."""

from __future__ import annotations

import streamlit as st

from malkoll.auth import User, UsersFileError, authenticate, oidc_user
from malkoll.formatting import literal_markdown
from malkoll.i18n import t

SESSION_KEY = "malkoll_user"


def oidc_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False
    except Exception:  # no secrets file at all: Streamlit raises its own error type
        return False


def _users_file_unreadable(exc: UsersFileError) -> None:
    st.error(t("users_file_unreadable", error=literal_markdown(str(exc))))


def current_user() -> User | None:
    if oidc_configured() and getattr(st.user, "is_logged_in", False):
        try:
            return oidc_user(st.user.get("email", ""), st.user.get("name"))
        except UsersFileError as exc:  # signed in, but no role can be read: a viewer, and say why
            _users_file_unreadable(exc)
            return User(st.user.get("name") or st.user.get("email", ""), st.user.get("email", ""), "viewer")
    stored = st.session_state.get(SESSION_KEY)
    return User(**stored) if stored else None


def sign_in_panel() -> User | None:
    """The sidebar's sign-in / signed-in box; returns the current user."""
    user = current_user()
    with st.sidebar:
        if user is not None:
            st.caption(t("signed_in_as", name=user.name, role=t(f"role_{user.role}")))
            if st.button(t("sign_out"), icon=":material/logout:"):
                st.session_state.pop(SESSION_KEY, None)
                if oidc_configured():
                    st.logout()
                st.rerun()
            return user
        if oidc_configured():
            st.button(t("sign_in"), on_click=st.login, icon=":material/login:")
            return None
        with st.popover(t("sign_in"), icon=":material/login:"):
            with st.form("sign_in"):
                login = st.text_input(t("user_name"))
                password = st.text_input(t("password"), type="password")
                if st.form_submit_button(t("sign_in")):
                    try:
                        found = authenticate(login, password)
                    except UsersFileError as exc:
                        _users_file_unreadable(exc)
                        return None
                    if found is None:
                        st.error(t("sign_in_failed"))
                    else:
                        st.session_state[SESSION_KEY] = found.__dict__
                        st.rerun()
    return None


def require(action: str) -> User | None:
    """The user if allowed to do `action` (flag, import, refresh); else a Swedish message and None."""
    user = current_user()
    if user is None:
        st.info(t("sign_in_needed", action=t(f"action_{action}")))
        return None
    if not user.may(action):
        st.warning(t("role_missing", action=t(f"action_{action}"), role=t(f"role_{user.role}")))
        return None
    return user
