"""Single sign-on in Chromium against a real OpenID Connect provider (tests/oidc/provider.js,
panva's oidc-provider, started by these tests): log in on the provider's page, the role from
the ID token's ``roles`` claim, record, log out at the provider (the next login asks for the
password again), a user without the role cannot record, a refusal, a wrong client secret and a
provider that is down give a Dutch message; behind nginx with two replicas the login holds on
both.
"""

from __future__ import annotations

import re

import pytest

from monitor.data import events
from monitor.serving.netutil import free_port
from tests import oidcserver
from tests.browser.conftest import start_replicas, start_server, stop_server
from tests.browser.test_projecten_browser import TIMEOUT, _select, _wait_for_app
from tests.faults.faults import copy_datasets
from tests.oidcserver import EDITOR, READER

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def sso(chromium_path, tmp_path_factory):
    """The provider, a single server logging in through it, its dataset folder and a folder for
    logs and secrets (the replicas' test starts its own replicas)."""
    oidcserver.node_or_skip()
    folder = tmp_path_factory.mktemp("sso")
    app_port = free_port()
    app = f"http://127.0.0.1:{app_port}"
    provider = oidcserver.Provider(free_port(), [f"{app}/oauth2callback"], folder / "provider.log")
    provider.start()
    secrets = folder / "secrets.toml"
    secrets.write_text(oidcserver.secrets_toml(f"{app}/oauth2callback", provider.metadata_url))
    datasets = copy_datasets(folder / "datasets")
    proc, url = start_server(datasets, secrets, folder / "server.log", port=app_port)
    try:
        yield {"app": url, "provider": provider, "datasets": datasets,
               "folder": folder}
    finally:
        stop_server(proc)
        provider.stop()


def _sidebar(page):
    return page.locator("[data-testid='stSidebar']")


def _click_login(page) -> None:
    _sidebar(page).get_by_text("Inloggen voor redacteuren").click()
    _sidebar(page).get_by_role("button", name="Inloggen").click()


def _provider_login(page, account, app: str) -> None:
    page.get_by_role("heading", name="Aanmelden bij de test-provider").wait_for(timeout=TIMEOUT)
    page.get_by_label("Gebruikersnaam").fill(account[0])
    page.get_by_label("Wachtwoord").fill(account[1])
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(f"{app}/**", timeout=TIMEOUT)
    _wait_for_app(page)


def _logged_in_as(page, text: str) -> None:
    _sidebar(page).get_by_text(text, exact=True).wait_for(timeout=TIMEOUT)


def log_in(page, app: str, account, shown: str) -> None:
    """Open the Projecten page, log in through the provider as ``account`` and wait until the
    sidebar says ``shown`` ("Ingelogd als …")."""
    page.goto(f"{app}/projecten")
    _wait_for_app(page)
    _click_login(page)
    _provider_login(page, account, app)
    _logged_in_as(page, shown)


def _no_error_box(page) -> None:
    assert page.get_by_test_id("stException").count() == 0
    assert page.get_by_text("Traceback").count() == 0


def test_log_in_with_the_role_claim_record_and_log_out_at_the_provider(sso, browser):
    app, datasets = sso["app"], sso["datasets"]
    context = browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        log_in(page, app, EDITOR, f"Ingelogd als {EDITOR[2]} (redacteur)")  # the role from the `roles` claim

        # Record a phase change as that user.
        page.goto(f"{app}/projecten")
        _wait_for_app(page)
        page.get_by_text("Wijziging vastleggen").wait_for(timeout=TIMEOUT)
        _select(page, "Project", "Kinderarmoede")
        _select(page, "Nieuwe fase", "Ontwerp")
        page.get_by_role("textbox", name="Toelichting", exact=True).first.fill("Browsertest: via single sign-on")
        page.get_by_role("button", name="Faseovergang vastleggen").click()
        page.get_by_text("Faseovergang vastgelegd voor Kinderarmoede: Definitie → Ontwerp").wait_for(timeout=TIMEOUT)
        recorded = events.load_events("phase_events", datasets)
        row = recorded[recorded["note"] == "Browsertest: via single sign-on"]
        assert len(row) == 1 and row.iloc[0]["recorded_by"] == EDITOR[2]
        for column, value in (("recorded_by_email", EDITOR[3]), ("recorded_by_sub", EDITOR[4])):
            if column in row.columns:  # the identity columns of the event store
                assert row.iloc[0][column] == value

        # Without the provider's logout its session would still be there: with only the
        # monitor's cookie gone, a new login goes straight to "pick an account".
        saved = context.cookies()
        context.clear_cookies(name=re.compile(r"^_streamlit_user"))
        page.goto(app)
        _wait_for_app(page)
        _click_login(page)
        page.get_by_role("button", name=f"Doorgaan als {EDITOR[2]}").click()
        page.wait_for_url(f"{app}/**", timeout=TIMEOUT)
        _wait_for_app(page)
        _logged_in_as(page, f"Ingelogd als {EDITOR[2]} (redacteur)")
        assert {c["name"] for c in saved} <= {c["name"] for c in context.cookies()}

        # Logging out ends the provider's session too (its end_session_endpoint).
        _sidebar(page).get_by_role("button", name="Uitloggen").click()
        page.get_by_role("button", name="Ja, afmelden").click()
        page.wait_for_url(f"{app}/**", timeout=TIMEOUT)
        _wait_for_app(page)
        _sidebar(page).get_by_text("Inloggen voor redacteuren").wait_for(timeout=TIMEOUT)
        assert page.get_by_role("alert").count() == 0  # the return from the logout is no problem
        # The next login asks for the password again: the user without the role.
        _click_login(page)
        _provider_login(page, READER, app)
        _logged_in_as(page, f"Ingelogd als {READER[2]}")
        page.goto(f"{app}/projecten")
        _wait_for_app(page)
        page.get_by_text(re.compile(r"^\d+ van 29 projecten")).wait_for(timeout=TIMEOUT)
        assert page.get_by_text("Wijziging vastleggen").count() == 0
        assert page.get_by_role("button", name=re.compile("^Faseovergang vastleggen")).count() == 0
        _no_error_box(page)
    finally:
        context.close()


def test_a_refusal_a_wrong_secret_and_a_provider_that_is_down_give_a_dutch_message(sso, browser):
    app, provider = sso["app"], sso["provider"]
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    try:
        page.goto(app)
        _wait_for_app(page)
        _click_login(page)
        page.get_by_role("heading", name="Aanmelden bij de test-provider").wait_for(timeout=TIMEOUT)
        page.get_by_role("button", name="Annuleren").click()  # back with error=access_denied
        page.wait_for_url(f"{app}/?sso=geweigerd", timeout=TIMEOUT)
        _wait_for_app(page)
        page.get_by_text(re.compile("^De aanmeldserver van uw organisatie heeft het inloggen geweigerd")) \
            .wait_for(timeout=TIMEOUT)
        _no_error_box(page)

        # A wrong client secret (expired in Entra, mistyped): the token exchange is refused.
        provider.stop()
        provider.client_secret = "een-ander-geheim"
        provider.start()
        try:
            page.goto(app)
            _wait_for_app(page)
            _click_login(page)
            _provider_login(page, EDITOR, app)
            page.wait_for_url(f"{app}/?sso=mislukt", timeout=TIMEOUT)
            page.get_by_text(re.compile("^Inloggen is niet gelukt")).wait_for(timeout=TIMEOUT)
            _sidebar(page).get_by_text("Inloggen voor redacteuren").wait_for(timeout=TIMEOUT)
            _no_error_box(page)
        finally:
            provider.stop()
            provider.client_secret = oidcserver.CLIENT_SECRET
        try:
            page.goto(app)
            _wait_for_app(page)
            _click_login(page)
            page.wait_for_url(f"{app}/?sso=onbereikbaar", timeout=TIMEOUT)
            _wait_for_app(page)
            page.get_by_text(re.compile("^De aanmeldserver van uw organisatie is nu niet bereikbaar")) \
                .wait_for(timeout=TIMEOUT)
            assert page.get_by_text("Authentication error").count() == 0
            _no_error_box(page)
        finally:
            provider.start()
        log = (sso["folder"] / "server.log").read_text(errors="replace")
        assert "Inloggen via OIDC geweigerd door de aanmeldserver: error=access_denied" in log
        assert f"{provider.metadata_url} is niet op te halen" in log
        assert "controleer client_id en client_secret in [auth]" in log
    finally:
        context.close()


def test_behind_nginx_the_login_holds_on_both_replicas(sso, browser):
    folder, provider = sso["folder"], sso["provider"]
    # nginx' port is chosen now (a port chosen earlier may be taken by then); the provider
    # learns it as a redirect URI by a restart.
    port = free_port()
    proxy = f"http://127.0.0.1:{port}"
    provider.stop()
    provider.redirect_uris = [*provider.redirect_uris, f"{proxy}/oauth2callback"]
    provider.start()
    secrets = folder / "secrets-replicas.toml"
    secrets.write_text(oidcserver.secrets_toml(f"{proxy}/oauth2callback", provider.metadata_url))
    proc, url, _prefix = start_replicas(sso["datasets"], secrets, folder / "replicas.log", port=port)
    context = browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(url)
        _wait_for_app(page)
        _click_login(page)
        _provider_login(page, EDITOR, url)
        _logged_in_as(page, f"Ingelogd als {EDITOR[2]} (redacteur)")
        page.reload()
        _wait_for_app(page)
        # nginx serves the page itself; the browser's replica answers its other requests.
        first = context.request.get(f"{url}/_stcore/health").headers.get("x-monitor-replica")
        _logged_in_as(page, f"Ingelogd als {EDITOR[2]} (redacteur)")

        # The sticky cookie names the replica the WebSocket's answer placed the browser on;
        # naming the other one moves this browser there.
        assert {c["name"]: c["value"] for c in context.cookies()}.get("tkm_replica") == first
        context.add_cookies([{"name": "tkm_replica", "value": "r2" if first == "r1" else "r1", "url": url}])
        page.reload()
        other = context.request.get(f"{url}/_stcore/health").headers.get("x-monitor-replica")
        assert other and other != first
        _wait_for_app(page)
        _logged_in_as(page, f"Ingelogd als {EDITOR[2]} (redacteur)")
        page.goto(f"{url}/projecten")
        _wait_for_app(page)
        page.get_by_text("Wijziging vastleggen").wait_for(timeout=TIMEOUT)
    finally:
        context.close()
        stop_server(proc)
