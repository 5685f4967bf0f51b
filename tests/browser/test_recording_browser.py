"""Recording in Chromium, as a redacteur works: a change never lands on the wrong
project, the forms start empty, the confirmation is where the user looks, opening a project
lands on its title, '← Alle projecten' keeps the filters, and undo sits next to its row.

Each test uses its own projects: the server (and its copy of the datasets) is shared by the
browser tests of one run.
"""

from __future__ import annotations

import re

import pytest

from monitor.data import events
from tests.browser.test_projecten_browser import TIMEOUT, log_in_as_editor
from tests.browser.test_projecten_browser import _select as select

pytestmark = pytest.mark.browser


def _select(page, label: str, option: str):
    page.get_by_role("combobox", name=label, exact=True).scroll_into_view_if_needed()
    select(page, label, option)


@pytest.fixture
def desk(browser):
    """A page at 1280×720, the size of a laptop or a common projector."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 720})
    yield context.new_page()
    context.close()


def _selectbox_text(page, label: str) -> str:
    """What a selectbox shows: its chosen option, or its placeholder when nothing is chosen."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.scroll_into_view_if_needed()
    return box.input_value() or box.get_attribute("placeholder") or ""


def _in_view(page, locator) -> bool:
    box = locator.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def _registrations(app_datasets, project_id: str) -> list[tuple[str, str]]:
    found = events.load_events("phase_events", app_datasets)
    mine = found[(found["source_id"] == "tk-registratie") & (found["project_id"] == project_id)]
    return [(row.phase, row.note) for row in mine.itertuples()]


def test_the_issue_scenario_never_records_on_another_project(app_url, app_datasets, desk):
    """Detail page: record a change with a note; '← Alle projecten': the list's form is empty, its
    project box has no choice, and nothing is recorded for any other project."""
    page = desk
    log_in_as_editor(page, f"{app_url}/projecten?themalijn=Bestaanszekerheid&zoek=multi")
    _select(page, "Project openen", "Maatwerk multiproblematiek")
    title = page.get_by_role("heading", name="Maatwerk multiproblematiek", exact=True)
    title.wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(800)
    # Opening a project lands on its title and status, not where the list was scrolled to.
    assert _in_view(page, title)
    assert _in_view(page, page.get_by_test_id("stMetric").filter(has_text="Status"))

    # The project is fixed and in the button; 'Nieuwe fase' is the one after the current phase.
    button = page.get_by_role("button", name="Faseovergang vastleggen voor Maatwerk multiproblematiek")
    button.scroll_into_view_if_needed()
    assert "Definitie" in _selectbox_text(page, "Nieuwe fase")  # Initiatie now → Definitie
    _select(page, "Nieuwe fase", "Borging")
    note = page.get_by_role("textbox", name="Toelichting", exact=True)
    note.click()
    page.keyboard.type("Browsertest: borging geregeld")
    assert page.get_by_text(re.compile(r"Enter to (submit|apply)")).count() == 0  # no English hint
    button.click()
    confirmation = page.get_by_text("Faseovergang vastgelegd voor Maatwerk multiproblematiek: Initiatie → Borging")
    confirmation.wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(500)
    assert _in_view(page, confirmation)  # where the user is looking, not far away
    assert note.input_value() == ""  # cleared after the success

    page.get_by_role("button", name="← Alle projecten").click()
    page.get_by_role("heading", name="Projecten", exact=True).wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(800)
    # The filters are kept.
    assert "themalijn=Bestaanszekerheid" in page.url and "zoek=multi" in page.url
    page.get_by_text(re.compile(r"^1 van 29 projecten")).wait_for(timeout=TIMEOUT)
    # The list's form: no project chosen, no form, nothing carried over.
    assert "Kies een project" in _selectbox_text(page, "Project")
    assert page.get_by_role("button", name=re.compile("^Faseovergang vastleggen")).count() == 0
    # only in 'Wat is er gewijzigd' (and in the timeline's figures under "Cijfers bij deze grafiek")
    in_figures = page.locator("[data-testid=stExpander]").filter(has_text="Cijfers bij deze grafiek") \
        .get_by_text("Browsertest: borging geregeld").count()
    assert page.get_by_text("Browsertest: borging geregeld").count() - in_figures <= 1
    assert page.get_by_text("Faseovergang vastgelegd voor").count() == 0  # said once, on its page
    assert _registrations(app_datasets, "maatwerk-multiproblematiek") == [("Borging", "Browsertest: borging geregeld")]
    assert _registrations(app_datasets, "artificial-intelligence") == []


def test_list_form_names_the_chosen_project_and_clears_after_success(app_url, app_datasets, desk):
    page = desk
    log_in_as_editor(page, f"{app_url}/projecten")
    page.get_by_text("Wijziging vastleggen").wait_for(timeout=TIMEOUT)
    assert page.get_by_role("button", name=re.compile("^Faseovergang vastleggen")).count() == 0
    _select(page, "Project", "Valpreventie")
    note = page.get_by_role("textbox", name="Toelichting", exact=True)
    note.click()
    page.keyboard.type("Voor valpreventie")
    # Another project: its own, empty form.
    _select(page, "Project", "Bennie Oud")
    page.get_by_role("button", name="Faseovergang vastleggen voor Bennie Oud").wait_for(timeout=TIMEOUT)
    assert page.get_by_role("textbox", name="Toelichting", exact=True).input_value() == ""
    _select(page, "Project", "Valpreventie")
    page.get_by_role("button", name="Faseovergang vastleggen voor Valpreventie").click()
    confirmation = page.get_by_text(re.compile("^Faseovergang vastgelegd voor Valpreventie: Voorbereiding → "))
    confirmation.wait_for(timeout=TIMEOUT)
    page.wait_for_timeout(500)
    assert _in_view(page, confirmation)
    assert page.get_by_role("button", name=re.compile("^Faseovergang vastleggen")).count() == 0
    assert [phase for phase, _note in _registrations(app_datasets, "valpreventie")] == ["Realisatie"]
    assert _registrations(app_datasets, "bennie-oud") == []


def test_undo_next_to_the_row_and_kpi_realisation(app_url, app_datasets, desk):
    page = desk
    log_in_as_editor(page, f"{app_url}/projecten")
    # A KPI realisation from the list page: the KPI box starts empty, the button names the KPI.
    page.get_by_role("tab", name="KPI-realisatie").click()
    assert page.get_by_role("button", name=re.compile("^Realisatie vastleggen")).count() == 0
    _select(page, "KPI", "Artificial Intelligence: AI use-cases ontwikkeld en als pilot uitgevoerd (minimaal) (aantal)")
    _select(page, "Periode", "1e kwartaal 2025")
    page.get_by_role("textbox", name="Waarde", exact=True).fill("3")
    page.get_by_role("button", name="Realisatie vastleggen voor AI use-cases ontwikkeld en als pilot uitgevoerd (minimaal)").click()
    confirmation = page.get_by_text(re.compile("^Realisatie vastgelegd voor Artificial Intelligence"))
    confirmation.wait_for(timeout=TIMEOUT)
    assert _in_view(page, confirmation)

    # On the project's page (opened in this session, so the login stays): undo beside the
    # realisation it undoes.
    _select(page, "Project openen", "Artificial Intelligence")
    row = page.get_by_text(re.compile(r"^1e kwartaal 2025: 3 · geldig"))
    row.wait_for(timeout=TIMEOUT)
    row.scroll_into_view_if_needed()
    undo = row.locator("xpath=ancestor::*[@data-testid='stHorizontalBlock'][1]").get_by_role(
        "button", name="Ongedaan maken")
    undo.click()
    page.get_by_role("textbox", name="Waarom ongedaan maken?").fill("Dubbel ingevoerd")
    page.get_by_role("button", name="Ongedaan maken bevestigen").click()
    done = page.get_by_text(re.compile(r"^Ongedaan gemaakt: AI use-cases .*, 1e kwartaal 2025"))
    done.wait_for(timeout=TIMEOUT)
    page.get_by_text(re.compile(r"^1e kwartaal 2025: 3 · ongedaan gemaakt door")).wait_for(timeout=TIMEOUT)
    found = events.load_events("kpi_realisations", app_datasets)
    mine = found[(found["source_id"] == "tk-registratie") & (found["kpi_id"] == "ai-use-cases")]
    assert len(mine) == 2 and mine["undoes"].notna().sum() == 1
