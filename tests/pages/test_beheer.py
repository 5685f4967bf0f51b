"""AppTest: the Beheer page: projects without a projectleider for everyone, the owners for
logged-in users, naming an owner for a beheerder only, bad input refused in Dutch."""

from __future__ import annotations


import pytest

from monitor.data import events
from monitor.data.auth import SESSION_KEY, hash_password
from monitor.domain.text import shown_text
from tests.helpers import snapshot
from tests.pages.app import copy_datasets, open_page

PASSWORD = hash_password("correct-horse-battery")
SECRETS = {"users": {"bea": {"password_hash": PASSWORD, "role": "beheerder", "email": "bea@twentsekoers.example"},
                     "rik": {"password_hash": PASSWORD, "role": "redacteur", "email": "rik@enschede.example"}}}
BEA = events.User("bea", "beheerder", "bea@twentsekoers.example")
RIK = events.User("rik", "redacteur", "rik@enschede.example")


@pytest.fixture
def datasets(tmp_path, monkeypatch):
    return copy_datasets(tmp_path, monkeypatch)


def _beheer(user=None):
    return open_page("beheer", secrets=SECRETS, session={SESSION_KEY: user} if user else None)


def _headers(at) -> list[str]:
    return [shown_text(h.value) for h in at.subheader]


def test_a_visitor_sees_the_projects_without_owner_but_no_addresses_or_form(datasets):
    at = _beheer()
    assert "Projecten zonder projectleider (29)" in _headers(at)
    assert any("Log in om te zien wie eigenaar is" in i.value for i in at.info)
    assert "Eigenaar vastleggen" not in _headers(at) and not at.table


def test_a_beheerder_names_a_projectleider(datasets):
    at = _beheer(BEA)
    at.radio(key="beheer-soort").set_value("project").run()
    at.selectbox(key="beheer-onderwerp").set_value("kinderarmoede")
    at.text_input(key="beheer-email").input(" Piet@Hengelo.example ")
    at.text_input(key="beheer-naam").input("Piet de Vries")
    next(b for b in at.button if b.label.startswith("Eigenaar (projectleider) vastleggen")).click()
    at.run()
    assert [shown_text(s.value) for s in at.success] == ["Eigenaar van kinderarmoede is nu piet@hengelo.example."]
    assert "Projecten zonder projectleider (28)" in _headers(at)
    table = at.table[0].value
    table.columns = [shown_text(c) for c in table.columns]
    assert "piet@hengelo.example" in {shown_text(v) for v in table["E-mail"]}


def test_a_malformed_address_is_refused_and_changes_nothing(datasets):
    before = snapshot(datasets)
    at = _beheer(BEA)
    at.selectbox(key="beheer-onderwerp").set_value("kinderarmoede")
    at.text_input(key="beheer-email").input("piet@hengelo")
    next(b for b in at.button if b.label.startswith("Eigenaar (projectleider) vastleggen")).click()
    at.run()
    assert [shown_text(e.value) for e in at.error] == ["'piet@hengelo' is geen geldig e-mailadres (bijvoorbeeld naam@gemeente.nl)."]
    assert at.text_input(key="beheer-email").value == "piet@hengelo"  # kept, to correct
    assert snapshot(datasets) == before


def test_a_redacteur_sees_the_owners_but_cannot_name_them(datasets):
    at = _beheer(RIK)
    assert "Eigenaren" in _headers(at) and at.table
    assert "Eigenaar vastleggen" not in _headers(at)
    assert not any(b.label.startswith("Eigenaar") for b in at.button)


def test_a_beheerder_imports_a_declaration_file_and_a_bad_one_changes_nothing(datasets):
    at = _beheer(BEA)
    at.file_uploader(key="beheer-declaratie").upload(
        "eigenaren.csv", "soort;id;email;naam\nproject;kinderarmoede;piet@hengelo.example;Piet\n"
                         "themalijn;ouderen;anja@enschede.example;Anja\n".encode(), "text/csv")
    at.button(key="beheer-importeren").click()
    at.run()
    assert [shown_text(s.value) for s in at.success] == [
        "eigenaren.csv geïmporteerd: 2 eigenaren vastgelegd, 0 ongewijzigd."]
    assert "Projecten zonder projectleider (28)" in _headers(at)
    before = snapshot(datasets)
    at.file_uploader(key="beheer-declaratie").upload(
        "eigenaren-2.csv", b"soort;id;email\nproject;valpreventie;v@almelo.example\nproject;opgeheven;x@almelo.example\n",
        "text/csv")
    at.button(key="beheer-importeren").click()
    at.run()
    assert [shown_text(e.value) for e in at.error] == [
        "eigenaren-2.csv, rij 3, kolom id: Onbekend project 'opgeheven': staat niet (meer) in de monitor "
        "(verwijderd of verkeerd gespeld)."]
    assert snapshot(datasets) == before
