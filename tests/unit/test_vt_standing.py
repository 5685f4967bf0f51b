"""Twente tussen de Veilig Thuis-regio's: the neutral statement (monitor/domain/vt_standing.py) and
the block's view (monitor/views/vt_regions.py): rank from the highest, hoger/lager dan Nederland,
whether the difference is more than chance by the funnel, never a judgement."""

from __future__ import annotations

import pandas as pd
import pytest

from monitor.domain import funnel, vt_standing
from monitor.domain.regions import NEDERLAND, TWENTE
from monitor.views.vt_regions import build_vt_regions, inhabitants

JUDGEMENTS = ("gunstig", "ongunstig", "beter", "slechter", "zorgelijk")


def _rows(twente_rate: float, twente_count: int, kind: str = "melding", others: int = 24) -> pd.DataFrame:
    """Every Veilig Thuis-regio and Nederland as vt_regions gives them: the others spread around
    Nederland's 3,56 per 1.000, each of 500.000 inwoners."""
    rows = [{"region_code": NEDERLAND, "region_name": "Nederland", "region_kind": "land", "count": 64_235,
             "per_1000": 3.56}]
    rows += [{"region_code": TWENTE, "region_name": "Twente (GGD-regio)", "region_kind": "vt_regio",
              "count": twente_count, "per_1000": twente_rate}]
    rows += [{"region_code": f"VT{n:02d}", "region_name": f"Regio {n}", "region_kind": "vt_regio",
              "count": int(round((2.0 + 0.1 * n) * 500)), "per_1000": round(2.0 + 0.1 * n, 2)}
             for n in range(1, others + 1)]
    frame = pd.DataFrame(rows).assign(kind=kind, is_sample=False, source_title="Huiselijk geweld; kerncijfers "
                                      "Veilig Thuis, regio", source_peildatum=pd.Timestamp("2024-06-30"))
    return frame


def test_rank_is_counted_from_the_highest_in_neutral_words():
    assert vt_standing.rank_words(1, 25) == "de hoogste van de 25 Veilig Thuis-regio's"
    assert vt_standing.rank_words(19, 25) == "de 19e hoogste van de 25 Veilig Thuis-regio's"
    assert vt_standing.rank_words(4, 25, tied=2) == "gedeeld de 4e hoogste van de 25 Veilig Thuis-regio's"


def test_a_rate_outside_the_funnel_is_more_than_chance_and_said_neutrally():
    # Twente 3,40 per 1.000 of about 640.000 inwoners against Nederland's 3,56: the 95% limits for
    # that population lie closer than 0,16 (worked out below), the 99,8% limits do not.
    population = 2175 * 1000 / 3.40
    low95, _high = funnel.limits(3.56, population, 0.95)
    low998, _high = funnel.limits(3.56, population, 0.998)
    assert low998 < 3.40 + 0.01 < low95  # the rounding step moves 3,40 one unit towards Nederland first
    view = build_vt_regions(_rows(3.40, 2175), "melding", "2024H1")
    sentence = view.view.sentence
    # 3,40 is also Regio 14's rate: they share the rank
    assert sentence.startswith("Twente: 3,40 meldingen per 1.000 inwoners in 1e halfjaar 2024, gedeeld de 11e "
                               "hoogste van de 25 Veilig Thuis-regio's; ")
    assert "lager dan Nederland (3,56 per 1.000); dat verschil is meer dan toeval (buiten de 95%-grenzen" in sentence
    assert not any(word in sentence.lower() for word in JUDGEMENTS)


def test_a_small_difference_may_be_chance():
    sentence = build_vt_regions(_rows(3.58, 2290), "melding", "2024H1").view.sentence
    assert "hoger dan Nederland (3,56 per 1.000), maar dat verschil kan toeval zijn (binnen de 95%-grenzen" in sentence


def test_a_large_difference_is_clearly_more_than_chance():
    sentence = build_vt_regions(_rows(4.50, 2880), "melding", "2024H1").view.sentence
    assert sentence.endswith("hoger dan Nederland (3,56 per 1.000); dat verschil is meer dan toeval "
                             "(buiten de 99,8%-grenzen van de trechter).")
    assert "de hoogste van de 25" in sentence


def test_the_chart_rows_are_every_vt_regio_compared_with_nederland_in_neutral_colours():
    view = build_vt_regions(_rows(3.40, 2175), "melding", "2024H1").view
    ranked = view.ranked
    assert len(ranked) == 25 and set(ranked["region_kind"]) == {"vt_regio"}
    assert NEDERLAND not in set(ranked["region_code"])
    assert set(ranked["comparison"]) <= {"hoger", "lager", "geen verschil", "onbekend"}
    twente = ranked[ranked["region_code"] == TWENTE].iloc[0]
    assert twente["region_name"] == "Twente (Veilig Thuis-regio)" and twente["value_label"] == "3,40 per 1.000"
    assert twente["population"] == pytest.approx(2175 * 1000 / 3.40)
    assert view.indicator.direction == "neutral" and view.national == 3.56
    assert view.sources[0][0] == "Huiselijk geweld; kerncijfers Veilig Thuis, regio · Twente (Veilig Thuis-regio)"


def test_inhabitants_come_from_the_kind_with_the_largest_count():
    rows = pd.concat([_rows(3.40, 2175, "melding"), _rows(0.16, 100, "onderzoek")], ignore_index=True)
    found = inhabitants(rows)
    assert found[TWENTE] == pytest.approx(2175 * 1000 / 3.40)  # not 100 / 0,16 (625.000)
    view = build_vt_regions(rows, "onderzoek", "2024H1").view
    assert view.ranked.set_index("region_code").loc[TWENTE, "population"] == pytest.approx(2175 * 1000 / 3.40)


def test_without_other_regions_the_block_says_why():
    rows = _rows(3.40, 2175, others=1)  # voorbeelddata or a raw import: Twente only
    block = build_vt_regions(rows, "melding", "2024H1")
    assert block.view is None and "publiceert alleen CBS" in block.message
    assert build_vt_regions(None, "melding", "2024H1").view is None
