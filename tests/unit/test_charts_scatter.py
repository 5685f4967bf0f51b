"""scatter_chart: two indicators across the gemeenten, names on hover and on the points."""

from __future__ import annotations

import pandas as pd
import pytest

from monitor.charts import comparisons as charts
from monitor.domain.regions import TWENTE, TWENTE_GEMEENTEN
from tests.chart_spec import assert_tooltips_are_strings as _assert_tooltips_are_strings
from tests.chart_spec import layers as _layers
from tests.chart_spec import mark as _mark
from tests.chart_spec import tooltip_fields as _tooltip_fields
from tests.chart_spec import values as _values
from monitor.domain.indicator import Indicator

X = Indicator("overgewicht", "Overgewicht", "%")
Y = Indicator("voldoet_beweegrichtlijn", "Voldoet aan de beweegrichtlijn", "%")


def _frame(sample: bool = False, with_twente: bool = True) -> pd.DataFrame:
    rows = []
    for i, (code, name) in enumerate(sorted(TWENTE_GEMEENTEN.items())):
        rows.append((X.indicator_id, code, name, "2020", 50.0 + i * 0.7, sample))
        rows.append((Y.indicator_id, code, name, "2020", 56.0 - i * 0.5, sample))
    if with_twente:
        rows.append((X.indicator_id, TWENTE, "Twente (GGD-regio)", "2020", 53.2, False))
        rows.append((Y.indicator_id, TWENTE, "Twente (GGD-regio)", "2020", 52.1, False))
    return pd.DataFrame(rows, columns=["indicator_id", "region_code", "region_name", "period", "value",
                                       "is_sample"])


def _by_mark(spec: dict, kind: str) -> list[dict]:
    return [layer for layer in _layers(spec) if _mark(layer)["type"] == kind]


def test_one_point_and_one_label_per_gemeente_and_twente_highlighted():
    spec = charts.scatter_chart(_frame(), X, Y).to_dict()
    points = _by_mark(spec, "point")
    texts = _by_mark(spec, "text")
    assert len(points) == 2 and len(texts) == 2  # gemeenten, and Twente as reference
    gemeenten = _values(spec, points[0])
    assert sorted(r["region_name"] for r in gemeenten) == sorted(TWENTE_GEMEENTEN.values())
    # the name on the point (text label) and on hover (tooltip)
    assert texts[0]["encoding"]["text"]["field"] == "label"
    assert {r["label"] for r in _values(spec, texts[0])} == set(TWENTE_GEMEENTEN.values())
    assert "region_name" in _tooltip_fields(points[0])
    twente = _values(spec, points[1])
    assert [r["label"] for r in twente] == ["Twente"]
    assert _mark(points[1])["shape"] == "diamond"
    _assert_tooltips_are_strings(spec)
    enschede = next(r for r in gemeenten if r["region_name"] == "Enschede")
    assert enschede["x_label"].endswith("%") and "," in enschede["x_label"]


def test_axes_in_dutch_notation_with_unit_titles():
    spec = charts.scatter_chart(_frame(), X, Y).to_dict()
    encoding = _by_mark(spec, "point")[0]["encoding"]
    assert encoding["x"]["axis"]["title"] == "Overgewicht (procent)"
    assert encoding["y"]["axis"]["title"] == "Voldoet aan de beweegrichtlijn (procent)"
    for axis in ("x", "y"):
        assert "regexp(',', 'g')" in encoding[axis]["axis"]["labelExpr"]
        assert encoding[axis]["scale"]["zero"] is False


def test_title_and_text_alternative():
    spec = charts.scatter_chart(_frame(), X, Y).to_dict()
    assert spec["title"]["text"] == "Voldoet aan de beweegrichtlijn tegen Overgewicht (2020)"
    assert "14 gemeenten" in spec["description"]
    assert "Twente" in spec["description"]
    given = charts.scatter_chart(_frame(), X, Y, description="Eigen zin.").to_dict()
    assert given["description"] == "Eigen zin."


def test_without_twente_no_reference_point():
    spec = charts.scatter_chart(_frame(with_twente=False), X, Y).to_dict()
    assert len(_by_mark(spec, "point")) == 1


def test_sample_points_are_hollow_and_marked():
    spec = charts.scatter_chart(_frame(sample=True), X, Y).to_dict()
    encoding = _by_mark(spec, "point")[0]["encoding"]
    assert encoding["fillOpacity"]["scale"]["range"] == [1, 0]
    assert any("voorbeelddata" in s for s in spec["title"]["subtitle"])
    assert "voorbeelddata" in spec["description"]


def test_only_regions_with_both_values_become_points():
    frame = _frame()
    frame = frame[~((frame["region_name"] == "Borne") & (frame["indicator_id"] == Y.indicator_id))]
    spec = charts.scatter_chart(frame, X, Y).to_dict()
    names = {r["region_name"] for r in _values(spec, _by_mark(spec, "point")[0])}
    assert "Borne" not in names and len(names) == 13


@pytest.mark.parametrize("frame", [
    _frame().iloc[0:0],
    _frame()[_frame()["indicator_id"] == X.indicator_id],  # no pair
    _frame()[_frame()["region_code"] == TWENTE],              # only Twente: no gemeente
])
def test_no_pair_raises(frame):
    with pytest.raises(ValueError, match="geen gegevens"):
        charts.scatter_chart(frame, X, Y)
