"""Altair chart builders: DataFrame in, chart out. Pure functions, no Streamlit.

Dutch notation without a Vega locale: Streamlit passes only theme/renderer/padding of the
embed options to Vega, so ``formatLocale``/``timeFormatLocale`` never arrive. Axis labels
therefore use a Vega ``labelExpr`` (:func:`dutch_number_expr`, :func:`dutch_date_expr`), and
tooltips show string columns preformatted in Python with :mod:`monitor.domain.text`, never raw floats.

Every builder sets a Dutch top-level ``description``: Vega-Lite renders it as the
``aria-label`` of the chart, the text alternative for screen readers.
"""

from __future__ import annotations

import json
import math

import altair as alt
import numpy as np
import pandas as pd

from monitor.domain import vt_labels
from monitor.data.contract import VT_BREAKDOWNS
from monitor.domain.periods import period_end, period_label
from monitor.domain.text import format_date, format_short_date, format_value
from monitor.domain.trend_sources import with_sources

MONTH_ABBREVIATIONS: tuple[str, ...] = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug",
                                        "sep", "okt", "nov", "dec")

SAMPLE_LABEL = "voorbeelddata"
MEASURED_LABEL = "gerealiseerd"
_LINE_COLOR = "#0072B2"
_REFERENCE_COLOR = "#333333"


# --- Dutch notation in Vega expressions -------------------------------------------------

def dutch_number_expr(decimals: int = 0, value: str = "datum.value") -> str:
    """A Vega expression that shows ``value`` in Dutch notation: 1.234,5.

    d3-format writes '1,234.5' with ',.1f'; the expression swaps the separators through a
    placeholder: ',' → '_' → '.', and '.' → ','. Functions used (Vega expression language):
    ``format``, ``replace`` and ``regexp``.
    """
    if decimals < 0:
        raise ValueError("decimals moet 0 of meer zijn")
    formatted = f"format({value}, ',.{decimals}f')"
    step1 = f"replace({formatted}, regexp(',', 'g'), '_')"
    step2 = f"replace({step1}, regexp('\\\\.', 'g'), ',')"
    return f"replace({step2}, regexp('_', 'g'), '.')"


def dutch_date_expr(value: str = "datum.value") -> str:
    """A Vega expression that shows a date as '1 jan 2025' (Dutch month abbreviations).

    Uses ``date``, ``month`` (zero-based) and ``year`` in local time, the same time zone in
    which Vega-Lite parses the ISO date-times Altair writes and places the time ticks.
    """
    months = ", ".join(f"'{m}'" for m in MONTH_ABBREVIATIONS)
    return f"date({value}) + ' ' + [{months}][month({value})] + ' ' + year({value})"


def _timestamp(value) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def _datetime(value: pd.Timestamp) -> alt.DateTime:
    """A Vega-Lite DateTime (local time) for scale domains: d3 time scales do not parse strings."""
    return alt.DateTime(year=value.year, month=value.month, date=value.day)


def _order_of_appearance(values: pd.Series) -> list[str]:
    return list(dict.fromkeys(values.tolist()))


# --- Indicators: shared helpers ---------------------------------------------------------

NO_DATA = "geen gegevens"

# Comparison → colour. Directional indicators: Okabe-Ito blue (gunstiger) against vermilion
# (ongunstiger), greys for no (known) difference. Neutral indicators get purples, so a
# neutral "hoger" never reads as good or bad. No red or green anywhere.
DIRECTIONAL_COLORS: dict[str, str] = {
    "gunstiger": "#0072B2",
    "ongunstiger": "#D55E00",
    "geen verschil": "#999999",
    "onbekend": "#BBBBBB",
}
NEUTRAL_COLORS: dict[str, str] = {
    "hoger": "#6A51A3",
    "lager": "#9E9AC8",
    "geen verschil": "#999999",
    "onbekend": "#BBBBBB",
}

_UNIT_TITLES: dict[str, str] = {"%": "procent", "aantal": "aantal"}
_COMPARATOR_WORDS: dict[str, str] = {"<": "onder", "≤": "hoogstens", "<=": "hoogstens",
                                     "≥": "minstens", ">=": "minstens", ">": "boven"}
_DIRECTION_LEGEND: dict[str, str] = {"lower_is_better": "hoger is ongunstiger",
                                     "higher_is_better": "hoger is gunstiger"}
_MISSING_COLOR = "#DADADA"
_BAND_COLOR = "#9E9E9E"
_TEXT_COLOR = "#333333"
MISSING_LABEL = "geen cijfer"

# Region styles in trend charts: colour and point shape, so lines stay apart in greyscale.
_REGION_STYLES: dict[str, tuple[str, str]] = {
    "GG_TWENTE": ("#0072B2", "circle"),
    "PV_OVERIJSSEL": ("#CC79A7", "diamond"),
    "NL01": ("#4D4D4D", "square"),
}
_OTHER_REGION_STYLES: tuple[tuple[str, str], ...] = (
    ("#E69F00", "triangle-up"), ("#56B4E9", "triangle-down"), ("#7F3C8D", "cross"))


def indicator_colors(direction: str) -> dict[str, str]:
    """Comparison word → colour for an indicator's direction (see the palettes above).

    >>> indicator_colors("neutral")["hoger"]
    '#6A51A3'
    """
    if direction == "neutral":
        return dict(NEUTRAL_COLORS)
    if direction in ("lower_is_better", "higher_is_better"):
        return dict(DIRECTIONAL_COLORS)
    raise ValueError(f"Onbekende richting: {direction!r}")


def _require(frame: pd.DataFrame | None, column: str = "value") -> pd.DataFrame:
    """The rows with a value; ValueError("geen gegevens") when none are left."""
    if frame is None or frame.empty:
        raise ValueError(NO_DATA)
    kept = frame[frame[column].notna()].reset_index(drop=True)
    if kept.empty:
        raise ValueError(NO_DATA)
    return kept


def _check_columns(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what}: kolom(men) ontbreken: {', '.join(missing)}")


def _unit_title(unit: str) -> str:
    return _UNIT_TITLES.get(unit, unit)


def _axis_decimals(unit: str, low: float, high: float) -> int:
    if unit == "aantal" or high - low >= 5:
        return 0
    return 1


def _labels(values: pd.Series) -> list[str]:
    """Preformatted labels as strings; a missing label becomes '–' (tooltips need strings)."""
    return ["–" if v is None or (not isinstance(v, str) and pd.isna(v)) or v == "" else str(v)
            for v in values]


def _flags(values: pd.Series) -> list[bool]:
    return [bool(v) if v is not None and not (isinstance(v, float) and pd.isna(v)) else False
            for v in values]


def _json_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Missing numbers as None: Altair would write NaN, which is not JSON (exports choke)."""
    frame = frame.copy()
    for column in frame.columns:
        series = frame[column]
        if (pd.api.types.is_float_dtype(series) or series.dtype == object) and series.isna().any():
            frame[column] = [None if v is None or (isinstance(v, float) and math.isnan(v)) else v
                             for v in series]
    return frame


def _padded_domain(values: list[float], unit: str, headroom: float = 0.12) -> list[float]:
    """A value domain around the data that does not start at zero (for lines and points)."""
    low, high = min(values), max(values)
    pad = max((high - low) * 0.5, abs(high) * 0.05, 0.5)
    lower = low - pad
    if low >= 0:
        lower = max(0.0, lower)
    upper = high + pad + (high - low + pad) * headroom
    if unit == "%":
        upper = min(100.0, upper)
    return [lower, upper]


def _target_words(target: dict, unit: str) -> str:
    """'onder 17%': the comparator in words and the target value."""
    comparator = target["comparator"]
    if comparator not in _COMPARATOR_WORDS:
        raise ValueError(f"Onbekende vergelijking in doel: {comparator!r}")
    value = float(target["target_value"])
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
    return _timestamp(period_end(period))


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


def trend_chart(series: pd.DataFrame, indicator: dict, bands: pd.DataFrame | None = None,
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
    _check_columns(series, ("region_name", "period", "value", "ci_low", "ci_high", "is_sample",
                            "value_label", "ci_label"), "trend_chart")
    data = _require(series).copy()
    unit = indicator.get("unit", "")
    names, colors, shapes = _region_styles(data)
    offsets = {name: (i - (len(names) - 1) / 2) * 40 for i, name in enumerate(names)}
    data["period"] = data["period"].astype(str)
    data["is_sample"] = _flags(data["is_sample"])
    data["soort"] = [SAMPLE_LABEL if s else "gemeten" for s in data["is_sample"]]
    data, source_lines = with_sources(data)  # a line never joins different sources
    # regions side by side within a year, so their intervals do not hide each other
    data["x"] = [_period_position(p) + pd.Timedelta(days=offsets[n])
                 for p, n in zip(data["period"], data["region_name"])]
    data["value_label"] = _labels(data["value_label"])
    data["ci_label"] = _labels(data["ci_label"])
    data["value"] = data["value"].astype(float)
    data = data.sort_values(["region_name", "x"], kind="stable").reset_index(drop=True)
    with_ci = data[data["ci_low"].notna() & data["ci_high"].notna()].reset_index(drop=True)
    data = _json_safe(data)
    any_sample = bool(data["is_sample"].any())

    band_frame = _merge_bands(bands) if bands is not None and not bands.empty else None
    if band_frame is not None and band_frame.empty:
        band_frame = None

    periods = sorted(set(data["period"]), key=_period_position)
    positions = [_period_position(p) for p in periods]
    x_min = min(positions) - pd.Timedelta(days=200)
    x_max = max(positions) + pd.Timedelta(days=200)
    if band_frame is not None:
        x_min = min(x_min, band_frame["start"].min() - pd.Timedelta(days=30))
        x_max = max(x_max, band_frame["end"].max() + pd.Timedelta(days=30))
    x_scale = alt.Scale(domainMin=_datetime(x_min), domainMax=_datetime(x_max))
    # a tick in the middle of every year on the axis, also the years of the bands
    ticks = [pd.Timestamp(year, 7, 1) for year in range(x_min.year, x_max.year + 1)
             if x_min <= pd.Timestamp(year, 7, 1) <= x_max]
    x_axis = alt.Axis(values=[_datetime(t) for t in ticks], labelExpr="'' + year(datum.value)",
                      title=None, grid=True, labelFontSize=13, labelOverlap=True)
    if any(len(p) != 4 for p in periods):
        x_axis = alt.Axis(labelExpr=dutch_date_expr(), title=None, grid=True, labelAngle=-40,
                          labelOverlap=True)

    extent = data["value"].tolist() + with_ci["ci_low"].astype(float).tolist() \
        + with_ci["ci_high"].astype(float).tolist()
    y_domain = _padded_domain(extent, unit, headroom=0.3 if band_frame is not None else 0.1)
    decimals = _axis_decimals(unit, *y_domain)
    y_scale = alt.Scale(domain=y_domain, zero=False, nice=True)
    y_axis = alt.Axis(labelExpr=dutch_number_expr(decimals), title=_unit_title(unit),
                      labelFontSize=13, titleFontSize=13, tickCount=6)

    x_first = alt.X("x:T", scale=x_scale, axis=x_axis)
    x = alt.X("x:T", axis=x_axis)
    y = alt.Y("value:Q", scale=y_scale, axis=y_axis)
    color = alt.Color("region_name:N", title=None, sort=names,
                      scale=alt.Scale(domain=names, range=colors),
                      legend=alt.Legend(orient="top", direction="horizontal", labelFontSize=13,
                                        symbolStrokeWidth=2.5, symbolSize=120, labelLimit=260))
    shape = alt.Shape("region_name:N", title=None, sort=names,
                      scale=alt.Scale(domain=names, range=shapes))
    tooltip = [
        alt.Tooltip("region_name:N", title="Regio"),
        alt.Tooltip("period:N", title="Periode"),
        alt.Tooltip("value_label:N", title=indicator.get("name", "Waarde")),
        alt.Tooltip("ci_label:N", title="95%-interval"),
        alt.Tooltip("soort:N", title="Soort"),
        alt.Tooltip("bron:N", title="Bron"),
    ]

    layers: list[alt.Chart] = []
    if band_frame is not None:
        band_base = alt.Chart(band_frame)
        layers.append(band_base.mark_rect(color=_BAND_COLOR, opacity=0.18).encode(
            x=alt.X("start:T", scale=x_scale, axis=x_axis), x2="end:T",
            tooltip=[alt.Tooltip("projecten_label:N", title="In Realisatie"),
                     alt.Tooltip("van_label:N", title="Vanaf"),
                     alt.Tooltip("tot_label:N", title="Tot")],
        ))
        for i, field in enumerate(("label", "label2")):
            layers.append(band_base.mark_text(
                align="right", baseline="top", dx=-4, dy=4 + 14 * i, fontSize=11,
                color="#555555", fontStyle="italic" if i else "normal",
            ).encode(x=alt.X("end:T", axis=x_axis), y=alt.value(0), text=f"{field}:N"))
        x_first = x

    layers.append(alt.Chart(data).mark_line(strokeWidth=2.5).encode(
        x=x_first, y=y, color=color, detail="reeks:N"))
    if not with_ci.empty:
        layers.append(alt.Chart(with_ci).mark_errorbar(ticks=True, thickness=1.5, size=8).encode(
            x=x, y=alt.Y("ci_low:Q", scale=y_scale, axis=y_axis, title=_unit_title(unit)),
            y2="ci_high:Q", color=color, tooltip=tooltip,
        ))
    point_encoding = {"x": x, "y": y, "color": color, "shape": shape,
                      "stroke": alt.Stroke("region_name:N", title=None, sort=names,
                                           scale=alt.Scale(domain=names, range=colors)),
                      "tooltip": tooltip}
    if any_sample:
        point_encoding["fillOpacity"] = alt.FillOpacity(
            "soort:O", title=None, sort=["gemeten", SAMPLE_LABEL],
            scale=alt.Scale(domain=["gemeten", SAMPLE_LABEL], range=[1, 0]), legend=None)
    layers.append(alt.Chart(data).mark_point(filled=True, size=110, strokeWidth=2, opacity=1)
                  .encode(**point_encoding))
    if any_sample:
        # Vega-Lite 6.4 draws no legend for fillOpacity; this clipped layer, outside the
        # fixed x domain, draws nothing but the legend "gemeten / voorbeelddata".
        legend_frame = pd.DataFrame({"soort": ["gemeten", SAMPLE_LABEL],
                                     "x": [x_min - pd.Timedelta(days=400)] * 2,
                                     "value": [float(data["value"].iloc[0])] * 2})
        layers.append(alt.Chart(legend_frame).mark_point(
            filled=True, size=110, strokeWidth=2, stroke=_TEXT_COLOR, clip=True,
        ).encode(x=x, y=y, fill=alt.Fill(
            "soort:N", title=None, scale=alt.Scale(domain=["gemeten", SAMPLE_LABEL],
                                                   range=[_TEXT_COLOR, "white"]),
            legend=alt.Legend(orient="top", labelFontSize=13, symbolStrokeColor=_TEXT_COLOR,
                              symbolStrokeWidth=2, symbolSize=100))))

    marked = data[data["bron_label"] != ""]
    if not marked.empty:  # the points from another source than their region's series, named
        layers.append(alt.Chart(marked).mark_text(
            align="left", baseline="bottom", dx=8, dy=-8, fontSize=12, fontStyle="italic", color=_TEXT_COLOR,
        ).encode(x=x, y=y, text="bron_label:N"))
    subtitle = ["Verticale streepjes: 95%-betrouwbaarheidsinterval"] if not with_ci.empty else []
    subtitle += source_lines
    if any_sample:
        subtitle.append("Open punten: voorbeelddata, geen echte meting")
    if band_frame is not None:
        subtitle.append("Grijs vlak: projecten van deze themalijn in Realisatie "
                        "(context, geen bewijs van effect)")
    if not description:
        latest = []
        for name in names:
            rows = data[data["region_name"] == name]
            last = rows.loc[rows["x"].idxmax()]
            latest.append(f"{name} {last['value_label']} ({last['period']})")
        description = (f"{indicator.get('name', 'Indicator')} door de tijd voor "
                       f"{', '.join(names)}. Laatste cijfers: {'; '.join(latest)}."
                       + (" Bevat voorbeelddata, geen echte metingen." if any_sample else ""))
    return (
        alt.layer(*layers)
        .properties(width="container", height=380,
                    title=alt.Title(indicator.get("name", ""), subtitle=subtitle, anchor="start",
                                    fontSize=18, subtitleFontSize=13),
                    description=description)
    )


# --- Gemeenten ranked -------------------------------------------------------------------

def _reference_labels(refs: pd.DataFrame, x: alt.X) -> list[alt.Chart]:
    """Text labels at the top of reference rules (sorted by value, column ``text``): the lowest
    to the left of its line, the others to the right, so two close references never print
    over each other."""
    out = []
    for part, align, dx in ((refs.iloc[:1], "right", -4), (refs.iloc[1:], "left", 4)):
        if part.empty:
            continue
        out.append(alt.Chart(part).mark_text(
            align=align, baseline="bottom", dx=dx, dy=-3, fontSize=12, fontWeight="bold",
            color="#000000").encode(x=x, y=alt.value(0), text="text:N"))
    return out


def ranked_bar_chart(values: pd.DataFrame, indicator: dict, references: pd.DataFrame,
                     highlight: str | None = None, description: str = "",
                     legend_title: str = "Vergeleken met Twente") -> alt.LayerChart:
    """The gemeenten ranked by value, coloured by their comparison, with reference lines.

    ``values`` columns: region_name, value, ci_low, ci_high, comparison (a judgement word:
    gunstiger/ongunstiger/geen verschil/onbekend, or hoger/lager/… for a neutral indicator),
    value_label, is_sample. ``references`` columns: label ('Twente', 'Nederland'), value,
    value_label: vertical rules. ``highlight``: a region_name drawn outlined and in bold.
    ``indicator``: name, unit, direction. Raises ValueError("geen gegevens") without values.
    """
    _check_columns(values, ("region_name", "value", "ci_low", "ci_high", "comparison",
                            "value_label", "is_sample"), "ranked_bar_chart")
    data = _require(values).copy()
    unit = indicator.get("unit", "")
    palette = indicator_colors(indicator.get("direction", "neutral"))
    data["comparison"] = [c if isinstance(c, str) and c else "onbekend" for c in data["comparison"]]
    unknown = sorted(set(data["comparison"]) - set(palette))
    if unknown:
        raise ValueError(f"Onbekende vergelijking(en) voor deze richting: {', '.join(unknown)}")
    data["value"] = data["value"].astype(float)
    data = data.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)
    data["is_sample"] = _flags(data["is_sample"])
    data["soort"] = [SAMPLE_LABEL if s else "gemeten" for s in data["is_sample"]]
    data["value_label"] = _labels(data["value_label"])
    data["ci_label"] = [
        f"{format_value(lo, unit)} – {format_value(hi, unit)}" if pd.notna(lo) and pd.notna(hi)
        else "–" for lo, hi in zip(data["ci_low"], data["ci_high"])]
    data["label_x"] = [max(v, hi) if pd.notna(hi) else v for v, hi in zip(data["value"], data["ci_high"])]
    order = data["region_name"].tolist()
    any_sample = bool(data["is_sample"].any())

    refs = references.copy() if references is not None else pd.DataFrame(
        columns=["label", "value", "value_label"])
    refs = refs[refs["value"].notna()].copy()
    refs["value"] = refs["value"].astype(float)
    refs = refs.sort_values("value", kind="stable").reset_index(drop=True)
    refs["text"] = [f"{lab}: {vl}" for lab, vl in zip(refs["label"], _labels(refs["value_label"]))]
    refs["value_label"] = _labels(refs["value_label"])

    top = max(data["label_x"].tolist() + refs["value"].tolist())
    x_max = top * 1.15 if top > 0 else 1
    if unit == "%":
        x_max = min(x_max, 100.0) if top < 90 else 100.0
    decimals = _axis_decimals(unit, 0, x_max)
    x_scale = alt.Scale(domain=[0, x_max], nice=False, zero=True)
    x_axis = alt.Axis(labelExpr=dutch_number_expr(decimals), title=_unit_title(unit),
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
                                        labelFontSize=13, titleFontSize=13, symbolType="square"))
    tooltip = [
        alt.Tooltip("region_name:N", title="Gemeente"),
        alt.Tooltip("value_label:N", title=indicator.get("name", "Waarde")),
        alt.Tooltip("ci_label:N", title="95%-interval"),
        alt.Tooltip("comparison:N", title=legend_title),
        alt.Tooltip("soort:N", title="Soort"),
    ]

    with_ci = data[data["ci_low"].notna() & data["ci_high"].notna()]
    data = _json_safe(data)
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
                                                       color=_TEXT_COLOR).encode(
            x=alt.X("ci_low:Q", axis=x_axis, title=_unit_title(unit)), x2="ci_high:Q", y=y,
            tooltip=tooltip,
        ))
    if not refs.empty:
        ref_base = alt.Chart(refs)
        layers.append(ref_base.mark_rule(color="#000000", strokeWidth=2, strokeDash=[6, 3]).encode(
            x=x, tooltip=[alt.Tooltip("label:N", title="Referentie"),
                          alt.Tooltip("value_label:N", title=indicator.get("name", "Waarde"))]))
        layers.extend(_reference_labels(refs, x))

    # value labels last, on a white halo: a reference line never runs through a figure
    value_text = {"x": alt.X("label_x:Q", axis=x_axis), "y": y, "text": "value_label:N",
                  "tooltip": tooltip}
    layers.append(base.mark_text(align="left", baseline="middle", dx=5, fontSize=12,
                                 stroke="#FFFFFF", strokeWidth=4, strokeJoin="round",
                                 fill="#FFFFFF").encode(**value_text))
    layers.append(base.mark_text(align="left", baseline="middle", dx=5, fontSize=12,
                                 color=_TEXT_COLOR).encode(**value_text))

    subtitle = []
    if not with_ci.empty:
        subtitle.append("Zwarte streepjes: 95%-betrouwbaarheidsinterval")
    if any_sample:
        subtitle.append("Lichte balken: voorbeelddata, geen echte meting")
    if not description:
        first, last = data.iloc[0], data.iloc[-1]
        ref_text = "; ".join(refs["text"]) if not refs.empty else "geen"
        description = (f"Staafdiagram: {indicator.get('name', 'indicator')} voor {len(data)} "
                       f"gemeenten, van hoog naar laag. Hoogst: {first['region_name']} "
                       f"({first['value_label']}); laagst: {last['region_name']} "
                       f"({last['value_label']}). Referentielijnen: {ref_text}."
                       + (" Bevat voorbeelddata, geen echte metingen." if any_sample else ""))
    return (
        alt.layer(*layers)
        .properties(width="container", height=alt.Step(26),
                    title=alt.Title(indicator.get("name", ""), subtitle=subtitle, anchor="start",
                                    fontSize=18, subtitleFontSize=13, offset=24),
                    description=description)
    )


# --- Target against actual -------------------------------------------------------------

def target_chart(history: pd.DataFrame, trajectory: pd.DataFrame, target: dict, indicator: dict,
                 description: str = "") -> alt.LayerChart:
    """Measured values against the target and the path from baseline to target.

    ``history`` columns: period_end (date), value, value_label, is_sample, source_title
    (optional: period, shown in the tooltip). ``trajectory`` columns: period_end (date),
    expected: the straight path from baseline to target (monitor.domain.targets.trajectory).
    ``target``: comparator (< ≤ ≥ >), target_value, deadline (date); ``indicator``: name,
    unit. An empty history is allowed (the path and target still say something); raises
    ValueError("geen gegevens") when both history and trajectory are empty.
    """
    _check_columns(history, ("period_end", "value", "value_label", "is_sample", "source_title"),
                   "target_chart (history)")
    _check_columns(trajectory, ("period_end", "expected"), "target_chart (trajectory)")
    data = history[history["value"].notna()].copy()
    path = trajectory[trajectory["expected"].notna()].copy()
    if data.empty and path.empty:
        raise ValueError(NO_DATA)
    unit = indicator.get("unit", "")
    target_value = float(target["target_value"])
    deadline = _timestamp(target["deadline"])
    words = _target_words(target, unit)

    data["date"] = [_timestamp(d) for d in data["period_end"]]
    data = data.sort_values("date", kind="stable").reset_index(drop=True)
    data["value"] = data["value"].astype(float)
    data["is_sample"] = _flags(data["is_sample"])
    data["soort"] = [SAMPLE_LABEL if s else "gemeten" for s in data["is_sample"]]
    data["value_label"] = _labels(data["value_label"])
    data["source_title"] = _labels(data["source_title"])
    data["periode_label"] = (_labels(data["period"]) if "period" in data.columns
                             else [format_date(d) for d in data["date"]])
    data = data[["date", "value", "value_label", "is_sample", "soort", "source_title",
                 "periode_label"]]  # no datetime.date objects: to_dict must serialise
    any_sample = bool(data["is_sample"].any())

    path["date"] = [_timestamp(d) for d in path["period_end"]]
    path = path.sort_values("date", kind="stable").reset_index(drop=True)
    path["expected"] = path["expected"].astype(float)
    path["datum_label"] = [format_date(d) for d in path["date"]]
    path["verwacht_label"] = [format_value(v, unit) for v in path["expected"]]
    path = path[["date", "expected", "datum_label", "verwacht_label"]]

    dates = data["date"].tolist() + path["date"].tolist() + [deadline]
    x_min = min(dates) - pd.Timedelta(days=120)
    x_max = max(dates) + pd.Timedelta(days=120)
    year_ends = [pd.Timestamp(y, 12, 31) for y in range(x_min.year, x_max.year + 1)
                 if x_min <= pd.Timestamp(y, 12, 31) <= x_max]
    x_scale = alt.Scale(domainMin=_datetime(x_min), domainMax=_datetime(x_max))
    x_axis = alt.Axis(values=[_datetime(d) for d in year_ends], title=None, grid=True,
                      labelExpr="'eind ' + year(datum.value)", labelFontSize=13)
    y_domain = _padded_domain(data["value"].tolist() + path["expected"].tolist() + [target_value],
                              unit, headroom=0.2)
    decimals = _axis_decimals(unit, *y_domain)
    y_scale = alt.Scale(domain=y_domain, zero=False, nice=True)
    y_axis = alt.Axis(labelExpr=dutch_number_expr(decimals), title=_unit_title(unit),
                      labelFontSize=13, titleFontSize=13, tickCount=6)
    x = alt.X("date:T", axis=x_axis)

    layers: list = []
    target_frame = pd.DataFrame({"target": [target_value], "label": [f"doel: {words}"],
                                 "doel_label": [words], "deadline_label": [format_date(deadline)]})
    layers.append(alt.Chart(target_frame).mark_rule(color=_TEXT_COLOR, strokeWidth=2).encode(
        y=alt.Y("target:Q", scale=y_scale, axis=y_axis),
        tooltip=[alt.Tooltip("doel_label:N", title="Doel"),
                 alt.Tooltip("deadline_label:N", title="Uiterlijk")]))
    layers.append(alt.Chart(target_frame).mark_text(
        align="left", baseline="top", dx=4, dy=4, color=_TEXT_COLOR, fontWeight="bold",
        fontSize=13,
    ).encode(y=alt.Y("target:Q", scale=y_scale, axis=y_axis), x=alt.value(0), text="label:N"))

    deadline_frame = pd.DataFrame({"date": [deadline],
                                   "label": [f"uiterlijk {format_short_date(deadline)}"],
                                   "deadline_label": [format_date(deadline)]})
    layers.append(alt.Chart(deadline_frame).mark_rule(color=_TEXT_COLOR, strokeWidth=1).encode(
        x=alt.X("date:T", scale=x_scale, axis=x_axis),
        tooltip=[alt.Tooltip("deadline_label:N", title="Deadline doel")]))
    layers.append(alt.Chart(deadline_frame).mark_text(
        align="right", baseline="top", dx=-4, dy=4, color=_TEXT_COLOR, fontSize=12,
    ).encode(x=x, y=alt.value(0), text="label:N"))

    if not path.empty:
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

    if not data.empty:
        y = alt.Y("value:Q", scale=y_scale, axis=y_axis)
        if len(data) > 1:
            layers.append(alt.Chart(data).mark_line(color=_LINE_COLOR, strokeWidth=2.5).encode(
                x=x, y=y))
        tooltip = [alt.Tooltip("periode_label:N", title="Periode"),
                   alt.Tooltip("value_label:N", title=indicator.get("name", "Waarde")),
                   alt.Tooltip("source_title:N", title="Bron"),
                   alt.Tooltip("soort:N", title="Soort")]
        layers.append(alt.Chart(data).mark_point(size=130, filled=True, strokeWidth=2.5,
                                                 stroke=_LINE_COLOR, opacity=1).encode(
            x=x, y=y, tooltip=tooltip,
            fill=alt.Fill("soort:N", title=None,
                          scale=alt.Scale(domain=["gemeten", SAMPLE_LABEL],
                                          range=[_LINE_COLOR, "white"]),
                          legend=alt.Legend(orient="top", labelFontSize=13,
                                            symbolStrokeColor=_LINE_COLOR, symbolStrokeWidth=2,
                                            values=["gemeten", SAMPLE_LABEL] if any_sample
                                            else ["gemeten"]))))
        layers.append(alt.Chart(data.iloc[[-1]]).mark_text(
            align="center", baseline="bottom", dy=-12, fontSize=13, fontWeight="bold",
            color=_LINE_COLOR,
        ).encode(x=x, y=y, text="value_label:N"))

    subtitle = ["Stippellijn: pad van de uitgangswaarde naar het doel; punten: gemeten waarden"]
    if any_sample:
        subtitle.append("Open punten: voorbeelddata, geen echte meting")
    if data.empty:
        subtitle.append("Nog geen meting na de uitgangswaarde")
    if not description:
        if data.empty:
            latest = "Er is nog geen meting."
        else:
            last = data.iloc[-1]
            latest = (f"Laatste meting: {last['value_label']} ({last['periode_label']}"
                      + (", voorbeelddata" if last["is_sample"] else "") + ").")
        description = (f"{indicator.get('name', 'Indicator')} tegen het doel: {words} uiterlijk "
                       f"{format_date(deadline)}, met het pad van de uitgangswaarde naar het doel. "
                       f"{latest}")
    return (
        alt.layer(*layers)
        .properties(width="container", height=360,
                    title=alt.Title(indicator.get("name", ""), subtitle=subtitle, anchor="start",
                                    fontSize=18, subtitleFontSize=13),
                    description=description)
    )


# --- Map --------------------------------------------------------------------------------

def _ring_area(ring: list) -> float:
    """Signed area with x = longitude, y = latitude (positive: counter-clockwise)."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:])) / 2


def _rewind(geometry: dict) -> dict:
    """Rings in d3-geo's order: outer rings clockwise, holes counter-clockwise.

    GeoJSON (RFC 7946) asks for the opposite; d3-geo (under Vega) would then fill the whole
    globe except the gemeente, and the fitted projection would show the world.
    """
    def polygon(rings: list) -> list:
        fixed = []
        for i, ring in enumerate(rings):
            clockwise = _ring_area(ring) < 0
            want_clockwise = i == 0
            fixed.append(ring if clockwise == want_clockwise else ring[::-1])
        return fixed

    kind = geometry.get("type")
    if kind == "Polygon":
        return {"type": kind, "coordinates": polygon(geometry["coordinates"])}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [polygon(p) for p in geometry["coordinates"]]}
    raise ValueError(f"Onbekend geometrietype: {kind!r}")


def _inside(x: np.ndarray, y: np.ndarray, ring: list) -> np.ndarray:
    """Ray casting, vectorised: which of the points (x, y) lie inside the ring?"""
    inside = np.zeros(x.shape, dtype=bool)
    for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:]):
        if y0 == y1:
            continue
        crosses = ((y0 > y) != (y1 > y)) & (x < x0 + (y - y0) * (x1 - x0) / (y1 - y0))
        inside ^= crosses
    return inside


def _label_point(geometry: dict, steps: int = 30, aspect: float = 3.0) -> tuple[float, float]:
    """Where a gemeente's name goes: a point well inside its largest polygon (lon, lat).

    A grid search for the point farthest from the boundary (a "pole of inaccessibility");
    horizontal distances count ``aspect`` times less, because a name is wider than tall.
    Longitude is scaled by cos(latitude). A centroid can lie near an edge or outside a
    concave gemeente, and the name would leave the shape.
    """
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" \
        else [geometry["coordinates"]]
    rings = max(polygons, key=lambda p: abs(_ring_area(p[0])))
    outer = np.asarray([pt[:2] for pt in rings[0]], dtype=float)
    scale = math.cos(math.radians(float(outer[:, 1].mean()))) / aspect
    gx, gy = np.meshgrid(np.linspace(outer[:, 0].min(), outer[:, 0].max(), steps + 2)[1:-1],
                         np.linspace(outer[:, 1].min(), outer[:, 1].max(), steps + 2)[1:-1])
    x, y = gx.ravel(), gy.ravel()
    keep = _inside(x, y, rings[0])
    for hole in rings[1:]:
        keep &= ~_inside(x, y, hole)
    if not keep.any():
        return float(outer[:, 0].mean()), float(outer[:, 1].mean())
    x, y = x[keep], y[keep]
    px, py = x[:, None] * scale, y[:, None]
    distance = np.full(x.shape, np.inf)
    for ring in rings:
        pts = np.asarray([pt[:2] for pt in ring], dtype=float)
        ax, ay = pts[:-1, 0] * scale, pts[:-1, 1]
        dx, dy = pts[1:, 0] * scale - ax, pts[1:, 1] - ay
        length = np.where(dx * dx + dy * dy == 0, 1.0, dx * dx + dy * dy)
        t = np.clip(((px - ax) * dx + (py - ay) * dy) / length, 0.0, 1.0)
        d = np.hypot(px - ax - t * dx, py - ay - t * dy).min(axis=1)
        distance = np.minimum(distance, d)
    best = int(distance.argmax())
    return float(x[best]), float(y[best])


def choropleth(shapes: pd.DataFrame, values: pd.DataFrame, indicator: dict,
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
    _check_columns(shapes, ("region_code", "name", "geometry"), "choropleth (shapes)")
    _check_columns(values, ("region_code", "value", "value_label", "comparison"),
                   "choropleth (values)")
    if shapes.empty:
        raise ValueError(NO_DATA)
    known = _require(values)
    known = known[known["region_code"].isin(set(shapes["region_code"]))]
    if known.empty:
        raise ValueError(NO_DATA)
    unit = indicator.get("unit", "")
    direction = indicator.get("direction", "neutral")
    by_code = {row.region_code: row for row in known.itertuples(index=False)}
    low, high = float(known["value"].min()), float(known["value"].max())

    features = []
    for row in shapes.itertuples(index=False):
        found = by_code.get(row.region_code)
        value = float(found.value) if found is not None else None
        comparison = found.comparison if found is not None else None
        geometry = _rewind(json.loads(row.geometry))
        lon, lat = _label_point(geometry) if labels else (None, None)
        properties = {
                "region_code": row.region_code,
                "name": row.name,
                "value": value,
                "value_label": (_labels(pd.Series([found.value_label]))[0] if found is not None
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
        # The properties also as top-level members of the feature (GeoJSON allows foreign
        # members), so the encodings use plain field names.
        features.append({"type": "Feature", "geometry": geometry, "properties": properties,
                         **properties})

    decimals = _axis_decimals(unit, low, high)
    scheme = "purples" if direction == "neutral" else "blues"
    title = _unit_title(unit)
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
        ranked = sorted((f for f in features if f["value"] is not None),
                        key=lambda p: p["value"], reverse=True)
        description = (
            f"Kaart van Twente: {indicator.get('name', 'indicator')} per gemeente, donkerder is "
            f"hoger. Hoogst: {ranked[0]['name']} ({ranked[0]['value_label']}); laagst: "
            f"{ranked[-1]['name']} ({ranked[-1]['value_label']})."
            + (f" Geen cijfer voor {', '.join(missing)}." if missing else ""))
    subtitle = ["Grijs: geen cijfer"] if missing else []
    tooltip = [alt.Tooltip("name:N", title="Gemeente"),
               alt.Tooltip("value_label:N", title=indicator.get("name", "Waarde")),
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
        text = {"longitude": "label_lon:Q", "latitude": "label_lat:Q", "text": "name:N",
                "tooltip": tooltip}
        layers.append(alt.Chart(data).mark_text(
            fontSize=12, fontWeight="bold", fill="#FFFFFF", stroke="#FFFFFF", strokeWidth=3,
            strokeOpacity=0.85, strokeJoin="round").encode(**text))
        layers.append(alt.Chart(data).mark_text(
            fontSize=12, fontWeight="bold", fill="#1A1A1A").encode(**text))
    return (
        alt.layer(*layers)
        .project(type="mercator")
        .properties(width="container", height=440,
                    title=alt.Title(indicator.get("name", ""), subtitle=subtitle, anchor="start",
                                    fontSize=18, subtitleFontSize=13),
                    description=description)
    )


# --- Two indicators across the gemeenten ------------------------------------------------

_TWENTE_CODE = "GG_TWENTE"


def _is_twente(code, name) -> bool:
    if isinstance(code, str):
        return code == _TWENTE_CODE
    return isinstance(name, str) and (name == "Twente" or name.startswith("Twente ("))


def scatter_chart(frame: pd.DataFrame, x_indicator: dict, y_indicator: dict,
                  description: str = "") -> alt.LayerChart:
    """Two indicators against each other: one point per gemeente, named on the point and on hover.

    ``frame`` (long format, one row per region and indicator) columns: indicator_id,
    region_name, value, is_sample; optional region_code and period. A region with a value for
    both indicators becomes a point; Twente (region_code ``GG_TWENTE``, or a name starting with
    'Twente'), when present for both, is a highlighted reference point (a dark diamond).
    ``x_indicator``/``y_indicator``: indicator_id, name, unit. Voorbeelddata points are hollow.
    Raises ValueError("geen gegevens") when no gemeente has a value for both indicators.
    """
    _check_columns(frame, ("indicator_id", "region_name", "value", "is_sample"), "scatter_chart")
    x_id, y_id = x_indicator["indicator_id"], y_indicator["indicator_id"]
    rows = frame[frame["value"].notna()] if frame is not None else frame
    if rows is None or rows.empty:
        raise ValueError(NO_DATA)
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
        point["is_sample"] = point["is_sample"] or bool(_flags(pd.Series([sample]))[0])
        if x_id == y_id:
            point["y"] = point["x"]
    points = [p for p in pairs.values() if "x" in p and "y" in p]
    gemeenten = [p for p in points if not p["is_twente"]]
    if not gemeenten:
        raise ValueError(NO_DATA)
    twente = [p for p in points if p["is_twente"]][:1]

    x_unit, y_unit = x_indicator.get("unit", ""), y_indicator.get("unit", "")
    x_name, y_name = x_indicator.get("name", "x"), y_indicator.get("name", "y")
    data = pd.DataFrame(gemeenten + twente)
    data["x_label"] = [format_value(v, x_unit) for v in data["x"]]
    data["y_label"] = [format_value(v, y_unit) for v in data["y"]]
    data["soort"] = [SAMPLE_LABEL if s else "gemeten" for s in data["is_sample"]]
    data["label"] = ["Twente" if t else n for t, n in zip(data["is_twente"], data["region_name"])]
    any_sample = bool(data["is_sample"].any())

    x_domain = _padded_domain(data["x"].tolist(), x_unit, headroom=0.08)
    y_domain = _padded_domain(data["y"].tolist(), y_unit, headroom=0.08)
    x_axis = alt.Axis(labelExpr=dutch_number_expr(_axis_decimals(x_unit, *x_domain)),
                      title=f"{x_name} ({_unit_title(x_unit)})", labelFontSize=13, titleFontSize=13,
                      titleLimit=500, tickCount=6)
    y_axis = alt.Axis(labelExpr=dutch_number_expr(_axis_decimals(y_unit, *y_domain)),
                      title=f"{y_name} ({_unit_title(y_unit)})", labelFontSize=13, titleFontSize=13,
                      titleLimit=400, tickCount=6)
    x = alt.X("x:Q", scale=alt.Scale(domain=x_domain, zero=False, nice=True), axis=x_axis)
    y = alt.Y("y:Q", scale=alt.Scale(domain=y_domain, zero=False, nice=True), axis=y_axis)
    tooltip = [
        alt.Tooltip("region_name:N", title="Gemeente"),
        alt.Tooltip("x_label:N", title=x_name),
        alt.Tooltip("y_label:N", title=y_name),
        alt.Tooltip("soort:N", title="Soort"),
    ]

    municipal = data[~data["is_twente"]]
    point_encoding = {"x": x, "y": y, "tooltip": tooltip}
    if any_sample:
        point_encoding["fillOpacity"] = alt.FillOpacity(
            "soort:O", title=None, sort=["gemeten", SAMPLE_LABEL],
            scale=alt.Scale(domain=["gemeten", SAMPLE_LABEL], range=[1, 0]),
            legend=alt.Legend(orient="top", labelFontSize=13, symbolStrokeColor=_LINE_COLOR,
                              symbolFillColor=_LINE_COLOR, symbolStrokeWidth=2))
    layers: list = [
        alt.Chart(municipal).mark_point(filled=True, size=90, strokeWidth=2, color=_LINE_COLOR,
                                        opacity=1).encode(**point_encoding),
        alt.Chart(municipal).mark_text(align="left", baseline="middle", dx=8, fontSize=11,
                                       color=_TEXT_COLOR).encode(x=x, y=y, text="label:N",
                                                                 tooltip=tooltip),
    ]
    subtitle = ["Elk punt is een gemeente"]
    if twente:
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

    period = ""
    if "period" in rows.columns:
        found = sorted(set(rows["period"].astype(str)))
        period = f" ({', '.join(found)})" if found else ""
    if not description:
        highest_y = max(gemeenten, key=lambda p: p["y"])
        highest_x = max(gemeenten, key=lambda p: p["x"])
        description = (
            f"Spreidingsdiagram: {y_name} (verticaal) tegen {x_name} (horizontaal) voor "
            f"{len(gemeenten)} gemeenten{period}. Hoogst op {y_name.lower()}: "
            f"{highest_y['region_name']} ({format_value(highest_y['y'], y_unit)}); hoogst op "
            f"{x_name.lower()}: {highest_x['region_name']} ({format_value(highest_x['x'], x_unit)})."
            + (f" Twente: {format_value(twente[0]['x'], x_unit)} en "
               f"{format_value(twente[0]['y'], y_unit)}." if twente else "")
            + (" Bevat voorbeelddata, geen echte metingen." if any_sample else ""))
    return (
        alt.layer(*layers)
        .properties(width="container", height=420,
                    title=alt.Title(f"{y_name} tegen {x_name}{period}", subtitle=subtitle,
                                    anchor="start", fontSize=18, subtitleFontSize=13),
                    description=description)
    )



# --- Veilig Thuis (protected counts, neutral direction) ---------------------------------
#
# The rows come from the vt_* queries over the protected view: ``count`` is rounded or NULL,
# ``suppression`` is NULL, 'klein' or 'afgeschermd'. A suppressed cell is never drawn as a
# number: no bar, no point, its value is null in the chart data and it is labelled '<10' or
# 'x' (monitor.views.veilig_thuis.count_label). The direction is neutral: one purple for every
# gemeente, region colours only to tell the lines apart, never red or green.

VT_BAR_COLOR = "#6A51A3"
VT_REGION_STYLES: dict[str, tuple[str, str]] = {"GG_TWENTE": ("#0072B2", "circle")}
VT_OTHER_STYLE: tuple[str, str] = ("#6A51A3", "diamond")
_VT_SAMPLE_SUBTITLE = "Voorbeelddata: gegenereerde cijfers, geen echte meldingen"


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
    _check_columns(rows, ("region_code", "period", "count", "per_1000", "suppression",
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
    data = _json_safe(pd.DataFrame(records))
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
    base = alt.Chart()
    drawn = "datum.value !== null"
    layers: list = [
        base.mark_line(strokeWidth=2.5).encode(x=x, y=y, color=color, detail="segment:N")
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
        ).encode(x=x, y=alt.YValue(alt.ExprRef("height")), text="value_label:N", color=color,
                 tooltip=tooltip).transform_filter(f"datum.suppressed && datum.lane === {int(lane)}"))
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
    layered = alt.layer(*layers, data=data)
    if panels:
        return (
            layered.properties(width=alt.Step(52), height=170)
            .facet(row=alt.Row("region:N", sort=names, title=None,
                               header=alt.Header(labelAngle=0, labelAlign="left", labelOrient="top",
                                                 labelFontSize=14, labelFontWeight="bold")))
            .resolve_scale(y="independent")
            .properties(title=title, description=description)
        )
    return layered.properties(width="container", height=340, title=title, description=description)


def _vt_bars(data: pd.DataFrame, order: list[str], y_title: str | None, x_title: str,
             decimals: int, x_max: float, tooltip: list, highlight: str | None = None) -> list:
    """Horizontal bars of the shown values and '<10'/'x' labels for the hidden ones."""
    shown = _json_safe(data[~data["suppressed"]])
    hidden = _json_safe(data[data["suppressed"]])
    x_scale = alt.Scale(domain=[0, x_max], nice=False, zero=True)
    x_axis = alt.Axis(labelExpr=dutch_number_expr(decimals), title=x_title, labelFontSize=13,
                      titleFontSize=13, grid=True, tickCount=6)
    label_weight = {"condition": {"test": f"datum.value === {json.dumps(highlight)}",
                                  "value": "bold"}, "value": "normal"}
    y = alt.Y("name:N", sort=order, title=y_title, scale=alt.Scale(domain=order),
              axis=alt.Axis(labelFontSize=13, labelLimit=220, labelFontWeight=label_weight,
                            ticks=False, domain=False))
    x = alt.X("value:Q", scale=x_scale, axis=x_axis)
    layers: list = [alt.Chart(shown).mark_bar(height={"band": 0.72}, color=VT_BAR_COLOR).encode(
        x=x, y=y, tooltip=tooltip,
        fillOpacity=alt.condition("datum.soort === 'voorbeelddata'", alt.value(0.55),
                                  alt.value(1.0)))]
    if highlight is not None and highlight in set(shown["name"]):
        layers.append(alt.Chart(shown[shown["name"] == highlight]).mark_bar(
            height={"band": 0.72}, fillOpacity=0, stroke="#000000", strokeWidth=2.5,
        ).encode(x=alt.X("value:Q", axis=x_axis), y=y, tooltip=tooltip))
    value_text = {"x": alt.X("value:Q", axis=x_axis), "y": y, "text": "value_label:N",
                  "tooltip": tooltip}
    layers.append(alt.Chart(shown).mark_text(align="left", baseline="middle", dx=5, fontSize=12,
                                             stroke="#FFFFFF", strokeWidth=4, strokeJoin="round",
                                             fill="#FFFFFF").encode(**value_text))
    layers.append(alt.Chart(shown).mark_text(align="left", baseline="middle", dx=5, fontSize=12,
                                             color=_TEXT_COLOR).encode(**value_text))
    if not hidden.empty:
        # no bar: the label sits at zero, where a bar would start
        layers.append(alt.Chart(hidden).mark_text(align="left", baseline="middle", dx=5,
                                                  fontSize=12, fontWeight="bold",
                                                  color=_TEXT_COLOR).encode(
            x=alt.X("zero:Q", axis=x_axis), y=y, text="value_label:N", tooltip=tooltip))
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
    _check_columns(rows, ("region_code", "count", "per_1000", "suppression", "is_sample"),
                   "vt_gemeenten_chart")
    if rows is None or rows.empty:
        raise ValueError(NO_DATA)
    threshold = _vt_min_count(rows, min_count)
    gemeenten = rows[rows["region_code"].astype(str).str.startswith("GM")]
    if gemeenten.empty:
        raise ValueError(NO_DATA)
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
    data = pd.DataFrame(records)
    shown = data[~data["suppressed"]].sort_values(["value", "name"], ascending=[False, True],
                                                  kind="stable")
    hidden = data[data["suppressed"]].sort_values("name", kind="stable")
    data = pd.concat([shown, hidden], ignore_index=True)
    order = data["name"].tolist()
    any_sample = bool((data["soort"] == SAMPLE_LABEL).any())

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
        layers.extend(_reference_labels(refs, x))
    subtitle = []
    if not hidden.empty:
        subtitle.append("Zonder balk: " + _vt_suppressed_subtitle(threshold))
    if any_sample:
        subtitle.append(_VT_SAMPLE_SUBTITLE + " (lichte balken)")
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

    _check_columns(rows, ("breakdown", "category", "count", "per_1000", "suppression",
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
        subtitle.append(_VT_SAMPLE_SUBTITLE + " (lichte balken)")
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

__all__ = [
    "MONTH_ABBREVIATIONS",
    "dutch_date_expr",
    "dutch_number_expr",
    "DIRECTIONAL_COLORS",
    "NEUTRAL_COLORS",
    "NO_DATA",
    "choropleth",
    "indicator_colors",
    "ranked_bar_chart",
    "scatter_chart",
    "target_chart",
    "trend_chart",
    "VT_BAR_COLOR",
    "vt_breakdown_chart",
    "vt_gemeenten_chart",
    "vt_trend_chart",
]
