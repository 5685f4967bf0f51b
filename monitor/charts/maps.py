"""The map of the gemeenten (choropleth); the polygon geometry is in :mod:`monitor.domain.geometry`.

Pure Altair builder, DataFrame in, chart out; shared notation in :mod:`monitor.charts.common`.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from monitor.charts.common import (NO_DATA, axis_decimals, check_columns, dutch_number_expr,
                                   require_values, text_labels, tooltip_title, unit_title)
from monitor.domain.indicator import Indicator
from monitor.domain.geometry import label_point, rewind

_DIRECTION_LEGEND: dict[str, str] = {"lower_is_better": "hoger is ongunstiger",
                                     "higher_is_better": "hoger is gunstiger"}
_MISSING_COLOR = "#DADADA"
MISSING_LABEL = "geen cijfer"


def choropleth(shapes: pd.DataFrame, values: pd.DataFrame, indicator: Indicator,
               description: str = "", legend_title: str = "Vergeleken met Twente",
               labels: bool = True) -> alt.LayerChart:
    """A map of the gemeenten coloured by value (one hue; light = low, dark = high).

    ``shapes`` columns: region_code, name, geometry (the GeoJSON geometry object as a JSON
    string, lon/lat; any ring orientation). ``values`` columns: region_code, value,
    value_label, comparison (judgement word, shown in the tooltip). A gemeente without a
    value is light grey with "geen cijfer". ``indicator``: name, unit, direction ('blues'
    with the direction in the legend title, 'purples' for neutral). ``labels``: the
    gemeente names on the map (for a room without tooltips). Returns the map layer and the
    label layer under one mercator projection fitted to the shapes. Raises
    ValueError("geen gegevens") without shapes or without any value.
    """
    check_columns(shapes, ("region_code", "name", "geometry"), "choropleth (shapes)")
    check_columns(values, ("region_code", "value", "value_label", "comparison"),
                   "choropleth (values)")
    if shapes.empty:
        raise ValueError(NO_DATA)
    known = require_values(values)
    known = known[known["region_code"].isin(set(shapes["region_code"]))]
    if known.empty:
        raise ValueError(NO_DATA)
    unit = indicator.unit
    direction = indicator.direction
    by_code = {row.region_code: row for row in known.itertuples(index=False)}
    low, high = float(known["value"].min()), float(known["value"].max())

    features = _features(shapes, by_code, low, labels)

    decimals = axis_decimals(unit, low, high)
    scheme = "purples" if direction == "neutral" else "blues"
    title = unit_title(unit)
    if direction in _DIRECTION_LEGEND:
        title = f"{title} ({_DIRECTION_LEGEND[direction]})"
    color_field = alt.Color("color_value:Q", title=title,
                        scale=alt.Scale(scheme=alt.SchemeParams(scheme, extent=[0.15, 0.95]),
                                        zero=False, nice=False),
                        legend=alt.Legend(orient="bottom", direction="horizontal",
                                          gradientLength=280, labelFontSize=13,
                                          titleFontSize=13, titleLimit=400,
                                          labelExpr=dutch_number_expr(decimals), tickCount=4))
    color = alt.when("datum.has_value").then(color_field).otherwise(
        alt.value(_MISSING_COLOR))
    missing = [f["name"] for f in features if f["value"] is None]
    if not description:
        description = _map_description(features, indicator, missing)
    subtitle = ["Grijs: geen cijfer"] if missing else []
    tooltip = [alt.Tooltip("name:N", title="Gemeente"),
               alt.Tooltip("value_label:N", title=tooltip_title(indicator.name)),
               alt.Tooltip("comparison:N", title=legend_title)]
    data = alt.Data(values=features)
    shapes_layer = alt.Chart(data).mark_geoshape(stroke="#FFFFFF", strokeWidth=1.2).encode(
        color=color, tooltip=tooltip,
    )
    layers = [shapes_layer]
    if labels:
        # dark names on a white halo: legible on every shade. Colours as mark properties:
        # a second colour *field* (even with scale=None) next to the geoshape's colour
        # scale fails to compile in Vega-Lite 6.4 ("Cannot read properties of null").
        # Name and figure (or 'geen cijfer') on two lines: the shade is not the only carrier of
        # the value (WCAG 1.4.1).
        text = {"longitude": "label_lon:Q", "latitude": "label_lat:Q", "text": "map_text:N",
                "tooltip": tooltip}
        layers.append(alt.Chart(data).mark_text(
            fontSize=12, fontWeight="bold", fill="#FFFFFF", stroke="#FFFFFF", strokeWidth=3,
            strokeOpacity=0.85, strokeJoin="round", lineHeight=14).encode(**text))
        layers.append(alt.Chart(data).mark_text(
            fontSize=12, fontWeight="bold", fill="#1A1A1A", lineHeight=14).encode(**text))
    return (
        alt.layer(*layers)
        .project(type="mercator")
        .properties(width="container", height=440,
                    title=alt.Title(indicator.name, subtitle=subtitle, anchor="start",
                                    fontSize=18, subtitleFontSize=13),
                    description=description)
    )


def _features(shapes: pd.DataFrame, by_code: dict, low: float, labels: bool) -> list[dict]:
    """One GeoJSON feature per gemeente (rings in d3-geo's order), with its value, labels and
    where its name goes."""
    features = []
    for row in shapes.itertuples(index=False):
        found = by_code.get(row.region_code)
        value = float(found.value) if found is not None else None
        comparison = found.comparison if found is not None else None
        geometry = rewind(json.loads(row.geometry))
        lon, lat = label_point(geometry) if labels else (None, None)
        properties = {
                "region_code": row.region_code,
                "name": row.name,
                "value": value,
                "value_label": (text_labels(pd.Series([found.value_label]))[0] if found is not None
                                else MISSING_LABEL),
                "comparison": comparison if isinstance(comparison, str) and comparison else "–",
                # for the colour scale only: never null (Vega-Lite would drop the shape);
                # the condition on has_value paints a gemeente without value grey
                "color_value": value if value is not None else low,
                "has_value": value is not None,
                # where the name goes
                "label_lon": lon,
                "label_lat": lat,
        }
        properties["map_text"] = [row.name, properties["value_label"]]
        # The properties also as top-level members of the feature (GeoJSON allows foreign
        # members), so the encodings use plain field names.
        features.append({"type": "Feature", "geometry": geometry, "properties": properties,
                         **properties})
    return features


def _map_description(features: list[dict], indicator: Indicator, missing: list[str]) -> str:
    ranked = sorted((f for f in features if f["value"] is not None),
                    key=lambda p: p["value"], reverse=True)
    return (
        f"Kaart van Twente: {indicator.name} per gemeente, donkerder is "
        f"hoger. Hoogst: {ranked[0]['name']} ({ranked[0]['value_label']}); laagst: "
        f"{ranked[-1]['name']} ({ranked[-1]['value_label']})."
        + (f" Geen cijfer voor {', '.join(missing)}." if missing else ""))
