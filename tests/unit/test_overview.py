"""The Overzicht's cards (monitor/views/overview.py), from the embedded data."""

from __future__ import annotations

from datetime import date

from monitor.data import db
from monitor.views.overview import overview_cards


def test_one_card_per_themalijn_with_every_project_counted_once():
    themalijnen = db.query("themalijnen")
    ids = [list(i)[0] for i in themalijnen["headline_indicators"]]
    peildatum = date(2025, 7, 1)
    cards = overview_cards(themalijnen, ids, db.query("indicator_observations", indicator_ids=ids),
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
    cards = overview_cards(themalijnen, ids, db.query("indicator_observations", indicator_ids=ids),
                           db.query("indicator_meta", indicator_ids=ids), db.query("indicator_targets", indicator_ids=ids),
                           overview, db.query("changes_between", since="2026-09-01", peildatum=peildatum), peildatum)
    projects = with_status(overview, peildatum)
    for card in cards:
        assert list(card["phases"]["Fase"]) == list(PHASES)  # Realisatie and Borging included
        mine = projects[projects["themalijn"] == card["info"]["themalijn"]]
        assert card["status"] == status_summary(mine)
        assert "achter" not in card["status"]  # nothing registered: not behind, but onbekend
        assert card["projects_source"].startswith("Bron: Twentse Koers Jaarplan 2025")
