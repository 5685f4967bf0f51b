"""AppTest: the voortgangsmelding on a project's page (opened from a reminder's link), its
timeline beside the computed status, and the Projecten table's columns for it."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.data import events, owners
from monitor.data.auth import SESSION_KEY, hash_password
from monitor.domain.text import format_short_date, shown_text
from tests.pages.app import copy_datasets, open_page

PASSWORD = hash_password("correct-horse-battery")
LEIDER = events.User("piet", "lezer", "piet@hengelo.example")
SECRETS = {"users": {"piet": {"password_hash": PASSWORD, "role": "lezer", "email": "piet@hengelo.example"},
                     "rik": {"password_hash": PASSWORD, "role": "redacteur", "email": "rik@enschede.example"},
                     "kim": {"password_hash": PASSWORD, "role": "lezer", "email": "kim@enschede.example"}}}
BEHEERDER = events.User("Bea Beheer", "beheerder", "bea@twentsekoers.example")


@pytest.fixture
def datasets(tmp_path, monkeypatch):
    target = copy_datasets(tmp_path, monkeypatch)
    owners.record_owner(BEHEERDER, "project", "kinderarmoede", LEIDER.email, "Piet", dataset_dir=target)
    return target


def _open(project: str, user=None, link: bool = True):
    query = {"project": project, **({"voortgangsmelding": "1"} if link else {})}
    return open_page("projecten", query, secrets=SECRETS, session={SESSION_KEY: user} if user else None)


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_the_owner_checks_in_from_the_link_and_onbekend_ends(datasets):
    at = _open("kinderarmoede", LEIDER)
    assert _metric(at, "Status") == "Onbekend (geen registratie)"
    assert any(e.label == "Voortgangsmelding vastleggen" and e.proto.expanded for e in at.expander)
    assert "Nog geen voortgangsmelding voor dit project." in [i.value for i in at.info]
    at.radio(key="vm-kinderarmoede-oordeel").set_value("op koers")
    at.selectbox(key="vm-kinderarmoede-fase").set_value("Realisatie")
    at.text_area(key="vm-kinderarmoede-toelichting").input("Uitvoering loopt in alle gemeenten")
    _button(at, "Voortgangsmelding vastleggen voor Kinderarmoede").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == [
        "Voortgangsmelding vastgelegd voor Kinderarmoede: op koers, fase Realisatie (Definitie → Realisatie)."]
    assert _metric(at, "Status") == "Op schema"
    rows = [shown_text(m.value) for m in at.markdown if "status volgens monitor toen" in m.value]
    assert len(rows) == 1 and "op koers, fase Realisatie" in rows[0] and "toen: op schema" in rows[0]
    # A visitor sees the timeline as a table.
    table = next(t.value for t in _open("kinderarmoede", link=False).table
                 if "Oordeel eigenaar" in map(shown_text, t.value.columns))
    table.columns = [shown_text(c) for c in table.columns]
    assert [shown_text(v) for v in table["Oordeel eigenaar"]] == ["op koers"]
    assert [shown_text(v) for v in table["Status volgens monitor"]] == ["op schema"]
    recorded = events.load_events("checkins", datasets)
    assert recorded[["project_id", "judgement", "phase", "recorded_by_email"]].values.tolist() == [
        ["kinderarmoede", "op koers", "Realisatie", "piet@hengelo.example"]]

    # The Projecten table has the melding's date and the owner's judgement.
    at = open_page("projecten", secrets=SECRETS, session={SESSION_KEY: LEIDER})
    table = next(df.value for df in at.dataframe if "Project" in df.value.columns).set_index("Project")
    assert table.loc["Kinderarmoede", "Laatste voortgangsmelding"] == format_short_date(date.today())
    assert table.loc["Kinderarmoede", "Oordeel eigenaar"] == "op koers"
    assert table.loc["Valpreventie", "Laatste voortgangsmelding"] == "geen"
    assert table.loc["Valpreventie", "Oordeel eigenaar"] == "–"


def test_the_owner_has_no_form_for_another_project(datasets):
    at = _open("valpreventie", LEIDER)
    assert not any(e.label == "Voortgangsmelding vastleggen" for e in at.expander)
    assert any("geen voortgangsmelding vastleggen" in i.value for i in at.info)
    assert not any(b.label.startswith("Voortgangsmelding vastleggen") for b in at.button)


def test_a_redacteur_has_no_form_where_an_owner_is_named_but_has_one_elsewhere(datasets):
    rik = events.User("rik", "redacteur", "rik@enschede.example")
    assert not any(e.label == "Voortgangsmelding vastleggen" for e in _open("kinderarmoede", rik).expander)
    assert any(e.label == "Voortgangsmelding vastleggen" for e in _open("valpreventie", rik).expander)


def test_a_visitor_following_the_link_is_asked_to_log_in(datasets):
    at = _open("kinderarmoede")
    assert any("Log in" in i.value for i in at.info)
    assert not any(e.label == "Voortgangsmelding vastleggen" for e in at.expander)


def test_a_judgement_that_contradicts_the_status_is_pointed_out(datasets):
    at = _open("kinderarmoede", LEIDER)
    at.radio(key="vm-kinderarmoede-oordeel").set_value("afgerond")
    _button(at, "Voortgangsmelding vastleggen voor Kinderarmoede").click()  # Definitie confirmed: achter
    at.run()
    assert _metric(at, "Status") == "Achter"
    assert any("De eigenaar meldt 'afgerond', maar volgens het jaarplan is het project 'achter'." in w.value
               for w in at.warning)


def test_a_refused_melding_keeps_the_values_and_says_why(datasets):
    at = _open("kinderarmoede", LEIDER)
    at.radio(key="vm-kinderarmoede-oordeel").set_value("risico")
    at.selectbox(key="vm-kinderarmoede-fase").set_value("Initiatie")  # a step back without a note
    _button(at, "Voortgangsmelding vastleggen voor Kinderarmoede").click()
    at.run()
    assert any("Een stap terug (van Definitie naar Initiatie) vraagt om een toelichting." in e.value
               for e in at.error)
    assert at.radio(key="vm-kinderarmoede-oordeel").value == "risico"
    assert events.load_events("checkins", datasets).empty


def test_the_owner_undoes_a_melding_beside_its_row_and_onbekend_returns(datasets):
    at = _open("kinderarmoede", LEIDER)
    at.radio(key="vm-kinderarmoede-oordeel").set_value("op koers")
    _button(at, "Voortgangsmelding vastleggen voor Kinderarmoede").click()
    at.run()
    assert _metric(at, "Status") == "Achter"  # Definitie confirmed
    event_id = events.load_events("checkins", datasets)["event_id"].iloc[0]
    at.text_area(key=f"og-checkins-{event_id}").input("Verkeerd project aangeklikt")
    _button(at, "Ongedaan maken bevestigen").click()
    at.run()
    assert any(shown_text(s.value).startswith("Ongedaan gemaakt: Kinderarmoede: voortgangsmelding van")
               for s in at.success), [s.value for s in at.success] + [e.value for e in at.error]
    assert _metric(at, "Status") == "Onbekend (geen registratie)"
    assert "Nog geen voortgangsmelding voor dit project." in [i.value for i in at.info]


def test_the_owner_is_named_and_the_address_shown_only_after_logging_in(datasets):
    visitor = [shown_text(c.value) for c in _open("kinderarmoede", link=False).caption]
    assert "Projectleider: Piet · themaleider: nog niet benoemd" in visitor
    assert not any("piet@hengelo.example" in c for c in visitor)
    logged_in = [shown_text(c.value) for c in _open("kinderarmoede", LEIDER, link=False).caption]
    assert "Projectleider: Piet (piet@hengelo.example) · themaleider: nog niet benoemd" in logged_in


def test_a_kpi_eigenaar_gets_the_form_of_their_kpi_only(datasets):
    owners.record_owner(BEHEERDER, "kpi", "ai-use-cases", "kim@enschede.example", "Kim", dataset_dir=datasets)
    kim = events.User("kim", "lezer", "kim@enschede.example")
    at = _open("artificial-intelligence", kim, link=False)
    assert any(e.label.startswith("Realisatie vastleggen voor") for e in at.expander)
    assert not any(e.label == "Voortgangsmelding vastleggen" for e in at.expander)  # the project is not hers
    assert not any(e.label.startswith("Realisatie vastleggen voor") for e in _open("kinderarmoede", kim,
                                                                                    link=False).expander)
