"""Comparable gemeenten and regions: a gemeente against its peer group's spread, the funnel plot,
and all regions of a kind ranked with Twente marked.

Pure Altair builders, DataFrame in, chart out; shared notation in :mod:`monitor.charts.common`.
Shapes tell the gemeenten apart, not colour alone (WCAG 1.4.1): the chosen gemeente is a black
diamond, the Twente gemeenten triangles, other gemeenten circles.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from monitor.charts.common import (LINE_COLOR, NO_DATA, TEXT_COLOR, axis_decimals, check_columns,
                                   dutch_number_expr, indicator_colors, json_safe, padded_domain, reference_labels,
                                   require_values, text_labels, tooltip_title, unit_title)
from monitor.charts.comparisons import legend_labels, ranked_data, ranked_bar_chart
from monitor.domain.indicator import Indicator
from monitor.domain.text import format_number, format_value

CHOSEN, TWENTE_GEMEENTE, OTHER = "gekozen gemeente", "Twentse gemeente", "andere gemeente"
ROLE_SHAPES = {CHOSEN: "diamond", TWENTE_GEMEENTE: "triangle-up", OTHER: "circle"}
ROLE_COLORS = {CHOSEN: "#000000", TWENTE_GEMEENTE: LINE_COLOR, OTHER: "#8C8C8C"}
ROLE_SIZES = {CHOSEN: 220, TWENTE_GEMEENTE: 110, OTHER: 60}
BAND_COLOR = "#D9D9D9"


def _roles(frame: pd.DataFrame) -> list[str]:
    return [CHOSEN if g else TWENTE_GEMEENTE if t else OTHER
            for g, t in zip(frame["is_gemeente"].astype(bool), frame["is_twente"].astype(bool))]


def _role_encodings(roles: set[str]) -> dict:
    """Shape, colour and size by role, with one legend naming the roles present."""
    domain = [r for r in ROLE_SHAPES if r in roles]
    legend = alt.Legend(orient="top", title=None, labelFontSize=13, symbolSize=120)
    return {
        "shape": alt.Shape("role:N", scale=alt.Scale(domain=domain, range=[ROLE_SHAPES[r] for r in domain]),
                           legend=legend),
        "color": alt.Color("role:N", scale=alt.Scale(domain=domain, range=[ROLE_COLORS[r] for r in domain]),
                           legend=legend),
        "size": alt.Size("role:N", scale=alt.Scale(domain=domain, range=[ROLE_SIZES[r] for r in domain]),
                         legend=None),
    }


def _point_data(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    data = frame[frame["value"].notna()].copy()
    if data.empty:
        raise ValueError(NO_DATA)
    data["value"] = data["value"].astype(float)
    data["role"] = _roles(data)
    data["value_label"] = text_labels(data["value_label"]) if "value_label" in data else [
        format_value(v, unit) for v in data["value"]]
    data["ci_label"] = text_labels(data["ci_label"]) if "ci_label" in data else "–"
    data["inwoners"] = [format_number(v) for v in data.get("population", data.get("inhabitants"))]
    data["verschil"] = text_labels(data["verschil"]) if "verschil" in data else "–"
    # draw the chosen gemeente last (on top), the other gemeenten first
    order = {OTHER: 0, TWENTE_GEMEENTE: 1, CHOSEN: 2}
    data = data.sort_values(["role", "value"], key=lambda c: c.map(order) if c.name == "role" else c,
                            kind="stable").reset_index(drop=True)
    return data


def _tooltip(indicator: Indicator, population_title: str = "Inwoners") -> list:
    return [alt.Tooltip("region_name:N", title="Gemeente"),
            alt.Tooltip("value_label:N", title=tooltip_title(indicator.name)),
            alt.Tooltip("ci_label:N", title="95%-interval"),
            alt.Tooltip("inwoners:N", title=population_title),
            alt.Tooltip("verschil:N", title="Tegenover Nederland")]


def _references(items: list[tuple[str, float | None]], unit: str) -> pd.DataFrame:
    rows = [{"label": label, "value": float(v), "value_label": format_value(v, unit),
             "text": f"{label}: {format_value(v, unit)}"} for label, v in items if v is not None]
    return pd.DataFrame(rows, columns=["label", "value", "value_label", "text"]).sort_values(
        "value", kind="stable").reset_index(drop=True)


def peer_spread_chart(members: pd.DataFrame, indicator: Indicator, median: float, quartiles: tuple[float, float],
                      national: float | None = None, group_text: str = "", description: str = "") -> alt.LayerChart:
    """The gemeente against its peer group's spread: every peer a point (spread vertically so
    none hides another), the middle half (first to third quartile) as a grey band, the median and
    Nederland as lines; the chosen gemeente a black diamond with its name, Twente gemeenten triangles.

    ``members`` columns: region_name, value, is_gemeente, is_twente; optional value_label,
    ci_label, inhabitants, verschil. Raises ValueError("geen gegevens") without values.
    """
    check_columns(members, ("region_name", "value", "is_gemeente", "is_twente"), "peer_spread_chart")
    unit = indicator.unit
    data = _point_data(members, unit)
    data["jitter"] = [((i * 7) % 11) / 10 - 0.5 for i in range(len(data))]
    refs = _references([("mediaan", median), ("Nederland", national)], unit)
    domain = padded_domain(data["value"].tolist() + refs["value"].tolist() + list(quartiles), unit, headroom=0)
    x_axis = alt.Axis(labelExpr=dutch_number_expr(axis_decimals(unit, *domain)), title=unit_title(unit),
                      labelFontSize=13, titleFontSize=13, tickCount=6)
    x = alt.X("value:Q", scale=alt.Scale(domain=domain, zero=False, nice=False), axis=x_axis)
    y = alt.Y("jitter:Q", scale=alt.Scale(domain=[-0.8, 0.8]), axis=None)
    band = pd.DataFrame([{"low": quartiles[0], "high": quartiles[1],
                          "text": f"middelste helft: {format_value(quartiles[0], unit)} – "
                                  f"{format_value(quartiles[1], unit)}"}])
    data = json_safe(data)
    layers: list = [
        alt.Chart(band).mark_rect(color=BAND_COLOR, opacity=0.8).encode(
            x=alt.X("low:Q", scale=alt.Scale(domain=domain, zero=False, nice=False), axis=x_axis), x2="high:Q",
            tooltip=[alt.Tooltip("text:N", title="Kwartielen")]),
        alt.Chart(refs).mark_rule(color="#000000", strokeWidth=2).encode(
            x=x, strokeDash=alt.StrokeDash("label:N", scale=alt.Scale(domain=["mediaan", "Nederland"],
                                                                      range=[[1, 0], [6, 3]]), legend=None),
            tooltip=[alt.Tooltip("text:N", title="Referentie")]),
        *reference_labels(refs, x),
        alt.Chart(data).mark_point(filled=True, opacity=1, stroke="#FFFFFF", strokeWidth=0.5).encode(
            x=x, y=y, tooltip=_tooltip(indicator), **_role_encodings(set(data["role"]))),
        alt.Chart(data[data["role"] == CHOSEN]).mark_text(
            align="left", dx=10, fontSize=13, fontWeight="bold", color="#000000").encode(
            x=x, y=y, text="region_name:N"),
    ]
    if not description:
        description = _spread_description(data, indicator, median, quartiles, national, group_text)
    subtitle = ["Elk punt is een gemeente uit de groep; grijze band: de middelste helft (eerste tot derde "
                "kwartiel); doorgetrokken lijn: mediaan, gestreepte lijn: Nederland"]
    if group_text:
        subtitle.insert(0, f"Vergelijkbare gemeenten: {group_text}")
    return alt.layer(*layers).properties(
        width="container", height=190, description=description,
        title=alt.Title(indicator.name, subtitle=subtitle, anchor="start", fontSize=18, subtitleFontSize=13,
                        offset=24))


def _spread_description(data: pd.DataFrame, indicator: Indicator, median: float, quartiles: tuple[float, float],
                        national: float | None, group_text: str) -> str:
    unit = indicator.unit
    chosen = data[data["role"] == CHOSEN]
    own = (f" {chosen['region_name'].iloc[0]}: {chosen['value_label'].iloc[0]}." if not chosen.empty else "")
    return (f"Spreiding van {indicator.name} over {len(data)} vergelijkbare gemeenten"
            + (f" ({group_text})" if group_text else "") + f".{own} Mediaan {format_value(median, unit)}, "
            f"middelste helft {format_value(quartiles[0], unit)} tot {format_value(quartiles[1], unit)}"
            + (f"; Nederland {format_value(national, unit)}." if national is not None else "."))


def log_ticks(low: float, high: float) -> list[float]:
    """Tick values 1, 2 and 5 × 10^k between ``low`` and ``high``, at most 8 (then 1 and 3 × 10^k, or
    only the powers of ten), for a logarithmic axis whose labels must not run into each other.

    >>> log_ticks(800, 250_000)
    [1000.0, 2000.0, 5000.0, 10000.0, 20000.0, 50000.0, 100000.0, 200000.0]
    """
    for steps in ((1, 2, 5), (1, 3), (1,)):
        found = [float(m * 10 ** k) for k in range(0, 10) for m in steps if low <= m * 10 ** k <= high]
        if len(found) <= 8:
            return found
    return found


def funnel_chart(points: pd.DataFrame, curve: pd.DataFrame, indicator: Indicator, national: float,
                 description: str = "", population_title: str = "inwoners") -> alt.LayerChart:
    """The funnel plot: population (logarithmic) against the figure, one point per gemeente, the
    national value as a line and the 95% (dashed) and 99,8% (dotted) control limits around it.

    ``points`` columns: region_name, value, population, is_gemeente, is_twente; optional
    value_label, verschil. ``population_title``: what the population counts (the x axis).
    ``curve``: population, level, lower, upper (:func:`monitor.domain.funnel.funnel_curve`).
    """
    check_columns(points, ("region_name", "value", "population", "is_gemeente", "is_twente"), "funnel_chart")
    check_columns(curve, ("population", "level", "lower", "upper"), "funnel_chart")
    unit = indicator.unit
    data = _point_data(points[points["population"].notna()], unit)
    lines = curve.melt(id_vars=["population", "level"], value_vars=["lower", "upper"], var_name="bound",
                       value_name="limit")
    lines = lines[lines["limit"].notna()].copy()
    lines["grens"] = [f"{'95%' if lv == 0.95 else '99,8%'}-grens" for lv in lines["level"]]
    lines["line"] = lines["grens"] + " " + lines["bound"]
    shown = data["value"].tolist() + [national]
    low, high = min(shown), max(shown)
    spread = lines[(lines["limit"] >= low - (high - low)) & (lines["limit"] <= high + (high - low))]["limit"]
    domain = padded_domain(shown + spread.tolist(), unit, headroom=0.05)
    lines["limit"] = lines["limit"].clip(domain[0], domain[1])
    y_axis = alt.Axis(labelExpr=dutch_number_expr(axis_decimals(unit, *domain)),
                      title=f"{indicator.name} ({unit_title(unit)})", labelFontSize=13, titleFontSize=13,
                      titleLimit=400)
    x_low, x_high = float(curve["population"].min()), float(curve["population"].max())
    x_axis = alt.Axis(labelExpr=dutch_number_expr(0), title=f"{population_title} (logaritmische schaal)",
                      labelFontSize=13, titleFontSize=13, values=log_ticks(x_low, x_high))
    x_scale = alt.Scale(type="log", domain=[x_low, x_high], nice=False)
    y_scale = alt.Scale(domain=domain, zero=False, nice=False)
    line_dash = alt.StrokeDash("grens:N", title="Grenzen rond Nederland",
                               scale=alt.Scale(domain=["95%-grens", "99,8%-grens"], range=[[6, 3], [2, 2]]),
                               legend=alt.Legend(orient="top", labelFontSize=13, titleFontSize=13))
    nl = pd.DataFrame([{"value": float(national), "text": f"Nederland: {format_value(national, unit)}"}])
    data = json_safe(data)
    layers = [
        alt.Chart(lines).mark_line(color=TEXT_COLOR, strokeWidth=1.5).encode(
            x=alt.X("population:Q", scale=x_scale, axis=x_axis), y=alt.Y("limit:Q", scale=y_scale, axis=y_axis),
            strokeDash=line_dash, detail="line:N"),
        alt.Chart(nl).mark_rule(color="#000000", strokeWidth=2).encode(
            y=alt.Y("value:Q", scale=y_scale, axis=y_axis), tooltip=[alt.Tooltip("text:N", title="Referentie")]),
        alt.Chart(nl).mark_text(align="right", baseline="bottom", dy=-3, x="width", fontSize=12, fontWeight="bold",
                                color="#000000").encode(y=alt.Y("value:Q", scale=y_scale, axis=y_axis),
                                                        text="text:N"),
        alt.Chart(data).mark_point(filled=True, opacity=0.9, stroke="#FFFFFF", strokeWidth=0.5).encode(
            x=alt.X("population:Q", scale=x_scale, axis=x_axis), y=alt.Y("value:Q", scale=y_scale, axis=y_axis),
            tooltip=_tooltip(indicator, population_title[:1].upper() + population_title[1:]),
            **_role_encodings(set(data["role"]))),
        alt.Chart(data[data["role"] == CHOSEN]).mark_text(
            align="left", dx=10, fontSize=13, fontWeight="bold", color="#000000").encode(
            x=alt.X("population:Q", scale=x_scale, axis=x_axis), y=alt.Y("value:Q", scale=y_scale, axis=y_axis),
            text="region_name:N"),
    ]
    if not description:
        description = _funnel_description(data, indicator, national)
    return alt.layer(*layers).properties(
        width="container", height=380, description=description,
        title=alt.Title(f"{indicator.name}: trechterplot", anchor="start", fontSize=18, subtitleFontSize=13,
                        subtitle=["Buiten de gestreepte lijnen verschilt een gemeente van Nederland (95%), "
                                  "buiten de gestippelde lijnen duidelijk (99,8%)"], offset=24))


def _funnel_description(data: pd.DataFrame, indicator: Indicator, national: float) -> str:
    counts = data["verschil"].value_counts()
    parts = [f"{n} gemeente {word}" if n == 1 else f"{n} gemeenten {word.replace('verschilt', 'verschillen')}"
             for word in ("verschilt duidelijk", "verschilt", "verschilt niet aantoonbaar")
             for n in [int(counts.get(word, 0))] if n]
    chosen = data[data["role"] == CHOSEN]
    own = (f" {chosen['region_name'].iloc[0]}: {chosen['value_label'].iloc[0]}, {chosen['verschil'].iloc[0]}."
           if not chosen.empty else "")
    return (f"Trechterplot van {indicator.name} voor {len(data)} gemeenten tegen hun aantal inwoners, rond "
            f"Nederland ({format_value(national, indicator.unit)}).{own}"
            + (f" Tegenover Nederland: {', '.join(parts)}." if parts else ""))


def regions_chart(ranked: pd.DataFrame, indicator: Indicator, national: float | None, plural: str,
                  highlight: str, step: int = 18, description: str = "") -> alt.LayerChart:
    """All regions of a kind ranked, Twente (``highlight``, its region_name) outlined, with the
    comparison with Nederland as colour and sign and Nederland as a reference line.

    ``ranked`` columns: region_name, value, ci_low, ci_high, comparison, value_label, is_sample."""
    refs = _references([("Nederland", national)], indicator.unit)[["label", "value", "value_label"]]
    return ranked_bar_chart(ranked, indicator, refs, highlight=highlight, description=description,
                            legend_title="Vergeleken met Nederland", noun=plural, region_title="Regio", step=step)


def regions_strip_chart(ranked: pd.DataFrame, indicator: Indicator, national: float | None, plural: str,
                        highlight: str, description: str = "") -> alt.LayerChart:
    """All regions of a kind as dots on one value axis: the slide's chart of ``regions_chart``. A bar
    per region cannot carry 25–40 names at the 20 px a projected slide needs; here every region is
    a dot (colour and sign by the comparison with Nederland, every figure in the tooltip and the
    slide's text), Twente (``highlight``, its region_name) a large outlined dot with its name and
    figure, Nederland a line. Raises ValueError("geen gegevens") without values."""
    check_columns(ranked, ("region_name", "value", "ci_low", "ci_high", "comparison", "value_label",
                           "is_sample"), "regions_strip_chart")
    unit = indicator.unit
    palette = indicator_colors(indicator.direction)
    data = ranked_data(require_values(ranked).copy(), palette, unit)
    data["is_twente"] = data["region_name"] == highlight
    data["twente_text"] = [f"{name}: {label}" if twente else ""
                           for name, label, twente in zip(data["region_name"], data["value_label"], data["is_twente"])]
    refs = _references([("Nederland", national)], unit)
    domain = padded_domain(data["value"].tolist() + refs["value"].tolist(), unit, headroom=0.05)
    x = alt.X("value:Q", scale=alt.Scale(domain=domain, nice=False, zero=False),
              axis=alt.Axis(labelExpr=dutch_number_expr(axis_decimals(unit, domain[0], domain[1])),
                            title=unit_title(unit), grid=True, tickCount=6))
    present = [c for c in palette if c in set(data["comparison"])]
    color = alt.Color("comparison:N", title="Vergeleken met Nederland",
                      scale=alt.Scale(domain=list(palette), range=list(palette.values())),
                      legend=alt.Legend(orient="top", direction="horizontal", values=present, symbolType="circle",
                                        labelExpr=legend_labels()))
    tooltip = [alt.Tooltip("region_name:N", title="Regio"),
               alt.Tooltip("value_label:N", title=tooltip_title(indicator.name)),
               alt.Tooltip("ci_label:N", title="95%-interval"),
               alt.Tooltip("comparison:N", title="Vergeleken met Nederland")]
    data["stack"] = data.groupby("value").cumcount()  # equal figures side by side, none hidden
    top = int(data["stack"].max()) + 3
    y = alt.Y("stack:Q", axis=None, scale=alt.Scale(domain=[-1, top]))
    data = json_safe(data)
    dots = alt.Chart(data).mark_point(filled=True, size=220, opacity=0.85).encode(
        x=x, y=y, color=color, tooltip=tooltip)
    twente = alt.Chart(data).transform_filter("datum.is_twente").mark_point(
        size=900, filled=False, strokeWidth=3, color=TEXT_COLOR).encode(x=x, y=y)
    name = alt.Chart(data).transform_filter("datum.is_twente").mark_text(
        dy=-34, fontSize=15, fontWeight="bold", color=TEXT_COLOR).encode(x=x, y=y, text="twente_text:N")
    layers = [dots, twente, name]
    if not refs.empty:
        layers.insert(0, alt.Chart(json_safe(refs)).mark_rule(strokeDash=[6, 4], color=LINE_COLOR, size=2)
                      .encode(x=x))
        layers.append(alt.Chart(json_safe(refs)).mark_text(dx=6, align="left", baseline="top", fontSize=14,
                                                           color=TEXT_COLOR).encode(x=x, y=alt.value(2), text="text:N"))
    return alt.layer(*layers).properties(
        width="container", height=240, description=description or f"{indicator.name}: {len(data)} {plural}",
        title=alt.Title(indicator.name, subtitle=f"Elke stip is een van de {len(data)} {plural}", anchor="start",
                        fontSize=18, subtitleFontSize=13, offset=16))
