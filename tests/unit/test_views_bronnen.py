"""The Bronnen and Over pages' loaders (monitor/views/bronnen.py): typed, without Streamlit."""

from __future__ import annotations

import dataclasses

from monitor.views.bronnen import OverView, load_bronnen, load_data_peildatum, load_over
from monitor.views.tables import INCOMPLETE_MARK


def test_over_is_a_typed_summary_with_every_field_filled():
    view = load_over()
    assert isinstance(view, OverView)
    for field in dataclasses.fields(view):
        assert getattr(view, field.name) is not None, field.name
    assert view.projects > 0 and view.gemeenten == 14


def test_bronnen_splits_the_incomplete_and_the_sample_sources():
    view = load_bronnen()
    assert view.incomplete["note"].fillna("").str.contains(INCOMPLETE_MARK).all()
    assert view.samples["is_sample"].all()
    assert len(view.sources) > len(view.samples)


def test_the_footer_line_has_a_peildatum():
    assert load_data_peildatum().peildatum is not None
