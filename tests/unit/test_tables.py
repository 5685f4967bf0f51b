from datetime import date

import pandas as pd

from monitor.views.tables import (
    SAMPLE_LABEL,
    filter_indicators,
    indicators_display,
    sources_display,
)


def _sources():
    return pd.DataFrame({
        "source_id": ["cbs-85012NED", "tk-voorbeelddata"],
        "publisher": ["CBS, GGD'en en RIVM", "Twentse Koers Monitor (gegenereerd)"],
        "title": ["Gezondheidsmonitor 2020", "Voorbeelddata"],
        "table_id": ["85012NED", None],
        "licence": ["CC BY 4.0", "n.v.t."],
        "peildatum": [date(2020, 12, 31), date(2026, 11, 1)],
        "retrieved": [date(2026, 11, 22), date(2026, 11, 1)],
        "is_sample": [False, True],
        "rows": [12345, 56],
    })


def test_sources_display_formats_and_marks_sample():
    shown = sources_display(_sources())
    assert shown.loc[0, "Rijen"] == "12.345"
    assert shown.loc[0, "Peildatum"] == "31-12-2020"
    assert shown.loc[1, "Soort"] == SAMPLE_LABEL
    assert shown.loc[1, "Tabel"] == "–"


def _indicators():
    return pd.DataFrame({
        "indicator_id": ["overgewicht", "mantelzorger"],
        "name": ["Overgewicht", "Mantelzorger"],
        "themalijn": ["preventie-en-gezondheid", "ouderen"],
        "unit": ["%", "%"],
        "direction": ["lower_is_better", "neutral"],
        "description": ["BMI van 25 of hoger", "Geeft mantelzorg"],
        "source_id": ["cbs-85012NED", "cbs-85012NED"],
        "source_title": ["Gezondheidsmonitor 2020", None],
        "periods": ["2016, 2020", None],
        "sources": ["Gezondheidsmonitor 2016 (2016); Gezondheidsmonitor 2020 (2020); Twentse Koers Jaarplan 2025 (2023)",
                    None],
        "measurement": ["steekproef", "steekproef"],
        "has_sample": [False, None],
    })


def test_filter_indicators_by_text_and_themalijn():
    ind = _indicators()
    assert filter_indicators(ind, "BMI")["indicator_id"].tolist() == ["overgewicht"]
    assert filter_indicators(ind, "MANTEL")["indicator_id"].tolist() == ["mantelzorger"]
    assert filter_indicators(ind, "", "ouderen")["indicator_id"].tolist() == ["mantelzorger"]
    assert filter_indicators(ind, "bmi", "ouderen").empty
    assert len(filter_indicators(ind)) == 2


def test_indicators_display_labels():
    shown = indicators_display(_indicators())
    assert shown.loc[0, "Richting"] == "lager is beter"
    assert shown.loc[1, "Richting"] == "neutraal"
    assert shown.loc[1, "Bronnen"] == "cbs-85012NED"
    assert shown.loc[1, "Perioden"] == "–"
    # every source of the indicator, not only the newest
    assert shown.loc[0, "Bronnen"].count(";") == 2 and "Jaarplan 2025 (2023)" in shown.loc[0, "Bronnen"]
    assert shown.loc[0, "Meetwijze"].startswith("steekproef")


def test_the_catalogue_lists_every_source_of_an_indicator(fixture_store):
    from monitor.data import db

    catalogue = db.query("indicator_catalogue", fixture_store).set_index("indicator_id")
    # overgewicht: both Gezondheidsmonitor editions, oldest first; the jaarplan's 2023 figure is a quote
    # (table quotes), not a source of the series' figures
    assert catalogue.loc["overgewicht", "sources"] == "Gezondheidsmonitor 2020 (2020); Gezondheidsmonitor 2022 (2022)"
    assert catalogue.loc["rondkomen", "measurement"] == "telling"


def test_sample_heading_says_voorbeelddata_once():
    from monitor.views.tables import sample_heading

    assert sample_heading("Voorbeelddata: gemeentecijfers rondkomen") == "Voorbeelddata: gemeentecijfers rondkomen"
    assert not sample_heading("Voorbeelddata Veilig Thuis: adviezen").startswith("Voorbeelddata – Voorbeelddata")
