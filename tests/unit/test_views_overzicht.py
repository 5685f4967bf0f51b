"""The Overzicht's view model (monitor/views/overzicht.py: build_overzicht and its cards) on the
fixture store (tests/fixture_store.py): every card's figures follow from that module's explicit
rows."""

from __future__ import annotations

from datetime import date

from monitor.data import db
from monitor.views.inputs import load_themalijnen
from monitor.views.overzicht import build_overzicht, overzicht_cards
from tests.fixture_store import PEILDATUM

SINCE = date(2025, 4, 1)
SIX_PHASES = ["Initiatie", "Definitie", "Ontwerp", "Voorbereiding", "Realisatie", "Borging"]


def test_build_overzicht_gives_one_card_per_themalijn_from_the_fixture(fixture_store):
    view = build_overzicht(load_themalijnen(PEILDATUM, fixture_store, since=SINCE), PEILDATUM, SINCE)
    assert (view.peildatum, view.since) == (PEILDATUM, SINCE)
    cards = {card.info.themalijn: card for card in view.cards}
    assert list(cards) == ["bestaanszekerheid", "preventie-en-gezondheid", "mentale-gezondheid", "ouderen"]

    # rondkomen has figures for the three gemeenten only, none for Twente
    assert cards["bestaanszekerheid"].headline.headline.text == "Moeite met rondkomen: nog geen echt cijfer voor Twente."
    # overgewicht: Twente's newest MEASUREMENT is the Gezondheidsmonitor's 50,5% (2022), not the
    # jaarplan's quote "51%" (Regiobeeld 2023), against the goal "at most 48% by 2030" from 50 in
    # 2020: the path is at 50 - 2 × 2/10 = 49,6% at the end of 2022
    headline = cards["preventie-en-gezondheid"].headline
    assert headline.headline.latest["value"] == 50.5 and headline.headline.latest["period"] == "2022"
    assert headline.headline.text.startswith("Twente: 50,5% (2022), doel hoogstens 48% uiterlijk 31 december 2030.")
    assert "hoort nu 49,6%; niet op koers" in headline.headline.text
    # the quote stands beside it, in its own words
    assert headline.reference == "Citaat, geen meting: Jaarplan 2025: 51% (Regiobeeld 2023) voor Twente."
    assert cards["ouderen"].headline.headline.text.startswith("Mantelzorgers in Twente: 14,0% (2022).")

    # statuses on 1 July 2025 (the fixture's table) per themalijn
    assert {t: (c.status, c.behind) for t, c in cards.items()} == {
        "bestaanszekerheid": ("2 projecten: 1 achter, 1 onbekend (geen registratie)",
                              "Schuldhulp dichtbij (Definitie, hoort minstens Ontwerp)"),
        "preventie-en-gezondheid": ("1 project: 1 voor", "geen"),
        "mentale-gezondheid": ("1 project: 1 op schema", "geen"),
        "ouderen": ("2 projecten: 1 op schema, 1 afgerond · 1 niet bijgewerkt (langer dan 90 dagen geen "
                    "faseovergang)", "geen"),
    }
    # the registrations between 1 April and 1 July 2025; none for Ouderen
    assert {t: [(name, phase, day.date()) for name, phase, day in c.changed] for t, c in cards.items()} == {
        "bestaanszekerheid": [("Schuldhulp dichtbij", "Definitie", date(2025, 5, 1))],
        "preventie-en-gezondheid": [("Leefstijl op school", "Ontwerp", date(2025, 6, 1))],
        "mentale-gezondheid": [("Mentale weerbaarheid", "Voorbereiding", date(2025, 4, 15))],
        "ouderen": [],
    }
    assert cards["ouderen"].phases.to_dict("list") == {
        "Fase": SIX_PHASES, "Nu": [0, 0, 0, 0, 1, 1], "Verwacht 31-12-2025": [0, 0, 0, 0, 0, 2]}
    assert cards["bestaanszekerheid"].phases.to_dict("list") == {
        "Fase": SIX_PHASES, "Nu": [0, 2, 0, 0, 0, 0], "Verwacht 31-12-2025": [0, 0, 0, 0, 2, 0]}


def test_overzicht_cards_count_every_project_once_with_the_shared_status_line(fixture_store):
    """On 1 December 2025 the plan is at 334/364: Schuldhulp (Definitie, due Voorbereiding) is
    achter, and every project not afgerond or onbekend has had no change for over 90 days."""
    themalijnen = db.query("themalijnen", fixture_store)
    ids = [list(i)[0] for i in themalijnen["headline_indicators"]]
    peildatum = date(2025, 12, 1)
    cards = overzicht_cards(themalijnen, ids, db.query("indicator_observations", fixture_store, indicator_ids=ids),
                           db.query("indicator_meta", fixture_store, indicator_ids=ids),
                           db.query("indicator_targets", fixture_store, indicator_ids=ids),
                           db.query("project_overview", fixture_store, peildatum=peildatum),
                           db.query("changes_between", fixture_store, since="2025-01-01", peildatum=peildatum),
                           peildatum)
    stale = " · 1 niet bijgewerkt (langer dan 90 dagen geen faseovergang)"
    assert [(c.info.themalijn, c.headline.indicator.indicator_id, c.count, c.status) for c in cards] == [
        ("bestaanszekerheid", "rondkomen", 2, "2 projecten: 1 achter, 1 onbekend (geen registratie)" + stale),
        ("preventie-en-gezondheid", "overgewicht", 1, "1 project: 1 op schema" + stale),
        ("mentale-gezondheid", "eenzaamheid", 1, "1 project: 1 op schema" + stale),
        ("ouderen", "mantelzorgers", 2, "2 projecten: 1 op schema, 1 afgerond" + stale),
    ]
    for card in cards:
        assert list(card.phases["Fase"]) == SIX_PHASES  # Realisatie and Borging included
        assert card.projects_source == ("Bron: Twentse Koers Jaarplan 2025 (fase 01-01-2025 en verwachte fase "
                                           "31-12-2025) en registraties in de monitor · peildatum 1 december 2025")
