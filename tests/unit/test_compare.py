"""Comparison method and Dutch duiding sentences, on the figures of the fixture store.

Every figure below is a row of tests/fixture_store.py (overgewicht for Enschede, Hengelo,
Tubbergen, Twente and Nederland in 2020 and 2022 with their intervals, Twente's 2023 jaarplan
figure without one) or written in the test itself (voorbeelddata, a count, a reference the
fixture does not hold); the indicator dicts take their phrase from PHRASES, so the tests do not
depend on which phrase the fixture carries.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest

from tests import fixture_store as fx
from monitor.domain.compare import (
    METHOD_TEXT,
    compare,
    duiding,
    judgement,
    ranking_sentence,
    trend_sentence,
)
from monitor.domain.indicator import Indicator
from monitor.domain.periods import period_label

PHRASES = {
    "overgewicht": "had {waarde} van de volwassenen overgewicht",
    "mantelzorgers": "gaf {waarde} van de volwassenen mantelzorg",
    "rondkomen": "had {waarde} van de inwoners moeite met rondkomen",
    "eenzaamheid": "voelde {waarde} van de volwassenen zich ernstig eenzaam",
}
NAMES = {fx.ENSCHEDE: "Enschede", fx.HENGELO: "Hengelo", fx.TUBBERGEN: "Tubbergen"}


@pytest.fixture(scope="module")
def observations() -> pd.DataFrame:
    return fx.frames()["observations"]


@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    return fx.frames()["indicators"].set_index("indicator_id")


def indicator(indicators: pd.DataFrame, indicator_id: str, phrase: str | None = "default") -> Indicator:
    row = indicators.loc[indicator_id].to_dict()
    row["indicator_id"] = indicator_id
    if phrase == "default":
        row["phrase"] = PHRASES[indicator_id]
    elif phrase is None:
        row.pop("phrase", None)
    else:
        row["phrase"] = phrase
    return Indicator.from_row(row)


def obs(observations: pd.DataFrame, indicator_id: str, region: str, period: str,
        subgroup: str = "totaal") -> dict:
    rows = observations[(observations.indicator_id == indicator_id) & (observations.region_code == region)
                        & (observations.period == period) & (observations.subgroup == subgroup)]
    assert len(rows) == 1, (indicator_id, region, period, subgroup)
    return rows.iloc[0].to_dict()


def sample(period: str, value: float) -> dict:
    """A voorbeelddata figure (no interval), as generated where no real one exists."""
    return {"period": period, "value": value, "ci_low": None, "ci_high": None, "is_sample": True}


def sentence(ind: dict, name: str, row: dict, ref_name: str | None = None, ref: dict | None = None) -> str:
    ref = ref or {}
    return duiding(ind, name, row["period"], row["value"], row["ci_low"], row["ci_high"],
                   ref_name, ref.get("value"), ref.get("ci_low"), ref.get("ci_high"),
                   is_sample=bool(row["is_sample"]) or bool(ref.get("is_sample", False)))


# --- compare ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "expected"), [
    ((10.4, 9.6, 11.1, 8.2, 8.1, 8.4), "hoger"),          # intervals apart
    ((8.3, 7.2, 9.5, 10.4, 9.6, 11.1), "lager"),
    ((51.1, 47.5, 54.7, 49.4, 49.2, 49.7), "geen verschil"),  # overlap
    ((10.0, 9.0, 10.0, 11.0, 10.0, 12.0), "geen verschil"),   # touching counts as overlap
    ((12.0, 11.0, 13.0, 10.0, None, None), "hoger"),      # only own interval: ref outside it
    ((12.0, 11.0, 13.0, 11.5, None, None), "geen verschil"),
    ((12.0, None, None, 10.0, 9.0, 11.0), "hoger"),       # only ref interval: value outside it
    ((8.0, None, None, 10.0, 9.0, 11.0), "lager"),
    ((10.5, None, None, 10.0, 9.0, 11.0), "geen verschil"),
    ((20.8, None, None, 18.0, None, None), "onbekend"),   # no interval: no statement
    ((20.8, 19.0, None, 18.0, None, 19.0), "onbekend"),   # half an interval is no interval
    ((None, 1.0, 2.0, 18.0, 17.0, 19.0), "onbekend"),
    ((18.0, 17.0, 19.0, float("nan"), None, None), "onbekend"),
    ((18.0, pd.NA, pd.NA, 12.0, math.nan, math.nan), "onbekend"),
])
def test_compare(args, expected):
    assert compare(*args) == expected


def test_judgement_follows_direction():
    assert judgement("lower_is_better", "hoger") == "ongunstiger"
    assert judgement("lower_is_better", "lager") == "gunstiger"
    assert judgement("higher_is_better", "hoger") == "gunstiger"
    assert judgement("higher_is_better", "lager") == "ongunstiger"
    for direction in ("lower_is_better", "higher_is_better", "neutral"):
        assert judgement(direction, "geen verschil") == "geen verschil"
        assert judgement(direction, "onbekend") == "onbekend"
    with pytest.raises(ValueError):
        judgement("neutral", "beter")
    with pytest.raises(ValueError):
        judgement("sideways", "hoger")


def test_neutral_indicator_never_favourable(observations, indicators):
    """mantelzorgers is neutral: Twente 14,0% [13–15] is clearly higher than a reference of
    12,0% [11,5–12,5], but never 'gunstiger'."""
    ind = indicator(indicators, "mantelzorgers")
    assert ind.direction == "neutral"
    twente = obs(observations, "mantelzorgers", fx.TWENTE, "2022")
    nl = {"period": "2022", "value": 12.0, "ci_low": 11.5, "ci_high": 12.5, "is_sample": False}
    comparison = compare(twente["value"], twente["ci_low"], twente["ci_high"], nl["value"], nl["ci_low"], nl["ci_high"])
    assert comparison == "hoger"
    assert judgement(ind.direction, comparison) == "hoger"
    text = sentence(ind, "Twente", twente, "Nederland", nl)
    assert text == "In Twente gaf 14,0% van de volwassenen mantelzorg (2022), meer dan in Nederland (12,0%)."
    assert "gunstig" not in text


# --- duiding on the fixture's overgewicht ------------------------------------------------------

@pytest.mark.parametrize(("name", "region", "period", "expected"), [
    # Enschede 51,0% [48–54] and Nederland 49,0% [48,8–49,2]: the intervals overlap, so the
    # sentence does not call it a difference ('meer dan' would overclaim).
    ("Enschede", fx.ENSCHEDE, "2020", "In Enschede had 51,0% van de volwassenen overgewicht (2020), ongeveer "
     "evenveel als in Nederland (49,0%) — het verschil valt binnen de onzekerheidsmarge."),
    # Tubbergen 55,0% [50–60] lies wholly above Nederland's 49,0% [48,8–49,2].
    ("Tubbergen", fx.TUBBERGEN, "2020", "In Tubbergen had 55,0% van de volwassenen overgewicht (2020), meer dan "
     "in Nederland (49,0%)."),
    # Hengelo 46,0% [43–49] lies wholly below Nederland's 50,3% [50,1–50,5].
    ("Hengelo", fx.HENGELO, "2022", "In Hengelo had 46,0% van de volwassenen overgewicht (2022), minder dan in "
     "Nederland (50,3%)."),
])
def test_a_gemeente_against_nederland(observations, indicators, name, region, period, expected):
    assert sentence(indicator(indicators, "overgewicht"), name, obs(observations, "overgewicht", region, period),
                    "Nederland", obs(observations, "overgewicht", fx.NEDERLAND, period)) == expected


def test_without_phrase_uses_name(observations, indicators):
    tubbergen = obs(observations, "overgewicht", fx.TUBBERGEN, "2020")
    nl = obs(observations, "overgewicht", fx.NEDERLAND, "2020")
    expected = "Overgewicht in Tubbergen: 55,0% (2020), hoger dan in Nederland (49,0%)."
    ind = indicator(indicators, "overgewicht", phrase=None)
    assert ind.name == "Overgewicht"
    assert sentence(ind, "Tubbergen", tubbergen, "Nederland", nl) == expected
    for empty in (None, float("nan"), ""):
        assert sentence(indicator(indicators, "overgewicht", phrase=empty), "Tubbergen", tubbergen,
                        "Nederland", nl) == expected
    enschede = obs(observations, "overgewicht", fx.ENSCHEDE, "2020")
    assert sentence(ind, "Enschede", enschede, "Nederland", nl) == (
        "Overgewicht in Enschede: 51,0% (2020), ongeveer even hoog als in Nederland (49,0%) — het verschil "
        "valt binnen de onzekerheidsmarge.")


def test_voorbeelddata_sentence_carries_the_mark(observations, indicators):
    """Voorbeelddata for Enschede 2023 against a Twente figure without interval: no verdict."""
    twente = {"value": 51.0, "ci_low": None, "ci_high": None, "is_sample": False}
    text = sentence(indicator(indicators, "overgewicht"), "Enschede", sample("2023", 52.5), "Twente", twente)
    assert text == ("In Enschede had 52,5% van de volwassenen overgewicht (2023); in Twente was dat "
                    "51,0% (geen betrouwbaarheidsinterval, dus geen uitspraak over een verschil). "
                    "Let op: voorbeelddata, geen echte meting.")


def test_real_figure_without_reference_and_count_unit(observations, indicators):
    workers = Indicator.from_row({"indicator_id": "werkenden_zorg_welzijn", "name": "Werkenden in zorg en welzijn",
                                  "unit": "aantal", "direction": "neutral",
                                  "phrase": "werkten {waarde} mensen in zorg en welzijn"})
    row = {"period": "2023", "value": 55400.0, "ci_low": None, "ci_high": None, "is_sample": False}
    assert sentence(workers, "Twente", row) == "In Twente werkten 55.400 mensen in zorg en welzijn (2023)."
    assert "Let op" not in sentence(indicator(indicators, "overgewicht"), "Twente",
                                    obs(observations, "overgewicht", fx.TWENTE, "2020"))


def test_missing_value_says_so(indicators):
    assert duiding(indicator(indicators, "overgewicht"), "Losser", "2023", None) == (
        "Voor Losser is er geen cijfer (Overgewicht, 2023).")


def test_period_labels():
    assert period_label("2020") == "2020"
    assert period_label("2025Q3") == "3e kwartaal 2025"
    assert period_label("2024H1") == "1e halfjaar 2024"
    assert period_label("2024M06") == "juni 2024"


def test_method_text_documents_the_rules():
    for part in ("95%-betrouwbaarheidsinterval", "niet overlappen", "buiten dat interval",
                 "geen uitspraak over een verschil", "Neutrale indicatoren", "nooit gunstiger"):
        assert part in METHOD_TEXT


# --- ranking and trend ----------------------------------------------------------------------

def _gemeenten(observations: pd.DataFrame, indicator_id: str, period: str, subgroup: str = "totaal"):
    rows = observations[(observations.indicator_id == indicator_id) & (observations.period == period)
                        & (observations.subgroup == subgroup)
                        & observations.region_code.isin(list(NAMES))].copy()
    rows["region_name"] = rows["region_code"].map(NAMES)
    return rows


def test_ranking_sentence_overgewicht_2022(observations, indicators):
    """Against Twente 50,5% [49,5–51,5]: Hengelo [43–49] lies below it, Enschede [49–55] and
    Tubbergen [48–58] overlap it."""
    values = _gemeenten(observations, "overgewicht", "2022")
    assert len(values) == 3
    twente = obs(observations, "overgewicht", fx.TWENTE, "2022")
    text = ranking_sentence(values, indicator(indicators, "overgewicht"), "2022",
                            twente["value"], twente["ci_low"], twente["ci_high"])
    assert text == (
        "Overgewicht, 2022: van de 3 gemeenten lag Tubbergen het hoogst (53,0%) en Hengelo het laagst "
        "(46,0%). 1 gemeente verschilde van Twente (50,5%): lager in Hengelo. Bij de andere 2 valt het "
        "verschil binnen de onzekerheidsmarge.")


def test_ranking_sentence_overgewicht_2020_without_a_difference(observations, indicators):
    """In 2020 every gemeente's interval overlaps Twente's 50,0% [49–51]."""
    values = _gemeenten(observations, "overgewicht", "2020")
    twente = obs(observations, "overgewicht", fx.TWENTE, "2020")
    text = ranking_sentence(values, indicator(indicators, "overgewicht"), "2020",
                            twente["value"], twente["ci_low"], twente["ci_high"])
    assert text == (
        "Overgewicht, 2020: van de 3 gemeenten lag Tubbergen het hoogst (55,0%) en Hengelo het laagst "
        "(47,0%). Geen enkele gemeente verschilde van Twente (50,0%): het verschil valt binnen de "
        "onzekerheidsmarge.")


def test_ranking_sentence_neutral_higher_and_lower(indicators):
    values = pd.DataFrame({"region_name": ["Enschede", "Hengelo", "Tubbergen"], "value": [18.0, 9.0, 14.5],
                           "ci_low": [17.0, 8.0, 12.0], "ci_high": [19.0, 10.0, 17.0]})
    text = ranking_sentence(values, indicator(indicators, "mantelzorgers"), "2022", 14.0, 13.0, 15.0)
    assert text == (
        "Mantelzorgers, 2022: van de 3 gemeenten lag Enschede het hoogst (18,0%) en Hengelo het laagst "
        "(9,0%). 2 gemeenten verschilden van Twente (14,0%): hoger in Enschede, lager in Hengelo. Bij de "
        "andere 1 valt het verschil binnen de onzekerheidsmarge.")
    assert "gunstig" not in text


def test_ranking_sentence_voorbeelddata_makes_no_claim(observations, indicators):
    values = pd.DataFrame({"region_name": ["Enschede", "Hengelo", "Tubbergen"], "value": [53.5, 47.5, 50.5],
                           "ci_low": [None] * 3, "ci_high": [None] * 3, "is_sample": [True] * 3})
    twente = {"value": 51.0}  # a Twente figure without interval
    text = ranking_sentence(values, indicator(indicators, "overgewicht"), "2024", twente["value"],
                            twente_period="2023")
    assert text == (
        "Overgewicht, 2024: van de 3 gemeenten lag Enschede het hoogst (53,5%) en Hengelo het laagst "
        "(47,5%). Zonder betrouwbaarheidsintervallen doen we geen uitspraak over verschillen met Twente "
        "(51,0% in 2023). Let op: voorbeelddata, geen echte meting.")


def test_ranking_sentence_edge_cases(indicators):
    ind = indicator(indicators, "overgewicht")
    one = pd.DataFrame({"region_name": ["Borne"], "value": [50.0], "ci_low": [48.0], "ci_high": [52.0]})
    assert ranking_sentence(one, ind, "2020", 50.5, 50.0, 51.0) == (
        "Overgewicht, 2020: alleen voor Borne is er een cijfer (50,0%). Geen enkele gemeente verschilde "
        "van Twente (50,5%): het verschil valt binnen de onzekerheidsmarge.")
    empty = one.iloc[0:0]
    assert ranking_sentence(empty, ind, "2020") == "Overgewicht, 2020: voor geen enkele gemeente is er een cijfer."
    tie = pd.DataFrame({"region_name": ["A", "B", "C"], "value": [5.0, 5.0, 1.0],
                        "ci_low": [None] * 3, "ci_high": [None] * 3})
    assert ranking_sentence(tie, ind, "2020").startswith(
        "Overgewicht, 2020: van de 3 gemeenten lagen A en B het hoogst (5,0%) en C het laagst (1,0%).")


def test_trend_sentence_on_the_fixture(observations, indicators):
    """Twente 50,0% [49–51] → 50,5% [49,5–51,5] overlaps; Nederland 49,0% [48,8–49,2] → 50,3%
    [50,1–50,5] does not."""
    ind = indicator(indicators, "overgewicht")
    series = observations[(observations.indicator_id == "overgewicht") & (observations.subgroup == "totaal")
                          & observations.region_code.isin([fx.TWENTE, fx.NEDERLAND])
                          & observations.period.isin(["2020", "2022"])].copy()
    series["region_name"] = series["region_code"].map({fx.TWENTE: "Twente", fx.NEDERLAND: "Nederland"})
    assert trend_sentence(series, ind, "Twente") == (
        "In Twente had 50,5% van de volwassenen overgewicht (2022), ongeveer evenveel als in 2020 (50,0%) "
        "— het verschil valt binnen de onzekerheidsmarge.")
    assert trend_sentence(series, ind, "Nederland") == (
        "In Nederland had 50,3% van de volwassenen overgewicht (2022), meer dan in 2020 (49,0%).")
    assert trend_sentence(series, ind, "Losser") == "Voor Losser is er geen cijfer (Overgewicht)."


def test_trend_sentence_voorbeelddata(indicators):
    series = pd.DataFrame([{**sample("2021", 11.5), "region_name": "Enschede"},
                           {**sample("2024", 12.5), "region_name": "Enschede"}])
    assert trend_sentence(series, indicator(indicators, "eenzaamheid"), "Enschede") == (
        "In Enschede voelde 12,5% van de volwassenen zich ernstig eenzaam (2024); in 2021 was dat "
        "11,5% (geen betrouwbaarheidsinterval, dus geen uitspraak over een verschil). "
        "Let op: voorbeelddata, geen echte meting.")


# --- register counts and saying each thing once ------------------------------------------------

COUNT = Indicator("aandeel_65plus", "Aandeel inwoners 65+", "%", "neutral", measurement="telling",
                  phrase="was {waarde} van de inwoners 65 jaar of ouder")


def test_counts_are_compared_directly_with_absolute_and_relative_difference():
    from monitor.domain.compare import NO_INTERVAL, duiding

    text = duiding(COUNT, "Hof van Twente", "2025", 26.4, None, None, "Twente", 21.8)
    assert text == ("In Hof van Twente was 26,4% van de inwoners 65 jaar of ouder (2025), 4,6 procentpunt meer "
                    "(21% meer) dan in Twente (21,8%).")
    assert NO_INTERVAL not in text
    same = duiding(COUNT, "Borne", "2025", 21.8, None, None, "Twente", 21.84)
    assert "evenveel als in Twente" in same
    # the same figures from a survey without intervals: no statement about a difference
    survey = duiding(replace(COUNT, measurement="steekproef"), "Hof van Twente", "2025", 26.4, None, None, "Twente", 21.8)
    assert NO_INTERVAL in survey


def test_ranking_of_counts_names_higher_and_lower_once():
    from monitor.domain.compare import COUNT_NOTE, ranking_sentence

    values = pd.DataFrame({"region_name": ["Hof van Twente", "Enschede", "Borne"], "value": [26.4, 18.6, 21.8],
                           "ci_low": [None] * 3, "ci_high": [None] * 3})
    text = ranking_sentence(values, COUNT, "2025", 21.8)
    assert "Tegen Twente (21,8%): hoger in Hof van Twente; lager in Enschede; gelijk in 1 gemeente." in text
    assert text.count(COUNT_NOTE) == 1 and "betrouwbaarheidsinterval" not in text


def test_counts_colour_the_gemeenten(tmp_path):
    """rondkomen counts (Enschede 18, Hengelo 12, Tubbergen 9) against a Twente count of 13,0
    added here: compared directly without intervals, so each is judged (lower is better), none
    onbekend."""
    from monitor.data import db, store
    from monitor.domain.indicators import gemeenten_comparison

    directory = fx.write(tmp_path / "datasets")
    frame = store.read_frame("observations", directory)
    twente = frame[(frame.indicator_id == "rondkomen")].iloc[[0]].assign(region_code=fx.TWENTE, value=13.0)
    store.write_tables({"observations": store.to_table("observations", pd.concat([frame, twente]))}, directory)
    rows = db.query("indicator_observations", directory, indicator_ids=["rondkomen"])
    meta = Indicator.from_row(db.query("indicator_meta", directory, indicator_ids=["rondkomen"]).iloc[0].to_dict())
    found = gemeenten_comparison(rows, meta, "2022")
    assert dict(zip(found.values["region_code"], found.values["comparison"])) == {
        fx.ENSCHEDE: "ongunstiger", fx.HENGELO: "gunstiger", fx.TUBBERGEN: "gunstiger"}
    assert "procentpunt" not in found.sentence and "Tegen Twente" in found.sentence


def test_paragraph_says_each_thing_once():
    from monitor.domain.compare import NO_INTERVAL, NO_INTERVALS, SAMPLE_SUFFIX, duiding, paragraph

    indicator = Indicator("moeite_met_rondkomen", "Moeite met rondkomen", "%", "lower_is_better",
                          phrase="had {waarde} van de inwoners moeite met rondkomen")
    first = duiding(indicator, "Almelo", "2024", 21.0, None, None, "Nederland", 17.0, is_sample=True)
    second = duiding(indicator, "Almelo", "2024", 21.0, None, None, "Twente", 18.0, is_sample=True)
    ranking = f"Moeite met rondkomen, 2024: … {NO_INTERVALS} Twente (18,0%).{SAMPLE_SUFFIX}"
    text = paragraph([first, second, ranking])
    assert text.count(NO_INTERVAL) == 1
    assert text.count(SAMPLE_SUFFIX.strip()) == 1
    assert NO_INTERVALS not in text
    assert "in Twente was dat 18,0%" in text
