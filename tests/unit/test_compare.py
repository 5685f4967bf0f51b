"""Comparison method and Dutch duiding sentences, on the real figures in the committed datasets.

The indicator dicts are built from the committed ``indicators`` rows with the phrase written
here, so the tests do not depend on which phrase the catalogue carries.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest

from tests.helpers import with_generated_series
from monitor.data import store
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
from monitor.domain.regions import TWENTE_GEMEENTEN

PHRASES = {
    "overgewicht": "had {waarde} van de volwassenen overgewicht",
    "zware_drinker": "was {waarde} van de volwassenen een zware drinker",
    "mantelzorger": "gaf {waarde} van de volwassenen mantelzorg",
    "moeite_met_rondkomen": "had {waarde} van de inwoners moeite met rondkomen",
    "eenzaam_65plus": "voelde {waarde} van de 65-plussers zich matig tot ernstig eenzaam",
    "werkenden_zorg_welzijn": "werkten {waarde} mensen in zorg en welzijn",
    "voldoet_beweegrichtlijn": "voldeed {waarde} van de volwassenen aan de beweegrichtlijn",
}


@pytest.fixture(scope="module")
def observations() -> pd.DataFrame:
    return with_generated_series(store.read_frame("observations"))


@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    return store.read_frame("indicators").set_index("indicator_id")


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


def sentence(ind: Indicator, name: str, row: dict, ref_name: str | None = None, ref: dict | None = None) -> str:
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
    """mantelzorger is neutral: Twente is clearly higher than Nederland, but never 'gunstiger'."""
    ind = indicator(indicators, "mantelzorger")
    assert ind.direction == "neutral"
    twente, nl = obs(observations, "mantelzorger", "GG_TWENTE", "2020"), obs(observations, "mantelzorger", "NL01", "2020")
    comparison = compare(twente["value"], twente["ci_low"], twente["ci_high"], nl["value"], nl["ci_low"], nl["ci_high"])
    assert comparison == "hoger"
    assert judgement(ind.direction, comparison) == "hoger"
    for code in TWENTE_GEMEENTEN:
        row = obs(observations, "mantelzorger", code, "2020")
        word = judgement("neutral", compare(row["value"], row["ci_low"], row["ci_high"],
                                            nl["value"], nl["ci_low"], nl["ci_high"]))
        assert word in ("hoger", "lager", "geen verschil", "onbekend")
    text = sentence(ind, "Twente", twente, "Nederland", nl)
    assert text == "In Twente gaf 16,5% van de volwassenen mantelzorg (2020), meer dan in Nederland (13,5%)."
    assert "gunstig" not in text


# --- duiding on real 2020 figures -------------------------------------------------------------

def test_enschede_against_nederland_overgewicht_2020_is_within_margin(observations, indicators):
    """Enschede 51,1% [47,5–54,7] and Nederland 49,4% [49,2–49,7]: the intervals overlap, so the
    sentence does not call it a difference ('meer dan' would overclaim)."""
    text = sentence(indicator(indicators, "overgewicht"), "Enschede",
                    obs(observations, "overgewicht", "GM0153", "2020"), "Nederland",
                    obs(observations, "overgewicht", "NL01", "2020"))
    assert text == ("In Enschede had 51,1% van de volwassenen overgewicht (2020), ongeveer evenveel als in "
                    "Nederland (49,4%) — het verschil valt binnen de onzekerheidsmarge.")


def test_twenterand_against_nederland_overgewicht_2020_is_more(observations, indicators):
    text = sentence(indicator(indicators, "overgewicht"), "Twenterand",
                    obs(observations, "overgewicht", "GM1700", "2020"), "Nederland",
                    obs(observations, "overgewicht", "NL01", "2020"))
    assert text == ("In Twenterand had 59,5% van de volwassenen overgewicht (2020), meer dan in "
                    "Nederland (49,4%).")


def test_twente_against_nederland_zware_drinker_2020(observations, indicators):
    text = sentence(indicator(indicators, "zware_drinker"), "Twente",
                    obs(observations, "zware_drinker", "GG_TWENTE", "2020"), "Nederland",
                    obs(observations, "zware_drinker", "NL01", "2020"))
    assert text == ("In Twente was 10,4% van de volwassenen een zware drinker (2020), meer dan in "
                    "Nederland (8,2%).")


def test_almelo_against_twente_zware_drinker_2020_is_less(observations, indicators):
    text = sentence(indicator(indicators, "zware_drinker"), "Almelo",
                    obs(observations, "zware_drinker", "GM0141", "2020"), "Twente",
                    obs(observations, "zware_drinker", "GG_TWENTE", "2020"))
    assert text == ("In Almelo was 8,3% van de volwassenen een zware drinker (2020), minder dan in "
                    "Twente (10,4%).")


def test_without_phrase_uses_name(observations, indicators):
    twente = obs(observations, "zware_drinker", "GG_TWENTE", "2020")
    nl = obs(observations, "zware_drinker", "NL01", "2020")
    expected = "Zware drinkers in Twente: 10,4% (2020), hoger dan in Nederland (8,2%)."
    ind = indicator(indicators, "zware_drinker", phrase=None)
    assert ind.name == "Zware drinkers"
    assert sentence(ind, "Twente", twente, "Nederland", nl) == expected
    for empty in (None, float("nan"), ""):
        assert sentence(indicator(indicators, "zware_drinker", phrase=empty), "Twente", twente,
                        "Nederland", nl) == expected
    enschede = obs(observations, "overgewicht", "GM0153", "2020")
    nl_og = obs(observations, "overgewicht", "NL01", "2020")
    assert sentence(indicator(indicators, "overgewicht", phrase=None), "Enschede", enschede, "Nederland",
                    nl_og) == ("Overgewicht in Enschede: 51,1% (2020), ongeveer even hoog als in Nederland "
                               "(49,4%) — het verschil valt binnen de onzekerheidsmarge.")


def test_voorbeelddata_sentence_carries_the_mark(observations, indicators):
    """Voorbeelddata Enschede 2023 against the jaarplan's Twente figure: no intervals, no verdict."""
    enschede = obs(observations, "moeite_met_rondkomen", "GM0153", "2023")
    twente = obs(observations, "moeite_met_rondkomen", "GG_TWENTE", "2023")
    assert enschede["is_sample"] and not twente["is_sample"]
    text = sentence(indicator(indicators, "moeite_met_rondkomen"), "Enschede", enschede, "Twente", twente)
    assert text == ("In Enschede had 20,8% van de inwoners moeite met rondkomen (2023); in Twente was dat "
                    "18,0% (geen betrouwbaarheidsinterval, dus geen uitspraak over een verschil). "
                    "Let op: voorbeelddata, geen echte meting.")


def test_real_figure_without_reference_and_count_unit(observations, indicators):
    row = obs(observations, "werkenden_zorg_welzijn", "GG_TWENTE", "2023")
    assert sentence(indicator(indicators, "werkenden_zorg_welzijn"), "Twente", row) == (
        "In Twente werkten 55.400 mensen in zorg en welzijn (2023).")
    assert "Let op" not in sentence(indicator(indicators, "overgewicht"), "Twente",
                                    obs(observations, "overgewicht", "GG_TWENTE", "2020"))


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
                        & observations.region_code.isin(list(TWENTE_GEMEENTEN))].copy()
    rows["region_name"] = rows["region_code"].map(TWENTE_GEMEENTEN)
    return rows


def test_ranking_sentence_zware_drinker_2020(observations, indicators):
    values = _gemeenten(observations, "zware_drinker", "2020")
    assert len(values) == 14
    twente = obs(observations, "zware_drinker", "GG_TWENTE", "2020")
    text = ranking_sentence(values, indicator(indicators, "zware_drinker"), "2020",
                            twente["value"], twente["ci_low"], twente["ci_high"])
    assert text == (
        "Zware drinkers, 2020: van de 14 gemeenten lag Tubbergen het hoogst (18,3%) en Wierden het laagst "
        "(7,9%). 4 gemeenten verschilden van Twente (10,4%): hoger in Tubbergen, Dinkelland en "
        "Hellendoorn, lager in Almelo. Bij de andere 10 valt het verschil binnen de onzekerheidsmarge.")


def test_ranking_sentence_neutral_and_one_difference(observations, indicators):
    values = _gemeenten(observations, "mantelzorger", "2020")
    twente = obs(observations, "mantelzorger", "GG_TWENTE", "2020")
    text = ranking_sentence(values, indicator(indicators, "mantelzorger"), "2020",
                            twente["value"], twente["ci_low"], twente["ci_high"])
    assert text == (
        "Mantelzorgers, 2020: van de 14 gemeenten lag Rijssen-Holten het hoogst (19,6%) en Enschede het "
        "laagst (13,6%). 1 gemeente verschilde van Twente (16,5%): hoger in Rijssen-Holten. Bij de andere "
        "13 valt het verschil binnen de onzekerheidsmarge.")
    assert "gunstig" not in text


def test_ranking_sentence_voorbeelddata_makes_no_claim(observations, indicators):
    values = _gemeenten(observations, "moeite_met_rondkomen", "2024")
    twente = obs(observations, "moeite_met_rondkomen", "GG_TWENTE", "2023")
    text = ranking_sentence(values, indicator(indicators, "moeite_met_rondkomen"), "2024", twente["value"],
                            twente_period="2023")
    assert text == (
        "Moeite met rondkomen, 2024: van de 14 gemeenten lag Almelo het hoogst (20,5%) en Borne het laagst "
        "(13,2%). Zonder betrouwbaarheidsintervallen doen we geen uitspraak over verschillen met Twente "
        "(18,0% in 2023). Let op: voorbeelddata, geen echte meting.")


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


def test_trend_sentence_real_figures(observations, indicators):
    ind = indicator(indicators, "overgewicht")
    series = observations[(observations.indicator_id == "overgewicht") & (observations.subgroup == "totaal")
                          & observations.region_code.isin(["GG_TWENTE", "NL01"])
                          & observations.period.isin(["2016", "2020"])].copy()
    series["region_name"] = series["region_code"].map({"GG_TWENTE": "Twente", "NL01": "Nederland"})
    assert trend_sentence(series, ind, "Twente") == (
        "In Twente had 53,2% van de volwassenen overgewicht (2020), ongeveer evenveel als in 2016 (52,1%) "
        "— het verschil valt binnen de onzekerheidsmarge.")
    assert trend_sentence(series, ind, "Nederland") == (
        "In Nederland had 49,4% van de volwassenen overgewicht (2020), meer dan in 2016 (48,9%).")
    assert trend_sentence(series, ind, "Losser") == "Voor Losser is er geen cijfer (Overgewicht)."


def test_trend_sentence_voorbeelddata(observations, indicators):
    series = observations[(observations.indicator_id == "eenzaam_65plus") & (observations.region_code == "GM0153")]
    assert trend_sentence(series, indicator(indicators, "eenzaam_65plus"), "Enschede") == (
        "In Enschede voelde 53,8% van de 65-plussers zich matig tot ernstig eenzaam (2024); in 2021 was dat "
        "53,4% (geen betrouwbaarheidsinterval, dus geen uitspraak over een verschil). "
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


def test_real_counts_colour_the_gemeenten():
    from monitor.data import db
    from monitor.domain.indicators import gemeenten_comparison

    rows = db.query("indicator_observations", indicator_ids=["aandeel_65plus"])
    meta = Indicator.from_row(db.query("indicator_meta", indicator_ids=["aandeel_65plus"]).iloc[0].to_dict())
    found = gemeenten_comparison(rows, meta, "2025")
    assert set(found.values["comparison"]) <= {"hoger", "lager", "geen verschil"}
    assert "onbekend" not in set(found.values["comparison"])
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
