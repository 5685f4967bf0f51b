"""The Overzicht's view model from the shared bundle (monitor/views/overview.py build_overzicht):
the same cards as from the page's own queries, without Streamlit."""

from __future__ import annotations

from datetime import date

from monitor.data import db
from monitor.views.inputs import load_inputs
from monitor.views.overview import build_overzicht, card_indicator_ids, overview_cards


def test_build_overzicht_gives_the_cards_of_the_hand_assembled_queries():
    peildatum, since = date(2026, 11, 1), date(2026, 8, 1)
    view = build_overzicht(load_inputs(peildatum, since=since), peildatum, since)
    themalijnen = db.query("themalijnen")
    ids = card_indicator_ids(themalijnen)
    expected = overview_cards(themalijnen, [list(i)[0] for i in themalijnen["headline_indicators"]],
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
