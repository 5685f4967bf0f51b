"""A themaleider logs in through single sign-on (tests/oidc/provider.js, a real OpenID Connect
provider) and sees what changed in their themalijn since the previous BO date, and who in it still
has to report."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

import pytest

from monitor.data import events, follows
from monitor.data.checkins import record_checkin
from monitor.data.owners import record_owner
from monitor.data.users import User
from monitor.serving.netutil import free_port
from tests import oidcserver
from tests.browser.conftest import start_server, stop_server
from tests.browser.test_projecten_browser import TIMEOUT, _wait_for_app
from tests.browser.test_sso_browser import _click_login, _provider_login
from tests.faults.faults import copy_datasets
from tests.oidcserver import READER

pytestmark = pytest.mark.browser

TODAY = date.today()
BEHEERDER = User(name="Bea Beheer", role="beheerder", email="bea@gemeente.example")
PIET = User(name="Piet", role="lezer", email="piet@gemeente.example")


@pytest.fixture(scope="module")
def app(chromium_path, tmp_path_factory):
    """Lex (READER) is themaleider of Ouderen; Piet checked in for Bennie Oud today, after the BO
    ten days ago."""
    oidcserver.node_or_skip()
    folder = tmp_path_factory.mktemp("veranderd")
    datasets = copy_datasets(folder / "datasets")
    record_owner(BEHEERDER, "themalijn", "ouderen", READER[3], dataset_dir=datasets)
    for project_id in ("bennie-oud", "wonen-en-zorg"):
        record_owner(BEHEERDER, "project", project_id, PIET.email, dataset_dir=datasets)
    quarter = f"{TODAY.year}Q{(TODAY.month - 1) // 3 + 1}"
    record_checkin(PIET, "bennie-oud", checkin_date=TODAY, period=quarter, judgement="risico",
                   note="Wachtlijst bij de <b>thuiszorg</b>", phase=events.current_phase("bennie-oud", dataset_dir=datasets),
                   dataset_dir=datasets)
    follows.record_bo_date(BEHEERDER, TODAY - timedelta(days=10), None, dataset_dir=datasets)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    provider = oidcserver.Provider(free_port(), [f"{url}/oauth2callback"], folder / "provider.log")
    provider.start()
    secrets = folder / "secrets.toml"
    secrets.write_text(oidcserver.secrets_toml(f"{url}/oauth2callback", provider.metadata_url))
    proc, url = start_server(datasets, secrets, folder / "server.log", port=port)
    try:
        yield url
    finally:
        stop_server(proc)
        provider.stop()


@contextmanager
def _themaleider(app, browser):
    """A page of a browser in which Lex (READER) logged in by SSO from Wie moet nog melden."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{app}/wie-moet-nog-melden")
        _wait_for_app(page)
        page.get_by_text("log in om haar te zien", exact=False).wait_for(timeout=TIMEOUT)
        _click_login(page)
        _provider_login(page, READER, app)
        yield page
        assert page.get_by_test_id("stException").count() == 0
    finally:
        context.close()


def test_a_themaleider_sees_what_changed_and_who_still_has_to_report(app, browser):
    with _themaleider(app, browser) as page:
        page.goto(f"{app}/wat-is-er-veranderd?themalijn=Ouderen")
        _wait_for_app(page)
        since = TODAY - timedelta(days=10)
        page.get_by_text("(de vorige BO-datum)", exact=False).wait_for(timeout=TIMEOUT)
        main = page.locator("[data-testid='stMain']")
        main.get_by_role("heading", name="Ouderen").wait_for(timeout=TIMEOUT)
        item = main.get_by_text("Bennie Oud: risico", exact=False)
        item.wait_for(timeout=TIMEOUT)
        assert "Wachtlijst bij de <b>thuiszorg</b>" in item.inner_text().replace("\u2060", "")
        assert main.get_by_role("heading", name="Bestaanszekerheid").count() == 0
        assert page.get_by_role("button", name="BO-datum vastleggen").count() == 0  # not a beheerder
        shown = [page.get_by_role("spinbutton", name=f"{part}, Sinds").get_attribute("aria-valuenow")
                 for part in ("day", "month", "year")]
        assert shown == [str(since.day), str(since.month), str(since.year)]

        page.goto(f"{app}/wie-moet-nog-melden")
        _wait_for_app(page)
        page.get_by_text("open melding(en)", exact=False).wait_for(timeout=TIMEOUT)
        combobox = page.get_by_role("combobox", name="Themalijn", exact=True)
        assert "Ouderen" in combobox.inner_text() or "Ouderen" in (combobox.input_value() or "")


def test_a_user_follows_a_project_and_a_themalijn_from_their_own_pages(app, browser):
    with _themaleider(app, browser) as page:
        page.goto(f"{app}/projecten?project=wonen-en-zorg")
        _wait_for_app(page)
        page.get_by_role("button", name="Volgen", exact=True).click(timeout=TIMEOUT)
        page.get_by_text("Je volgt nu Wonen en zorg", exact=False).wait_for(timeout=TIMEOUT)
        page.get_by_role("button", name="Niet meer volgen", exact=True).wait_for(timeout=TIMEOUT)

        page.goto(f"{app}/ouderen")
        _wait_for_app(page)
        page.get_by_role("button", name="Volgen", exact=True).click(timeout=TIMEOUT)
        page.get_by_text("Je volgt nu Ouderen", exact=False).wait_for(timeout=TIMEOUT)

        page.goto(f"{app}/wat-is-er-veranderd")
        _wait_for_app(page)
        form = page.locator("[data-testid='stForm']").first
        form.get_by_text("Wonen en zorg", exact=True).wait_for(timeout=TIMEOUT)  # a chosen project
        form.get_by_text("Ouderen", exact=True).wait_for(timeout=TIMEOUT)
