"""Voortgangsmeldingen (check-ins): what they record, how a confirmed phase ends "onbekend", and
the bad input that is refused in Dutch without changing anything."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd
import pytest

from monitor.data import checkins, db, events, owners
from monitor.data.events import ChangeRefused, User
from monitor.domain.status import add_status
from monitor.views.owners import load_checkins
from tests import fixture_store as fixture
from tests.helpers import snapshot

NOW = datetime(2025, 7, 1, 10, 0, tzinfo=timezone.utc)
BEHEERDER = User("Bea Beheer", "beheerder", "bea@twentsekoers.nl")
LEIDER = User("Lot Leider", None, "lot@enschede.nl")


@pytest.fixture
def ds(tmp_path: Path) -> Path:
    folder = fixture.write(tmp_path / "datasets")
    for project in ("kinderarmoede", "leefstijl", "schuldhulp"):
        owners.record_owner(BEHEERDER, "project", project, LEIDER.email, dataset_dir=folder, now=NOW)
    return folder


def checkin(ds, project="kinderarmoede", now=NOW, **kwargs):
    values = {"checkin_date": date(2025, 7, 1), "period": "2025Q3", "judgement": "op koers", "note": None,
              "phase": "Definitie", "phase_date": None} | kwargs
    return checkins.record_checkin(LEIDER, project, dataset_dir=ds, now=now, **values)


def status(ds, project, peildatum=fixture.PEILDATUM) -> str:
    rows = add_status(db.query("project_overview", ds, peildatum=peildatum), peildatum)
    return rows.set_index("project_id").loc[project, "status"]


def kpi_values(ds, kpi_id):
    frame = db.query("project_kpi_realisations", ds, project_id="schuldhulp")
    return frame[frame["kpi_id"] == kpi_id]


def test_a_confirmed_phase_ends_onbekend_at_once(ds):
    assert status(ds, "kinderarmoede") == "onbekend (geen registratie)"
    row = checkin(ds, phase="Definitie")  # the owner confirms the phase it has: behind the plan
    assert row["phase_date"] == date(2025, 7, 1)  # a confirmation holds from the melding's date
    assert status(ds, "kinderarmoede") == "achter"


def test_a_changed_phase_gives_the_status_of_the_new_phase(ds):
    checkin(ds, phase="Ontwerp", phase_date=date(2025, 6, 15))
    assert status(ds, "kinderarmoede") == "op schema"
    overview = db.query("project_overview", ds, peildatum=fixture.PEILDATUM).set_index("project_id")
    assert pd.Timestamp(overview.loc["kinderarmoede", "last_checkin_date"]).date() == date(2025, 7, 1)
    assert overview.loc["kinderarmoede", "last_judgement"] == "op koers"
    shown = load_checkins("kinderarmoede", ds)
    assert list(shown["phase"]) == ["Ontwerp"] and list(shown["judgement"]) == ["op koers"]


def test_kpi_values_of_a_melding_count_and_are_withdrawn_with_it(ds):
    row = checkin(ds, project="schuldhulp", kpi_values={"schuldhulp-trajecten": "12"})
    linked = kpi_values(ds, "schuldhulp-trajecten")
    assert 12.0 in set(linked["value"])
    events.undo_event(LEIDER, "checkins", row["event_id"], "verkeerde periode", dataset_dir=ds, now=NOW)
    assert 12.0 not in set(kpi_values(ds, "schuldhulp-trajecten")["value"])
    assert load_checkins("schuldhulp", ds).empty


def test_a_melding_that_could_not_be_saved_leaves_no_kpi_value(ds, monkeypatch):
    real = events._write_event

    def fail_on_checkin(table, row, dataset_dir, name):
        if table == "checkins":
            raise events.ChangeNotSaved("schijf vol")
        return real(table, row, dataset_dir, name)

    monkeypatch.setattr(events, "_write_event", fail_on_checkin)
    with pytest.raises(events.ChangeNotSaved):
        checkin(ds, project="schuldhulp", kpi_values={"schuldhulp-trajecten": "12"})
    monkeypatch.undo()
    assert 12.0 not in set(kpi_values(ds, "schuldhulp-trajecten")["value"])
    assert load_checkins("schuldhulp", ds).empty


@pytest.mark.parametrize("kwargs, field, message", [
    ({"checkin_date": date(2025, 7, 2)}, "datum", "De datum van de melding (02-07-2025) ligt in de toekomst"),
    ({"checkin_date": "1 juli"}, "datum", "geen geldige datum"),
    ({"period": "2025Q4"}, "periode", "nog niet begonnen"),
    ({"period": "ooit"}, "periode", "Periode:"),
    ({"judgement": "prima"}, "oordeel", "'prima' is geen oordeel"),
    ({"phase": "Uitvoering"}, "fase", "'Uitvoering' is geen fase"),
    ({"phase": "Ontwerp", "phase_date": date(2025, 7, 5)}, "fasedatum", "ligt na de datum van de melding"),
    ({"project": "opgeheven"}, "project", "Onbekend project 'opgeheven'"),
    ({"project": "schuldhulp", "phase": "Definitie", "kpi_values": {"schuldhulp-trajecten": "12,5"}},
     "kpi-schuldhulp-trajecten", "KPI Trajecten gestart: Een aantal is een heel getal"),
    ({"project": "leefstijl", "phase": "Ontwerp", "kpi_values": {"leefstijl-bereik": "140"}},
     "kpi-leefstijl-bereik", "Een percentage ligt tussen 0 en 100"),
    ({"project": "leefstijl", "phase": "Ontwerp", "kpi_values": {"schuldhulp-trajecten": "3"}},
     "kpi", "hoort niet bij dit project"),
    ({"project": "schuldhulp", "phase": "Definitie", "kpi_values": {"schuldhulp-trajecten": "-3"}},
     "kpi-schuldhulp-trajecten", "KPI Trajecten gestart: Een aantal kan niet negatief zijn (-3)."),
    ({"project": "schuldhulp", "phase": "Definitie", "kpi_values": {"schuldhulp-trajecten": "veel"}},
     "kpi-schuldhulp-trajecten", "KPI Trajecten gestart: 'veel' is geen getal."),
    ({"project": "schuldhulp", "phase": "Definitie", "kpi_values": {"schuldhulp-trajecten": "1e400"}},
     "kpi-schuldhulp-trajecten", "KPI Trajecten gestart: De waarde moet een eindig getal zijn."),
    ({"project": "leefstijl", "phase": "Ontwerp", "kpi_values": {"leefstijl-bereik": "-0,5"}},
     "kpi-leefstijl-bereik", "Een percentage ligt tussen 0 en 100; -0,5 past niet."),  # decimal comma
    ({"project": "leefstijl", "phase": "Ontwerp", "kpi_values": {"leefstijl-bereik": "50%"}},
     "kpi-leefstijl-bereik", "KPI Scholen bereikt: '50%' is geen getal."),
])
def test_bad_input_is_refused_in_dutch_and_changes_nothing(ds, kwargs, field, message):
    before = snapshot(ds)
    with pytest.raises(ChangeRefused, match=re.escape(message)) as refused:
        checkin(ds, **kwargs)
    assert refused.value.field == field
    assert snapshot(ds) == before


def test_a_melding_dated_before_the_previous_one_is_refused(ds):
    checkin(ds, checkin_date=date(2025, 7, 1), period="2025Q3")
    before = snapshot(ds)
    with pytest.raises(ChangeRefused, match=re.escape("ligt vóór de vorige voortgangsmelding van dit project "
                                                      "(01-07-2025)")):
        checkin(ds, checkin_date=date(2025, 6, 20), period="2025Q2")
    assert snapshot(ds) == before


def test_a_second_melding_for_the_same_period_is_refused_and_says_how_to_correct(ds):
    checkin(ds, judgement="op koers")
    before = snapshot(ds)
    with pytest.raises(ChangeRefused, match="al een voortgangsmelding vastgelegd") as refused:
        checkin(ds, judgement="risico")
    assert "ongedaan" in refused.value.message and refused.value.field == "periode"
    assert snapshot(ds) == before


def test_a_phase_change_dated_before_a_confirmed_phase_is_refused(ds):
    checkin(ds, phase="Ontwerp", phase_date=date(2025, 6, 15))
    with pytest.raises(ChangeRefused, match="ligt vóór de vorige wijziging"):
        events.record_phase_change(LEIDER, "kinderarmoede", "Voorbereiding", date(2025, 6, 1), None,
                                   dataset_dir=ds, now=NOW)


def test_a_step_back_needs_a_note(ds):
    with pytest.raises(ChangeRefused, match="Een stap terug") as refused:
        checkin(ds, project="leefstijl", phase="Initiatie", phase_date=date(2025, 6, 20))
    assert refused.value.field == "toelichting"
    assert checkin(ds, project="leefstijl", phase="Initiatie", phase_date=date(2025, 6, 20),
                   note="opnieuw begonnen")["phase"] == "Initiatie"
