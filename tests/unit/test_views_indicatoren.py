"""The Indicatoren page's view model (monitor/views/indicatoren.py), without Streamlit, on the
fixture store (tests/fixture_store.py): overgewicht in 2020, 2022 (three gemeenten, Twente,
Nederland, with intervals) and 2023 (Twente, the jaarplan); rondkomen for the three gemeenten
in 2022."""

from __future__ import annotations

import pandas as pd

from monitor.data import store
from monitor.domain.periods import period_label
from monitor.views import explorer
from monitor.views.indicatoren import build_indicatoren, indicator_of, load_indicator, scatter_data
from tests import fixture_store as fx

REGIO = list(explorer.DEFAULT_REGIONS)
OVERGEWICHT = "overgewicht"
assert explorer.DEFAULT_INDICATOR == OVERGEWICHT


def test_an_unknown_indicator_has_no_view(fixture_store):
    view = build_indicatoren(load_indicator("bestaat_niet", fixture_store), "totaal", REGIO, [])
    assert view.indicator is None


def test_the_default_indicator_has_every_section(fixture_store):
    view = build_indicatoren(load_indicator(OVERGEWICHT, fixture_store), "totaal", REGIO, [])
    assert view.indicator.indicator_id == OVERGEWICHT
    assert view.periods == ["2020", "2022"] and view.what
    assert not view.trend.series.empty and view.trend.sentence and view.trend.sources
    # the newest period with gemeente figures, and its three gemeenten
    assert view.gemeenten.period == "2022" and len(view.gemeenten.values) == 3
    assert len(view.table.table) == len(view.table.display) > 0


def test_chosen_periods_narrow_every_section(fixture_store):
    inputs = load_indicator(OVERGEWICHT, fixture_store)
    assert explorer.all_periods(inputs.observations)[0] == "2020"
    view = build_indicatoren(inputs, "totaal", REGIO, ["2020"])
    assert view.periods == ["2020"]
    measured = view.table.table[view.table.table["Soort"] == "meting"]
    assert set(measured["Periode"]) == {"2020"}


def test_no_region_no_trend_but_a_note(fixture_store):
    view = build_indicatoren(load_indicator(OVERGEWICHT, fixture_store), "totaal", [], [])
    assert view.trend.sentence == "" and view.trend.sources == []
    assert view.table.table.empty


def test_half_year_periods_are_labels_on_screen_and_codes_in_the_files(tmp_path):
    directory = fx.write(tmp_path / "datasets")
    observations = store.read_frame("observations", directory)
    twente = observations[(observations["indicator_id"] == OVERGEWICHT) & (observations["region_code"] == fx.TWENTE)
                          & (observations["period"] == "2022")]
    halves = pd.concat([twente.assign(period="2024H1", value=49.0), twente.assign(period="2024H2", value=48.5)])
    store.write_tables({"observations": store.to_table("observations", pd.concat([observations, halves]))}, directory)
    inputs = load_indicator(OVERGEWICHT, directory)
    assert [p for p in explorer.all_periods(inputs.observations) if "H" in p] == ["2024H1", "2024H2"]
    view = build_indicatoren(inputs, "totaal", REGIO, ["2024H2"])
    measured = view.table.table["Soort"] == "meting"
    assert set(view.table.table.loc[measured, "Periode"]) == {"2024H2"}  # CSV/XLSX: the code
    assert set(view.table.display.loc[measured, "Periode"]) == {"2e halfjaar 2024"}  # screen: the label
    assert period_label("2024H2") == "2e halfjaar 2024"


def test_two_indicators_give_pairs_per_gemeente(fixture_store):
    """overgewicht and rondkomen meet in 2022, in each of the three gemeenten: the rows of both
    there (and Twente's, which only overgewicht has)."""
    one, other = load_indicator(OVERGEWICHT, fixture_store), load_indicator("rondkomen", fixture_store)
    view = build_indicatoren(one, "totaal", REGIO, [])
    both = pd.concat([one.observations, other.observations])
    data = scatter_data(both, view.indicator, indicator_of(other.meta),
                        "totaal", view.periods)
    assert data.period == "2022" and data.sources
    gemeenten = [fx.ENSCHEDE, fx.HENGELO, fx.TUBBERGEN]
    assert data.pairs.groupby("indicator_id")["region_code"].apply(sorted).to_dict() == {
        OVERGEWICHT: sorted([*gemeenten, fx.TWENTE]), "rondkomen": sorted(gemeenten)}


def test_the_regions_in_words_are_made_with_the_view(fixture_store):
    """The captions' and footers' region names come from the view model, made once per data
    version: Twente named as the region of its figures, in the order of the choice."""
    from monitor.domain.regions import regions_text, twente_focus_name

    view = build_indicatoren(load_indicator(OVERGEWICHT, fixture_store), "totaal", REGIO, [])
    twente = twente_focus_name(view.trend.series)
    assert view.trend.shown_text == regions_text(view.trend.shown, view.trend.series)
    assert view.trend.shown_text.startswith(twente) and view.trend.shown_text.endswith("Nederland")
    assert view.table.shown_text == regions_text(REGIO, view.table.selected) == f"{twente}, Nederland"
    assert build_indicatoren(load_indicator(OVERGEWICHT, fixture_store), "totaal", [], []).table.shown_text == ""


def test_the_choice_of_an_indicator_names_it_and_its_periods(fixture_store):
    from monitor.views.indicatoren import indicator_choice

    choice = indicator_choice(OVERGEWICHT, fixture_store)
    assert choice.indicator.indicator_id == OVERGEWICHT
    assert choice.periods == explorer.all_periods(load_indicator(OVERGEWICHT, fixture_store).observations)
    assert choice.periods[0] == "2020"
    assert indicator_choice("bestaat_niet", fixture_store) == indicator_choice("bestaat_niet", fixture_store)
    assert indicator_choice("bestaat_niet", fixture_store).indicator is None
