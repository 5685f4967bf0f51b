"""The Vergelijken view model on synthetic query results: a gemeente among its peers (rank, median,
sentences, funnel, table) and Twente among the regions of its figure's kind."""

from __future__ import annotations

import pandas as pd
import pytest

from monitor.domain.indicator import Indicator
from monitor.views.vergelijken import (build_peer_view, build_region_view, peer_period, peer_table,
                                       twente_kind)

BIG, MID = "150 000 tot 250 000 inwoners", "50 000 tot 100 000 inwoners"
OVERGEWICHT = Indicator("overgewicht", "Overgewicht", "%", "lower_is_better")
WMO = Indicator("wmo_clienten_per_1000", "Wmo-cliënten per 1.000 inwoners", "per 1.000", "neutral",
                measurement="telling")
WANBETALERS = Indicator("wanbetalers_zorgpremie", "Wanbetalers zorgpremie", "%", "lower_is_better",
                        measurement="telling")


def gemeenten(values: dict[str, float], ci: float | None = 2.0) -> pd.DataFrame:
    """Six big sterk stedelijke gemeenten (Enschede and Hengelo of Twente among them), two mid-size."""
    rows = [("GM0153", "Enschede", 7, BIG, 160_000), ("GM0001", "Stad A", 7, BIG, 170_000),
            ("GM0002", "Stad B", 7, BIG, 180_000), ("GM0003", "Stad C", 7, BIG, 190_000),
            ("GM0004", "Stad D", 7, BIG, 200_000), ("GM0164", "Hengelo", 7, BIG, 150_000),
            ("GM0011", "Midden A", 5, MID, 60_000), ("GM0012", "Midden B", 5, MID, 70_000)]
    frame = pd.DataFrame(rows, columns=["region_code", "region_name", "size_class", "size_class_name",
                                        "inhabitants"])
    frame["urbanity"], frame["urbanity_name"] = 2, "Sterk stedelijk"
    frame["value"] = [values.get(code) for code in frame["region_code"]]
    frame["ci_low"] = [None if v is None or ci is None else v - ci for v in frame["value"]]
    frame["ci_high"] = [None if v is None or ci is None else v + ci for v in frame["value"]]
    frame["is_sample"] = False
    frame["source_title"], frame["source_peildatum"] = "CBS 85563NED", pd.Timestamp("2022-12-31")
    return frame


def test_a_gemeente_among_its_peers():
    values = {"GM0153": 48.3, "GM0001": 44.0, "GM0002": 52.1, "GM0003": 53.0, "GM0004": 47.0, "GM0164": 55.0,
              "GM0011": 60.0}
    view = build_peer_view(OVERGEWICHT, "2022", gemeenten(values), 50.3, "GM0153")
    assert view.group.size == 6 and view.group.description.endswith("(n = 6)")
    assert set(view.members["region_code"]) == {"GM0153", "GM0001", "GM0002", "GM0003", "GM0004", "GM0164"}
    assert view.median == pytest.approx(50.2)
    assert view.quartiles == (pytest.approx(47.325), pytest.approx(52.775))
    assert view.sentences == [
        "Enschede staat 3e van de 6 vergelijkbare gemeenten met 48,3% (2022); het verschil met de mediaan van "
        "de groep (50,2%) is niet aantoonbaar.",
        "Het verschil met Nederland (50,3%) is niet aantoonbaar."]
    assert view.funnel_points is None  # a survey figure: intervals, no funnel
    assert view.members.set_index("region_code").loc["GM0164", "is_twente"]
    assert view.sources == [("CBS 85563NED", pd.Timestamp("2022-12-31"), False)]


def test_missing_figures_are_counted_and_left_out():
    view = build_peer_view(OVERGEWICHT, "2022", gemeenten({"GM0153": 48.0, "GM0001": 44.0}), 50.3, "GM0153")
    assert view.missing == 4 and len(view.members) == 2


def test_a_register_rate_gets_a_funnel_around_the_national_value():
    values = {"GM0153": 99.0, "GM0001": 79.0, "GM0002": 66.0, "GM0003": 64.0, "GM0004": 62.0, "GM0164": 70.0,
              "GM0011": 50.0, "GM0012": 65.0}
    view = build_peer_view(WMO, "2024H1", gemeenten(values, ci=None), 65.0, "GM0153")
    assert len(view.funnel_points) == 8  # every gemeente with a figure, not only the peers
    assert set(view.funnel_curve["level"]) == {0.95, 0.998}
    assert view.funnel_curve["population"].min() <= 60_000 and view.funnel_curve["population"].max() >= 200_000
    assert view.sentences[1] == "Enschede is duidelijk hoger dan Nederland (65 per 1.000)."
    table = view.table.set_index("Gemeente")
    assert table.loc["Enschede (Twente)", "Tegenover Nederland"] == "verschilt duidelijk"
    assert table.loc["Stad B", "Tegenover Nederland"] == "verschilt niet aantoonbaar"
    assert table.loc["Enschede (Twente)", "Inwoners"] == "160.000"
    assert table.loc["Enschede (Twente)", "Grootteklasse"] == "150.000–250.000 inwoners"


def test_a_proportion_takes_its_denominator_from_the_count_beside_it():
    values = {"GM0153": 1.4, "GM0001": 1.1, "GM0002": 1.0, "GM0003": 1.2, "GM0004": 0.9, "GM0164": 1.1}
    counts = pd.DataFrame({"region_code": ["GM0153", "GM0001"], "value": [1820.0, 1430.0]})
    view = build_peer_view(WANBETALERS, "2023", gemeenten(values, ci=None), 1.1, "GM0153", counts=counts)
    points = view.funnel_points.set_index("region_code")
    assert points.loc["GM0153", "population"] == pytest.approx(130_000)  # 1.820 / 1,4%
    assert set(points.index) == {"GM0153", "GM0001"}  # no count, no denominator, no point
    assert view.sentences[1] == "Enschede is duidelijk ongunstiger dan Nederland (1,1%)."


def test_picked_group_and_peer_table_order():
    values = {"GM0153": 48.3, "GM0011": 44.0, "GM0012": 52.0}
    view = build_peer_view(OVERGEWICHT, "2022", gemeenten(values), 50.3, "GM0153", "gekozen", ("GM0011", "GM0012"))
    assert view.group.too_small and view.group.notice.startswith("Een kleine groep (n = 3)")
    assert peer_table(view.members, OVERGEWICHT)["Gemeente"].tolist() == ["Midden A", "Enschede (Twente)", "Midden B"]


def coverage() -> pd.DataFrame:
    return pd.DataFrame([
        ("overgewicht", "2022", "totaal", "gemeente", 339, False, False),
        ("overgewicht", "2022", "totaal", "ggd_regio", 25, True, False),
        ("overgewicht", "2023", "totaal", "ggd_regio", 1, True, False),  # a jaarplan quote, Twente only
        ("overgewicht", "2016", "totaal", "ggd_regio", 22, True, False),
        ("wmo_clienten_per_1000", "2024H1", "totaal", "gemeente", 333, False, False),
        ("wmo_clienten_per_1000", "2024H1", "totaal", "ggd_regio", 1, True, False),  # computed by the monitor
    ], columns=["indicator_id", "period", "subgroup", "region_kind", "regions", "has_twente", "is_sample"])


def test_periods_and_kinds_from_the_coverage():
    assert peer_period(coverage(), "overgewicht") == "2022"
    assert twente_kind(coverage(), "overgewicht") == ("2022", "ggd_regio")
    assert twente_kind(coverage(), "wmo_clienten_per_1000") is None
    assert peer_period(coverage(), "onbekend") is None


def ggd_regions(intervals: bool = True) -> pd.DataFrame:
    """24 GGD-regio's from 45,0% up, Twente (52,6%) and Nederland (50,3%), as region_values gives them."""
    values = [45.0 + i * 0.5 for i in range(24)] + [52.6, 50.3]
    return pd.DataFrame({
        "region_code": [f"GG{i:04d}" for i in range(24)] + ["GG_TWENTE", "NL01"],
        "region_name": [f"GGD {i}" for i in range(24)] + ["Twente (GGD-regio)", "Nederland"],
        "region_kind": ["ggd_regio"] * 25 + ["land"], "value": values,
        "ci_low": [v - 1.3 if intervals else None for v in values],
        "ci_high": [v + 1.3 if intervals else None for v in values],
        "is_sample": False, "source_title": "CBS 85563NED", "source_peildatum": pd.Timestamp("2022-12-31")})


def test_twente_among_the_regions():
    view = build_region_view(OVERGEWICHT, "2022", "ggd_regio", ggd_regions())
    assert len(view.ranked) == 25 and view.national == 50.3
    assert view.sentence == ("Twente staat 17e van de 25 GGD-regio's met 52,6% (2022); ongunstiger dan "
                             "Nederland (50,3%).")
    twente = view.ranked.set_index("region_code").loc["GG_TWENTE"]
    assert twente["comparison"] == "ongunstiger"


def test_the_regions_slide_of_the_bo_deck():
    from monitor.views.presentatie import KINDS, regions_slide

    view = build_region_view(OVERGEWICHT, "2022", "ggd_regio", ggd_regions(intervals=False))
    slide = regions_slide([view])
    assert KINDS.index("regios") == KINDS.index("gemeenten") + 1
    assert slide.kind == "regios" and slide.title == "Twente tussen de regio's: Overgewicht (2022)"
    assert slide.bullets == [view.sentence] and slide.chart is not None
    assert "geen uitspraak (geen betrouwbaarheidsinterval)" in view.sentence  # a survey figure without interval
    assert slide.sources == ["Bron: CBS 85563NED · Twente (GGD-regio) · peildatum 31 december 2022"]
