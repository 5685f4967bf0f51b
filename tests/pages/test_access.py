"""AppTest: access fails closed and the role is checked at the moment of writing.

The secrets are a real file (Streamlit's ``secrets.files`` pointed at it), changed while a form
is open, as a beheerder would change it on the server."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from monitor.data import db, events
from dashboard import LOGIN_OPEN, page_modules
from monitor.data.auth import SESSION_KEY, hash_password
from monitor.data.secrets_check import MISCONFIGURED

from tests.pages.app import open_page
from ui import streamlit_private

REPO = Path(__file__).resolve().parents[2]
DASHBOARD = str(REPO / "dashboard.py")
EDITOR = events.User("redacteur-test", "redacteur")
HASH = hash_password("correct-horse-battery")
GOOD = f"""require_login = false

[users.redacteur-test]
password_hash = "{HASH}"
role = "redacteur"

[users.lezer-test]
password_hash = "{HASH}"
role = "lezer"
"""
PAGES = [page.name for page in page_modules()]  # every page module of the registry
BROKEN = {
    "toml-fout": GOOD.replace("[users.lezer-test]", "[users.lezer-test"),
    "twee-keer-geplakt": GOOD + GOOD,
    "require_login-1": GOOD.replace("require_login = false", "require_login = 1"),
    "require_login-ja": GOOD.replace("require_login = false", 'require_login = "ja"'),
    "users-tekst": 'require_login = true\nusers = "x"\n',
    "onbekende-rol": GOOD.replace('role = "lezer"', 'role = "beheerders"'),
}


@pytest.fixture
def secrets_file(tmp_path):
    """Streamlit's ``secrets.files`` pointed at a file of this test (restored afterwards)."""
    path = tmp_path / "secrets.toml"
    with streamlit_private.secrets_files([str(path)]):
        yield path


@pytest.fixture
def datasets(committed_copy, monkeypatch):
    monkeypatch.setenv("MONITOR_DATASETS", str(committed_copy))
    db.clear_cache()
    return committed_copy


def _open(page: str, query: dict | None = None, user: events.User | None = None) -> AppTest:
    return open_page(page, query, session={SESSION_KEY: user} if user is not None else None)


def _stopped_closed(at: AppTest) -> None:
    """Only the message: no data, no login form, no button."""
    assert [e.value for e in at.error] == [MISCONFIGURED]
    for kind in ("markdown", "title", "dataframe", "table", "metric", "text_input", "button", "selectbox",
                 "tabs", "vega_lite_chart", "caption", "info"):
        assert not at.get(kind), f"{kind} shown despite broken secrets: {at.get(kind)}"


# ------------------------------------------------------------------------ fail closed


@pytest.mark.parametrize("page", PAGES)
def test_every_page_stops_with_a_message_when_the_secrets_do_not_parse(secrets_file, page, caplog):
    secrets_file.write_text(BROKEN["toml-fout"], encoding="utf-8")
    at = _open(page)
    _stopped_closed(at)


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_every_kind_of_wrong_secrets_stops_the_page_and_is_logged(secrets_file, case, caplog):
    secrets_file.write_text(BROKEN[case], encoding="utf-8")
    caplog.set_level("ERROR", logger="ui.secrets_source")
    _stopped_closed(_open("overzicht"))
    [line] = [r.getMessage() for r in caplog.records if r.name == "ui.secrets_source"] or [""]
    assert line.startswith("De monitor is niet goed ingesteld") and str(secrets_file) in line


def test_a_session_logged_in_earlier_sees_nothing_once_the_file_breaks(secrets_file, datasets):
    secrets_file.write_text(GOOD, encoding="utf-8")
    at = _open("projecten", user=EDITOR)
    assert any("Wijziging vastleggen" in s.value for s in at.subheader)
    secrets_file.write_text(BROKEN["twee-keer-geplakt"], encoding="utf-8")
    at.run()
    _stopped_closed(at)
    secrets_file.write_text(GOOD, encoding="utf-8")  # repaired: the page is back
    at.run()
    assert not at.error and any("Wijziging vastleggen" in s.value for s in at.subheader)


def test_injected_wrong_secrets_stop_the_page_too():
    at = AppTest.from_file(DASHBOARD, default_timeout=90)
    at.secrets["require_login"] = 1
    at.run()
    _stopped_closed(at)


def test_no_secrets_file_means_open_viewing_and_no_editing(secrets_file, datasets):
    at = open_page("projecten", session={LOGIN_OPEN: True})  # the file does not exist; the login opened
    assert not at.error and at.dataframe
    assert not any("Wijziging vastleggen" in s.value for s in at.subheader)
    assert not [t for t in at.text_input if t.label == "Wachtwoord"]  # no account to log in with
    assert any("nog geen accounts" in i.value for i in at.sidebar.info)


def test_the_login_form_is_drawn_once_its_expander_is_opened(secrets_file, datasets):
    """The sidebar's login form is drawn only when "Inloggen voor redacteuren" is opened (a
    rerun, as the figures under a chart): a page view does not register its widgets."""
    secrets_file.write_text(GOOD)
    closed = open_page("over")
    assert [e.label for e in closed.sidebar.expander] == ["Inloggen voor redacteuren"]
    assert not closed.sidebar.text_input and not closed.sidebar.button
    opened = open_page("over", session={LOGIN_OPEN: True})
    assert [t.label for t in opened.sidebar.text_input] == ["Gebruikersnaam", "Wachtwoord"]
    assert [b.label for b in opened.sidebar.button] == ["Inloggen"]


# ------------------------------------------------------------------------ the role at the moment of writing

CHANGES = {
    "verwijderd": lambda text: text.replace("[users.redacteur-test]", "[users.iemand-anders]"),
    "lezer-geworden": lambda text: text.replace('role = "redacteur"', 'role = "lezer"'),
    "kapot": lambda text: text + "\n[users\n",
    "rol-verkeerd-type": lambda text: text.replace('role = "redacteur"', 'role = ["redacteur"]'),
    "bestand-weg": lambda text: None,
}
REFUSALS = {
    "verwijderd": "Je bent niet meer ingelogd of je account bestaat niet meer. Er is niets vastgelegd.",
    "lezer-geworden": "Je account mag geen wijzigingen (meer) vastleggen. Er is niets vastgelegd.",
    "kapot": "De monitor is niet goed ingesteld: er is niets vastgelegd. Neem contact op met de beheerder.",
    "rol-verkeerd-type": "De monitor is niet goed ingesteld: er is niets vastgelegd. Neem contact op met de beheerder.",
    "bestand-weg": "Je bent niet meer ingelogd of je account bestaat niet meer. Er is niets vastgelegd.",
}


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def _recorded(datasets: Path, table: str):
    return events.load_events(table, datasets).query("source_id == 'tk-registratie'")


def _change_and_click(at: AppTest, secrets_file: Path, change: str, label: str) -> None:
    changed = CHANGES[change](GOOD)
    if changed is None:
        secrets_file.unlink()
    else:
        secrets_file.write_text(changed, encoding="utf-8")
    _button(at, label).click()
    at.run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert any(e.startswith(REFUSALS[change]) for e in errors), errors
    assert not at.success


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_phase_form_drawn_for_a_redacteur_records_nothing_after_the_change(secrets_file, datasets, change):
    secrets_file.write_text(GOOD, encoding="utf-8")
    at = _open("projecten", {"project": "kinderarmoede"}, user=EDITOR)
    at.date_input(key="fw-detail-kinderarmoede-datum").set_value(date(2025, 3, 1))
    at.text_area(key="fw-detail-kinderarmoede-toelichting").input("Projectplan vastgesteld")
    _change_and_click(at, secrets_file, change, "Faseovergang vastleggen voor Kinderarmoede")
    assert _recorded(datasets, "phase_events").empty


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_kpi_form_drawn_for_a_redacteur_records_nothing_after_the_change(secrets_file, datasets, change):
    secrets_file.write_text(GOOD, encoding="utf-8")
    at = _open("projecten", user=EDITOR)
    at.selectbox(key="kr-lijst-kpi").select("participatie-naar-werk-2025").run()
    prefix = "kr-lijst-participatie-naar-werk-2025"
    at.selectbox(key=f"{prefix}-periode").select("2025Q1")
    at.text_input(key=f"{prefix}-waarde").input("21")
    label = next(b.label for b in at.button if b.label.startswith("Realisatie vastleggen voor"))
    _change_and_click(at, secrets_file, change, label)
    assert _recorded(datasets, "kpi_realisations").empty


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_undo_drawn_for_a_redacteur_records_nothing_after_the_change(secrets_file, datasets, change):
    events.record_phase_change(EDITOR, "kinderarmoede", "Ontwerp", date.today() - timedelta(days=3), "eerste",
                               dataset_dir=datasets)
    db.clear_cache()
    secrets_file.write_text(GOOD, encoding="utf-8")
    at = _open("projecten", {"project": "kinderarmoede"}, user=EDITOR)
    key = next(w.key for w in at.text_area if w.key and w.key.startswith("og-phase_events-"))
    at.text_area(key=key).input("Verkeerd project")
    _change_and_click(at, secrets_file, change, "Ongedaan maken bevestigen")
    assert len(_recorded(datasets, "phase_events")) == 1  # only the event recorded before


def test_an_unchanged_redacteur_still_records(secrets_file, datasets):
    secrets_file.write_text(GOOD, encoding="utf-8")
    at = _open("projecten", {"project": "kinderarmoede"}, user=EDITOR)
    at.date_input(key="fw-detail-kinderarmoede-datum").set_value(date(2025, 3, 1))
    _button(at, "Faseovergang vastleggen voor Kinderarmoede").click()
    at.run()
    assert [s.value for s in at.success] == [
        "Faseovergang vastgelegd voor Kinderarmoede: Definitie → Ontwerp per 01-03-2025."]
    assert _recorded(datasets, "phase_events")["recorded_by"].tolist() == ["redacteur-test"]
