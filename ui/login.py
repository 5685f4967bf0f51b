"""Logging in, the Streamlit side: the session's user, the login form and button, the page
guard. The rules (roles, password checks, OIDC roles, secrets layout) are pure and live in
``monitor/data/auth.py``."""

from __future__ import annotations

import logging
from collections.abc import Mapping

import streamlit as st

from monitor.data.auth import (ROLES, SESSION_KEY, local_users, login_required, oidc_configured, oidc_provider,
                               parse_role, user_from_oidc)
from monitor.data import sso
from monitor.data.events import User
from ui import login_guard, secrets_source
from monitor.domain.text import md_literal


def secrets() -> dict:
    """The secrets as a plain dict; empty when there is no secrets file, and empty (nobody logs
    in, nobody edits) when it does not parse or holds a wrong setting: then every page stops
    (``ui.secrets_source``). Read once per page run: a run asks for it five or six times."""
    return secrets_source.state().usable_config


def current_user(config: dict | None = None) -> User | None:
    """The logged-in user of this session, or None.

    OIDC: from ``st.user`` with the role from ``[roles]``. Local: the account stored in the
    session by ``login_form``, re-read from the secrets on every call (a removed account or
    changed role takes effect at once). ``config``: secrets read just now (at the moment of
    writing, ``ui.record_forms``) instead of this run's.
    """
    config = secrets() if config is None else config
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
        user, refusal = login_guard.check_password(config, name, password)  # throttled
        if user is None:
            st.error(md_literal(refusal))  # may name the state file (a path) when counting fails
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
    role_config_notice()
    if st.button("Uitloggen", key=key):
        if oidc_configured(secrets()):
            st.logout()
        else:
            st.session_state.pop(SESSION_KEY, None)
            st.rerun()


def require_viewer() -> User | None:
    """Call at the top of every page: with ``require_login`` and nobody logged in, show the
    login and stop the page; with secrets that do not parse or hold a wrong setting, stop it
    with a message for the visitor (fail closed). Returns the current user (None for an
    anonymous visitor)."""
    secrets_source.stop_if_misconfigured()
    user = current_user()
    if user is None and login_required(secrets()):
        st.info("Log in om de monitor te bekijken.")
        login_form()
        st.stop()
    return user


# ---------------------------------------------------------------------------- single sign-on

_logged_problems: set[str] = set()


def show_login_problem() -> None:
    """The Dutch message for a login the provider did not complete (``?sso=...``, set by
    ``monitor.serving.sso_routes`` when the provider is down or refuses); nothing otherwise."""
    message = sso.problem_message(st.query_params.get(sso.PROBLEM_PARAM))
    if message:
        st.error(message, icon=":material/no_accounts:")


def role_config_notice() -> None:
    """With OIDC and an invalid ``[auth_roles]``: a Dutch warning (nobody gets a role, so nobody
    can record) and, once per problem per process, a line in the log for the beheerder."""
    config = secrets()
    if not oidc_configured(config):
        return
    problems = sso.role_config_problems(config, ROLES)
    for problem in problems:
        if problem not in _logged_problems:
            _logged_problems.add(problem)
            logging.getLogger("monitor.sso").error("Rollen uit de OIDC-claim staan uit: %s", problem)
    if problems:
        st.warning(sso.CONFIG_BROKEN)
