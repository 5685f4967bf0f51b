"""The themalijn page's view model (monitor/views/themalijn.py), without Streamlit, on the
fixture store (tests/fixture_store.py)."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.data import db
from monitor.views.inputs import all_headline_ids, load_themalijnen
from monitor.views.themalijn import LATEST, build_themalijn, indicator_ids, period_options
from tests.fixture_store import ENSCHEDE, PEILDATUM


@pytest.fixture(scope="module")
def inputs(fixture_store):
    return load_themalijnen(PEILDATUM, fixture_store)


def test_unknown_themalijn_has_no_info(inputs):
    view = build_themalijn(inputs, "bestaat-niet", None, LATEST, "totaal", PEILDATUM)
    assert view.info is None and view.sections == []


@pytest.mark.parametrize("themalijn, headline, projects", [
    ("bestaanszekerheid", "rondkomen", ["Kinderarmoede", "Schuldhulp dichtbij"]),
    ("preventie-en-gezondheid", "overgewicht", ["Leefstijl op school"]),
    ("mentale-gezondheid", "eenzaamheid", ["Mentale weerbaarheid"]),
    ("ouderen", "mantelzorgers", ["Mantelzorg", "Valpreventie"]),
])
def test_one_section_per_headline_indicator_and_only_its_projects(inputs, themalijn, headline, projects):
    view = build_themalijn(inputs, themalijn, None, LATEST, "totaal", PEILDATUM)
    assert view.info.themalijn == themalijn
    assert [s.indicator_id for s in view.sections] == indicator_ids(inputs, themalijn)
    # the fixture's headline indicator first (the catalogue may add real ones the fixture lacks)
    section = view.sections[0]
    assert section.indicator_id == section.indicator.indicator_id == headline and not section.empty
    assert sorted(view.shown["Project"]) == projects
    assert set(view.projects["themalijn"]) == {themalijn}
    assert len(view.table) == len(view.projects) == len(view.shown)
    assert "id" not in view.shown and "Themalijn" not in view.shown


def test_periods_are_those_of_the_themalijns_own_indicators(inputs):
    # overgewicht has 2020 and 2022 (Gezondheidsmonitor); the jaarplan's quote (Regiobeeld 2023) is
    # no period of the series; the others only 2022
    assert period_options(inputs, "preventie-en-gezondheid") == ["2020", "2022"]
    assert period_options(inputs, "ouderen") == ["2022"]
    assert set(indicator_ids(inputs, "ouderen")) <= set(all_headline_ids(inputs.themalijnen))


def test_a_chosen_gemeente_gets_its_own_duiding(inputs):
    view = build_themalijn(inputs, "preventie-en-gezondheid", ENSCHEDE, "2020", "totaal", PEILDATUM)
    section, = [s for s in view.sections if s.indicator_id == "overgewicht"]
    # Enschede 51,0% (48–54) against Twente 50,0% and Nederland 49,0%: within the intervals;
    # Tubbergen (55,0%) highest and Hengelo (47,0%) lowest of the three gemeenten.
    sentence = section.gemeenten.sentence
    assert "In Enschede had 51,0% van de volwassenen overgewicht (2020), ongeveer evenveel als in Nederland (49,0%)" \
        in sentence
    assert "van de 3 gemeenten lag Tubbergen het hoogst (55,0%) en Hengelo het laagst (47,0%)" in sentence
    assert section.gemeenten.highlight == "Enschede"


def test_kpis_get_a_status_per_row(inputs, fixture_store):
    kpis = db.query("themalijn_kpis", fixture_store, themalijn="bestaanszekerheid")
    view = build_themalijn(inputs, "bestaanszekerheid", None, LATEST, "totaal", PEILDATUM, kpis)
    # the fixture's one KPI: 120 trajecten by 31-12-2025, 30 realised in the first quarter
    assert view.kpi_table.to_dict("records") == [{
        "Project": "Schuldhulp dichtbij", "KPI": "Trajecten gestart", "Doel": "120 uiterlijk 31-12-2025",
        "Laatste realisatie": "30", "Periode": "1e kwartaal 2025",
        "Stand": "30 van 120 uiterlijk 31 december 2025. Het cijfer is van 1e kwartaal 2025, 3 maanden vóór "
                 "de peildatum 1 juli 2025."}]
    without = build_themalijn(inputs, "ouderen", None, LATEST, "totaal", PEILDATUM,
                              db.query("themalijn_kpis", fixture_store, themalijn="ouderen"))
    assert without.kpis is None
