"""Projecten in Chromium: a visitor sees no form; a redacteur records a phase change that
then shows in the table, the timeline and the history after a reload."""

from __future__ import annotations

import csv
import io
import re

import pytest

from tests.browser.conftest import EDITOR

pytestmark = pytest.mark.browser
TIMEOUT = 30_000


def _wait_for_app(page):
    page.get_by_text("peildatum van de data", exact=False).wait_for(timeout=TIMEOUT)


def _select(page, label: str, option: str):
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    page.keyboard.type(option)  # the list is virtualised: filter it first
    page.get_by_role("option", name=option, exact=True).click()


def log_in_as_editor(page, url: str) -> None:
    """Open ``url`` and log in as the test redacteur (in the sidebar)."""
    page.goto(url)
    _wait_for_app(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_text("Inloggen voor redacteuren").click()
    sidebar.get_by_label("Gebruikersnaam").fill(EDITOR[0])
    sidebar.get_by_label("Wachtwoord").fill(EDITOR[1])
    sidebar.get_by_role("button", name="Inloggen").click()
    sidebar.get_by_text(f"Ingelogd als {EDITOR[0]}").wait_for(timeout=TIMEOUT)


def record_phase_change_as_editor(page, url: str, note: str) -> None:
    """Log in as the test redacteur on /projecten and record Kinderarmoede → Ontwerp with
    ``note``; returns once the page confirms it."""
    log_in_as_editor(page, f"{url}/projecten")
    page.get_by_text("Wijziging vastleggen").wait_for(timeout=TIMEOUT)
    _select(page, "Project", "Kinderarmoede")
    _select(page, "Nieuwe fase", "Ontwerp")
    page.get_by_role("textbox", name="Toelichting", exact=True).first.fill(note)
    page.get_by_role("button", name="Faseovergang vastleggen").click()
    page.get_by_text("Faseovergang vastgelegd voor Kinderarmoede: Definitie → Ontwerp").wait_for(timeout=TIMEOUT)


def test_visitor_sees_projects_but_no_form(app_url, page):
    page.goto(f"{app_url}/projecten")
    _wait_for_app(page)
    page.get_by_text(re.compile(r"^\d+ van 29 projecten")).wait_for(timeout=TIMEOUT)
    assert page.get_by_role("button", name="Faseovergang vastleggen").count() == 0
    assert page.get_by_text("Wijziging vastleggen").count() == 0


def test_filter_lands_in_the_url_and_survives_a_reload(app_url, page):
    page.goto(f"{app_url}/projecten")
    _wait_for_app(page)
    _select(page, "Gemeente", "Borne")
    page.wait_for_url(re.compile(r"gemeente=Borne"), timeout=TIMEOUT)
    caption = page.get_by_text(re.compile(r"^[1-9] van 29 projecten"))  # Borne: a few projects
    caption.wait_for(timeout=TIMEOUT)
    shown = caption.inner_text()
    page.reload()
    _wait_for_app(page)
    page.get_by_text(shown).wait_for(timeout=TIMEOUT)


def test_redacteur_records_phase_change_visible_after_reload(app_url, page):
    record_phase_change_as_editor(page, app_url, "Browsertest: projectplan vastgesteld")

    # A reload is a new session (logged out): what was recorded is there for everyone.
    page.reload()
    _wait_for_app(page)
    assert page.get_by_role("button", name="Faseovergang vastleggen").count() == 0

    # The table, through its CSV download (the grid itself is drawn on a canvas).
    with page.expect_download() as info:
        page.get_by_role("button", name="CSV (Excel)").click()
    text = info.value.path().read_bytes().decode("utf-8-sig")
    rows = {r["Project"]: r for r in csv.DictReader(io.StringIO(text), delimiter=";") if r.get("Project")}
    assert rows["Kinderarmoede"]["Fase nu"] == "Ontwerp"

    # The timeline: its text alternative names the change.
    page.get_by_role("tab", name="Tijdlijn").click()
    page.locator("[aria-label*='Kinderarmoede: Ontwerp per']").first.wait_for(timeout=TIMEOUT)
    # Only the open tab is drawn, and the URL names it: a copied link opens the timeline.
    page.wait_for_url(re.compile(r"[?&]tabblad=Tijdlijn"), timeout=TIMEOUT)
    assert page.get_by_role("tab", name="Tijdlijn").get_attribute("aria-selected") == "true"

    # What changed.
    page.get_by_role("tab", name="Wat is er gewijzigd").click()
    # (visible: the timeline's figures under "Cijfers bij deze grafiek" hold the note too, closed)
    page.get_by_text("Browsertest: projectplan vastgesteld").filter(visible=True).first.wait_for(timeout=TIMEOUT)

    # The project's history, with who recorded it.
    page.goto(f"{app_url}/projecten?project=kinderarmoede")
    _wait_for_app(page)
    # (the first tables are the figures under the KPI charts)
    history = page.locator("[data-testid='stTable']").filter(has_text="Vastgelegd op").first
    history.wait_for(timeout=TIMEOUT)
    first_row = history.locator("tbody tr").first.inner_text()
    assert "Ontwerp" in first_row and EDITOR[0] in first_row
