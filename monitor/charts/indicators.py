"""Indicator charts over time: the trend of a few regions and the path to a target.

Pure Altair builders, DataFrame in, chart out; shared notation in :mod:`monitor.charts.common`.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from monitor.charts.common import (LINE_COLOR, NO_DATA, SAMPLE_LABEL, TEXT_COLOR, as_timestamp,
                                   axis_decimals, check_columns, dutch_date_expr, dutch_number_expr,
                                   flags, json_safe, line_dashes, padded_domain, require_values, text_labels,
                                   tooltip_title, unit_title, vl_datetime)
from monitor.domain.indicator import Indicator
from monitor.domain.targets import Target
from monitor.domain.periods import period_end
from monitor.domain.text import format_date, format_short_date, format_value
from monitor.domain.trend_sources import with_sources

_COMPARATOR_WORDS: dict[str, str] = {"<": "onder", "≤": "hoogstens", "<=": "hoogstens",
                                     "≥": "minstens", ">=": "minstens", ">": "boven"}
_BAND_COLOR = "#9E9E9E"

# Region styles in trend charts: colour and point shape (and a dash per line,
# ``common.line_dashes``), so lines stay apart in greyscale and without colour.
_REGION_STYLES: dict[str, tuple[str, str]] = {
    "GG_TWENTE": ("#0072B2", "circle"),
    "PV_OVERIJSSEL": ("#CC79A7", "diamond"),
    "NL01": ("#4D4D4D", "square"),
}
_OTHER_REGION_STYLES: tuple[tuple[str, str], ...] = (
    ("#E69F00", "triangle-up"), ("#56B4E9", "triangle-down"), ("#7F3C8D", "cross"))


def _target_words(target: Target, unit: str) -> str:
    """'onder 17%': the comparator in words and the target value."""
    comparator = target.comparator
    if comparator not in _COMPARATOR_WORDS:
        raise ValueError(f"Onbekende vergelijking in doel: {comparator!r}")
    value = target.target_value
    decimals = 0 if value.is_integer() else 1
    return f"{_COMPARATOR_WORDS[comparator]} {format_value(value, unit, decimals)}"


# --- Trend over time --------------------------------------------------------------------

def _region_styles(series: pd.DataFrame) -> tuple[list[str], list[str], list[str]]:
    """Region names in legend order (Twente, gemeente(n), Overijssel, Nederland) with styles."""
    codes = (series["region_code"] if "region_code" in series.columns
             else pd.Series([None] * len(series), index=series.index))
    by_name: dict[str, str | None] = {}
    for name, code in zip(series["region_name"], codes):
        by_name.setdefault(name, code if isinstance(code, str) else None)

    def role(name: str) -> str | None:
        code = by_name[name]
        if code in _REGION_STYLES:
            return code
        if name == "Nederland":
            return "NL01"
        if name == "Overijssel":
            return "PV_OVERIJSSEL"
        if name == "Twente" or name.startswith("Twente ("):
            return "GG_TWENTE"
        return None

    rank = {"GG_TWENTE": 0, None: 1, "PV_OVERIJSSEL": 2, "NL01": 3}
    names = sorted(by_name, key=lambda n: rank[role(n)])  # stable: others keep their order
    colors, shapes = [], []
    others = iter(_OTHER_REGION_STYLES * 3)
    for name in names:
        color, shape = _REGION_STYLES[role(name)] if role(name) else next(others)
        colors.append(color)
        shapes.append(shape)
    return names, colors, shapes


def _period_position(period: str) -> pd.Timestamp:
    """Where a period sits on a time axis: mid-year for a year, else the end of the period."""
    period = str(period)
    if len(period) == 4 and period.isdigit():
        return pd.Timestamp(int(period), 7, 1)
    return as_timestamp(period_end(period))


def _merge_bands(bands: pd.DataFrame) -> pd.DataFrame:
    """Overlapping project periods merged into one shaded segment (overlaps would darken)."""
    frame = bands[["project_name", "start", "end"]].copy()
    frame["start"] = pd.to_datetime(frame["start"]).dt.normalize()
    frame["end"] = pd.to_datetime(frame["end"]).dt.normalize()
    frame = frame[frame["start"].notna() & frame["end"].notna() & (frame["end"] >= frame["start"])]
    frame = frame.sort_values(["start", "end"], kind="stable")
    segments: list[dict] = []
    for row in frame.itertuples(index=False):
        if segments and row.start <= segments[-1]["end"]:
            last = segments[-1]
            last["end"] = max(last["end"], row.end)
            if row.project_name not in last["names"]:
                last["names"].append(row.project_name)
        else:
            segments.append({"start": row.start, "end": row.end, "names": [row.project_name]})
    rows = []
    for segment in segments:
        n = len(segment["names"])
        end = max(segment["end"], segment["start"] + pd.Timedelta(days=7))  # keep a sliver
        rows.append({
            "start": segment["start"],
            "end": end,
            "projecten_label": ", ".join(segment["names"]),
            "van_label": format_date(segment["start"]),
            "tot_label": format_date(segment["end"]),
            "label": ("project in Realisatie" if n == 1 else f"{n} projecten in Realisatie"),
            "label2": "(context, geen bewijs van effect)",
        })
    return pd.DataFrame(rows, columns=["start", "end", "projecten_label", "van_label",
                                       "tot_label", "label", "label2"])


def trend_chart(series: pd.DataFrame, indicator: Indicator, bands: pd.DataFrame | None = None,
                description: str = "") -> alt.LayerChart:
    """An indicator over time for a few regions, with 95% intervals and project context.

    ``series`` columns: region_name, period (year '2020'; '2024H1'/'2025Q3' also work), value,
    ci_low, ci_high, is_sample, value_label, ci_label (both preformatted strings); optional
    region_code (GG_TWENTE, NL01, PV_OVERIJSSEL get fixed styles). One line with points per
    region; voorbeelddata points are hollow. ``bands`` columns: project_name, start, end
    (dates): the periods in which projects were in Realisatie, shaded as context.
    ``indicator``: name, unit (direction is not used: regions get their own colours).
    Raises ValueError("geen gegevens") when ``series`` has no value.
    """
    check_columns(series, ("region_name", "period", "value", "ci_low", "ci_high", "is_sample",
                           "value_label", "ci_label"), "trend_chart")
    data = require_values(series).copy()
    unit = indicator.unit
    names, colors, shapes = _region_styles(data)
    data, with_ci, source_lines = _trend_data(data, names)
    any_sample = bool(data["is_sample"].any())

    band_frame = _merge_bands(bands) if bands is not None and not bands.empty else None
    if band_frame is not None and band_frame.empty:
        band_frame = None
    x_min, x_scale, x_axis = _trend_x_axis(data, band_frame)

    extent = data["value"].tolist() + with_ci["ci_low"].astype(float).tolist() \
        + with_ci["ci_high"].astype(float).tolist()
    y_domain = padded_domain(extent, unit, headroom=0.3 if band_frame is not None else 0.1)
    decimals = axis_decimals(unit, *y_domain)
    y_scale = alt.Scale(domain=y_domain, zero=False, nice=True)
    y_axis = alt.Axis(labelExpr=dutch_number_expr(decimals), title=unit_title(unit),
                      labelFontSize=13, titleFontSize=13, tickCount=6)

    x_first = alt.X("x:T", scale=x_scale, axis=x_axis)
    x = alt.X("x:T", axis=x_axis)
    y = alt.Y("value:Q", scale=y_scale, axis=y_axis)
    color = alt.Color("region_name:N", title=None, sort=names,
                      scale=alt.Scale(domain=names, range=colors),
                      legend=alt.Legend(orient="top", direction="horizontal", labelFontSize=13,
                                        symbolStrokeWidth=2.5, symbolSize=120, labelLimit=260))
    tooltip = [
        alt.Tooltip("region_name:N", title="Regio"),
        alt.Tooltip("period:N", title="Periode"),
        alt.Tooltip("value_label:N", title=tooltip_title(indicator.name)),
        alt.Tooltip("ci_label:N", title="95%-interval"),
        alt.Tooltip("soort:N", title="Soort"),
        alt.Tooltip("bron:N", title="Bron"),
    ]

    layers: list[alt.Chart] = []
    if band_frame is not None:
        layers += _band_layers(band_frame, x_scale, x_axis)
        x_first = x
    layers.append(alt.Chart(data).mark_line(strokeWidth=2.5).encode(
        x=x_first, y=y, color=color, detail="reeks:N",
        strokeDash=alt.StrokeDash("region_name:N", sort=names, legend=None,
                                  scale=alt.Scale(domain=names, range=line_dashes(len(names))))))
    if not with_ci.empty:
        layers.append(alt.Chart(with_ci).mark_errorbar(ticks=True, thickness=1.5, size=8).encode(
            x=x, y=alt.Y("ci_low:Q", scale=y_scale, axis=y_axis, title=unit_title(unit)),
            y2="ci_high:Q", color=color, tooltip=tooltip,
        ))
    layers += _trend_points(data, x, y, color, names, colors, shapes, tooltip, any_sample, x_min)
    subtitle = ["Verticale streepjes: 95%-betrouwbaarheidsinterval"] if not with_ci.empty else []
    subtitle += source_lines
    if any_sample:
        subtitle.append("Open punten: voorbeelddata, geen echte meting")
    if band_frame is not None:
        subtitle.append("Grijs vlak: projecten van deze themalijn in Realisatie "
                        "(context, geen bewijs van effect)")
    if not description:
        description = _trend_description(data, names, indicator, any_sample)
    return (
        alt.layer(*layers)
        .properties(width="container", height=380,
                    title=alt.Title(indicator.name, subtitle=subtitle, anchor="start",
                                    fontSize=18, subtitleFontSize=13),
                    description=description)
    )


def _trend_data(data: pd.DataFrame, names: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The points placed on the time axis (regions side by side within a period), one series
    per source; the rows with an interval; and the lines that name the sources."""
    offsets = {name: (i - (len(names) - 1) / 2) * 40 for i, name in enumerate(names)}
    data["period"] = data["period"].astype(str)
    data["is_sample"] = flags(data["is_sample"])
    data["soort"] = [SAMPLE_LABEL if s else "gemeten" for s in data["is_sample"]]
    data, source_lines = with_sources(data)  # a line never joins different sources
    # regions side by side within a year, so their intervals do not hide each other
    data["x"] = [_period_position(p) + pd.Timedelta(days=offsets[n])
                 for p, n in zip(data["period"], data["region_name"])]
    data["value_label"] = text_labels(data["value_label"])
    data["ci_label"] = text_labels(data["ci_label"])
    data["value"] = data["value"].astype(float)
    data = data.sort_values(["region_name", "x"], kind="stable").reset_index(drop=True)
    with_ci = data[data["ci_low"].notna() & data["ci_high"].notna()].reset_index(drop=True)
    return json_safe(data), with_ci, source_lines


def _trend_x_axis(data: pd.DataFrame, band_frame: pd.DataFrame | None
                  ) -> tuple[pd.Timestamp, alt.Scale, alt.Axis]:
    """The time axis around the periods and the bands: its start, scale and axis (a tick in
    the middle of every year, or dates when there are periods shorter than a year)."""
    periods = sorted(set(data["period"]), key=_period_position)
    positions = [_period_position(p) for p in periods]
    x_min = min(positions) - pd.Timedelta(days=200)
    x_max = max(positions) + pd.Timedelta(days=200)
    if band_frame is not None:
        x_min = min(x_min, band_frame["start"].min() - pd.Timedelta(days=30))
        x_max = max(x_max, band_frame["end"].max() + pd.Timedelta(days=30))
    x_scale = alt.Scale(domainMin=vl_datetime(x_min), domainMax=vl_datetime(x_max))
    # a tick in the middle of every year on the axis, also the years of the bands
    ticks = [pd.Timestamp(year, 7, 1) for year in range(x_min.year, x_max.year + 1)
             if x_min <= pd.Timestamp(year, 7, 1) <= x_max]
    x_axis = alt.Axis(values=[vl_datetime(t) for t in ticks], labelExpr="'' + year(datum.value)",
                      title=None, grid=True, labelFontSize=13, labelOverlap=True)
    if any(len(p) != 4 for p in periods):
        x_axis = alt.Axis(labelExpr=dutch_date_expr(), title=None, grid=True, labelAngle=-40,
                          labelOverlap=True)
    return x_min, x_scale, x_axis


def _band_layers(band_frame: pd.DataFrame, x_scale: alt.Scale, x_axis: alt.Axis) -> list[alt.Chart]:
    """The grey segments of projects in Realisatie, with their two-line label."""
    band_base = alt.Chart(band_frame)
    layers = [band_base.mark_rect(color=_BAND_COLOR, opacity=0.18).encode(
        x=alt.X("start:T", scale=x_scale, axis=x_axis), x2="end:T",
        tooltip=[alt.Tooltip("projecten_label:N", title="In Realisatie"),
                 alt.Tooltip("van_label:N", title="Vanaf"),
                 alt.Tooltip("tot_label:N", title="Tot")],
    )]
    for i, field in enumerate(("label", "label2")):
        layers.append(band_base.mark_text(
            align="right", baseline="top", dx=-4, dy=4 + 14 * i, fontSize=11,
            color="#555555", fontStyle="italic" if i else "normal",
        ).encode(x=alt.X("end:T", axis=x_axis), y=alt.value(0), text=f"{field}:N"))
    return layers


def _trend_points(data: pd.DataFrame, x: alt.X, y: alt.Y, color: alt.Color, names: list[str],
                  colors: list[str], shapes: list[str], tooltip: list, any_sample: bool,
                  x_min: pd.Timestamp) -> list[alt.Chart]:
    """The points (hollow for voorbeelddata, with its legend) and the names of other sources."""
    shape = alt.Shape("region_name:N", title=None, sort=names,
                      scale=alt.Scale(domain=names, range=shapes))
    point_encoding = {"x": x, "y": y, "color": color, "shape": shape,
                      "stroke": alt.Stroke("region_name:N", title=None, sort=names,
                                           scale=alt.Scale(domain=names, range=colors)),
                      "tooltip": tooltip}
    if any_sample:
        point_encoding["fillOpacity"] = alt.FillOpacity(
            "soort:O", title=None, sort=["gemeten", SAMPLE_LABEL],
            scale=alt.Scale(domain=["gemeten", SAMPLE_LABEL], range=[1, 0]), legend=None)
    layers = [alt.Chart(data).mark_point(filled=True, size=110, strokeWidth=2, opacity=1)
              .encode(**point_encoding)]
    if any_sample:
        # Vega-Lite 6.4 draws no legend for fillOpacity; this clipped layer, outside the
        # fixed x domain, draws nothing but the legend "gemeten / voorbeelddata".
        legend_frame = pd.DataFrame({"soort": ["gemeten", SAMPLE_LABEL],
                                     "x": [x_min - pd.Timedelta(days=400)] * 2,
                                     "value": [float(data["value"].iloc[0])] * 2})
        layers.append(alt.Chart(legend_frame).mark_point(
            filled=True, size=110, strokeWidth=2, stroke=TEXT_COLOR, clip=True,
        ).encode(x=x, y=y, fill=alt.Fill(
            "soort:N", title=None, scale=alt.Scale(domain=["gemeten", SAMPLE_LABEL],
                                                   range=[TEXT_COLOR, "white"]),
            legend=alt.Legend(orient="top", labelFontSize=13, symbolStrokeColor=TEXT_COLOR,
                              symbolStrokeWidth=2, symbolSize=100))))
    marked = data[data["bron_label"] != ""]
    if not marked.empty:  # the points from another source than their region's series, named
        layers.append(alt.Chart(marked).mark_text(
            align="left", baseline="bottom", dx=8, dy=-8, fontSize=12, fontStyle="italic", color=TEXT_COLOR,
        ).encode(x=x, y=y, text="bron_label:N"))
    return layers


def _trend_description(data: pd.DataFrame, names: list[str], indicator: Indicator, any_sample: bool) -> str:
    latest = []
    for name in names:
        rows = data[data["region_name"] == name]
        last = rows.loc[rows["x"].idxmax()]
        latest.append(f"{name} {last['value_label']} ({last['period']})")
    return (f"{indicator.name} door de tijd voor "
            f"{', '.join(names)}. Laatste cijfers: {'; '.join(latest)}."
            + (" Bevat voorbeelddata, geen echte metingen." if any_sample else ""))


# --- Target against actual -------------------------------------------------------------

def target_chart(history: pd.DataFrame, trajectory: pd.DataFrame, target: Target, indicator: Indicator,
                 description: str = "") -> alt.LayerChart:
    """Measured values against the target and the path from baseline to target.

    ``history`` columns: period_end (date), value, value_label, is_sample, source_title
    (optional: period, shown in the tooltip). ``trajectory`` columns: period_end (date),
    expected: the straight path from baseline to target (monitor.domain.targets.trajectory).
    ``target``: its comparator (< ≤ ≥ >), target_value and deadline; ``indicator``: name,
    unit. An empty history is allowed (the path and target still say something); raises
    ValueError("geen gegevens") when both history and trajectory are empty.
    """
    check_columns(history, ("period_end", "value", "value_label", "is_sample", "source_title"),
                   "target_chart (history)")
    check_columns(trajectory, ("period_end", "expected"), "target_chart (trajectory)")
    data = history[history["value"].notna()].copy()
    path = trajectory[trajectory["expected"].notna()].copy()
    if data.empty and path.empty:
        raise ValueError(NO_DATA)
    unit = indicator.unit
    target_value = target.target_value
    deadline = as_timestamp(target.deadline)
    words = _target_words(target, unit)

    data = _history_frame(data)
    any_sample = bool(data["is_sample"].any())

    path = _path_frame(path, unit)

    dates = data["date"].tolist() + path["date"].tolist() + [deadline]
    x_min = min(dates) - pd.Timedelta(days=120)
    x_max = max(dates) + pd.Timedelta(days=120)
    year_ends = [pd.Timestamp(y, 12, 31) for y in range(x_min.year, x_max.year + 1)
                 if x_min <= pd.Timestamp(y, 12, 31) <= x_max]
    x_scale = alt.Scale(domainMin=vl_datetime(x_min), domainMax=vl_datetime(x_max))
    x_axis = alt.Axis(values=[vl_datetime(d) for d in year_ends], title=None, grid=True,
                      labelExpr="'eind ' + year(datum.value)", labelFontSize=13)
    y_domain = padded_domain(data["value"].tolist() + path["expected"].tolist() + [target_value],
                              unit, headroom=0.2)
    decimals = axis_decimals(unit, *y_domain)
    y_scale = alt.Scale(domain=y_domain, zero=False, nice=True)
    y_axis = alt.Axis(labelExpr=dutch_number_expr(decimals), title=unit_title(unit),
                      labelFontSize=13, titleFontSize=13, tickCount=6)
    x = alt.X("date:T", axis=x_axis)

    layers: list = _target_rules(target_value, words, deadline, x, x_scale, x_axis, y_scale, y_axis)

    if not path.empty:
        layers += _path_layers(path, x, y_scale, y_axis)
    if not data.empty:
        layers += _measured_layers(data, x, y_scale, y_axis, indicator, any_sample)

    subtitle = ["Stippellijn: pad van de uitgangswaarde naar het doel; punten: gemeten waarden"]
    if any_sample:
        subtitle.append("Open punten: voorbeelddata, geen echte meting")
    if data.empty:
        subtitle.append("Nog geen meting na de uitgangswaarde")
    if not description:
        description = _target_description(data, indicator, words, deadline)
    return (
        alt.layer(*layers)
        .properties(width="container", height=360,
                    title=alt.Title(indicator.name, subtitle=subtitle, anchor="start",
                                    fontSize=18, subtitleFontSize=13),
                    description=description)
    )


def _history_frame(data: pd.DataFrame) -> pd.DataFrame:
    """The measurements in time order, with their labels (no datetime.date objects)."""
    data["date"] = [as_timestamp(d) for d in data["period_end"]]
    data = data.sort_values("date", kind="stable").reset_index(drop=True)
    data["value"] = data["value"].astype(float)
    data["is_sample"] = flags(data["is_sample"])
    data["soort"] = [SAMPLE_LABEL if s else "gemeten" for s in data["is_sample"]]
    data["value_label"] = text_labels(data["value_label"])
    data["source_title"] = text_labels(data["source_title"])
    data["periode_label"] = (text_labels(data["period"]) if "period" in data.columns
                             else [format_date(d) for d in data["date"]])
    data = data[["date", "value", "value_label", "is_sample", "soort", "source_title",
                 "periode_label"]]  # no datetime.date objects: to_dict must serialise
    return data


def _path_frame(path: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The path from baseline to target in time order, with its labels."""
    path["date"] = [as_timestamp(d) for d in path["period_end"]]
    path = path.sort_values("date", kind="stable").reset_index(drop=True)
    path["expected"] = path["expected"].astype(float)
    path["datum_label"] = [format_date(d) for d in path["date"]]
    path["verwacht_label"] = [format_value(v, unit) for v in path["expected"]]
    path = path[["date", "expected", "datum_label", "verwacht_label"]]
    return path


def _target_rules(target_value: float, words: str, deadline: pd.Timestamp, x: alt.X, x_scale: alt.Scale,
                  x_axis: alt.Axis, y_scale: alt.Scale, y_axis: alt.Axis) -> list[alt.Chart]:
    """The target as a horizontal rule and the deadline as a vertical one, both labelled."""
    layers: list = []
    target_frame = pd.DataFrame({"target": [target_value], "label": [f"doel: {words}"],
                                 "doel_label": [words], "deadline_label": [format_date(deadline)]})
    layers.append(alt.Chart(target_frame).mark_rule(color=TEXT_COLOR, strokeWidth=2).encode(
        y=alt.Y("target:Q", scale=y_scale, axis=y_axis),
        tooltip=[alt.Tooltip("doel_label:N", title="Doel"),
                 alt.Tooltip("deadline_label:N", title="Uiterlijk")]))
    layers.append(alt.Chart(target_frame).mark_text(
        align="left", baseline="top", dx=4, dy=4, color=TEXT_COLOR, fontWeight="bold",
        fontSize=13,
    ).encode(y=alt.Y("target:Q", scale=y_scale, axis=y_axis), x=alt.value(0), text="label:N"))

    deadline_frame = pd.DataFrame({"date": [deadline],
                                   "label": [f"uiterlijk {format_short_date(deadline)}"],
                                   "deadline_label": [format_date(deadline)]})
    layers.append(alt.Chart(deadline_frame).mark_rule(color=TEXT_COLOR, strokeWidth=1).encode(
        x=alt.X("date:T", scale=x_scale, axis=x_axis),
        tooltip=[alt.Tooltip("deadline_label:N", title="Deadline doel")]))
    layers.append(alt.Chart(deadline_frame).mark_text(
        align="right", baseline="top", dx=-4, dy=4, color=TEXT_COLOR, fontSize=12,
    ).encode(x=x, y=alt.value(0), text="label:N"))
    return layers


def _path_layers(path: pd.DataFrame, x: alt.X, y_scale: alt.Scale, y_axis: alt.Axis) -> list[alt.Chart]:
    """The dashed path to the target, named at its end."""
    layers: list = []
    layers.append(alt.Chart(path).mark_line(color="#555555", strokeWidth=2,
                                            strokeDash=[7, 5]).encode(
        x=x, y=alt.Y("expected:Q", scale=y_scale, axis=y_axis),
        tooltip=[alt.Tooltip("datum_label:N", title="Datum"),
                 alt.Tooltip("verwacht_label:N", title="Op het pad naar het doel")]))
    # at the end of the path (the deadline): usually no measurement there yet
    end = path.iloc[[-1]].assign(label="pad naar het doel")
    layers.append(alt.Chart(end).mark_text(
        align="right", baseline="bottom", dx=-10, dy=-6, color="#555555", fontSize=12,
        fontStyle="italic",
    ).encode(x=x, y=alt.Y("expected:Q", scale=y_scale, axis=y_axis), text="label:N"))
    return layers


def _measured_layers(data: pd.DataFrame, x: alt.X, y_scale: alt.Scale, y_axis: alt.Axis, indicator: Indicator,
                     any_sample: bool) -> list[alt.Chart]:
    """The measurements: a line, points (hollow for voorbeelddata) and the latest value."""
    layers: list = []
    y = alt.Y("value:Q", scale=y_scale, axis=y_axis)
    if len(data) > 1:
        layers.append(alt.Chart(data).mark_line(color=LINE_COLOR, strokeWidth=2.5).encode(
            x=x, y=y))
    tooltip = [alt.Tooltip("periode_label:N", title="Periode"),
               alt.Tooltip("value_label:N", title=tooltip_title(indicator.name)),
               alt.Tooltip("source_title:N", title="Bron"),
               alt.Tooltip("soort:N", title="Soort")]
    layers.append(alt.Chart(data).mark_point(size=130, filled=True, strokeWidth=2.5,
                                             stroke=LINE_COLOR, opacity=1).encode(
        x=x, y=y, tooltip=tooltip,
        fill=alt.Fill("soort:N", title=None,
                      scale=alt.Scale(domain=["gemeten", SAMPLE_LABEL],
                                      range=[LINE_COLOR, "white"]),
                      legend=alt.Legend(orient="top", labelFontSize=13,
                                        symbolStrokeColor=LINE_COLOR, symbolStrokeWidth=2,
                                        values=["gemeten", SAMPLE_LABEL] if any_sample
                                        else ["gemeten"]))))
    layers.append(alt.Chart(data.iloc[[-1]]).mark_text(
        align="center", baseline="bottom", dy=-12, fontSize=13, fontWeight="bold",
        color=LINE_COLOR,
    ).encode(x=x, y=y, text="value_label:N"))
    return layers


def _target_description(data: pd.DataFrame, indicator: Indicator, words: str, deadline: pd.Timestamp) -> str:
    if data.empty:
        latest = "Er is nog geen meting."
    else:
        last = data.iloc[-1]
        latest = (f"Laatste meting: {last['value_label']} ({last['periode_label']}"
                  + (", voorbeelddata" if last["is_sample"] else "") + ").")
    return (f"{indicator.name} tegen het doel: {words} uiterlijk "
            f"{format_date(deadline)}, met het pad van de uitgangswaarde naar het doel. "
            f"{latest}")
