"""monitor.views.explorer: choices, the table (numbers and Dutch strings), footer lines, pairs."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from monitor.data import db
from monitor.domain.indicator import Indicator
from monitor.domain.indicators import for_group, group_label
from monitor.views import explorer
from monitor.domain.regions import NEDERLAND, OVERIJSSEL, TWENTE

COLUMNS = ["indicator_id", "region_code", "region_name", "level", "period", "subgroup", "value", "ci_low",
           "ci_high", "status", "is_sample", "source_id", "source_title", "source_publisher", "source_peildatum"]
REAL = ("cbs-85012NED", "Gezondheidsmonitor 2020", pd.Timestamp("2020-12-31"))
SAMPLE = ("tk-voorbeelddata", "Voorbeelddata: gemeentecijfers", pd.Timestamp("2026-11-01"))


# The Gezondheidsmonitor's survey of adults: its "totaal" is all adults.
OVERGEWICHT_INDICATOR = Indicator("overgewicht", "Overgewicht", "%", measurement="steekproef",
                                  source_title="Gezondheidsmonitor Volwassenen en Ouderen 2020; per regio")


def _row(indicator, code, name, level, period, value, subgroup="totaal", ci=(None, None), sample=False):
    source = SAMPLE if sample else REAL
    return (indicator, code, name, level, period, subgroup, value, ci[0], ci[1],
            "voorlopig" if sample else "definitief", sample, source[0], source[1], "CBS", source[2])


def _observations(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("value", "ci_low", "ci_high"):
        frame[column] = frame[column].astype(float)
    return frame


@pytest.fixture
def overgewicht() -> pd.DataFrame:
    return _observations([
        _row("overgewicht", "GM0153", "Enschede", "gemeente", "2020", 51.1, ci=(47.5, 54.7)),
        _row("overgewicht", "GM0153", "Enschede", "gemeente", "2016", 50.6, ci=(47.4, 53.9)),
        _row("overgewicht", "GM0164", "Hengelo", "gemeente", "2020", 50.8, ci=(47.0, 54.5)),
        _row("overgewicht", TWENTE, "Twente (GGD-regio)", "ggd_regio", "2020", 53.2, ci=(52.1, 54.4)),
        _row("overgewicht", TWENTE, "Twente (GGD-regio)", "ggd_regio", "2023", 56.0),
        _row("overgewicht", NEDERLAND, "Nederland", "land", "2020", 49.4, ci=(49.2, 49.6)),
        _row("overgewicht", "GM0153", "Enschede", "gemeente", "2020", 47.6, subgroup="18-64"),
    ])


# --- choices ----------------------------------------------------------------------------

def test_seventeen_regions_and_defaults():
    assert len(explorer.REGION_CODES) == 17
    assert explorer.DEFAULT_REGIONS == (TWENTE, NEDERLAND)
    assert set(explorer.DEFAULT_REGIONS) <= set(explorer.REGION_CODES)


def test_indicator_labels_are_the_names_from_the_catalogue_query(fixture_store):
    labels = explorer.indicator_labels(db.query("indicator_list", fixture_store))
    assert labels == {"overgewicht": "Overgewicht", "rondkomen": "Moeite met rondkomen",
                      "eenzaamheid": "Ernstig eenzaam", "mantelzorgers": "Mantelzorgers"}


def test_chosen_periods():
    assert explorer.chosen_periods(["2016", "2020", "2023"], []) == ["2016", "2020", "2023"]
    assert explorer.chosen_periods(["2016", "2020", "2023"], None) == ["2016", "2020", "2023"]
    assert explorer.chosen_periods(["2016", "2020", "2023"], ["2023", "2016"]) == ["2016", "2023"]
    assert explorer.chosen_periods(["2016", "2020"], ["2024"]) == []
    assert explorer.all_periods(pd.DataFrame({"period": ["2024Q1", "2023", "2024"]})) == ["2023", "2024", "2024Q1"]


def test_trend_regions_keep_fixed_styles_and_at_most_three_gemeenten():
    chosen = ["GM0141", TWENTE, "GM0147", "GM0153", "GM0158", OVERIJSSEL, "GM0163", NEDERLAND, "GM0141"]
    shown, left_out = explorer.trend_regions(chosen)
    assert shown == ["GM0141", TWENTE, "GM0147", "GM0153", OVERIJSSEL, NEDERLAND]
    assert left_out == ["GM0158", "GM0163"]
    assert explorer.trend_regions([TWENTE, NEDERLAND]) == ([TWENTE, NEDERLAND], [])
    assert explorer.trend_regions([]) == ([], [])


def test_comparison_period_is_latest_with_gemeenten(overgewicht):
    assert explorer.comparison_period(overgewicht, ["2016", "2020"]) == ("2020", None)
    period, note = explorer.comparison_period(overgewicht, ["2016", "2020", "2023"])
    assert period == "2020"
    assert "2023" in note and "2020" in note
    assert explorer.comparison_period(overgewicht, ["2023"]) == (None, None)


# --- the table --------------------------------------------------------------------------

def test_table_rows_in_chosen_region_order_with_numbers(overgewicht):
    rows = overgewicht[overgewicht["subgroup"] == "totaal"]
    selected = explorer.select_rows(rows, ["GM0164", "GM0153"], ["2016", "2020"])
    table = explorer.table_frame(selected, OVERGEWICHT_INDICATOR)
    assert list(table.columns) == ["Indicator", "Regio", "Periode", "Groep", "Soort", "Waarde", "Zoals geschreven",
                                   "Eenheid", "Ondergrens 95%-interval", "Bovengrens 95%-interval", "Status",
                                   "Voorbeelddata", "Bron", "Peildatum"]
    assert set(table["Soort"]) == {"meting"}
    assert table[["Regio", "Periode"]].values.tolist() == [["Hengelo", "2020"], ["Enschede", "2016"],
                                                            ["Enschede", "2020"]]
    enschede = table.iloc[2]
    assert enschede["Waarde"] == pytest.approx(51.1)
    assert enschede["Ondergrens 95%-interval"] == pytest.approx(47.5)
    assert enschede["Bovengrens 95%-interval"] == pytest.approx(54.7)
    assert enschede["Groep"] == "alle volwassenen"
    assert enschede["Status"] == "definitief"
    assert not enschede["Voorbeelddata"]
    assert enschede["Peildatum"] == date(2020, 12, 31)
    assert enschede["Bron"] == "Gezondheidsmonitor 2020"


def test_display_table_same_rows_as_dutch_strings(overgewicht):
    rows = overgewicht[overgewicht["subgroup"] == "totaal"]
    table = explorer.table_frame(explorer.select_rows(rows, [TWENTE, "GM0153"], ["2020", "2023"]),
                                 OVERGEWICHT_INDICATOR)
    shown = explorer.display_table(table)
    assert list(shown.columns) == ["Regio", "Periode", "Groep", "Soort", "Waarde", "95%-interval", "Status",
                                   "Voorbeelddata", "Bron", "Peildatum"]
    assert shown["Regio"].tolist() == table["Regio"].tolist()
    assert shown.iloc[0].tolist() == ["Twente (GGD-regio)", "2020", "alle volwassenen", "meting", "53,2%",
                                      "52,1% – 54,4%", "definitief", "nee", "Gezondheidsmonitor 2020",
                                      "31 december 2020"]
    assert shown.iloc[1]["95%-interval"] == "–"  # the jaarplan figure has no interval
    assert all(isinstance(v, str) for v in shown.to_numpy().ravel())


# --- footer lines -----------------------------------------------------------------------

def test_footer_lines_name_sources_and_say_there_is_no_sample(overgewicht):
    lines = explorer.footer_lines(overgewicht, "Overgewicht (%) · alle volwassenen")
    assert lines[0] == "Twentse Koers Monitor · Overgewicht (%) · alle volwassenen"
    assert "Bron: Gezondheidsmonitor 2020 · peildatum 31 december 2020" in lines
    assert lines[-1] == explorer.NO_SAMPLE_NOTE


def test_footer_lines_mark_voorbeelddata():
    rows = _observations([
        _row("moeite_met_rondkomen", "GM0153", "Enschede", "gemeente", "2023", 20.8, sample=True),
        _row("moeite_met_rondkomen", TWENTE, "Twente (GGD-regio)", "ggd_regio", "2023", 17.0),
    ])
    lines = explorer.footer_lines(rows, "Moeite met rondkomen", extra=["Bron: grenzen · peildatum 1 januari 2024"])
    assert lines[-1] == explorer.SAMPLE_NOTE
    assert any(line.startswith("Voorbeelddata") and "Voorbeelddata: gemeentecijfers" in line for line in lines)
    assert "Bron: grenzen · peildatum 1 januari 2024" in lines
    assert len(explorer.source_lines(rows)) == 2


def test_selection_text():
    text = explorer.selection_text(OVERGEWICHT_INDICATOR, "totaal", ["2016", "2020"],
                                   [TWENTE, "GM0153"])
    assert text == "Overgewicht (%) · alle volwassenen · 2016, 2020 · Twente (GGD-regio), Enschede"



def test_totaal_is_all_adults_only_for_the_gezondheidsmonitor():
    wmo = Indicator("wmo_clienten", "Wmo-cliënten", "per 1.000 inwoners", measurement="telling",
                    source_title="Wmo-cliënten; type maatwerkvoorziening, regio")
    assert explorer.selection_text(wmo, "totaal", ["2023"]) == "Wmo-cliënten (per 1.000 inwoners) · totaal · 2023"
    assert explorer.selection_text(wmo, "65+", ["2023"]).endswith("· 65 jaar en ouder · 2023")
    jaarplan = Indicator("moeite_met_rondkomen", "Moeite met rondkomen", "%", measurement="steekproef",
                         source_title="Twentse Koers Jaarplan 2025")
    assert group_label("totaal", jaarplan) == "Totaal"
    assert group_label("totaal", OVERGEWICHT_INDICATOR) == "Alle volwassenen"
    rows = _observations([_row("wmo_clienten", "GM0153", "Enschede", "gemeente", "2023", 40.0)])
    assert explorer.table_frame(rows, wmo)["Groep"].tolist() == ["totaal"]
    _rows, note = for_group(rows, "tot 65", wmo)
    assert note == "Voor deze indicator zijn er geen cijfers voor 18 tot 65 jaar; getoond: totaal."
    eenzaam = _observations([_row("eenzaam_65plus", TWENTE, "Twente (GGD-regio)", "ggd_regio", "2023", 50.0,
                                  subgroup="65+")])
    _rows, note = for_group(eenzaam, "totaal", jaarplan)
    assert note == "Voor deze indicator zijn er geen cijfers voor het totaal; getoond: 65 jaar en ouder."


# --- two indicators ---------------------------------------------------------------------

def _pairs_observations() -> pd.DataFrame:
    rows = []
    for indicator, offset in (("overgewicht", 0.0), ("voldoet_beweegrichtlijn", 5.0)):
        for period in ("2016", "2020"):
            rows.append(_row(indicator, "GM0153", "Enschede", "gemeente", period, 50 + offset))
            rows.append(_row(indicator, "GM0164", "Hengelo", "gemeente", period, 51 + offset))
            rows.append(_row(indicator, TWENTE, "Twente (GGD-regio)", "ggd_regio", period, 52 + offset))
            rows.append(_row(indicator, NEDERLAND, "Nederland", "land", period, 49 + offset))
    rows.append(_row("eenzaam_65plus", "GM0153", "Enschede", "gemeente", "2020", 40.0, subgroup="65+", sample=True))
    return _observations(rows)


def test_scatter_frame_latest_common_period_gemeenten_and_twente():
    frame, period, notes = explorer.scatter_frame(_pairs_observations(), "overgewicht", "voldoet_beweegrichtlijn",
                                                  "totaal")
    assert period == "2020" and notes == []
    assert set(frame["region_code"]) == {"GM0153", "GM0164", TWENTE}  # not Nederland
    assert len(frame) == 6


def test_scatter_frame_prefers_the_chosen_periods():
    frame, period, _ = explorer.scatter_frame(_pairs_observations(), "overgewicht", "voldoet_beweegrichtlijn",
                                              "totaal", preferred=["2016"])
    assert period == "2016" and set(frame["period"]) == {"2016"}


def test_scatter_frame_group_fallback_is_noted_by_name():
    _, period, notes = explorer.scatter_frame(_pairs_observations(), "overgewicht", "eenzaam_65plus", "totaal",
                                              names={"eenzaam_65plus": "Eenzaam (65+)"})
    assert period == "2020"
    assert notes and notes[0].startswith("Voor Eenzaam (65+) zijn er geen cijfers voor alle volwassenen")


def test_scatter_frame_without_common_period():
    frame, period, _ = explorer.scatter_frame(_pairs_observations(), "overgewicht", "bestaat_niet", "totaal")
    assert period is None and frame.empty


def test_scatter_frame_on_the_fixture_store(fixture_store):
    both = db.query("indicator_observations", fixture_store, indicator_ids=["overgewicht", "rondkomen"])
    frame, period, notes = explorer.scatter_frame(both, "overgewicht", "rondkomen", "totaal")
    # 2022 is the newest period of both; Twente has no rondkomen figure, Nederland is never a point
    assert (period, notes) == ("2022", [])
    pairs = frame.pivot(index="region_name", columns="indicator_id", values="value")
    assert pairs.dropna().to_dict("index") == {"Enschede": {"overgewicht": 52.0, "rondkomen": 18.0},
                                               "Hengelo": {"overgewicht": 46.0, "rondkomen": 12.0},
                                               "Tubbergen": {"overgewicht": 53.0, "rondkomen": 9.0}}
