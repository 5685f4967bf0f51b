"""The Overzicht's cards (monitor/overview.py), from the embedded data."""

from __future__ import annotations

from datetime import date

from monitor import db
from monitor.overview import overview_cards


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
