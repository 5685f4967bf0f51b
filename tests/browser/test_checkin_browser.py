"""A voortgangsmelding in Chromium with the organisation login (the real OpenID Connect provider of
tests/oidc, started by the ``sso`` fixture): the projectleider named for Kinderarmoede follows the
reminder's link, checks in, and the project goes from "onbekend (geen registratie)" to "op
schema"; for another project they get no form and the page says why."""

from __future__ import annotations

import pytest

from monitor.data import events, owners
from tests.browser.test_projecten_browser import TIMEOUT, _select
from tests.browser.test_sso_browser import _no_error_box, log_in, sso  # noqa: F401 (the fixture)
from tests.oidcserver import READER

pytestmark = pytest.mark.browser
BEHEERDER = events.User("Bea Beheer", "beheerder", "bea@twentsekoers.example")


def _status(page) -> str:
    return page.get_by_test_id("stMetric").filter(has_text="Status").get_by_test_id("stMetricValue").inner_text()


def test_a_projectleider_checks_in_for_their_project_and_not_for_another(sso, browser):  # noqa: F811
    app, datasets = sso["app"], sso["datasets"]
    # The beheerder names the test provider's user without a role (Lex Lezer) projectleider.
    owners.record_owner(BEHEERDER, "project", "kinderarmoede", READER[3], READER[2], dataset_dir=datasets)
    context = browser.new_context(locale="nl-NL", viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    try:
        log_in(page, app, READER, f"Ingelogd als {READER[2]}")

        # The reminder's link opens the project with the form open.
        page.goto(f"{app}/projecten?project=kinderarmoede&voortgangsmelding=1")
        page.get_by_role("heading", name="Kinderarmoede").wait_for(timeout=TIMEOUT)
        assert _status(page) == "Onbekend (geen registratie)"
        page.get_by_text("op koers", exact=True).click()
        _select(page, "Fase", "Realisatie")
        page.get_by_role("textbox", name="Toelichting", exact=True).first.fill("Browsertest: voortgangsmelding")
        page.get_by_role("button", name="Voortgangsmelding vastleggen voor Kinderarmoede").click()
        page.get_by_text("Voortgangsmelding vastgelegd voor Kinderarmoede: op koers, fase Realisatie "
                         "(Definitie → Realisatie).").wait_for(timeout=TIMEOUT)
        page.get_by_test_id("stMetricValue").filter(has_text="Op schema").wait_for(timeout=TIMEOUT)
        recorded = events.load_events("checkins", datasets)
        assert recorded[["project_id", "judgement", "recorded_by_email", "recorded_by_sub"]].values.tolist() == [
            ["kinderarmoede", "op koers", READER[3], READER[4]]]
        _no_error_box(page)

        # Another project: no form, and the page says who records there.
        page.goto(f"{app}/projecten?project=valpreventie&voortgangsmelding=1")
        page.get_by_role("heading", name="Valpreventie").wait_for(timeout=TIMEOUT)
        page.get_by_text("Je kunt voor dit project geen voortgangsmelding vastleggen").wait_for(timeout=TIMEOUT)
        assert page.get_by_role("button", name="Voortgangsmelding vastleggen voor Valpreventie").count() == 0
        assert page.get_by_role("button", name="Faseovergang vastleggen voor Valpreventie").count() == 0
        assert len(events.load_events("checkins", datasets)) == 1
        _no_error_box(page)
    finally:
        context.close()
