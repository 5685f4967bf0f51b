"""The Overzicht's view model (monitor/views/overzicht.py): its cards from the named queries, and
``build_overzicht`` from the shared bundle gives the same cards, without Streamlit."""

from __future__ import annotations

from datetime import date

from monitor.data import db
from monitor.views.inputs import load_themalijnen
from monitor.views.overzicht import build_overzicht, card_indicator_ids, overzicht_cards


def test_build_overzicht_gives_the_cards_of_the_hand_assembled_queries():
    peildatum, since = date(2026, 11, 1), date(2026, 8, 1)
    view = build_overzicht(load_themalijnen(peildatum, since=since), peildatum, since)
    themalijnen = db.query("themalijnen")
    ids = card_indicator_ids(themalijnen)
    expected = overzicht_cards(themalijnen, [list(i)[0] for i in themalijnen["headline_indicators"]],
                              db.query("indicator_observations", indicator_ids=ids),
                              db.query("indicator_meta", indicator_ids=ids),
                              db.query("indicator_targets", indicator_ids=ids),
                              db.query("project_overview", peildatum=peildatum),
                              db.query("changes_between", since=since, peildatum=peildatum), peildatum)
    assert len(view.cards) == len(expected) == 4
    for got, want in zip(view.cards, expected):
        assert got["info"]["themalijn"] == want["info"]["themalijn"]
        assert got["headline"]["text"] == want["headline"]["text"]
        assert [r["headline"]["text"] for r in got["real"]] == [r["headline"]["text"] for r in want["real"]]
        assert [r["trend"] for r in got["real"]] == [r["trend"] for r in want["real"]]
        assert got["phases"].equals(want["phases"])
        assert (got["status"], got["behind"], got["changed"]) == (want["status"], want["behind"], want["changed"])
    assert (view.peildatum, view.since) == (peildatum, since)


def test_one_card_per_themalijn_with_every_project_counted_once():
    themalijnen = db.query("themalijnen")
    ids = [list(i)[0] for i in themalijnen["headline_indicators"]]
    peildatum = date(2025, 7, 1)
    cards = overzicht_cards(themalijnen, ids, db.query("indicator_observations", indicator_ids=ids),
                           db.query("indicator_meta", indicator_ids=ids), db.query("indicator_targets", indicator_ids=ids),
                           db.query("project_overview", peildatum=peildatum),
                           db.query("changes_between", since="2025-01-01", peildatum=peildatum), peildatum)
    assert [c["info"]["themalijn"] for c in cards] == themalijnen["themalijn"].tolist()
    assert sum(c["count"] for c in cards) == 29
    assert [c["indicator"]["indicator_id"] for c in cards] == ids


def test_cards_show_all_six_phases_as_rows_and_the_shared_status_line():
    from monitor.data.contract import PHASES
    from monitor.domain.projects import status_summary, with_status

    themalijnen = db.query("themalijnen")
    ids = [list(i)[0] for i in themalijnen["headline_indicators"]]
    peildatum = date(2026, 12, 1)
    overview = db.query("project_overview", peildatum=peildatum)
    cards = overzicht_cards(themalijnen, ids, db.query("indicator_observations", indicator_ids=ids),
                           db.query("indicator_meta", indicator_ids=ids), db.query("indicator_targets", indicator_ids=ids),
                           overview, db.query("changes_between", since="2026-09-01", peildatum=peildatum), peildatum)
    projects = with_status(overview, peildatum)
    for card in cards:
        assert list(card["phases"]["Fase"]) == list(PHASES)  # Realisatie and Borging included
        mine = projects[projects["themalijn"] == card["info"]["themalijn"]]
        assert card["status"] == status_summary(mine)
        assert "achter" not in card["status"]  # nothing registered: not behind, but onbekend
        assert card["projects_source"].startswith("Bron: Twentse Koers Jaarplan 2025")
