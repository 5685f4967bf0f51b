"""AppTest: user and import text is shown as text on every page.

On a copy of the datasets whose project, KPI, themalijn, indicator, gemeente and source texts and
whose recorded user names and notes carry Markdown, HTML, Streamlit directives and a tracking
image (``tests/hostile_text.py``), every page is run, as a visitor and as a redacteur, and every
text Streamlit renders as Markdown is checked: no image, link, HTML, heading, code, formula,
emoji or directive comes out of it, and the typed text is findable as it was typed.
"""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from monitor.data import db, events
from monitor.data.auth import SESSION_KEY, hash_password
from tests.hostile_text import BEACON, KPI, PROJECT, THEMALIJN, USER_NAME, check_page, hostile, hostile_datasets
from tests.pages.app import open_page

EDITOR = events.User(USER_NAME, "redacteur")
SECRETS = {"users": {USER_NAME: {"password_hash": hash_password("correct-horse-battery"), "role": "redacteur"}}}
PROJECT_INDEX = 8  # gezond-zelfredzaam-ouder-worden, the 9th project: 'Project 8'
PROJECT_TEXTS = [f"Project {PROJECT_INDEX}", "Doelstelling", "Speerpunt", "Opdracht", "Toelichting", "Gebruiker"]


@pytest.fixture(scope="module")
def hostile_copy(tmp_path_factory):
    return hostile_datasets(tmp_path_factory.mktemp("hostile") / "datasets")


@pytest.fixture(autouse=True)
def datasets(hostile_copy, monkeypatch):
    monkeypatch.setenv("MONITOR_DATASETS", str(hostile_copy))
    db.clear_cache()
    return hostile_copy


def _open(page: str | None, query: dict | None = None, user: events.User | None = None,
          url_path: str | None = None) -> AppTest:
    return open_page(page, query, timeout=180, url_path=url_path, secrets=SECRETS,
                     session={SESSION_KEY: user} if user is not None else None)


def test_the_hostile_copy_is_what_the_pages_read(datasets):
    projects = db.query("project_detail", project_id=PROJECT)
    assert projects["name"].iloc[0] == hostile(f"Project {PROJECT_INDEX}")
    recorded = events.load_events("kpi_realisations", datasets).query("source_id == 'tk-registratie'")
    assert set(recorded["recorded_by"]) == {USER_NAME}


@pytest.mark.parametrize("user", [None, EDITOR], ids=["bezoeker", "redacteur"])
def test_project_detail(user):
    at = _open("projecten", {"project": PROJECT}, user)
    check_page(at, [*PROJECT_TEXTS, "Gemeente 0", "KPI 2"] + (["Reden"] if user else []))
    if user is not None:
        assert any(b.label.startswith("Faseovergang vastleggen voor") for b in at.button)


@pytest.mark.parametrize("tab", ["Tabel", "Fasen per themalijn", "Tijdlijn", "Lokale opdrachten",
                                 "Wat is er gewijzigd"])
@pytest.mark.parametrize("user", [None, EDITOR], ids=["bezoeker", "redacteur"])
def test_projecten_list_every_tab(user, tab):
    at = _open("projecten", {"tabblad": tab}, user)
    expected = {"Tabel": ["Project 0", "Project 28"], "Wat is er gewijzigd": ["Toelichting", "Gebruiker"]}
    check_page(at, expected.get(tab, []) + (["Gebruiker"] if user else []))


def test_record_forms_and_their_messages():
    """The list page's forms with a hostile project and KPI chosen, then a phase change and a
    KPI realisation recorded on the detail page: the form texts and confirmations are text."""
    at = _open("projecten", {"tabblad": "Wat is er gewijzigd"}, EDITOR)
    at.selectbox(key="fw-lijst-project").set_value(PROJECT).run()
    at.selectbox(key="kr-lijst-kpi").set_value(KPI).run()
    assert not at.exception, at.exception
    check_page(at, [f"Project {PROJECT_INDEX}", "KPI 2"])

    at = _open("projecten", {"project": PROJECT}, EDITOR)
    keys = f"fw-detail-{PROJECT}"
    at.selectbox(key=f"{keys}-fase").set_value("Realisatie")
    at.text_area(key=f"{keys}-toelichting").input(hostile("Nieuwe toelichting"))
    next(b for b in at.button if b.label.startswith("Faseovergang vastleggen voor")).click().run()
    assert not at.exception, at.exception
    assert at.success, [e.value for e in at.error]
    check_page(at, [f"Project {PROJECT_INDEX}", "Nieuwe toelichting"])

    at.selectbox(key=f"kr-detail-{KPI}-periode").set_value(f"{date.today().year - 1}Q2")
    at.text_input(key=f"kr-detail-{KPI}-waarde").input("5")
    at.text_area(key=f"kr-detail-{KPI}-toelichting").input(hostile("KPI-toelichting"))
    next(b for b in at.button if b.label.startswith("Realisatie vastleggen voor")).click().run()
    assert not at.exception, at.exception
    assert at.success, [e.value for e in at.error]
    check_page(at, ["KPI 2", "KPI-toelichting"])


def test_a_project_id_from_the_url_is_text():
    at = _open("projecten", {"project": f"![x]({BEACON}) {hostile('Onbekend')}"})
    assert at.error
    check_page(at, ["Onbekend"])


@pytest.mark.parametrize("url_path", ["bestaanszekerheid", "preventie-en-gezondheid", "mentale-gezondheid",
                                      "ouderen"])
def test_themalijn_pages(url_path):
    at = _open(None, url_path=url_path)
    check_page(at, ["Ambitie", "Definitie"])


def test_overzicht():
    at = _open(None, {"vorige": "2020-01-01"})
    check_page(at, ["Themalijn 0", "Korte ambitie", f"Project {PROJECT_INDEX}"])


@pytest.mark.parametrize("page, query, expected", [
    ("bronnen", {}, ["Bron 0", "Bronnotitie", "Indicator 0"]),
    ("indicatoren", {}, ["Definitie"]),
    ("veilig_thuis", {}, []),
    ("over", {}, []),
    ("toegankelijkheid", {}, []),
    ("sql", {"sql": "select name, ambition from themalijnen"}, ["Ambitie"]),
    ("sql", {"sql": f"select * from \"{hostile('Tabel')}\""}, ["Tabel"]),
])
def test_other_pages(page, query, expected):
    at = _open(page, query)
    check_page(at, expected)


def test_presentation_every_slide_and_the_print_view():
    """The print view draws every slide of the deck at once; the programme's deck names every
    project."""
    for themalijn in ("Ouderen", "Hele programma"):
        at = _open("presentatie", {"themalijn": themalijn, "weergave": "Afdrukken"})
        check_page(at, ["Themalijn 2", "Ambitie"] if themalijn == "Ouderen" else ["Themalijn 0", "Gemeente 0"])
    at = _open("presentatie", {"themalijn": "Ouderen", "dia": "2"})
    check_page(at, [])
