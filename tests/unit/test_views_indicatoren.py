"""The Indicatoren page's view model (monitor/views/indicatoren.py), without Streamlit, on the
embedded data."""

from __future__ import annotations

from monitor.domain.periods import period_label
import pandas as pd

from monitor.views.indicatoren import build_indicatoren, indicator_of, load_indicator, scatter_data
from monitor.views import explorer

REGIO = list(explorer.DEFAULT_REGIONS)


def test_an_unknown_indicator_has_no_view():
    view = build_indicatoren(load_indicator("bestaat_niet"), "totaal", REGIO, [])
    assert view.indicator is None


def test_the_default_indicator_has_every_section():
    view = build_indicatoren(load_indicator(explorer.DEFAULT_INDICATOR), "totaal", REGIO, [])
    assert view.indicator.indicator_id == explorer.DEFAULT_INDICATOR
    assert view.periods and view.what
    assert not view.trend.series.empty and view.trend.sentence and view.trend.sources
    assert view.gemeenten.period in view.periods and len(view.gemeenten.values) > 0
    assert len(view.table.table) == len(view.table.display) > 0


def test_chosen_periods_narrow_every_section():
    inputs = load_indicator(explorer.DEFAULT_INDICATOR)
    first = explorer.all_periods(inputs.observations)[0]
    view = build_indicatoren(inputs, "totaal", REGIO, [first])
    assert view.periods == [first]
    assert set(view.table.table["Periode"]) == {first}


def test_no_region_no_trend_but_a_note():
    view = build_indicatoren(load_indicator(explorer.DEFAULT_INDICATOR), "totaal", [], [])
    assert view.trend.sentence == "" and view.trend.sources == []
    assert view.table.table.empty


def test_half_year_periods_are_labels_on_screen_and_codes_in_the_files():
    inputs = load_indicator("jeugdhulp")
    half = [p for p in explorer.all_periods(inputs.observations) if "H" in p]
    assert half
    view = build_indicatoren(inputs, "totaal", REGIO, [half[-1]])
    assert set(view.table.table["Periode"]) == {half[-1]}  # CSV/XLSX: the code
    assert set(view.table.display["Periode"]) == {period_label(half[-1])}  # screen: '1e halfjaar 2024'
    assert "halfjaar" in period_label(half[-1])


def test_two_indicators_give_pairs_per_gemeente():
    one, other = load_indicator(explorer.DEFAULT_INDICATOR), load_indicator(explorer.DEFAULT_COMPARE)
    view = build_indicatoren(one, "totaal", REGIO, [])
    both = pd.concat([one.observations, other.observations])
    data = scatter_data(both, view.indicator, indicator_of(other.meta), "totaal", view.periods)
    assert data.period is not None and not data.pairs.empty and data.sources
