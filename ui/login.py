"""Logging in, the Streamlit side: the session's user, the login form and button, the page
guard. The rules (roles, password checks, OIDC roles, secrets layout) are pure and live in
``monitor/data/auth.py``."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from monitor.data.auth import (LOGIN_FAILED, SESSION_KEY, local_users, login_required, oidc_configured,
                               oidc_provider, parse_role, user_from_oidc, verify_password)
from monitor.data import snapshot
from monitor.data.events import User
from monitor.domain.text import md_literal


def secrets() -> dict:
    """``st.secrets`` as a plain dict; empty when there is no secrets file. Read once per page
    run (``monitor.data.snapshot``): a run asks for it five or six times."""
    return snapshot.remembered(("secrets",), _secrets)


def _secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets.toml: Streamlit raises on first access
        return {}


def current_user() -> User | None:
    """The logged-in user of this session, or None.

    OIDC: from ``st.user`` with the role from ``[roles]``. Local: the account stored in the
    session by ``login_form``, re-read from the secrets on every call (a removed account or
    changed role takes effect at once).
    """
    config = secrets()
    if oidc_configured(config):
        if not st.user.get("is_logged_in"):
            return None
        return user_from_oidc(st.user.to_dict(), config)
    user = st.session_state.get(SESSION_KEY)
    if not isinstance(user, User):
        return None
    entry = local_users(config).get(user.name)
    if not isinstance(entry, Mapping):
        st.session_state.pop(SESSION_KEY, None)
        return None
    email = entry.get("email")
    return User(name=user.name, role=parse_role(entry.get("role")),
                email=email if isinstance(email, str) else None)


def login_form(key: str = "inloggen") -> User | None:
    """Show the login (a form for local accounts, a button for OIDC); the user, or None."""
    user = current_user()
    if user is not None:
        return user
    config = secrets()
    if oidc_configured(config):
        if st.button("Inloggen", key=f"{key}-oidc", type="primary"):
            provider = oidc_provider(config)
            st.login(provider) if provider else st.login()
        return None
    if not local_users(config):
        st.info("Er zijn nog geen accounts. Een beheerder maakt er een met "
                "`python -m monitor add-user NAAM --role redacteur`.")
        return None
    with st.form(key):
        name = st.text_input("Gebruikersnaam", key=f"{key}-naam")
        password = st.text_input("Wachtwoord", type="password", key=f"{key}-wachtwoord")
        submitted = st.form_submit_button("Inloggen", type="primary")
    if submitted:
        user = verify_password(config, name, password)
        if user is None:
            st.error(LOGIN_FAILED)
            return None
        st.session_state[SESSION_KEY] = user
        st.rerun()
    return None


def logout_button(key: str = "uitloggen") -> None:
    """'Ingelogd als …' and a button to log out (nothing when nobody is logged in)."""
    user = current_user()
    if user is None:
        return
    role = f" ({user.role})" if user.role else ""
    st.caption(md_literal(f"Ingelogd als {user.name}{role}"))  # a name as the account or provider gives it
    if st.button("Uitloggen", key=key):
        if oidc_configured(secrets()):
            st.logout()
        else:
            st.session_state.pop(SESSION_KEY, None)
            st.rerun()


def require_viewer() -> User | None:
    """Call at the top of every page: with ``require_login`` and nobody logged in, show the
    login and stop the page. Returns the current user (None for an anonymous visitor)."""
    user = current_user()
    if user is None and login_required(secrets()):
        st.info("Log in om de monitor te bekijken.")
        login_form()
        st.stop()
    return user
