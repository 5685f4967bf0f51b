"""Ranks and rank statements with the significance rule: survey intervals, the funnel for register
rates and proportions, and direct comparison of other counts."""

from __future__ import annotations

import pandas as pd

from monitor.domain.funnel import DIFFERS, DIFFERS_CLEARLY, NOT_DEMONSTRABLE, UNKNOWN
from monitor.domain.indicator import Indicator
from monitor.domain.ranking import Difference, difference, rank, rank_text, standing_sentence

OVERGEWICHT = Indicator("overgewicht", "Overgewicht", "%", "lower_is_better")
BEWEGEN = Indicator("voldoet_beweegrichtlijn", "Voldoet aan beweegrichtlijn", "%", "higher_is_better")
MANTELZORG = Indicator("mantelzorger", "Mantelzorger", "%", "neutral")
WMO = Indicator("wmo_clienten_per_1000", "Wmo-cliënten per 1.000", "per 1.000", "neutral", measurement="telling")
JEUGDBESCHERMING = Indicator("jeugdbescherming", "Jeugdbescherming", "%", "lower_is_better", measurement="telling")
INKOMEN = Indicator("mediaan_inkomen", "Mediaan inkomen", "euro", "higher_is_better", measurement="telling")


def regions(values: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"region_code": [f"GG{i:02d}" for i in range(len(values))],
                         "region_name": [f"Regio {i}" for i in range(len(values))],
                         "value": values, "ci_low": [v - 1.3 for v in values], "ci_high": [v + 1.3 for v in values]})


def test_survey_figures_differ_only_when_the_interval_excludes_the_reference():
    assert difference(OVERGEWICHT, 52.6, 51.3, 53.9, 50.1) == Difference("hoger", DIFFERS, "interval")
    assert difference(OVERGEWICHT, 52.6, 50.1, 55.1, 50.1).strength == NOT_DEMONSTRABLE  # touching
    assert difference(OVERGEWICHT, 48.0, 47.0, 49.0, 50.1) == Difference("lager", DIFFERS, "interval")
    # a survey figure without an interval (a quote): nothing is said
    assert difference(OVERGEWICHT, 56.0, None, None, 50.1) == Difference("onbekend", UNKNOWN, "geen")


def test_register_rates_and_proportions_use_the_funnel():
    # 10 per 1.000 nationally: 12,5 in 10.000 inhabitants is outside 95%, 13,5 outside 99,8%
    assert difference(WMO, 12.5, reference=10.0, population=10_000) == Difference("hoger", DIFFERS, "trechter")
    assert difference(WMO, 13.5, reference=10.0, population=10_000).strength == DIFFERS_CLEARLY
    assert difference(WMO, 12.5, reference=10.0, population=1_000).strength == NOT_DEMONSTRABLE
    assert difference(WMO, 12.5, reference=10.0).strength == UNKNOWN  # no population
    assert difference(JEUGDBESCHERMING, 1.5, reference=1.0, population=20_000).comparison == "hoger"


def test_other_counts_are_compared_directly():
    assert difference(INKOMEN, 36_100, reference=36_000) == Difference("hoger", DIFFERS, "telling")
    assert difference(INKOMEN, 36_000.2, reference=36_000).strength == NOT_DEMONSTRABLE


def test_rank_follows_the_direction_and_shares_ties():
    frame = regions([50.0, 52.6, 48.0, 52.6, 55.0])
    low_best = rank(frame, "lower_is_better").set_index("region_code")
    assert low_best["rank"].to_dict() == {"GG00": 2, "GG01": 3, "GG02": 1, "GG03": 3, "GG04": 5}
    assert low_best.loc["GG01", "tied"] == 1 and low_best.loc["GG00", "tied"] == 0
    high_best = rank(frame, "higher_is_better").set_index("region_code")
    assert high_best["rank"].to_dict() == {"GG00": 4, "GG01": 2, "GG02": 5, "GG03": 2, "GG04": 1}
    neutral = rank(frame, "neutral").set_index("region_code")
    assert neutral.loc["GG04", "rank"] == 1  # neutral: from high to low
    # equal at the precision shown: 52,61 and 52,64 both show as 52,6
    assert rank(regions([52.61, 52.64]), "lower_is_better")["rank"].tolist() == [1, 1]


def test_rank_text():
    assert rank_text(19, 25, "GGD-regio's", "lower_is_better") == "19e van de 25 GGD-regio's"
    assert rank_text(3, 25, "GGD-regio's", "lower_is_better", tied=2) == "gedeeld 3e van de 25 GGD-regio's"
    assert rank_text(7, 25, "GGD-regio's", "neutral") == "op plaats 7 van de 25 GGD-regio's"
    assert rank_text(7, 25, "GGD-regio's", "neutral", tied=1) == "op gedeelde plaats 7 van de 25 GGD-regio's"


def test_standing_sentences():
    values = [50.0 + i * 0.5 for i in range(25)]
    values[18] = 52.6
    frame = regions(values)
    ranked = rank(frame, "lower_is_better")
    position = int(ranked.set_index("region_code").loc["GG18", "rank"])
    sentence = standing_sentence("Twente", ranked, "GG18", OVERGEWICHT, "2022", "GGD-regio's",
                                 reference=50.1)
    assert sentence == (f"Twente staat {position}e van de 25 GGD-regio's met 52,6% (2022); ongunstiger dan "
                        "Nederland (50,1%).")
    wide = frame.assign(ci_low=frame["value"] - 5, ci_high=frame["value"] + 5)
    sentence = standing_sentence("Twente", rank(wide, "lower_is_better"), "GG18", OVERGEWICHT, "2022",
                                 "GGD-regio's", reference=50.1)
    assert sentence.endswith("; het verschil met Nederland (50,1%) is niet aantoonbaar.")
    neutral = standing_sentence("Twente", rank(frame, "neutral"), "GG18", MANTELZORG, "2022", "GGD-regio's",
                                reference=50.1)
    assert "op plaats" in neutral and "hoger dan Nederland (50,1%)" in neutral
    assert "gunstig" not in neutral
    favourable = standing_sentence("Twente", rank(frame, "higher_is_better"), "GG18", BEWEGEN, "2022",
                                   "GGD-regio's", reference=50.1)
    assert favourable.endswith("; gunstiger dan Nederland (50,1%).")
    assert standing_sentence("Twente", rank(frame, "neutral"), "XX", MANTELZORG, "2022", "GGD-regio's") == (
        "Voor Twente is er geen cijfer (Mantelzorger, 2022).")


def test_register_sentence_says_clearly():
    frame = pd.DataFrame({"region_code": ["GM1", "GM2"], "region_name": ["A", "B"], "value": [13.5, 10.0],
                          "ci_low": [None, None], "ci_high": [None, None]})
    sentence = standing_sentence("A", rank(frame, "neutral"), "GM1", WMO, "2024", "gemeenten", reference=10.0,
                                 population=10_000)
    assert sentence == ("A staat op plaats 1 van de 2 gemeenten met 13,5 per 1.000 (2024); duidelijk hoger dan "
                        "Nederland (10 per 1.000).")


def test_a_difference_the_rounding_could_make_is_not_called_one():
    wanbetalers = Indicator("wanbetalers_zorgpremie", "Wanbetalers", "%", "lower_is_better", measurement="telling")
    # COROP Twente: 1,0% of about 510.000 insured against 1,1% nationally; both rounded to one decimal
    assert difference(wanbetalers, 1.0, reference=1.1, population=510_000) == Difference(
        "geen verschil", NOT_DEMONSTRABLE, "trechter")
    assert difference(wanbetalers, 1.4, reference=1.1, population=130_000).comparison == "hoger"
    assert "onbekend over hoeveel inwoners" in standing_sentence(
        "A", rank(regions([1.4]), "lower_is_better"), "GG00", wanbetalers, "2023", "gemeenten", reference=1.1)
