from datetime import date

import pandas as pd

from monitor.tables import (
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
    assert shown.loc[1, "Bron"] == "cbs-85012NED"
    assert shown.loc[1, "Perioden"] == "–"
