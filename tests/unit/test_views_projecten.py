"""The Projecten list view's view model, without Streamlit, on the fixture store.

tests/fixture_store.py: six projects, two of them in bestaanszekerheid; their statuses on the
fixture's peildatum are STATUS_ON_PEILDATUM, valpreventie the one not updated."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from monitor.domain.projects import STALE_LABEL
from monitor.domain.status import STATUSES
from monitor.views.projecten import Filters, build_projecten, load_projecten
from tests import fixture_store as fx

pytestmark = pytest.mark.usefixtures("on_fixture_store")


def test_all_projects_without_filters():
    view = build_projecten(load_projecten(fx.PEILDATUM), Filters())
    assert len(view.projects) == len(view.shown) == len(fx.PROJECTS) == 6
    assert list(view.counts) == [*STATUSES, STALE_LABEL]
    assert {s: view.counts[s] for s in STATUSES} == {s: Counter(fx.STATUS_ON_PEILDATUM.values())[s] for s in STATUSES}
    assert view.counts[STALE_LABEL] == len(fx.STALE_ON_PEILDATUM) == 1
    assert set(view.table["id"]) == set(view.shown["project_id"]) == set(fx.PROJECTS)
    assert view.source.startswith("Bron: ") and "peildatum 1 juli 2025" in view.source
    assert not view.past_horizon and not view.notice


def test_after_the_plan_horizon_the_page_says_so():
    view = build_projecten(load_projecten(date(2026, 12, 1)), Filters())
    assert view.past_horizon and view.notice and "peildatum 1 december 2026" in view.source
    # nothing registered in 2026: the projects the plan expects to move without a registration
    # (kinderarmoede, valpreventie) are onbekend, and the registered ones are not updated
    assert (view.counts["achter"], view.counts["onbekend (geen registratie)"], view.counts[STALE_LABEL]) == (1, 2, 3)


def test_filters_narrow_every_tab_to_the_shown_projects():
    view = build_projecten(load_projecten(fx.PEILDATUM), Filters(themalijnen=["bestaanszekerheid"]))
    ids = set(view.shown["project_id"])
    assert ids == {"schuldhulp", "kinderarmoede"} and set(view.shown["themalijn"]) == {"bestaanszekerheid"}
    for frame in (view.events, view.assignments, view.changes):
        assert set(frame["project_id"]) <= ids
    assert set(view.assignments["project_id"]) == {"schuldhulp"}


def test_a_search_without_match_is_empty_not_an_error():
    view = build_projecten(load_projecten(fx.PEILDATUM), Filters(search="zzzzzz"))
    assert view.shown.empty and view.table.empty and view.events.empty
    assert sum(view.counts.values()) == 0
