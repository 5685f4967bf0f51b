"""Indicator chart builders: the spec holds what matters (intervals, references, target, map).

The last test compiles and runs every spec with the Vega-Lite and Vega that Streamlit itself
ships (in Node), so a spec that Vega-Lite rejects fails here, not only in the browser.
"""

from __future__ import annotations

import colorsys
import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from monitor.charts import common as chart_common, comparisons as comparison_charts, indicators as indicator_charts, maps as map_charts
from monitor.domain.geometry import ring_area
from monitor.domain.indicator import Indicator
from monitor.domain.targets import Target
from tests.chart_spec import assert_tooltips_are_strings as _assert_tooltips_are_strings
from tests.chart_spec import layers as _layers
from tests.chart_spec import mark as _mark
from tests.chart_spec import tooltip_fields as _tooltip_fields
from tests.chart_spec import values as _values
from tests.chart_spec import render_svgs

OVERGEWICHT = Indicator("overgewicht", "Overgewicht", "%", "lower_is_better")
BEWEGEN = Indicator("voldoet_beweegrichtlijn", "Voldoet aan beweegrichtlijn", "%", "higher_is_better")
MANTELZORGER = Indicator("mantelzorger", "Mantelzorger", "%", "neutral")
RONDKOMEN = Indicator("moeite_met_rondkomen", "Moeite met rondkomen", "%", "lower_is_better")
TARGET = Target("moeite_met_rondkomen", "GG_TWENTE", "<", 17.0, date(2026, 12, 31))


# --- helpers ----------------------------------------------------------------------------







def _of_type(spec: dict, kind: str) -> list[dict]:
    return [layer for layer in _layers(spec) if _mark(layer)["type"] == kind]






def _hex_colours(spec: dict) -> set[str]:
    return {c.upper() for c in re.findall(r"#[0-9A-Fa-f]{6}\b", json.dumps(spec))}


def _assert_no_red_or_green(spec: dict) -> None:
    """No saturated red (hue within 15° of 0°) and no green (hue 75°–165°) anywhere."""
    for colour in _hex_colours(spec):
        r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
        hue, _, saturation = colorsys.rgb_to_hls(r, g, b)
        hue *= 360
        if saturation < 0.25:
            continue  # greys
        assert not (hue < 15 or hue > 345), f"rood in de grafiek: {colour}"
        assert not 75 <= hue <= 165, f"groen in de grafiek: {colour}"


def _series(sample: bool = False) -> pd.DataFrame:
    rows = [
        ("GG_TWENTE", "Twente", "2016", 52.1, 50.8, 53.3),
        ("GG_TWENTE", "Twente", "2020", 53.2, 52.1, 54.4),
        ("NL01", "Nederland", "2016", 48.9, 48.6, 49.1),
        ("NL01", "Nederland", "2020", 49.4, 49.2, 49.7),
        ("GM0153", "Enschede", "2016", 50.6, 47.4, 53.9),
        ("GM0153", "Enschede", "2020", 51.1, 47.5, 54.7),
    ]
    frame = pd.DataFrame(rows, columns=["region_code", "region_name", "period", "value",
                                        "ci_low", "ci_high"])
    frame["is_sample"] = False
    if sample:
        extra = pd.DataFrame({"region_code": ["GM0153"], "region_name": ["Enschede"],
                              "period": ["2023"], "value": [52.0], "ci_low": [None],
                              "ci_high": [None], "is_sample": [True]})
        frame = pd.concat([frame, extra], ignore_index=True)
    frame["value_label"] = [f"{v:.1f}%".replace(".", ",") for v in frame["value"]]
    frame["ci_label"] = [None if pd.isna(lo) else f"{lo:.1f} – {hi:.1f}".replace(".", ",")
                         for lo, hi in zip(frame["ci_low"], frame["ci_high"])]
    return frame


def _gemeenten(comparisons: list[str] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame({
        "region_code": ["GM1700", "GM0168", "GM0153", "GM0164"],
        "region_name": ["Twenterand", "Losser", "Enschede", "Hengelo"],
        "value": [59.5, 58.5, 51.1, 50.8],
        "ci_low": [57.1, 55.0, 47.5, 47.0],
        "ci_high": [61.8, 61.9, 54.7, 54.5],
        "comparison": comparisons or ["ongunstiger", "ongunstiger", "geen verschil",
                                      "geen verschil"],
        "is_sample": [False, False, False, False],
    })
    frame["value_label"] = [f"{v:.1f}%".replace(".", ",") for v in frame["value"]]
    return frame.iloc[::-1].reset_index(drop=True)  # not in order: the builder sorts


REFERENCES = pd.DataFrame({"label": ["Twente", "Nederland"], "value": [53.2, 49.4],
                           "value_label": ["53,2%", "49,4%"]})


def _square(x: float, y: float, size: float = 0.05, clockwise: bool = True) -> dict:
    ring = [[x, y], [x, y + size], [x + size, y + size], [x + size, y], [x, y]]
    if not clockwise:
        ring = ring[::-1]
    return {"type": "Polygon", "coordinates": [ring]}


def _synthetic_shapes() -> pd.DataFrame:
    return pd.DataFrame({
        "region_code": ["GM0153", "GM0164", "GM0141"],
        "name": ["Enschede", "Hengelo (O.)", "Almelo"],
        "geometry": [json.dumps(_square(6.85, 52.20)),
                     json.dumps(_square(6.75, 52.25, clockwise=False)),  # RFC 7946 order
                     json.dumps({"type": "MultiPolygon",
                                 "coordinates": [_square(6.65, 52.35)["coordinates"]]})],
    })


def _map_values(codes: list[str]) -> pd.DataFrame:
    values = [51.1 + i for i in range(len(codes))]
    return pd.DataFrame({"region_code": codes, "value": values,
                         "value_label": [f"{v:.1f}%".replace(".", ",") for v in values],
                         "comparison": ["geen verschil"] * len(codes)})


# --- palettes ---------------------------------------------------------------------------

def test_indicator_colors_follow_the_direction():
    for direction in ("lower_is_better", "higher_is_better"):
        assert chart_common.indicator_colors(direction) == {
            "gunstiger": "#0072B2", "ongunstiger": "#D55E00",
            "geen verschil": "#999999", "onbekend": "#BBBBBB"}
    neutral = chart_common.indicator_colors("neutral")
    assert list(neutral) == ["hoger", "lager", "geen verschil", "onbekend"]
    assert neutral["hoger"] == "#6A51A3" and neutral["lager"] == "#9E9AC8"
    assert "gunstiger" not in neutral and "ongunstiger" not in neutral
    with pytest.raises(ValueError, match="richting"):
        chart_common.indicator_colors("sideways")


def test_palettes_have_no_red_or_green():
    _assert_no_red_or_green({"a": chart_common.DIRECTIONAL_COLORS, "b": chart_common.NEUTRAL_COLORS})


# --- trend ------------------------------------------------------------------------------

def test_trend_chart_spec():
    chart = indicator_charts.trend_chart(_series(), OVERGEWICHT,
                               description="In Enschede had 51,1% van de volwassenen overgewicht.")
    spec = chart.to_dict()
    assert spec["description"] == "In Enschede had 51,1% van de volwassenen overgewicht."

    errorbar = _of_type(spec, "errorbar")[0]
    assert errorbar["encoding"]["y"]["field"] == "ci_low"
    assert errorbar["encoding"]["y2"]["field"] == "ci_high"
    assert errorbar["encoding"]["color"]["field"] == "region_name"
    assert len(_values(spec, errorbar)) == 6

    line = _of_type(spec, "line")[0]
    assert line["encoding"]["x"]["type"] == "temporal"
    assert line["encoding"]["x"]["axis"]["labelExpr"] == "'' + year(datum.value)"
    assert line["encoding"]["y"]["axis"]["labelExpr"] == chart_common.dutch_number_expr(0)
    assert line["encoding"]["y"]["axis"]["title"] == "procent"
    color = line["encoding"]["color"]
    assert color["scale"]["domain"] == ["Twente", "Enschede", "Nederland"]
    assert color["scale"]["range"] == ["#0072B2", "#E69F00", "#4D4D4D"]
    # WCAG 1.4.1: the lines differ in dash too (and the points in shape), not only in colour
    dash = line["encoding"]["strokeDash"]
    assert dash["field"] == "region_name" and dash["scale"]["domain"] == color["scale"]["domain"]
    assert len({json.dumps(d) for d in dash["scale"]["range"]}) == 3
    point = next(layer for layer in _of_type(spec, "point") if "shape" in layer["encoding"])
    assert len(set(point["encoding"]["shape"]["scale"]["range"])) == 3
    # one tick per year, in the middle of the year
    ticks = line["encoding"]["x"]["axis"]["values"]
    assert [(t["year"], t["month"]) for t in ticks] == [(y, 7) for y in range(2016, 2021)]

    points = _of_type(spec, "point")[0]
    assert points["encoding"]["shape"]["scale"]["range"] == ["circle", "triangle-up", "square"]
    assert "fillOpacity" not in points["encoding"]  # no voorbeelddata
    assert _tooltip_fields(points) == ["region_name", "period", "value_label", "ci_label", "soort", "bron"]
    _assert_tooltips_are_strings(spec)
    _assert_no_red_or_green(spec)


def test_trend_chart_never_joins_different_sources_without_saying_so(fixture_store):
    """Overgewicht in the fixture store: the Gezondheidsmonitor 2020 and 2022, and for Twente a 2023
    figure of another publisher (added here: the fixture's jaarplan figure is a quote, never a point)."""
    from monitor.data import db
    from monitor.domain.indicators import for_group, trend_frame

    rows, _note = for_group(db.query("indicator_observations", fixture_store, indicator_ids=["overgewicht"]), "totaal")
    twente_2022 = rows[(rows["region_code"] == "GG_TWENTE") & (rows["period"] == "2022")].iloc[0]
    other = {**twente_2022.to_dict(), "period": "2023", "value": 51.0, "ci_low": None, "ci_high": None,
             "source_id": "tk-jaarplan-2025", "source_title": "Twentse Koers Jaarplan 2025",
             "source_publisher": "Twentse Koers"}
    rows = pd.concat([rows, pd.DataFrame([other])], ignore_index=True)
    series = trend_frame(rows, ["GG_TWENTE", "NL01"], "%")
    spec = indicator_charts.trend_chart(series, Indicator("overgewicht", "Overgewicht", "%")).to_dict()
    line = _of_type(spec, "line")[0]
    assert line["encoding"]["detail"]["field"] == "reeks"
    values = _values(spec, line)
    twente = {v["period"]: v["reeks"] for v in values if v["region_code"] == "GG_TWENTE"}
    assert twente["2020"] == twente["2022"] != twente["2023"]  # one series per publisher
    labels = [v for v in _values(spec, _of_type(spec, "text")[-1]) if v["bron_label"]]
    assert [(v["period"], v["bron_label"]) for v in labels] == [("2023", "Twentse Koers Jaarplan 2025")]
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "Twentse Koers (2023)" in subtitle and "Lijnen verbinden alleen cijfers uit dezelfde bron" in subtitle
    assert "GGD Twente (2020, 2022)" in subtitle  # the fixture's publisher of both editions
    assert max(len(line) for line in spec["title"]["subtitle"]) <= 80  # fits a slide's chart
    tooltip = {v["period"]: v["bron"] for v in values if v["region_code"] == "GG_TWENTE"}
    assert tooltip["2023"] == "Twentse Koers Jaarplan 2025" and tooltip["2020"] == "Gezondheidsmonitor 2020"


def test_trend_chart_marks_voorbeelddata_hollow_with_a_legend():
    spec = indicator_charts.trend_chart(_series(sample=True), OVERGEWICHT).to_dict()
    assert "voorbeelddata" in spec["description"].lower()  # generated description
    assert any("voorbeelddata" in line.lower() for line in spec["title"]["subtitle"])
    points, legend = _of_type(spec, "point")
    assert points["encoding"]["fillOpacity"]["scale"] == {
        "domain": ["gemeten", "voorbeelddata"], "range": [1, 0]}
    sample = [v for v in _values(spec, points) if v["soort"] == "voorbeelddata"]
    assert [(v["region_name"], v["period"]) for v in sample] == [("Enschede", "2023")]
    fill = legend["encoding"]["fill"]
    assert fill["scale"]["domain"] == ["gemeten", "voorbeelddata"]
    assert fill["scale"]["range"][1] == "white"
    assert _mark(legend)["clip"] is True  # draws only the legend
    # the sample point has no interval: the error bars leave it out
    assert all(v["period"] != "2023" for v in _values(spec, _of_type(spec, "errorbar")[0]))


def test_trend_chart_bands_are_context_not_proof():
    bands = pd.DataFrame({"project_name": ["Valpreventie", "Gezonde school", "Later"],
                          "start": [date(2025, 1, 1), date(2025, 3, 1), date(2026, 6, 1)],
                          "end": [date(2026, 3, 1), date(2026, 3, 1), date(2026, 9, 1)]})
    spec = indicator_charts.trend_chart(_series(), OVERGEWICHT, bands).to_dict()
    rect = _of_type(spec, "rect")[0]
    segments = _values(spec, rect)
    assert [(s["start"][:10], s["end"][:10]) for s in segments] == [
        ("2025-01-01", "2026-03-01"), ("2026-06-01", "2026-09-01")]  # overlaps merged
    assert segments[0]["projecten_label"] == "Valpreventie, Gezonde school"
    assert rect["encoding"]["x"]["field"] == "start" and rect["encoding"]["x2"]["field"] == "end"
    texts = {v["label"] for t in _of_type(spec, "text") for v in _values(spec, t)
             if "label" in v} | {v["label2"] for t in _of_type(spec, "text")
                                 for v in _values(spec, t) if "label2" in v}
    assert "2 projecten in Realisatie" in texts and "project in Realisatie" in texts
    assert "(context, geen bewijs van effect)" in texts
    # the x domain reaches the end of the bands
    scale = rect["encoding"]["x"]["scale"]
    assert (scale["domainMax"]["year"], scale["domainMax"]["month"]) == (2026, 10)


@pytest.mark.parametrize("frame", [
    _series().iloc[0:0],
    _series().assign(value=float("nan")),
])
def test_trend_chart_without_values_raises(frame):
    with pytest.raises(ValueError, match="^geen gegevens$"):
        indicator_charts.trend_chart(frame, OVERGEWICHT)


# --- ranked gemeenten -------------------------------------------------------------------

def test_ranked_bar_chart_spec():
    spec = comparison_charts.ranked_bar_chart(_gemeenten(), OVERGEWICHT, REFERENCES,
                                   highlight="Enschede", description="duiding").to_dict()
    assert spec["description"] == "duiding"
    bars = _of_type(spec, "bar")[0]
    assert bars["encoding"]["y"]["sort"] == ["Twenterand", "Losser", "Enschede", "Hengelo"]
    assert bars["encoding"]["x"]["scale"]["domain"][0] == 0  # bars start at zero
    assert bars["encoding"]["x"]["axis"]["labelExpr"] == chart_common.dutch_number_expr(0)
    colors = chart_common.indicator_colors("lower_is_better")
    scale = bars["encoding"]["color"]["scale"]
    assert scale["domain"] == list(colors) and scale["range"] == list(colors.values())
    assert bars["encoding"]["color"]["legend"]["values"] == ["ongunstiger", "geen verschil"]

    errorbar = _of_type(spec, "errorbar")[0]
    assert errorbar["encoding"]["x"]["field"] == "ci_low"
    assert errorbar["encoding"]["x2"]["field"] == "ci_high"
    assert len(_values(spec, errorbar)) == 4

    rule = _of_type(spec, "rule")[0]
    assert sorted(v["value"] for v in _values(spec, rule)) == [49.4, 53.2]
    labels = [v["text"] for t in _of_type(spec, "text") for v in _values(spec, t) if "text" in v]
    assert "Twente: 53,2%" in labels and "Nederland: 49,4%" in labels

    # the highlighted gemeente: an outline bar and a bold axis label
    outline = _of_type(spec, "bar")[1]
    assert [v["region_name"] for v in _values(spec, outline)] == ["Enschede"]
    assert _mark(outline)["fillOpacity"] == 0 and _mark(outline)["strokeWidth"] > 1
    weight = bars["encoding"]["y"]["axis"]["labelFontWeight"]
    assert weight["condition"]["test"] == 'datum.value === "Enschede"'
    value_labels = next(t for t in _of_type(spec, "text") if t["encoding"]["text"]["field"]
                        == "bar_text")
    assert {v["value_label"] for v in _values(spec, value_labels)} >= {"59,5%", "50,8%"}
    # the comparison as a sign beside each figure, explained in the legend: not by colour alone
    texts = {(v["comparison"], v["bar_text"]) for v in _values(spec, value_labels)}
    assert all(text.endswith(comparison_charts.COMPARISON_MARKS[comparison]) for comparison, text in texts), texts
    legend = bars["encoding"]["color"]["legend"]["labelExpr"]
    assert "gunstiger (+)" in legend and "ongunstiger (−)" in legend
    _assert_tooltips_are_strings(spec)
    _assert_no_red_or_green(spec)


def test_ranked_bar_chart_neutral_palette():
    frame = _gemeenten(["hoger", "hoger", "geen verschil", "lager"])
    spec = comparison_charts.ranked_bar_chart(frame, MANTELZORGER, REFERENCES).to_dict()
    scale = _of_type(spec, "bar")[0]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["hoger", "lager", "geen verschil", "onbekend"]
    assert scale["range"] == ["#6A51A3", "#9E9AC8", "#999999", "#BBBBBB"]
    assert "#0072B2" not in json.dumps(spec) and "#D55E00" not in json.dumps(spec)
    assert "Staafdiagram" in spec["description"]


def test_ranked_bar_chart_rejects_words_of_the_other_direction():
    with pytest.raises(ValueError, match="gunstiger"):
        comparison_charts.ranked_bar_chart(_gemeenten(), MANTELZORGER, REFERENCES)


def test_ranked_bar_chart_sample_bars_are_light():
    frame = _gemeenten().assign(is_sample=True, ci_low=None, ci_high=None,
                                comparison="onbekend")
    spec = comparison_charts.ranked_bar_chart(frame, RONDKOMEN, REFERENCES.iloc[:1]).to_dict()
    bars = _of_type(spec, "bar")[0]
    assert bars["encoding"]["fillOpacity"]["condition"]["value"] < 1
    assert not _of_type(spec, "errorbar")  # no intervals, no error bars
    assert any("voorbeelddata" in s.lower() for s in spec["title"]["subtitle"])


def test_ranked_bar_chart_without_values_raises():
    with pytest.raises(ValueError, match="^geen gegevens$"):
        comparison_charts.ranked_bar_chart(_gemeenten().iloc[0:0], OVERGEWICHT, REFERENCES)


# --- target -----------------------------------------------------------------------------

def _history(sample: bool = False) -> pd.DataFrame:
    frame = pd.DataFrame({"period_end": [date(2023, 12, 31)], "period": ["2023"],
                          "value": [18.0], "value_label": ["18,0%"], "is_sample": [False],
                          "source_title": ["Jaarplan Twentse Koers 2025"]})
    if sample:
        frame = pd.concat([frame, pd.DataFrame({
            "period_end": [date(2024, 12, 31)], "period": ["2024"], "value": [17.6],
            "value_label": ["17,6%"], "is_sample": [True], "source_title": ["Voorbeelddata"]})],
            ignore_index=True)
    return frame


TRAJECTORY = pd.DataFrame({"period_end": [date(2023, 12, 31), date(2024, 12, 31),
                                          date(2025, 12, 31), date(2026, 12, 31)],
                           "expected": [18.0, 17.67, 17.33, 17.0]})


def test_target_chart_spec():
    spec = indicator_charts.target_chart(_history(sample=True), TRAJECTORY, TARGET, RONDKOMEN).to_dict()
    rules = _of_type(spec, "rule")
    target_rule = next(r for r in rules if "y" in r["encoding"])
    assert [v["target"] for v in _values(spec, target_rule)] == [17.0]
    assert target_rule["encoding"]["y"]["axis"]["labelExpr"].startswith("replace(")
    label = next(t for t in _of_type(spec, "text")
                 if t["encoding"].get("y", {}).get("field") == "target")
    assert [v["label"] for v in _values(spec, label)] == ["doel: onder 17%"]

    deadline = next(r for r in rules if "x" in r["encoding"])
    assert [v["date"][:10] for v in _values(spec, deadline)] == ["2026-12-31"]

    path = next(layer for layer in _of_type(spec, "line")
                if layer["encoding"]["y"]["field"] == "expected")
    assert _mark(path)["strokeDash"]  # dashed
    assert [v["expected"] for v in _values(spec, path)] == [18.0, 17.67, 17.33, 17.0]
    assert [v["date"][:10] for v in _values(spec, path)][0] == "2023-12-31"

    points = _of_type(spec, "point")[0]
    assert [v["soort"] for v in _values(spec, points)] == ["gemeten", "voorbeelddata"]
    assert points["encoding"]["fill"]["scale"]["range"] == [chart_common.LINE_COLOR, "white"]
    assert _tooltip_fields(points) == ["periode_label", "value_label", "source_title", "soort"]
    assert "onder 17%" in spec["description"] and "31 december 2026" in spec["description"]
    _assert_tooltips_are_strings(spec)
    _assert_no_red_or_green(spec)


@pytest.mark.parametrize(("comparator", "value", "words"), [
    ("<", 17.0, "doel: onder 17%"), ("≤", 17.5, "doel: hoogstens 17,5%"),
    ("≥", 60.0, "doel: minstens 60%"), (">", 60.0, "doel: boven 60%"),
])
def test_target_label_words(comparator, value, words):
    target = replace(TARGET, comparator=comparator, target_value=value)
    spec = indicator_charts.target_chart(_history(), TRAJECTORY, target, RONDKOMEN).to_dict()
    label = next(t for t in _of_type(spec, "text")
                 if t["encoding"].get("y", {}).get("field") == "target")
    assert _values(spec, label)[0]["label"] == words


def test_target_chart_without_measurement_still_shows_path():
    spec = indicator_charts.target_chart(_history().iloc[0:0], TRAJECTORY, TARGET, RONDKOMEN).to_dict()
    assert not _of_type(spec, "point")
    assert "nog geen meting" in spec["description"].lower()


def test_target_chart_without_anything_raises():
    with pytest.raises(ValueError, match="^geen gegevens$"):
        indicator_charts.target_chart(_history().iloc[0:0], TRAJECTORY.iloc[0:0], TARGET, RONDKOMEN)


# --- map --------------------------------------------------------------------------------

def _features(spec: dict) -> list[dict]:
    return _values(spec, _of_type(spec, "geoshape")[0])


def test_choropleth_synthetic_spec():
    values = _map_values(["GM0153", "GM0164"])  # Almelo has no figure
    spec = map_charts.choropleth(_synthetic_shapes(), values, OVERGEWICHT,
                             description="kaart").to_dict()
    assert spec["description"] == "kaart"
    assert spec["projection"] == {"type": "mercator"}
    features = _features(spec)
    assert len(features) == 3
    by_code = {f["properties"]["region_code"]: f for f in features}
    assert by_code["GM0153"]["properties"]["value"] == 51.1
    assert by_code["GM0141"]["properties"]["value"] is None
    assert by_code["GM0141"]["value_label"] == "geen cijfer"
    assert by_code["GM0141"]["has_value"] is False
    # d3-geo order: outer rings clockwise (negative signed area with x = lon, y = lat)
    for feature in features:
        geometry = feature["geometry"]
        polygons = (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
                    else [geometry["coordinates"]])
        assert all(ring_area(p[0]) < 0 for p in polygons)
    # the name sits inside its square
    lon, lat = by_code["GM0164"]["label_lon"], by_code["GM0164"]["label_lat"]
    assert 6.75 < lon < 6.80 and 52.25 < lat < 52.30

    shape = _of_type(spec, "geoshape")[0]
    color = shape["encoding"]["color"]
    assert color["condition"]["test"] == "datum.has_value"
    assert color["condition"]["field"] == "color_value"
    assert color["condition"]["scale"]["scheme"]["name"] == "blues"
    assert color["condition"]["title"] == "procent (hoger is ongunstiger)"
    assert color["condition"]["legend"]["labelExpr"] == chart_common.dutch_number_expr(1)  # span < 5
    assert color["value"] == map_charts._MISSING_COLOR
    assert _tooltip_fields(shape) == ["name", "value_label", "comparison"]
    assert any("geen cijfer" in s.lower() for s in spec["title"]["subtitle"])
    # names on the map: a white halo under dark text
    halo, names = _of_type(spec, "text")
    assert _mark(halo)["stroke"] == "#FFFFFF" and _mark(names)["fill"] == "#1A1A1A"
    assert names["encoding"]["longitude"]["field"] == "label_lon"
    # WCAG 1.4.1: the figure under the name, not only the shade ("geen cijfer" where grey)
    assert names["encoding"]["text"]["field"] == halo["encoding"]["text"]["field"] == "map_text"
    assert by_code["GM0153"]["map_text"][1] == by_code["GM0153"]["value_label"]
    assert by_code["GM0141"]["map_text"][1] == "geen cijfer"
    _assert_tooltips_are_strings(spec)


def test_choropleth_neutral_and_higher_is_better_legends():
    shapes, values = _synthetic_shapes(), _map_values(["GM0153", "GM0164", "GM0141"])
    neutral = map_charts.choropleth(shapes, values, MANTELZORGER, labels=False).to_dict()
    color = _of_type(neutral, "geoshape")[0]["encoding"]["color"]["condition"]
    assert color["scale"]["scheme"]["name"] == "purples"
    assert color["title"] == "procent"
    assert not _of_type(neutral, "text")
    better = map_charts.choropleth(shapes, values, BEWEGEN).to_dict()
    color = _of_type(better, "geoshape")[0]["encoding"]["color"]["condition"]
    assert color["scale"]["scheme"]["name"] == "blues"
    assert color["title"] == "procent (hoger is gunstiger)"


def test_choropleth_without_values_raises():
    with pytest.raises(ValueError, match="^geen gegevens$"):
        map_charts.choropleth(_synthetic_shapes(), _map_values([]), OVERGEWICHT)
    with pytest.raises(ValueError, match="^geen gegevens$"):
        map_charts.choropleth(_synthetic_shapes(), _map_values(["GM9999"]), OVERGEWICHT)
    with pytest.raises(ValueError, match="^geen gegevens$"):
        map_charts.choropleth(_synthetic_shapes().iloc[0:0], _map_values(["GM0153"]), OVERGEWICHT)


def _real_shapes(shared_dir: Path) -> pd.DataFrame:
    path = shared_dir / "data" / "geo" / "twente_gemeenten_2024.geojson"
    if not path.exists():
        pytest.skip(f"{path} ontbreekt")
    collection = json.loads(path.read_text(encoding="utf-8"))
    return pd.DataFrame([{"region_code": f["properties"]["statcode"],
                          "name": f["properties"]["statnaam"],
                          "geometry": json.dumps(f["geometry"], separators=(",", ":"))}
                         for f in collection["features"]])


def test_choropleth_of_the_14_gemeenten(shared_dir):
    shapes = _real_shapes(shared_dir)
    spec = map_charts.choropleth(shapes, _map_values(shapes["region_code"].tolist()),
                             OVERGEWICHT).to_dict()
    features = _features(spec)
    assert len(features) == 14
    assert {f["properties"]["region_code"] for f in features} == set(shapes["region_code"])
    assert spec["description"].startswith("Kaart van Twente")


# --- compiled by the Vega-Lite that Streamlit ships -------------------------------------




def test_specs_compile_and_render_with_streamlits_vega(tmp_path):
    """Each spec through Vega-Lite → Vega → SVG, with the bundle Streamlit serves."""
    shapes = _synthetic_shapes()
    bands = pd.DataFrame({"project_name": ["Valpreventie"], "start": [date(2025, 1, 1)],
                          "end": [date(2026, 3, 1)]})
    built = {
        "trend": indicator_charts.trend_chart(_series(sample=True), OVERGEWICHT, bands),
        "ranked": comparison_charts.ranked_bar_chart(_gemeenten(), OVERGEWICHT, REFERENCES, "Enschede"),
        "target": indicator_charts.target_chart(_history(sample=True), TRAJECTORY, TARGET, RONDKOMEN),
        "map": map_charts.choropleth(shapes, _map_values(["GM0153", "GM0164"]), OVERGEWICHT),
    }
    svgs = render_svgs(built, tmp_path)
    # Dutch numbers as the reader sees them (the labelExpr evaluated by Vega)
    assert re.search(r">5\d<", svgs["trend"]) and ">2016<" in svgs["trend"]
    assert "Twente: 53,2%" in svgs["ranked"] and "59,5%" in svgs["ranked"]
    assert "doel: onder 17%" in svgs["target"] and re.search(r">1\d,\d<", svgs["target"])
    assert "eind 2025" in svgs["target"]
    assert "Enschede" in svgs["map"] and "Almelo" in svgs["map"]
    assert "geen bewijs van effect" in svgs["trend"]
