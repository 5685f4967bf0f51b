"""The gemeenten compared: ranked by value with reference lines, and two indicators against each other.

Pure Altair builders, DataFrame in, chart out; shared notation in :mod:`monitor.charts.common`.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from monitor.charts.common import (LINE_COLOR, NO_DATA, SAMPLE_LABEL, TEXT_COLOR, axis_decimals,
                                   check_columns, dutch_number_expr, flags, indicator_colors,
                                   json_safe, padded_domain, reference_labels, require_values,
                                   text_labels, tooltip_title, unit_title)
from monitor.domain.text import format_value
from monitor.domain.indicator import Indicator

# --- Gemeenten ranked -------------------------------------------------------------------

# The sign beside each figure for its comparison word; the legend reads "gunstiger (+)".
COMPARISON_MARKS = {"gunstiger": "+", "ongunstiger": "−", "hoger": "▲", "lager": "▼",
                    "geen verschil": "=", "onbekend": "?"}


def legend_labels() -> str:
    """A Vega expression: the legend's label with its sign, e.g. 'gunstiger (+)'."""
    expr = "datum.label"
    for word, mark in COMPARISON_MARKS.items():
        expr = (f"datum.label === {json.dumps(word, ensure_ascii=False)} ? "
                f"{json.dumps(f'{word} ({mark})', ensure_ascii=False)} : ({expr})")
    return expr


def ranked_bar_chart(values: pd.DataFrame, indicator: Indicator, references: pd.DataFrame,
                     highlight: str | None = None, description: str = "",
                     legend_title: str = "Vergeleken met Twente", noun: str = "gemeenten",
                     region_title: str = "Gemeente", step: int = 26) -> alt.LayerChart:
    """The gemeenten ranked by value, coloured by their comparison, with reference lines.

    ``values`` columns: region_name, value, ci_low, ci_high, comparison (a judgement word:
    gunstiger/ongunstiger/geen verschil/onbekend, or hoger/lager/… for a neutral indicator),
    value_label, is_sample. ``references`` columns: label ('Twente', 'Nederland'), value,
    value_label: vertical rules. ``highlight``: a region_name drawn outlined and in bold.
    ``indicator``: name, unit, direction. ``noun``/``region_title``: what the bars are (the
    description's plural, the tooltip's title) when they are not gemeenten; ``step``: pixels per bar.
    Raises ValueError("geen gegevens") without values.
    """
    check_columns(values, ("region_name", "value", "ci_low", "ci_high", "comparison",
                           "value_label", "is_sample"), "ranked_bar_chart")
    unit = indicator.unit
    palette = indicator_colors(indicator.direction)
    data = ranked_data(require_values(values).copy(), palette, unit)
    order = data["region_name"].tolist()
    any_sample = bool(data["is_sample"].any())
    refs = _reference_frame(references)

    top = max(data["label_x"].tolist() + refs["value"].tolist())
    x_max = top * 1.22 if top > 0 else 1  # room for the figure and its comparison mark
    if unit == "%":
        x_max = min(x_max, 100.0) if top < 90 else 100.0
    decimals = axis_decimals(unit, 0, x_max)
    x_scale = alt.Scale(domain=[0, x_max], nice=False, zero=True)
    x_axis = alt.Axis(labelExpr=dutch_number_expr(decimals), title=unit_title(unit),
                      labelFontSize=13, titleFontSize=13, grid=True, tickCount=6)
    label_weight = {"condition": {"test": f"datum.value === {json.dumps(highlight)}",
                                  "value": "bold"}, "value": "normal"}
    y = alt.Y("region_name:N", sort=order, title=None,
              axis=alt.Axis(labelFontSize=13, labelLimit=200, labelFontWeight=label_weight,
                            ticks=False, domain=False))
    present = [c for c in palette if c in set(data["comparison"])]
    color = alt.Color("comparison:N", title=legend_title,
                      scale=alt.Scale(domain=list(palette), range=list(palette.values())),
                      legend=alt.Legend(orient="top", direction="horizontal", values=present,
                                        labelFontSize=13, titleFontSize=13, symbolType="square",
                                        labelExpr=legend_labels()))
    tooltip = [
        alt.Tooltip("region_name:N", title=region_title),
        alt.Tooltip("value_label:N", title=tooltip_title(indicator.name)),
        alt.Tooltip("ci_label:N", title="95%-interval"),
        alt.Tooltip("comparison:N", title=legend_title),
        alt.Tooltip("soort:N", title="Soort"),
    ]
    data = json_safe(data)
    layers, with_ci = _ranked_layers(data, refs, highlight, order, x_scale, x_axis, y, color,
                                     tooltip, unit, indicator)
    subtitle = []
    if not with_ci.empty:
        subtitle.append("Zwarte streepjes: 95%-betrouwbaarheidsinterval")
    if any_sample:
        subtitle.append("Lichte balken met *: voorbeelddata, geen echte meting")
    if not description:
        description = _ranked_description(data, refs, indicator, any_sample, noun)
    return (
        alt.layer(*layers)
        .properties(width="container", height=alt.Step(step),
                    title=alt.Title(indicator.name, subtitle=subtitle, anchor="start",
                                    fontSize=18, subtitleFontSize=13, offset=24),
                    description=description)
    )


def ranked_data(data: pd.DataFrame, palette: dict[str, str], unit: str) -> pd.DataFrame:
    """The gemeenten from high to low, with their labels and where each value label goes."""
    data["comparison"] = [c if isinstance(c, str) and c else "onbekend" for c in data["comparison"]]
    unknown = sorted(set(data["comparison"]) - set(palette))
    if unknown:
        raise ValueError(f"Onbekende vergelijking(en) voor deze richting: {', '.join(unknown)}")
    data["value"] = data["value"].astype(float)
    data = data.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)
    data["is_sample"] = flags(data["is_sample"])
    data["soort"] = [SAMPLE_LABEL if s else "gemeten" for s in data["is_sample"]]
    data["value_label"] = text_labels(data["value_label"])
    data["ci_label"] = [
        f"{format_value(lo, unit)} – {format_value(hi, unit)}" if pd.notna(lo) and pd.notna(hi)
        else "–" for lo, hi in zip(data["ci_low"], data["ci_high"])]
    data["label_x"] = [max(v, hi) if pd.notna(hi) else v for v, hi in zip(data["value"], data["ci_high"])]
    # The comparison and the voorbeelddata mark as a sign beside the figure, explained in the
    # legend: not by colour and lightness alone (WCAG 1.4.1).
    data["bar_text"] = [f"{label} {COMPARISON_MARKS.get(comparison, '')}".rstrip() + (" *" if sample else "")
                        for label, comparison, sample in zip(data["value_label"], data["comparison"],
                                                             data["is_sample"])]
    return data


def _reference_frame(references: pd.DataFrame | None) -> pd.DataFrame:
    """The reference lines with a value, low to high, with the text at their top."""
    refs = references.copy() if references is not None else pd.DataFrame(
        columns=["label", "value", "value_label"])
    refs = refs[refs["value"].notna()].copy()
    refs["value"] = refs["value"].astype(float)
    refs = refs.sort_values("value", kind="stable").reset_index(drop=True)
    refs["text"] = [f"{lab}: {vl}" for lab, vl in zip(refs["label"], text_labels(refs["value_label"]))]
    refs["value_label"] = text_labels(refs["value_label"])
    return refs


def _ranked_layers(data: pd.DataFrame, refs: pd.DataFrame, highlight: str | None, order: list[str],
                   x_scale: alt.Scale, x_axis: alt.Axis, y: alt.Y, color: alt.Color, tooltip: list,
                   unit: str, indicator: Indicator) -> tuple[list, pd.DataFrame]:
    """Bars, the highlight's outline, intervals, reference rules and the value labels; and the
    rows with an interval."""
    base = alt.Chart(data)
    layers: list = [base.mark_bar(height={"band": 0.72}).encode(
        x=alt.X("value:Q", scale=x_scale, axis=x_axis), y=y, color=color,
        fillOpacity=alt.condition(alt.datum.is_sample, alt.value(0.45), alt.value(1.0)),
        tooltip=tooltip,
    )]
    x = alt.X("value:Q", axis=x_axis)
    if highlight is not None and highlight in set(order):
        layers.append(alt.Chart(data[data["region_name"] == highlight]).mark_bar(
            height={"band": 0.72}, fillOpacity=0, stroke="#000000", strokeWidth=2.5,
        ).encode(x=x, y=y, tooltip=tooltip))
    with_ci = data[data["ci_low"].notna() & data["ci_high"].notna()]
    if not with_ci.empty:
        layers.append(alt.Chart(with_ci).mark_errorbar(ticks=True, thickness=1.5, size=8,
                                                       color=TEXT_COLOR).encode(
            x=alt.X("ci_low:Q", axis=x_axis, title=unit_title(unit)), x2="ci_high:Q", y=y,
            tooltip=tooltip,
        ))
    if not refs.empty:
        ref_base = alt.Chart(refs)
        layers.append(ref_base.mark_rule(color="#000000", strokeWidth=2, strokeDash=[6, 3]).encode(
            x=x, tooltip=[alt.Tooltip("label:N", title="Referentie"),
                          alt.Tooltip("value_label:N", title=tooltip_title(indicator.name))]))
        layers.extend(reference_labels(refs, x))

    # value labels last, on a white halo: a reference line never runs through a figure
    value_text = {"x": alt.X("label_x:Q", axis=x_axis), "y": y, "text": "bar_text:N",
                  "tooltip": tooltip}
    layers.append(base.mark_text(align="left", baseline="middle", dx=5, fontSize=12,
                                 stroke="#FFFFFF", strokeWidth=4, strokeJoin="round",
                                 fill="#FFFFFF").encode(**value_text))
    layers.append(base.mark_text(align="left", baseline="middle", dx=5, fontSize=12,
                                 color=TEXT_COLOR).encode(**value_text))
    return layers, with_ci


def _ranked_description(data: pd.DataFrame, refs: pd.DataFrame, indicator: Indicator, any_sample: bool,
                        noun: str = "gemeenten") -> str:
    first, last = data.iloc[0], data.iloc[-1]
    ref_text = "; ".join(refs["text"]) if not refs.empty else "geen"
    return (f"Staafdiagram: {indicator.name} voor {len(data)} "
            f"{noun}, van hoog naar laag. Hoogst: {first['region_name']} "
            f"({first['value_label']}); laagst: {last['region_name']} "
            f"({last['value_label']}). Referentielijnen: {ref_text}."
            + (" Bevat voorbeelddata, geen echte metingen." if any_sample else ""))


# --- Two indicators across the gemeenten ------------------------------------------------

_TWENTE_CODE = "GG_TWENTE"


def _is_twente(code, name) -> bool:
    if isinstance(code, str):
        return code == _TWENTE_CODE
    return isinstance(name, str) and (name == "Twente" or name.startswith("Twente ("))


def scatter_chart(frame: pd.DataFrame, x_indicator: Indicator, y_indicator: Indicator,
                  description: str = "") -> alt.LayerChart:
    """Two indicators against each other: one point per gemeente, named on the point and on hover.

    ``frame`` (long format, one row per region and indicator) columns: indicator_id,
    region_name, value, is_sample; optional region_code and period. A region with a value for
    both indicators becomes a point; Twente (region_code ``GG_TWENTE``, or a name starting with
    'Twente'), when present for both, is a highlighted reference point (a dark diamond).
    ``x_indicator``/``y_indicator``: indicator_id, name, unit. Voorbeelddata points are hollow.
    Raises ValueError("geen gegevens") when no gemeente has a value for both indicators.
    """
    check_columns(frame, ("indicator_id", "region_name", "value", "is_sample"), "scatter_chart")
    x_id, y_id = x_indicator.indicator_id, y_indicator.indicator_id
    rows = frame[frame["value"].notna()] if frame is not None else frame
    if rows is None or rows.empty:
        raise ValueError(NO_DATA)
    gemeenten, twente = _scatter_points(rows, x_id, y_id)

    x_unit, y_unit = x_indicator.unit, y_indicator.unit
    x_name, y_name = x_indicator.name, y_indicator.name
    data = pd.DataFrame(gemeenten + twente)
    data["x_label"] = [format_value(v, x_unit) for v in data["x"]]
    data["y_label"] = [format_value(v, y_unit) for v in data["y"]]
    data["soort"] = [SAMPLE_LABEL if s else "gemeten" for s in data["is_sample"]]
    data["label"] = ["Twente" if t else n for t, n in zip(data["is_twente"], data["region_name"])]
    any_sample = bool(data["is_sample"].any())

    x_domain = padded_domain(data["x"].tolist(), x_unit, headroom=0.08)
    y_domain = padded_domain(data["y"].tolist(), y_unit, headroom=0.08)
    x_axis = alt.Axis(labelExpr=dutch_number_expr(axis_decimals(x_unit, *x_domain)),
                      title=f"{x_name} ({unit_title(x_unit)})", labelFontSize=13, titleFontSize=13,
                      titleLimit=500, tickCount=6)
    y_axis = alt.Axis(labelExpr=dutch_number_expr(axis_decimals(y_unit, *y_domain)),
                      title=f"{y_name} ({unit_title(y_unit)})", labelFontSize=13, titleFontSize=13,
                      titleLimit=400, tickCount=6)
    x = alt.X("x:Q", scale=alt.Scale(domain=x_domain, zero=False, nice=True), axis=x_axis)
    y = alt.Y("y:Q", scale=alt.Scale(domain=y_domain, zero=False, nice=True), axis=y_axis)
    tooltip = [
        alt.Tooltip("region_name:N", title="Gemeente"),
        alt.Tooltip("x_label:N", title=tooltip_title(x_name)),
        alt.Tooltip("y_label:N", title=tooltip_title(y_name)),
        alt.Tooltip("soort:N", title="Soort"),
    ]
    layers, subtitle = _scatter_layers(data, x, y, tooltip, any_sample, bool(twente))

    period = ""
    if "period" in rows.columns:
        found = sorted(set(rows["period"].astype(str)))
        period = f" ({', '.join(found)})" if found else ""
    if not description:
        description = _scatter_description(gemeenten, twente, x_indicator, y_indicator, period, any_sample)
    return (
        alt.layer(*layers)
        .properties(width="container", height=420,
                    title=alt.Title(f"{y_name} tegen {x_name}{period}", subtitle=subtitle,
                                    anchor="start", fontSize=18, subtitleFontSize=13),
                    description=description)
    )


def _scatter_points(rows: pd.DataFrame, x_id: str, y_id: str) -> tuple[list[dict], list[dict]]:
    """The gemeenten with a value for both indicators, and Twente (at most one) as reference."""
    codes = rows["region_code"] if "region_code" in rows.columns else pd.Series([None] * len(rows),
                                                                                 index=rows.index)
    pairs: dict[str, dict] = {}
    for code, name, indicator_id, value, sample in zip(codes, rows["region_name"], rows["indicator_id"],
                                                       rows["value"], rows["is_sample"]):
        if indicator_id not in (x_id, y_id):
            continue
        point = pairs.setdefault(name, {"region_name": name, "is_twente": _is_twente(code, name),
                                        "is_sample": False})
        point["x" if indicator_id == x_id else "y"] = float(value)
        point["is_sample"] = point["is_sample"] or bool(flags(pd.Series([sample]))[0])
        if x_id == y_id:
            point["y"] = point["x"]
    points = [p for p in pairs.values() if "x" in p and "y" in p]
    gemeenten = [p for p in points if not p["is_twente"]]
    if not gemeenten:
        raise ValueError(NO_DATA)
    return gemeenten, [p for p in points if p["is_twente"]][:1]


def _scatter_layers(data: pd.DataFrame, x: alt.X, y: alt.Y, tooltip: list, any_sample: bool,
                    with_twente: bool) -> tuple[list, list[str]]:
    """The gemeenten's points and names, Twente's diamond; and the subtitle that explains them."""
    municipal = data[~data["is_twente"]]
    point_encoding = {"x": x, "y": y, "tooltip": tooltip}
    if any_sample:
        point_encoding["fillOpacity"] = alt.FillOpacity(
            "soort:O", title=None, sort=["gemeten", SAMPLE_LABEL],
            scale=alt.Scale(domain=["gemeten", SAMPLE_LABEL], range=[1, 0]),
            legend=alt.Legend(orient="top", labelFontSize=13, symbolStrokeColor=LINE_COLOR,
                              symbolFillColor=LINE_COLOR, symbolStrokeWidth=2))
    layers: list = [
        alt.Chart(municipal).mark_point(filled=True, size=90, strokeWidth=2, color=LINE_COLOR,
                                        opacity=1).encode(**point_encoding),
        alt.Chart(municipal).mark_text(align="left", baseline="middle", dx=8, fontSize=11,
                                       color=TEXT_COLOR).encode(x=x, y=y, text="label:N",
                                                                tooltip=tooltip),
    ]
    subtitle = ["Elk punt is een gemeente"]
    if with_twente:
        reference = data[data["is_twente"]]
        layers.append(alt.Chart(reference).mark_point(shape="diamond", filled=True, size=200,
                                                      color="#000000", opacity=1).encode(
            x=x, y=y, tooltip=tooltip))
        layers.append(alt.Chart(reference).mark_text(align="left", baseline="middle", dx=10,
                                                     fontSize=12, fontWeight="bold",
                                                     color="#000000").encode(
            x=x, y=y, text="label:N", tooltip=tooltip))
        subtitle = ["Elk punt is een gemeente; zwarte ruit: Twente"]
    if any_sample:
        subtitle.append("Open punten: voorbeelddata, geen echte meting")
    return layers, subtitle


def _scatter_description(gemeenten: list[dict], twente: list[dict], x_indicator: Indicator, y_indicator: Indicator,
                         period: str, any_sample: bool) -> str:
    x_unit, y_unit = x_indicator.unit, y_indicator.unit
    x_name, y_name = x_indicator.name, y_indicator.name
    highest_y = max(gemeenten, key=lambda p: p["y"])
    highest_x = max(gemeenten, key=lambda p: p["x"])
    return (
        f"Spreidingsdiagram: {y_name} (verticaal) tegen {x_name} (horizontaal) voor "
        f"{len(gemeenten)} gemeenten{period}. Hoogst op {y_name.lower()}: "
        f"{highest_y['region_name']} ({format_value(highest_y['y'], y_unit)}); hoogst op "
        f"{x_name.lower()}: {highest_x['region_name']} ({format_value(highest_x['x'], x_unit)})."
        + (f" Twente: {format_value(twente[0]['x'], x_unit)} en "
           f"{format_value(twente[0]['y'], y_unit)}." if twente else "")
        + (" Bevat voorbeelddata, geen echte metingen." if any_sample else ""))
