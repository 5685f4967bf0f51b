"""The Projecten list view's view model, without Streamlit."""

from __future__ import annotations

from datetime import date

from monitor.domain.projects import STALE_LABEL
from monitor.domain.status import STATUSES
from monitor.views.projecten import Filters, build_projecten, load_projecten

PEILDATUM = date(2026, 12, 1)


def test_all_projects_without_filters():
    inputs = load_projecten(PEILDATUM)
    view = build_projecten(inputs, Filters())
    assert len(view.projects) == len(view.shown) == 29
    assert list(view.counts) == [*STATUSES, STALE_LABEL]
    assert sum(view.counts[s] for s in STATUSES) == 29
    assert set(view.table["id"]) == set(view.shown["project_id"])
    assert view.source.startswith("Bron: ") and "peildatum 1 december 2026" in view.source
    assert view.past_horizon and view.notice  # the 2025 plan's horizon has passed


def test_filters_narrow_every_tab_to_the_shown_projects():
    inputs = load_projecten(PEILDATUM)
    view = build_projecten(inputs, Filters(themalijnen=["bestaanszekerheid"]))
    ids = set(view.shown["project_id"])
    assert 0 < len(ids) < 29 and set(view.shown["themalijn"]) == {"bestaanszekerheid"}
    for frame in (view.events, view.assignments, view.changes):
        assert set(frame["project_id"]) <= ids


def test_a_search_without_match_is_empty_not_an_error():
    view = build_projecten(load_projecten(PEILDATUM), Filters(search="zzzzzz"))
    assert view.shown.empty and view.table.empty and view.events.empty
    assert sum(view.counts.values()) == 0
