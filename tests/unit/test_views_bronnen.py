"""The Bronnen and Over pages' loaders (monitor/views/bronnen.py): typed, without Streamlit.

On the fixture store with its Veilig Thuis raw counts (tests/fixture_store.py): six projects,
four themalijnen and indicators, 16 real observations, three gemeenten, six real sources and
one of voorbeelddata (the Veilig Thuis counts); the newest peildatum is 1 July 2025."""

from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
import pytest

from monitor.data import store
from monitor.ingest import voorbeelddata
from monitor.views.bronnen import OverView, load_bronnen, load_data_peildatum, load_over
from monitor.views.tables import INCOMPLETE_MARK
from tests import fixture_store as fx


def test_over_is_a_typed_summary_with_every_field_filled(on_fixture_store):
    view = load_over()
    assert isinstance(view, OverView)
    # 15 measurements: the jaarplan's figure is a quote (table quotes), not an observation
    assert dataclasses.astuple(view)[:-1] == (6, 4, 4, 15, 0, 3, 6)
    assert pd.Timestamp(view.peildatum).date() == fx.PEILDATUM


def test_bronnen_splits_the_incomplete_and_the_sample_sources(tmp_path, monkeypatch):
    directory = fx.write(tmp_path / "datasets", veilig_thuis=True)
    sources = store.read_frame("sources", directory)
    sources.loc[sources["source_id"] == "cbs-rondkomen", "note"] = f"{INCOMPLETE_MARK}: 2 van de 14 gemeenten."
    store.write_tables({"sources": store.to_table("sources", sources)}, directory)
    monkeypatch.setenv("MONITOR_DATASETS", str(directory))
    view = load_bronnen()
    assert list(view.incomplete["source_id"]) == ["cbs-rondkomen"]
    assert list(view.samples["source_id"]) == [voorbeelddata.SAMPLE_VT_SOURCE_ID]
    assert len(view.sources) == len(sources)


def test_the_footer_line_has_a_peildatum(on_fixture_store):
    found = load_data_peildatum()
    assert pd.Timestamp(found.peildatum).date() == date(2025, 7, 1) and found.has_sample


def test_the_bronnen_tables_as_shown_for_a_search_and_a_themalijn(on_fixture_store):
    from monitor.views.bronnen import bronnen_page, indicator_rows

    page = bronnen_page()
    assert list(page.sources.columns)[:3] == ["Soort", "Uitgever", "Titel"]
    assert len(page.sources) == len(page.view.sources)
    every = indicator_rows()
    assert every.found == every.total == len(every.table) == 4
    found = indicator_rows("gewicht")
    assert found.total == 4 and found.found == len(found.table) >= 1
    assert all("gewicht" in name.lower() or "gewicht" in text.lower()
               for name, text in zip(found.table["Indicator"], found.table["Definitie"]))
    assert indicator_rows("bestaat-niet").found == 0
