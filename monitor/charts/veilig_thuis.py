"""Veilig Thuis charts: the trend per half year, the gemeenten ranked and a breakdown.

Pure Altair builders over the protected ``vt_*`` rows; labels and sentences in
:mod:`monitor.domain.vt_labels`, shared notation in :mod:`monitor.charts.common`.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from monitor.charts.common import (NO_DATA, SAMPLE_LABEL, TEXT_COLOR, check_columns,
                                   dutch_number_expr, json_safe, line_dashes, reference_labels)
from monitor.data.contract import VT_BREAKDOWNS
from monitor.domain import vt_labels
from monitor.domain.periods import period_label

# --- Veilig Thuis (protected counts, neutral direction) ---------------------------------
#
# The rows come from the vt_* queries over the protected view: ``count`` is rounded or NULL,
# ``suppression`` is NULL, 'klein' or 'afgeschermd'. A suppressed cell is never drawn as a
# number: no bar, no point, its value is null in the chart data and it is labelled '<10' or
# 'x' (monitor.domain.vt_labels.count_label). The direction is neutral: one purple for every
# gemeente, region colours only to tell the lines apart, never red or green.

VT_BAR_COLOR = "#6A51A3"
VT_REGION_STYLES: dict[str, tuple[str, str]] = {"GG_TWENTE": ("#0072B2", "circle")}
VT_OTHER_STYLE: tuple[str, str] = ("#6A51A3", "diamond")
_VT_SAMPLE_SUBTITLE = "Voorbeelddata: gegenereerde cijfers, geen echte meldingen"
# voorbeelddata bars: lighter, a dashed outline, a * after the figure
SAMPLE_MARK = "*"
VT_SAMPLE_STROKE = "#3F2A78"
VT_SAMPLE_DASH: tuple[int, int] = (4, 2)
_VT_SAMPLE_BARS = " (lichte balken met stippelrand en *)"


def _vt_min_count(rows: pd.DataFrame, min_count: int | None) -> int:
    return int(min_count) if min_count is not None else vt_labels.min_count_of(rows)


def _vt_suppressed_subtitle(min_count: int) -> str:
    return f"<{min_count}: minder dan {min_count}; x: afgeschermd"


def vt_trend_chart(rows: pd.DataFrame, measure: str, kind: str, min_count: int | None = None,
                   description: str = "") -> alt.LayerChart | alt.FacetChart:
    """Veilig Thuis per half year for Twente and a gemeente: absolute or per 1.000 inwoners.

    ``rows`` columns: region_code, region_name, period ('2024H1'), count, per_1000,
    suppression, is_sample (breakdown 'totaal' of one kind). ``measure``: 'aantal' or
    'per_1000'. Per 1.000 inwoners the regions share one panel (the rates compare); as
    counts every region gets its own panel with its own scale (Twente's thousands would
    flatten a small gemeente's line), so the result is then a chart faceted in rows. A
    suppressed half year breaks the line and is labelled '<10' or 'x' at the bottom of the
    panel, in the region's colour. Raises ValueError("geen gegevens") without rows.
    """
    check_columns(rows, ("region_code", "period", "count", "per_1000", "suppression",
                          "is_sample"), "vt_trend_chart")
    if rows is None or rows.empty:
        raise ValueError(NO_DATA)
    threshold = _vt_min_count(rows, min_count)
    frame = rows.copy()
    frame["period"] = frame["period"].astype(str)
    periods = vt_labels.sorted_periods(frame["period"])
    codes = list(dict.fromkeys(frame["region_code"]))
    codes.sort(key=lambda c: c != "GG_TWENTE")
    names = [vt_labels.region_label(c) for c in codes]
    styles = [VT_REGION_STYLES.get(c, VT_OTHER_STYLE) for c in codes]
    panels = measure != "per_1000" and len(codes) > 1

    records = _trend_records(frame, codes, names, periods, measure, threshold, panels)
    data = json_safe(pd.DataFrame(records))
    shown = data[~data["suppressed"]]
    hidden = data[data["suppressed"]]
    any_sample = bool((data["soort"] == SAMPLE_LABEL).any())
    top = float(shown["value"].max()) if not shown.empty else 1.0
    decimals = 0 if measure == "aantal" else (2 if top < 1 else 1 if top < 20 else 0)
    unit = "per 1.000 inwoners" if measure == "per_1000" else "aantal"
    y_axis = alt.Axis(labelExpr=dutch_number_expr(decimals), title=unit, labelFontSize=13,
                      titleFontSize=13, tickCount=5)
    if panels:
        y_scale = alt.Scale(zero=True, nice=True)
    else:
        y_scale = alt.Scale(domain=[0, top * 1.15 if top > 0 else 1], nice=True, zero=True)
    x = alt.X("period:O", sort=periods, scale=alt.Scale(domain=periods), title=None,
              axis=alt.Axis(labelAngle=-45, labelFontSize=12, grid=True))
    y = alt.Y("value:Q", scale=y_scale, axis=y_axis)
    color = alt.Color("region:N", title=None, sort=names,
                      scale=alt.Scale(domain=names, range=[c for c, _ in styles]),
                      legend=alt.Legend(orient="top", direction="horizontal", labelFontSize=13,
                                        symbolStrokeWidth=2.5, symbolSize=120))
    shape = alt.Shape("region:N", title=None, sort=names,
                      scale=alt.Scale(domain=names, range=[s for _, s in styles]))
    tooltip = [
        alt.Tooltip("region:N", title="Regio"),
        alt.Tooltip("periode_label:N", title="Halfjaar"),
        alt.Tooltip("aantal_label:N", title=f"{vt_labels.kind_label(kind)} (aantal)"),
        alt.Tooltip("per_1000_label:N", title="Per 1.000 inwoners"),
        alt.Tooltip("soort:N", title="Soort"),
    ]
    # the bottom of the plot: in a facet the cell's height signal is 'child_height'
    bottom = "child_height" if panels else "height"
    layers = _trend_layers(hidden, x, y, color, shape, names, styles, tooltip, bottom)
    subtitle = []
    if panels:
        subtitle.append("Elke regio met een eigen schaal; per 1.000 inwoners zijn ze onderling te "
                        "vergelijken")
    if not hidden.empty:
        subtitle.append(_vt_suppressed_subtitle(threshold))
    if any_sample:
        subtitle.append(_VT_SAMPLE_SUBTITLE + " (open punten)")
    title = f"{vt_labels.kind_label(kind)} per halfjaar" + (" per 1.000 inwoners" if measure == "per_1000" else "")
    if not description:
        description = vt_labels.trend_sentence(rows, measure, kind, threshold)
    title = alt.Title(title, subtitle=subtitle, anchor="start", fontSize=18, subtitleFontSize=13)
    if panels:
        return _trend_panels(layers, data, names, title, description)
    layered = alt.layer(*layers, data=data)
    return layered.properties(width="container", height=340, title=title, description=description)


def _trend_panels(layers: list, data: pd.DataFrame, names: list[str], title: alt.Title,
                  description: str) -> alt.FacetChart:
    """The trend's layers in a panel per region, each with its own y scale.

    The region stands above its panel as a text mark, not as a facet header: a header is a Vega
    title that speaks English ("Title text '…'") and Vega-Lite's Header has no aria property;
    marks are quiet under ``without_generated_aria``."""
    data = data.assign(is_first=~data.duplicated("region"))
    name = (alt.Chart().mark_text(align="left", baseline="bottom", fontSize=14, fontWeight="bold",
                                  color=TEXT_COLOR, x=0, y=-10)
            .encode(text="region:N").transform_filter("datum.is_first"))
    return (
        alt.layer(*layers, name, data=data).properties(width=alt.Step(52), height=170)
        .facet(row=alt.Row("region:N", sort=names, title=None, header=alt.Header(labels=False)),
               spacing=44)
        .resolve_scale(y="independent")
        .properties(title=title, description=description)
    )


def _vt_bars(data: pd.DataFrame, order: list[str], y_title: str | None, x_title: str,
             decimals: int, x_max: float, tooltip: list, highlight: str | None = None) -> list:
    """Horizontal bars of the shown values and '<10'/'x' labels for the hidden ones."""
    # Voorbeelddata is told by more than a lighter bar (WCAG 1.4.1): a dashed outline
    # and a * after the figure, both explained in the subtitle.
    data = data.assign(bar_text=[f"{label} {SAMPLE_MARK}" if soort == SAMPLE_LABEL else label
                                 for label, soort in zip(data["value_label"], data["soort"])])
    shown = json_safe(data[~data["suppressed"]])
    hidden = json_safe(data[data["suppressed"]])
    x_scale = alt.Scale(domain=[0, x_max], nice=False, zero=True)
    x_axis = alt.Axis(labelExpr=dutch_number_expr(decimals), title=x_title, labelFontSize=13,
                      titleFontSize=13, grid=True, tickCount=6)
    label_weight = {"condition": {"test": f"datum.value === {json.dumps(highlight)}",
                                  "value": "bold"}, "value": "normal"}
    y = alt.Y("name:N", sort=order, title=y_title, scale=alt.Scale(domain=order),
              axis=alt.Axis(labelFontSize=13, labelLimit=220, labelFontWeight=label_weight,
                            ticks=False, domain=False))
    x = alt.X("value:Q", scale=x_scale, axis=x_axis)
    sample = f"datum.soort === {json.dumps(SAMPLE_LABEL)}"
    layers: list = [alt.Chart(shown).mark_bar(height={"band": 0.72}, color=VT_BAR_COLOR,
                                              strokeWidth=1.5).encode(
        x=x, y=y, tooltip=tooltip,
        fillOpacity=alt.condition(sample, alt.value(0.55), alt.value(1.0)),
        stroke=alt.condition(sample, alt.value(VT_SAMPLE_STROKE), alt.value(None)),
        strokeDash=alt.condition(sample, alt.value(list(VT_SAMPLE_DASH)), alt.value([1, 0])))]
    if highlight is not None and highlight in set(shown["name"]):
        layers.append(alt.Chart(shown[shown["name"] == highlight]).mark_bar(
            height={"band": 0.72}, fillOpacity=0, stroke="#000000", strokeWidth=2.5,
        ).encode(x=alt.X("value:Q", axis=x_axis), y=y, tooltip=tooltip,
                 strokeDash=alt.condition(sample, alt.value(list(VT_SAMPLE_DASH)), alt.value([1, 0]))))
    value_text = {"x": alt.X("value:Q", axis=x_axis), "y": y, "text": "bar_text:N",
                  "tooltip": tooltip}
    layers.append(alt.Chart(shown).mark_text(align="left", baseline="middle", dx=5, fontSize=12,
                                             stroke="#FFFFFF", strokeWidth=4, strokeJoin="round",
                                             fill="#FFFFFF").encode(**value_text))
    layers.append(alt.Chart(shown).mark_text(align="left", baseline="middle", dx=5, fontSize=12,
                                             color=TEXT_COLOR).encode(**value_text))
    if not hidden.empty:
        # no bar: the label sits at zero, where a bar would start
        layers.append(alt.Chart(hidden).mark_text(align="left", baseline="middle", dx=5,
                                                  fontSize=12, fontWeight="bold",
                                                  color=TEXT_COLOR).encode(
            x=alt.X("zero:Q", axis=x_axis), y=y, text="bar_text:N", tooltip=tooltip))
    return layers


def vt_gemeenten_chart(rows: pd.DataFrame, kind: str, period: str, highlight: str | None = None,
                       min_count: int | None = None, description: str = "") -> alt.LayerChart:
    """The gemeenten per 1.000 inwoners in one half year, ranked, with reference rules.

    ``rows`` columns: region_code, region_name, count, per_1000, suppression, is_sample
    (breakdown 'totaal' of one kind and half year; GG_TWENTE and NL01 become reference rules
    when their figure is shown). Suppressed gemeenten are listed below the others with '<10'
    or 'x' and no bar. ``highlight``: a region_code drawn outlined and in bold. Raises
    ValueError("geen gegevens") without any gemeente.
    """
    check_columns(rows, ("region_code", "count", "per_1000", "suppression", "is_sample"),
                   "vt_gemeenten_chart")
    if rows is None or rows.empty:
        raise ValueError(NO_DATA)
    threshold = _vt_min_count(rows, min_count)
    gemeenten = rows[rows["region_code"].astype(str).str.startswith("GM")]
    if gemeenten.empty:
        raise ValueError(NO_DATA)
    records = _gemeenten_records(gemeenten, threshold)
    data = pd.DataFrame(records)
    shown = data[~data["suppressed"]].sort_values(["value", "name"], ascending=[False, True],
                                                  kind="stable")
    hidden = data[data["suppressed"]].sort_values("name", kind="stable")
    data = pd.concat([shown, hidden], ignore_index=True)
    order = data["name"].tolist()
    any_sample = bool((data["soort"] == SAMPLE_LABEL).any())

    refs = _vt_references(rows, threshold)

    top = max(shown["value"].tolist() + refs["value"].tolist() + [0.0])
    x_max = top * 1.2 if top > 0 else 1.0
    decimals = 1 if x_max < 5 else 0
    if x_max < 0.5:
        decimals = 2
    tooltip = [
        alt.Tooltip("name:N", title="Gemeente"),
        alt.Tooltip("value_label:N", title="Per 1.000 inwoners"),
        alt.Tooltip("aantal_label:N", title=f"{vt_labels.kind_label(kind)} (aantal)"),
        alt.Tooltip("soort:N", title="Soort"),
    ]
    bold = vt_labels.region_label(highlight) if highlight else None
    layers = _vt_bars(data, order, None, "per 1.000 inwoners", decimals, x_max, tooltip, bold)
    if not refs.empty:
        ref_tooltip = [alt.Tooltip("label:N", title="Referentie"),
                       alt.Tooltip("value_label:N", title="Per 1.000 inwoners")]
        x = alt.X("value:Q")
        layers.insert(1, alt.Chart(refs).mark_rule(color="#000000", strokeWidth=2,
                                                   strokeDash=[6, 3]).encode(x=x, tooltip=ref_tooltip))
        layers.extend(reference_labels(refs, x))
    subtitle = []
    if not hidden.empty:
        subtitle.append("Zonder balk: " + _vt_suppressed_subtitle(threshold))
    if any_sample:
        subtitle.append(_VT_SAMPLE_SUBTITLE + _VT_SAMPLE_BARS)
    if not description:
        description = vt_labels.ranking_sentence(rows, kind, period, threshold)
    return (
        alt.layer(*layers)
        .properties(width="container", height=alt.Step(26),
                    title=alt.Title(f"{vt_labels.kind_label(kind)} per 1.000 inwoners, "
                                    f"{period_label(period)}", subtitle=subtitle,
                                    anchor="start", fontSize=18, subtitleFontSize=13, offset=24),
                    description=description)
    )


def vt_breakdown_chart(rows: pd.DataFrame, breakdown: str, measure: str, kind: str,
                       region: str, period: str, min_count: int | None = None,
                       description: str = "") -> alt.LayerChart:
    """One breakdown (aard van het geweld or soort melder) of one region and half year.

    ``rows`` columns: breakdown, category, count, per_1000, suppression, is_sample (one
    region, kind and half year; the row ('totaal', 'totaal') becomes the subtitle).
    Categories in the contract's order; a suppressed category has no bar and reads '<10' or
    'x'. Raises ValueError("geen gegevens") when the breakdown has no rows.
    """

    check_columns(rows, ("breakdown", "category", "count", "per_1000", "suppression",
                          "is_sample"), "vt_breakdown_chart")
    part = rows[rows["breakdown"] == breakdown] if rows is not None else rows
    if part is None or part.empty:
        raise ValueError(NO_DATA)
    threshold = _vt_min_count(rows, min_count)
    order_codes = [c for c in VT_BREAKDOWNS.get(breakdown, ()) if c in set(part["category"])]
    order_codes += [c for c in dict.fromkeys(part["category"]) if c not in order_codes]
    records = []
    for category in order_codes:
        row = part[part["category"] == category].iloc[0]
        value = vt_labels.shown_value(row, measure, threshold)
        records.append({
            "name": vt_labels.category_label(category),
            "value": value,
            "zero": 0.0,
            "value_label": vt_labels.value_label(row, measure, threshold),
            "aantal_label": vt_labels.count_label(row["count"], row["suppression"], threshold),
            "per_1000_label": vt_labels.per_1000_label(row["per_1000"], row["count"], row["suppression"],
                                                threshold),
            "suppressed": value is None,
            "soort": SAMPLE_LABEL if bool(row["is_sample"]) else "gepubliceerd",
        })
    data = pd.DataFrame(records)
    order = data["name"].tolist()
    top = max([v for v in data["value"] if v is not None and not pd.isna(v)] + [0.0])
    if top > 0:
        x_max = top * 1.25
    else:  # nothing drawn: an axis up to twice the threshold, in whole numbers
        x_max = 2.0 * threshold if measure == "aantal" else 1.0
    decimals = 0 if measure == "aantal" else (2 if x_max < 1 else 1)
    unit = "per 1.000 inwoners" if measure == "per_1000" else "aantal"
    tooltip = [
        alt.Tooltip("name:N", title=vt_labels.breakdown_label(breakdown)),
        alt.Tooltip("aantal_label:N", title=f"{vt_labels.kind_label(kind)} (aantal)"),
        alt.Tooltip("per_1000_label:N", title="Per 1.000 inwoners"),
        alt.Tooltip("soort:N", title="Soort"),
    ]
    layers = _vt_bars(data, order, None, unit, decimals, x_max, tooltip)
    subtitle = []
    total = rows[(rows["breakdown"] == "totaal") & (rows["category"] == "totaal")]
    if not total.empty:
        subtitle.append(f"{vt_labels.kind_label(kind)} totaal: {vt_labels.value_label(total.iloc[0], measure, threshold)}"
                        + (" per 1.000 inwoners" if measure == "per_1000" else ""))
    if breakdown == "categorie":
        subtitle.append("Eén melding kan over meer dan één vorm van geweld gaan")
    if bool(data["suppressed"].any()):
        subtitle.append("Zonder balk: " + _vt_suppressed_subtitle(threshold))
    if bool((data["soort"] == SAMPLE_LABEL).any()):
        subtitle.append(_VT_SAMPLE_SUBTITLE + _VT_SAMPLE_BARS)
    if not description:
        description = vt_labels.breakdown_sentence(rows, breakdown, measure, region, period, threshold)
    return (
        alt.layer(*layers)
        .properties(width="container", height=alt.Step(30),
                    title=alt.Title(f"{vt_labels.breakdown_label(breakdown)}: {region}, "
                                    f"{period_label(period)}", subtitle=subtitle,
                                    anchor="start", fontSize=16, subtitleFontSize=12),
                    description=description)
    )


def _trend_records(frame: pd.DataFrame, codes: list[str], names: list[str], periods: list[str],
                   measure: str, threshold: int, panels: bool) -> list[dict]:
    """One record per region and half year; a hidden half year has no value and starts a new
    line segment after it."""
    records = []
    for index, code in enumerate(codes):
        own = frame[frame["region_code"] == code]
        own = own.assign(_order=[periods.index(p) for p in own["period"]]).sort_values("_order")
        segment = 0
        for _, row in own.iterrows():
            value = vt_labels.shown_value(row, measure, threshold)
            if value is None:
                segment += 1  # the line stops here and starts again after the gap
            records.append({
                "region": names[index],
                "period": row["period"],
                "periode_label": period_label(row["period"]),
                "value": value,
                "value_label": vt_labels.value_label(row, measure, threshold),
                "aantal_label": vt_labels.count_label(row["count"], row["suppression"], threshold),
                "per_1000_label": vt_labels.per_1000_label(row["per_1000"], row["count"],
                                                    row["suppression"], threshold),
                "segment": f"{code}-{segment}",
                "suppressed": value is None,
                # gap labels of two regions in one panel stack, each on its own line
                "lane": 0 if panels else index,
                "soort": SAMPLE_LABEL if bool(row["is_sample"]) else "gepubliceerd",
            })
    return records


def _trend_layers(hidden: pd.DataFrame, x: alt.X, y: alt.Y, color: alt.Color, shape: alt.Shape,
                  names: list[str], styles: list[tuple[str, str]], tooltip: list,
                  bottom: str = "height") -> list:
    """Lines and points of the shown half years; the hidden ones as labels at the bottom,
    one lane per region."""
    base = alt.Chart()
    drawn = "datum.value !== null"
    layers: list = [
        base.mark_line(strokeWidth=2.5).encode(
            x=x, y=y, color=color, detail="segment:N",
            strokeDash=alt.StrokeDash("region:N", sort=names, legend=None,
                                      scale=alt.Scale(domain=names, range=line_dashes(len(names)))))
        .transform_filter(drawn),
        base.mark_point(size=90, strokeWidth=2, opacity=1).encode(
            x=x, y=y, color=color, shape=shape, tooltip=tooltip,
            fill=alt.condition("datum.soort === 'voorbeelddata'", alt.value("white"),
                               alt.Fill("region:N", sort=names, legend=None,
                                        scale=alt.Scale(domain=names,
                                                        range=[c for c, _ in styles]))))
        .transform_filter(drawn),
    ]
    for lane in sorted(set(hidden["lane"])):
        layers.append(base.mark_text(
            baseline="bottom", dy=-4 - 16 * int(lane), fontSize=12, fontWeight="bold",
        ).encode(x=x, y=alt.YValue(alt.ExprRef(bottom)), text="value_label:N", color=color,
                 tooltip=tooltip).transform_filter(f"datum.suppressed && datum.lane === {int(lane)}"))
    return layers


def _gemeenten_records(gemeenten: pd.DataFrame, threshold: int) -> list[dict]:
    """One record per gemeente: its rate per 1.000 inwoners, or none when hidden."""
    records = []
    for _, row in gemeenten.iterrows():
        value = vt_labels.shown_value(row, "per_1000", threshold)
        records.append({
            "name": vt_labels.region_label(row["region_code"]),
            "value": value,
            "zero": 0.0,
            "value_label": vt_labels.per_1000_label(row["per_1000"], row["count"], row["suppression"],
                                             threshold),
            "aantal_label": vt_labels.count_label(row["count"], row["suppression"], threshold),
            "suppressed": value is None,
            "soort": SAMPLE_LABEL if bool(row["is_sample"]) else "gepubliceerd",
        })
    return records


def _vt_references(rows: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Twente and Nederland as reference rules, where their figure is shown."""
    references = []
    for code, label in (("GG_TWENTE", "Twente"), ("NL01", "Nederland")):
        found = rows[rows["region_code"] == code]
        if found.empty:
            continue
        value = vt_labels.shown_value(found.iloc[0], "per_1000", threshold)
        if value is not None:
            text = vt_labels.per_1000_label(value, found.iloc[0]["count"], found.iloc[0]["suppression"],
                                     threshold)
            references.append({"label": label, "value": value, "value_label": text,
                               "text": f"{label}: {text}"})
    refs = pd.DataFrame(references, columns=["label", "value", "value_label", "text"])
    refs = refs.sort_values("value", kind="stable").reset_index(drop=True)
    return refs
