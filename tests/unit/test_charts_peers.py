"""The peer charts: the spread of a peer group, the funnel plot and all regions ranked; their
points, shapes, Dutch labels and text alternatives, and that they compile and render with the
Vega-Lite Streamlit ships."""

from __future__ import annotations

import pandas as pd
import pytest

from monitor.charts import peers as charts
from monitor.domain.funnel import funnel_curve
from monitor.domain.indicator import Indicator
from monitor.domain.text import format_value
from tests.chart_spec import assert_tooltips_are_strings, layers, mark, render_svgs, values

WMO = Indicator("wmo_clienten_per_1000", "Wmo-cliënten per 1.000 inwoners", "per 1.000", "neutral",
                measurement="telling")
OVERGEWICHT = Indicator("overgewicht", "Overgewicht", "%", "lower_is_better")
WANBETALERS = Indicator("wanbetalers_zorgpremie", "Wanbetalers zorgpremie", "%", "lower_is_better")


def members() -> pd.DataFrame:
    rows = [("Enschede", 99.0, 161_235, True, True, "verschilt duidelijk"),
            ("Hengelo", 70.0, 87_000, False, True, "verschilt"),
            ("Apeldoorn", 79.0, 167_191, False, False, "verschilt duidelijk"),
            ("Breda", 64.0, 186_438, False, False, "verschilt niet aantoonbaar"),
            ("Kleindorp", 52.0, 4_000, False, False, "verschilt niet aantoonbaar")]
    frame = pd.DataFrame(rows, columns=["region_name", "value", "population", "is_gemeente", "is_twente", "verschil"])
    frame["inhabitants"] = frame["population"]
    frame["value_label"] = [format_value(v, "per 1.000") for v in frame["value"]]
    frame["ci_label"] = "–"
    return frame


def _points(spec: dict) -> list[dict]:
    return [layer for layer in layers(spec) if mark(layer)["type"] == "point"]


def test_spread_chart_marks_the_gemeente_the_twente_gemeenten_and_the_spread():
    chart = charts.peer_spread_chart(members(), WMO, 70.0, (64.0, 79.0), 65.0,
                                     "gemeenten met 150.000–250.000 inwoners (n = 5)")
    spec = chart.to_dict()
    point = _points(spec)[0]
    roles = {r["region_name"]: r["role"] for r in values(spec, point)}
    assert roles == {"Enschede": "gekozen gemeente", "Hengelo": "Twentse gemeente", "Apeldoorn": "andere gemeente",
                     "Breda": "andere gemeente", "Kleindorp": "andere gemeente"}
    assert point["encoding"]["shape"]["scale"]["range"] == ["diamond", "triangle-up", "circle"]
    rect = next(layer for layer in layers(spec) if mark(layer)["type"] == "rect")
    assert values(spec, rect)[0]["low"] == 64.0 and values(spec, rect)[0]["high"] == 79.0
    rules = next(layer for layer in layers(spec) if mark(layer)["type"] == "rule")
    assert {r["text"] for r in values(spec, rules)} == {"mediaan: 70 per 1.000", "Nederland: 65 per 1.000"}
    # whole-number rates per 1.000 (as CBS publishes them) show no decimal
    assert "Enschede: 99 per 1.000" in spec["description"] and "Mediaan 70 per 1.000" in spec["description"]
    assert "99,0" not in spec["description"]
    assert "dutch" not in spec["description"]
    assert_tooltips_are_strings(spec)


def test_funnel_chart_has_the_limits_the_national_line_and_every_point():
    curve = pd.DataFrame(funnel_curve(65.0, 3_000, 200_000, "rate", 1000))
    spec = charts.funnel_chart(members(), curve, WMO, 65.0).to_dict()
    line = next(layer for layer in layers(spec) if mark(layer)["type"] == "line")
    assert {r["line"] for r in values(spec, line)} == {"95%-grens lower", "95%-grens upper",
                                                      "99,8%-grens lower", "99,8%-grens upper"}
    assert line["encoding"]["x"]["scale"]["type"] == "log"
    assert line["encoding"]["x"]["axis"]["values"] == [5000.0, 10000.0, 20000.0, 50000.0, 100000.0, 200000.0]
    assert len(values(spec, _points(spec)[0])) == 5
    assert spec["description"].startswith("Trechterplot van Wmo-cliënten per 1.000 inwoners voor 5 gemeenten")
    assert "Enschede: 99 per 1.000, verschilt duidelijk." in spec["description"]
    assert spec["description"].endswith("Tegenover Nederland: 2 gemeenten verschillen duidelijk, 1 gemeente "
                                        "verschilt, 2 gemeenten verschillen niet aantoonbaar.")
    assert_tooltips_are_strings(spec)


def test_regions_chart_names_the_regions_and_outlines_twente():
    ranked = pd.DataFrame({"region_name": ["GGD A", "Twente (GGD-regio)", "GGD B"], "value": [48.0, 52.6, 55.0],
                           "ci_low": [47.0, 51.3, 54.0], "ci_high": [49.0, 53.9, 56.0],
                           "comparison": ["gunstiger", "ongunstiger", "ongunstiger"],
                           "value_label": ["48,0%", "52,6%", "55,0%"], "is_sample": False})
    spec = charts.regions_chart(ranked, OVERGEWICHT, 50.3, "GGD-regio's", "Twente (GGD-regio)").to_dict()
    assert spec["description"].startswith("Staafdiagram: Overgewicht voor 3 GGD-regio's")
    outlined = [layer for layer in layers(spec) if mark(layer).get("fillOpacity") == 0]
    assert [r["region_name"] for r in values(spec, outlined[0])] == ["Twente (GGD-regio)"]
    assert spec["height"] == {"step": 18}



def test_regions_strip_chart_shows_every_region_as_a_dot_none_hidden_twente_named():
    """The slide's chart: every region a dot at its value, equal values stacked (none hidden
    under another), Twente ringed and named with its figure, Nederland a line."""
    names = [f"COROP {i}" for i in range(9)] + ["Twente (COROP-gebied)"]
    values_ = [0.6, 0.7, 0.7, 0.8, 1.0, 1.0, 1.3, 1.5, 2.0, 1.0]
    ranked = pd.DataFrame({"region_name": names, "value": values_, "ci_low": None, "ci_high": None,
                           "comparison": ["gunstiger"] * 4 + ["geen verschil"] * 2 + ["ongunstiger"] * 3
                           + ["geen verschil"],
                           "value_label": [format_value(v, "%") for v in values_], "is_sample": False})
    spec = charts.regions_strip_chart(ranked, WANBETALERS, 1.1, "COROP-gebieden", "Twente (COROP-gebied)",
                                      description="Twente staat 5e").to_dict()
    dots = values(spec, layers(spec)[1])
    assert sorted(d["region_name"] for d in dots) == sorted(names)
    assert len({(d["value"], d["stack"]) for d in dots}) == len(names)  # no dot on another
    named = [d["twente_text"] for d in dots if d["twente_text"]]
    assert named == ["Twente (COROP-gebied): 1,0%"]
    assert spec["description"] == "Twente staat 5e" and "10 COROP-gebieden" in spec["title"]["subtitle"]
    assert any(mark(layer).get("type") == "rule" for layer in layers(spec))  # Nederland

def test_empty_input_says_geen_gegevens():
    with pytest.raises(ValueError, match="geen gegevens"):
        charts.peer_spread_chart(members().assign(value=None), WMO, 1.0, (1.0, 2.0))


def test_the_charts_compile_and_render(tmp_path):
    curve = pd.DataFrame(funnel_curve(65.0, 3_000, 200_000, "rate", 1000))
    svgs = render_svgs({"spread": charts.peer_spread_chart(members(), WMO, 70.0, (64.0, 79.0), 65.0),
                        "funnel": charts.funnel_chart(members(), curve, WMO, 65.0)}, tmp_path)
    assert "Enschede" in svgs["spread"] and "Enschede" in svgs["funnel"]
    assert "100.000" in svgs["funnel"]  # Dutch thousands on the log axis
