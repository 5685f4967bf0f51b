"""Single sign-on rules: roles from a claim (with the e-mail list as fallback, failing closed on
a bad ``[auth_roles]``), the identity of an OIDC user, and the Dutch answer the login routes
give when the provider is down or refuses (monitor/serving/sso_routes.py)."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from monitor.data import auth, events, sso
from monitor.data.events import User
from monitor.serving import sso_routes

ENTRA_ROLE = "TwentseKoers.Redacteur"
GROUP = "3f1c9a7e-0b1d-4c2a-9e57-2d8f0c6b1a11"
CONFIG = {
    "auth": {"client_id": "x"},
    "auth_roles": {"redacteur": [ENTRA_ROLE, GROUP], "lezer": ["TwentseKoers.Lezer"]},
    "roles": {"redacteur": ["mail@enschede.nl"], "lezer": ["lezer@enschede.nl"]},
}


def token(**claims) -> dict:
    return {"sub": "00000000-sub", "name": "Rita", "email": "rita@enschede.nl", "is_logged_in": True, **claims}


@pytest.mark.parametrize("claims, role", [
    ({"roles": [ENTRA_ROLE]}, "redacteur"),                       # an Entra app role
    ({"roles": ["twentsekoers.redacteur"]}, "redacteur"),          # compared without case
    ({"groups": [GROUP.upper(), "other"]}, "redacteur"),           # an Entra group object id
    ({"roles": ["TwentseKoers.Lezer", ENTRA_ROLE]}, "redacteur"),  # the highest role wins
    ({"roles": ["TwentseKoers.Lezer"]}, "lezer"),
    ({"roles": ENTRA_ROLE}, "redacteur"),                           # one text instead of a list
    ({"roles": ["Iets.Anders"]}, None),
    ({"roles": [{"value": ENTRA_ROLE}], "groups": 5}, None),         # not texts: ignored
    ({}, None),
])
def test_roles_come_from_the_roles_then_groups_claim(claims, role):
    assert auth.user_from_oidc(token(**claims), CONFIG).role == role


def test_the_claim_names_are_configurable_and_reach_into_nested_claims():
    keycloak = {**CONFIG, "auth_roles": {"claims": "realm_access.roles", "redacteur": ["monitor-redacteur"]}}
    assert auth.user_from_oidc(token(realm_access={"roles": ["monitor-redacteur"]}), keycloak).can_edit
    # Only the configured claim counts: a `roles` claim is not read now.
    assert not auth.user_from_oidc(token(roles=["monitor-redacteur"]), keycloak).can_edit
    only_groups = {**CONFIG, "auth_roles": {"claims": ["groups"], "redacteur": [ENTRA_ROLE, GROUP]}}
    assert not auth.user_from_oidc(token(roles=[ENTRA_ROLE]), only_groups).can_edit
    assert auth.user_from_oidc(token(groups=[GROUP]), only_groups).can_edit


def test_the_e_mail_list_is_the_fallback_when_no_claim_gives_a_role():
    assert auth.user_from_oidc(token(email="MAIL@enschede.nl"), CONFIG).role == "redacteur"
    assert auth.user_from_oidc(token(email="lezer@enschede.nl", roles=[]), CONFIG).role == "lezer"
    # A claim role wins over the list.
    assert auth.user_from_oidc(token(email="mail@enschede.nl", roles=["TwentseKoers.Lezer"]), CONFIG).role == "lezer"
    no_section = {k: v for k, v in CONFIG.items() if k != "auth_roles"}
    assert auth.user_from_oidc(token(roles=[ENTRA_ROLE]), no_section).role is None


@pytest.mark.parametrize("section, wrong", [
    ({"redakteur": [ENTRA_ROLE]}, "onbekende sleutel 'redakteur'"),
    ({"redacteur": 1}, "redacteur hoort een lijst"),
    ({"redacteur": [ENTRA_ROLE, 2]}, "redacteur hoort een lijst"),
    ({"claims": [], "redacteur": [ENTRA_ROLE]}, "claims hoort"),
    ({"claims": " ", "redacteur": [ENTRA_ROLE]}, "claims hoort"),
    ("roles", "hoort een tabel te zijn"),
])
def test_a_bad_role_section_gives_nobody_a_role_and_says_what_is_wrong(section, wrong):
    config = {**CONFIG, "auth_roles": section}
    problems = sso.role_config_problems(config, auth.ROLES)
    assert len(problems) == 1 and wrong in problems[0]
    # Fails closed: not from the claim, not from the e-mail list either.
    assert auth.user_from_oidc(token(roles=[ENTRA_ROLE], email="mail@enschede.nl"), config).role is None
    assert sso.role_config_problems(CONFIG, auth.ROLES) == []


@pytest.mark.parametrize("withdrawn", [["RITA@enschede.nl"], "rita@enschede.nl", ["00000000-sub"], [" 00000000-sub "]])
def test_ingetrokken_takes_the_role_away_from_one_person_whatever_the_token_says(withdrawn, tmp_path):
    """The ID token's claims live in Streamlit's cookie until the next login; a beheerder who
    names a person under ``ingetrokken`` takes the role away at once (read again at each write)."""
    config = {**CONFIG, "auth_roles": {**CONFIG["auth_roles"], "ingetrokken": withdrawn}}
    assert sso.role_config_problems(config, auth.ROLES) == []
    rita = auth.user_from_oidc(token(roles=[ENTRA_ROLE], email="rita@enschede.nl"), config)
    assert rita.role is None and rita.sub == "00000000-sub"
    with pytest.raises(events.PermissionDenied):
        events.record_phase_change(rita, "P01", "Uitvoering", date(2025, 3, 1), "na intrekken", dataset_dir=tmp_path)
    assert not list(tmp_path.rglob("*.parquet"))
    # Not from the e-mail list either, and nobody else is touched.
    listed = {**config, "roles": {"redacteur": ["rita@enschede.nl"]}}
    assert auth.user_from_oidc(token(email="rita@enschede.nl"), listed).role is None
    assert auth.user_from_oidc(token(roles=[ENTRA_ROLE], email="anna@enschede.nl", sub="s-2"), config).can_edit


def test_ingetrokken_must_be_a_list_of_texts():
    config = {**CONFIG, "auth_roles": {**CONFIG["auth_roles"], "ingetrokken": 5}}
    problems = sso.role_config_problems(config, auth.ROLES)
    assert len(problems) == 1 and "ingetrokken hoort een lijst" in problems[0]


def test_the_oidc_user_carries_name_e_mail_and_subject():
    user = auth.user_from_oidc(token(roles=[ENTRA_ROLE]), CONFIG)
    assert user == User("Rita", "redacteur", "rita@enschede.nl", sub="00000000-sub")
    bare = auth.user_from_oidc({"sub": "abc", "is_logged_in": True}, CONFIG)
    assert bare == User("abc", None, None, sub="abc")


def test_a_user_without_the_role_claim_cannot_write(tmp_path):
    lezer = auth.user_from_oidc(token(roles=["TwentseKoers.Lezer"]), CONFIG)
    with pytest.raises(events.PermissionDenied):
        events.record_phase_change(lezer, "P01", "Uitvoering", date(2025, 3, 1), "via claim", dataset_dir=tmp_path)
    assert not list(tmp_path.rglob("*.parquet"))


def test_the_discovery_url_of_a_flat_or_named_provider():
    assert sso.metadata_url({"server_metadata_url": "https://a/.well-known/openid-configuration"}) \
        == "https://a/.well-known/openid-configuration"
    assert sso.metadata_url({"redirect_uri": "r", "microsoft": {"server_metadata_url": "https://m"}}) == "https://m"
    assert sso.metadata_url({"redirect_uri": "r"}) is None


def test_problem_messages_are_dutch_and_only_for_known_codes():
    for code in (sso.UNREACHABLE, sso.REFUSED, sso.FAILED):
        assert "aanmeld" in sso.problem_message(code)
    assert sso.problem_message("<img src=x>") is None and sso.problem_message(None) is None


# ------------------------------------------------------------------------ the login routes

@pytest.mark.parametrize("location, result", [
    ("/", "/?sso=geweigerd"),
    ("/app/?a=1&sso=oud", "/app/?a=1&sso=geweigerd"),
])
def test_the_problem_code_is_added_to_the_start_page(location, result):
    assert sso_routes.with_problem(location, "geweigerd") == result


def test_a_login_is_a_user_cookie_with_a_value():
    assert sso_routes.sets_user_cookie([(b"set-cookie", b'_streamlit_user="2|1:0|10:17|abc"; HttpOnly')])
    assert sso_routes.sets_user_cookie([(b"set-cookie", b"_streamlit_user=chunks-2; Path=/")])
    assert not sso_routes.sets_user_cookie([(b"set-cookie", b'_streamlit_user=""; expires=Thu, 01 Jan 1970')])
    assert not sso_routes.sets_user_cookie([(b"set-cookie", b"_streamlit_user_tokens=abc")])
    assert not sso_routes.sets_user_cookie([(b"location", b"/")])


@pytest.mark.parametrize("params, logged_in, code", [
    ({"code": "c", "state": "s"}, True, None),
    ({"error": "access_denied", "state": "s"}, False, "geweigerd"),
    ({"error": "server_error", "state": "s"}, False, "mislukt"),
    ({"code": "c", "state": "s"}, False, "mislukt"),      # token exchange failed
    ({}, False, None),                                    # back from the provider's logout
])
def test_which_callback_is_a_problem(params, logged_in, code):
    assert sso_routes.callback_problem(params, logged_in) == code


class _Request:
    def __init__(self, query: dict):
        self.query_params = query


def _run(wrapper, query: dict):
    """Await the endpoint in a thread of its own: Playwright's browser tests leave an event loop
    running in this one when they ran first in the same process."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(wrapper(_Request(query)))).result()


def test_a_failed_redirect_to_the_provider_becomes_the_dutch_message(caplog, unused_port):
    from starlette.responses import Response

    async def streamlit_login(request):
        return Response("Authentication error", status_code=400)

    url = f"http://127.0.0.1:{unused_port}/.well-known/openid-configuration"
    login = sso_routes.wrap_login(streamlit_login, lambda: url, "/")
    with caplog.at_level(logging.ERROR, logger="monitor.sso"):
        answer = _run(login, {"provider": "x"})
    assert answer.status_code == 302 and answer.headers["location"] == "/?sso=onbereikbaar"
    assert url in caplog.text and "niet op te halen" in caplog.text


def test_a_refused_or_failed_callback_becomes_the_dutch_message(caplog, unused_port):
    from starlette.responses import RedirectResponse

    async def streamlit_callback(request):
        response = RedirectResponse("/", status_code=302)
        response.delete_cookie("_streamlit_user")
        return response

    down = f"http://127.0.0.1:{unused_port}/.well-known/openid-configuration"
    callback = sso_routes.wrap_callback(streamlit_callback, lambda: down, "/")
    with caplog.at_level(logging.ERROR, logger="monitor.sso"):
        refused = _run(callback, {"error": "access_denied", "error_description": "nee\r\nnep-regel", "state": "s"})
    assert refused.headers["location"] == "/?sso=geweigerd"
    assert "error=access_denied (nee  nep-regel)" in caplog.text  # one log line, no injected line
    assert _run(callback, {"code": "c", "state": "s"}).headers["location"] == "/?sso=onbereikbaar"
    assert _run(callback, {}).headers["location"] == "/"  # back from a logout: no message


@pytest.fixture
def unused_port() -> int:
    from monitor.serving.netutil import free_port

    return free_port()


# ------------------------------------------------------------------------ the Streamlit side (AppTest)

def _sso_page():
    from ui import login

    login.show_login_problem()
    login.logout_button()
    user = login.current_user()
    import streamlit as st

    st.markdown(f"gebruiker={user and user.name} rol={user and user.role} sub={user and user.sub}")


def _sso_app(config: dict, user: dict | None = None, query: dict | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_sso_page, default_timeout=30)
    for key, value in config.items():
        at.secrets[key] = value
    if user is not None:
        at.user = user
    at.query_params.update(query or {})
    return at.run()


AUTH = {"client_id": "monitor", "client_secret": "s", "redirect_uri": "http://localhost/oauth2callback",
        "cookie_secret": "c" * 32, "server_metadata_url": "https://login.example/.well-known/openid-configuration"}


def test_the_page_shows_the_dutch_message_for_a_login_problem_and_nothing_else():
    at = _sso_app({"auth": AUTH}, query={"sso": "onbereikbaar"})
    assert [e.value for e in at.error] == [sso.PROBLEM_MESSAGES["onbereikbaar"]]
    assert not _sso_app({"auth": AUTH}, query={"sso": "![x](https://elders.example/p.png)"}).error
    assert not _sso_app({"auth": AUTH}).error


def test_a_logged_in_oidc_user_gets_the_role_from_the_claim_and_a_bad_section_is_said(caplog):
    rita = {"is_logged_in": True, "name": "Rita", "email": "rita@enschede.nl", "sub": "s-1", "roles": [ENTRA_ROLE]}
    at = _sso_app({"auth": AUTH, "auth_roles": {"redacteur": [ENTRA_ROLE]}}, user=rita)
    assert "gebruiker=Rita rol=redacteur sub=s-1" in [m.value for m in at.markdown]
    assert any(c.value == "Ingelogd als Rita (redacteur)" for c in at.caption) and not at.warning
    with caplog.at_level(logging.ERROR, logger="monitor.sso"):
        at = _sso_app({"auth": AUTH, "auth_roles": {"redakteur": [ENTRA_ROLE]}}, user=rita)
    assert "gebruiker=Rita rol=None sub=s-1" in [m.value for m in at.markdown]
    assert [w.value for w in at.warning] == [sso.CONFIG_BROKEN]
    assert "onbekende sleutel 'redakteur'" in caplog.text
